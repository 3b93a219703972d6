"""Alerts over real HTTP against the fake Slack: what the filer is told, retries with the clock
moved, an operator's fix, a hanging Slack that blocks nobody else, and /healthz telling the truth."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import build_app, build_client
from bot.delivery import SlackPost
from bot.health import Health
from bot.http_server import SlackHTTPServer
from bot.services import Services
from bot.settings import Settings
from commands import outbox
from commands.store.models import Incident, Inspection
from knowledge.answer import Answerer
from tests.bot.conftest import ALERTS, SECRET, SlackClient
from tests.bot.fake_slack import FakeSlack


def _serve(settings: Settings, services: Services) -> Iterator[tuple[SlackClient, str]]:
    server = SlackHTTPServer(
        build_app(settings, services),
        signing_secret=SECRET,
        host="127.0.0.1",
        port=0,
        health=Health(services),
    )
    server.start()
    url = f"http://127.0.0.1:{server.port}"
    yield SlackClient(url), url
    server.stop()


@pytest.fixture
def edge(settings: Settings, services: Services) -> Iterator[tuple[SlackClient, str]]:
    yield from _serve(settings, services)


def _health(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _retry(services: Services, settings: Settings, after: timedelta) -> list[outbox.Outcome]:
    """One outbox pass with the clock moved `after` ahead, as the scheduler would run it."""
    post = SlackPost(build_client(settings), services.store, settings.tz)
    return outbox.deliver_pending(services.store, now=services.now() + after, post=post)


def _count(services: Services, model: Any) -> int:
    with services.store.session() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_the_filer_hears_where_the_alert_went(
    edge: tuple[SlackClient, str], fake: FakeSlack
) -> None:
    slack, _ = edge
    slack.command("/incident", "勒索病毒", response_url=fake.response_url("zh"))
    slack.command("/incident", "ransomware", user="UEN", response_url=fake.response_url("en"))
    assert "已登记网络安全事件 #" in fake.reply_to("zh")["text"]
    assert f"告警已发到 <#{ALERTS}>" in fake.reply_to("zh")["text"]
    assert f"Alert posted to <#{ALERTS}>" in fake.reply_to("en")["text"]
    assert len(fake.of("chat.postMessage")) == 2


def test_not_in_channel_then_invited_is_delivered_once_and_healthz_says_so_meanwhile(
    edge: tuple[SlackClient, str], fake: FakeSlack, services: Services, settings: Settings
) -> None:
    slack, url = edge
    fake.fail_next("chat.postMessage", 200, "not_in_channel")
    slack.command("/incident", "数据泄露", response_url=fake.response_url())
    text = fake.reply_to("r")["text"]
    assert "已登记网络安全事件 #1" in text and "机器人不在该频道" in text and "自动重试" in text
    assert "稍后重试" not in text  # never "try again" about something stored
    assert _count(services, Incident) == 1
    status, body = _health(url)
    assert status == 503 and any("not_in_channel" in p for p in body["problems"])
    assert body["outbox"]["needs_operator"] == 1
    # The operator invites the bot; the next retry (the clock moved past the backoff) posts it.
    assert [o.status for o in _retry(services, settings, timedelta(seconds=6))] == ["sent"]
    assert _retry(services, settings, timedelta(minutes=30)) == []
    assert len(fake.of("chat.postMessage")) == 2  # the refused attempt and the one post
    assert _health(url)[0] == 200


def test_http_500_is_retried_within_seconds(
    edge: tuple[SlackClient, str], fake: FakeSlack, services: Services, settings: Settings
) -> None:
    slack, _ = edge
    fake.fail_next("chat.postMessage", 500, "internal_error")
    slack.command("/incident", "网页被篡改", response_url=fake.response_url())
    assert "将自动重试" in fake.reply_to("r")["text"]
    assert _retry(services, settings, timedelta(seconds=4)) == []  # not yet: backoff is 5 s
    assert [o.status for o in _retry(services, settings, timedelta(seconds=5))] == ["sent"]
    assert fake.of("chat.postMessage")[-1].args["channel"] == ALERTS


def test_with_no_alert_channel_the_filing_is_stored_and_the_filer_told(
    fake: FakeSlack, settings: Settings, answerer: Answerer
) -> None:
    quiet = settings.model_copy(update={"alert_channel": ""})
    from commands.store import Store

    store = Store.open(quiet.resolved_database_url)
    services = Services(settings=quiet, answerer=answerer, store=store)
    for slack, url in _serve(quiet, services):
        slack.command("/incident", "病毒", response_url=fake.response_url())
        assert "未配置告警频道（ALERT_CHANNEL）" in fake.reply_to("r")["text"]
        status, body = _health(url)
        assert status == 200 and "ALERT_CHANNEL" in body["warnings"][0]
    assert _count(services, Incident) == 1 and fake.of("chat.postMessage") == []
    store.dispose()


def test_a_hanging_slack_holds_up_no_other_filing(
    edge: tuple[SlackClient, str], fake: FakeSlack, services: Services
) -> None:
    slack, _ = edge
    fake.hold("chat.postMessage")
    try:
        slack.command("/incident", "第一起", response_url=fake.response_url("first"))
        fake.wait_for("chat.postMessage")  # its alert is now hanging inside Slack
        slack.command("/inspect", "ok", user="UEN", response_url=fake.response_url("inspect"))
        slack.command("/incident", "第二起", response_url=fake.response_url("second"))
        inspect_reply = fake.reply_to("inspect")["text"]
        second = fake.reply_to("second")["text"]
        first = fake.reply_to("first")["text"]
        # All answered while Slack still holds the first post: nothing waited for it.
        assert fake.of("chat.postMessage") and "chat.postMessage" in fake._held
        assert _count(services, Inspection) == 1 and _count(services, Incident) == 2
    finally:
        fake.release("chat.postMessage")
    assert "inspection" in inspect_reply.lower() or "巡检" in inspect_reply
    assert "告警已排队" in first and "已登记网络安全事件 #2" in second


def test_a_store_file_deleted_under_the_bot_is_503_and_refuses_filings(
    edge: tuple[SlackClient, str], fake: FakeSlack, settings: Settings
) -> None:
    slack, url = edge
    assert _health(url)[0] == 200
    database = settings.resolved_database_url.removeprefix("sqlite:///")
    for suffix in ("", "-wal", "-shm"):
        Path(database + suffix).unlink(missing_ok=True)
    status, body = _health(url)
    assert status == 503 and body["store"] == "replaced"
    slack.command("/incident", "病毒", response_url=fake.response_url())
    text = fake.reply_to("r")["text"]
    assert "被删除或替换" in text and "已登记" not in text
    assert fake.of("chat.postMessage") == []


def test_a_scheduler_that_stopped_ticking_is_503(services: Services) -> None:
    class Stalled:
        last_tick = services.now() - timedelta(minutes=5)

    status, body = Health(services, Stalled())()
    assert status == 503 and body["problems"] == ["scheduler: no tick for more than 60 s"]
    Stalled.last_tick = services.now()
    assert Health(services, Stalled())()[0] == 200


def test_a_filing_during_shutdown_leaves_its_alert_to_the_scheduler(
    settings: Settings, services: Services, fake: FakeSlack
) -> None:
    # SIGTERM shuts the delivery pool; a filing finishing then must neither raise nor lose the alert.
    from bot.alerts import tell_after_delivery

    reply = services.file("incident", "门户网站被篡改", user="UZH", lang="zh")
    services.delivery.shutdown(wait=True)
    told: list[str] = []
    tell_after_delivery(services, build_client(settings), reply, "zh", told.append)
    assert told == ["告警已排队，将尽快发出。"]  # stored; the alert waits in the outbox
    assert fake.of("chat.postMessage") == []
    assert [o.status for o in _retry(services, settings, timedelta(0))] == ["sent"]
