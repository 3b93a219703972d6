"""A channel per incident, end to end over real HTTP against the fake Slack: named, invited, the
card posted and linked from the alert, reminders routed there and to the alert's thread; no
scope (or INCIDENT_CHANNELS=off) keeps today's behaviour and tells the operator."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from bot.app import build_client
from bot.health import Health
from bot.incident_channels import MAX_NAME, channel_name
from bot.scheduler import deliver_due
from bot.services import Services
from bot.settings import Settings
from tests.bot.conftest import ALERTS, SlackClient, slack_settings
from tests.bot.fake_slack import FakeSlack
from tests.commands.conftest import TZ

DAY = datetime(2026, 11, 24, 9, 30, tzinfo=TZ)
_SLACK_NAME = re.compile(r"[a-z0-9_-]{1,80}")


@pytest.fixture
def settings(fake: FakeSlack, tmp_path: Path) -> Settings:
    return slack_settings(
        fake, tmp_path, INCIDENT_CHANNELS="on", INCIDENT_RESPONDERS="UR1, UR2,UZH"
    )


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("Ransomware on the FILE server!", "inc-20261124-7-ransomware-on-the-file-server"),
        ("门户网站被篡改", "inc-20261124-7-men-hu-wang-zhan-bei-cuan-gai"),
        ("<!channel> <@U123> 数据库", "inc-20261124-7-channel-u123-shu-ju-ku"),
        ("🔥🔥🔥", "inc-20261124-7"),
        ("", "inc-20261124-7"),
    ],
)
def test_the_name_is_an_ascii_slug_or_the_number_alone(summary: str, expected: str) -> None:
    assert channel_name(7, summary, DAY) == expected
    assert channel_name(7, summary, DAY, 3) == expected + "-3"


def test_a_long_summary_is_cut_to_slacks_limit_on_a_word() -> None:
    name = channel_name(12345, "database " * 40, DAY, 5)
    assert len(name) <= MAX_NAME and _SLACK_NAME.fullmatch(name)
    assert name.endswith("-database-5") and "--" not in name


def test_a_new_incident_gets_its_channel_invitees_card_and_a_link_from_the_alert(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    slack.command("/incident", "门户网站被篡改 严重程度=高", response_url=fake.response_url("i"))
    assert "#1" in fake.reply_to("i")["text"]
    created = fake.wait_for("conversations.create")[0].args
    today = services.now().strftime("%Y%m%d")
    assert created["name"] == f"inc-{today}-1-men-hu-wang-zhan-bei-cuan-gai"
    invite = fake.wait_for("conversations.invite")[0].args
    assert invite["channel"] == "CINC1" and invite["users"] == "UZH,UR1,UR2"
    posts = fake.wait_for("chat.postMessage", 2)
    alert, card = posts[0].args, posts[1].args
    assert alert["channel"] == ALERTS and card["channel"] == "CINC1"
    assert str(card["blocks"]).count("incident_reported") == 3 and "第三十条" in str(card["blocks"])
    update = fake.wait_for("chat.update")[0].args
    assert update["channel"] == ALERTS and "<#CINC1>" in str(update["blocks"])


def test_a_taken_name_gets_a_suffix(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    today = services.now().strftime("%Y%m%d")
    fake.channels["COLD"] = {"id": "COLD", "name": f"inc-{today}-1-phishing"}
    slack.command("/incident", "phishing", response_url=fake.response_url("i"))
    fake.wait_for("conversations.invite")
    names = [c.args["name"] for c in fake.of("conversations.create")]
    assert names == [f"inc-{today}-1-phishing", f"inc-{today}-1-phishing-2"]


def test_the_card_and_the_alert_follow_a_report_from_the_channel(
    slack: SlackClient, fake: FakeSlack
) -> None:
    slack.command("/incident", "phishing", response_url=fake.response_url("i"))
    fake.wait_for("chat.postMessage", 2)
    # The link added to the alert (the card, rendered the same way, is updated beside it).
    alert_ts = fake.wait_for("chat.update", 2)[0].args["ts"]
    slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": "UZH"},
            "channel": {"id": "CINC1"},
            "container": {"message_ts": "1700000002.000100"},
            "actions": [
                {"action_id": "incident_reported", "value": "1:cac", "block_id": "incident_1"}
            ],
            "response_url": fake.response_url("b"),
            "trigger_id": "t1",
        }
    )
    updates = fake.wait_for("chat.update", 4)[2:]
    assert {u.args["channel"] for u in updates} == {ALERTS, "CINC1"}
    for update in updates:
        assert str(update.args["blocks"]).count("incident_reported") == 2
    by_channel = {u.args["channel"]: u.args for u in updates}
    assert by_channel[ALERTS]["ts"] == alert_ts and "<#CINC1>" in str(by_channel[ALERTS])
    assert by_channel["CINC1"]["ts"] != alert_ts  # the card, updated in place


def test_reminders_go_to_the_channel_and_the_alerts_thread_once(
    slack: SlackClient, fake: FakeSlack, services: Services, settings: Settings
) -> None:
    slack.command("/incident", "phishing", response_url=fake.response_url("i"))
    fake.wait_for("chat.update")
    alert_ts = fake.of("chat.update")[0].args["ts"]
    before = len(fake.of("chat.postMessage"))
    later = services.now() + timedelta(minutes=61)
    client = build_client(settings)
    assert deliver_due(services.store, client, later, settings=settings)

    def incident_posts() -> list[dict[str, Any]]:
        # This incident's reminders, wherever they went: the clock is real, so the hour moved
        # past may also be a daily reminder's (inspection, audit head) in ALERT_CHANNEL.
        return [
            c.args for c in fake.of("chat.postMessage")[before:] if "phishing" in c.args["text"]
        ]

    posts = incident_posts()
    assert [(p["channel"], p.get("thread_ts")) for p in posts] == [
        ("CINC1", None),
        (ALERTS, alert_ts),
    ]
    assert "60" in posts[0]["text"] or "分钟" in posts[0]["text"]
    # Only this incident's: a minute later can be another hour's daily reminder on the real clock.
    again = deliver_due(services.store, client, later + timedelta(minutes=1), settings=settings)
    assert [key for key in again if key.startswith("incident:")] == []
    assert len(incident_posts()) == 2


def test_without_the_scope_the_alert_stays_as_today_and_the_operator_is_told_once(
    slack: SlackClient,
    fake: FakeSlack,
    services: Services,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake.refuse_create = "missing_scope"
    with caplog.at_level(logging.WARNING, logger="bot.incident_channels"):
        slack.command("/incident", "phishing", response_url=fake.response_url("a"))
        fake.reply_to("a")
        fake.wait_for("conversations.create")
        slack.command("/incident", "malware", response_url=fake.response_url("b"))
        fake.reply_to("b")
        fake.wait_for("chat.postMessage", 2)
    assert len(fake.of("conversations.create")) == 1  # not asked again until restarted
    assert [c.args["channel"] for c in fake.of("chat.postMessage")] == [ALERTS, ALERTS]
    assert fake.of("conversations.invite") == [] and fake.of("chat.update") == []
    warnings = [r.getMessage() for r in caplog.records if "missing_scope" in r.getMessage()]
    assert len(warnings) == 1 and "channels:manage" in warnings[0]
    _status, body = Health(services)()
    assert any("missing_scope" in w for w in body["warnings"])  # shown, and never a failure
    assert not any("missing_scope" in p for p in body["problems"])
    client = build_client(settings)
    deliver_due(services.store, client, services.now() + timedelta(minutes=61), settings=settings)
    reminders = fake.of("chat.postMessage")[2:]
    assert reminders and all(c.args["channel"] == ALERTS for c in reminders)
    assert all("thread_ts" not in c.args for c in reminders)


def test_incident_channels_off_opens_none(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    services.incident_channels.enabled = False
    slack.command("/incident", "phishing", response_url=fake.response_url("a"))
    fake.wait_for("chat.postMessage")
    fake.reply_to("a")
    assert fake.of("conversations.create") == []


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("INCIDENT_CHANNELS", "maybe"),
        ("INCIDENT_RESPONDERS", "alice,UR1"),
        ("INCIDENT_RESPONDERS", "C123"),
    ],
)
def test_bad_incident_channel_settings_are_refused(variable: str, value: str) -> None:
    with pytest.raises(ValidationError, match=variable):
        Settings(**{variable: value})


def test_incident_channel_settings_are_read() -> None:
    parsed = Settings(INCIDENT_CHANNELS=" OFF ", INCIDENT_RESPONDERS="UR1,WR2")
    assert parsed.incident_channels == "off" and parsed.incident_responders == ("UR1", "WR2")
