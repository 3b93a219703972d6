"""Idempotency keys: a retry files once, but two different requests never share a key."""

from __future__ import annotations

from sqlalchemy import select

from bot.keys import command_key, event_key, request_key
from bot.services import Services
from commands.store.models import Incident
from tests.bot.conftest import SlackClient
from tests.bot.fake_slack import FakeSlack


def _incidents(services: Services) -> list[str]:
    with services.store.session() as session:
        return list(session.execute(select(Incident.summary).order_by(Incident.id)).scalars())


def test_a_key_is_built_only_from_parts_that_are_all_there() -> None:
    assert request_key("btn", "1700000000.1", "3:cac") == "btn:1700000000.1:3:cac"
    assert request_key("btn", "", "3:cac") is None
    assert request_key("vote", None, "U1") is None


def test_a_command_without_trigger_id_is_keyed_by_its_response_url_digest_or_not_at_all() -> None:
    url = "https://hooks.slack.com/commands/T1/123/secret-token"
    assert command_key({"trigger_id": "13345.abc", "response_url": url}) == "cmd:13345.abc"
    by_url = command_key({"response_url": url})
    assert by_url and by_url.startswith("cmd:url:") and "secret-token" not in by_url
    assert by_url == command_key({"trigger_id": "", "response_url": url})
    assert by_url != command_key({"response_url": url + "2"})
    assert command_key({"trigger_id": "", "response_url": ""}) is None
    assert command_key({}) is None


def test_an_event_without_event_id_is_keyed_by_channel_and_ts() -> None:
    assert event_key({"event_id": "Ev1"}, {}) == "event:Ev1"
    assert event_key({}, {"channel": "D1", "ts": "17.1"}) == "event:D1:17.1"
    assert event_key({}, {"ts": "17.1"}) is None


def test_three_users_without_trigger_id_file_three_incidents(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    for user, summary in (("U1", "勒索病毒"), ("U2", "网页篡改"), ("U3", "数据泄露")):
        status, _ = slack.command(
            "/incident", summary, user=user, trigger_id=None, response_url=fake.response_url(user)
        )
        assert status == 200
    fake.wait_for("response_url", 3)
    assert sorted(_incidents(services)) == sorted(["勒索病毒", "网页篡改", "数据泄露"])


def test_a_retried_command_without_trigger_id_files_once(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    for _ in range(2):
        slack.command("/incident", "暴力破解", trigger_id=None, response_url=fake.response_url("r"))
    replies = fake.wait_for("response_url", 2)
    assert _incidents(services) == ["暴力破解"]
    assert replies[0].args["text"] == replies[1].args["text"]  # the retry gets the same reply
