"""Pins and 📌 in an incident's channel build its timeline, over real HTTP: recorded once per
message, audited, refused for users outside FILERS, ignored in any other channel."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.services import Services
from bot.settings import Settings
from commands.store import repo
from commands.store.models import AuditEntry, TimelineEntry
from tests.bot.conftest import SlackClient, slack_settings
from tests.bot.fake_slack import FakeSlack

ROOM = "CINC1"


@pytest.fixture
def settings(fake: FakeSlack, tmp_path: Path) -> Settings:
    return slack_settings(fake, tmp_path, FILERS="UZH,UEN", INCIDENT_CHANNELS="on")


def _open_incident(slack: SlackClient, fake: FakeSlack) -> None:
    slack.command("/incident", "门户网站被篡改", response_url=fake.response_url("i"))
    fake.reply_to("i")
    fake.wait_for("chat.update")  # channel created, card posted, alert linked


def _ts(services: Services, minutes_ago: int = 5) -> str:
    return f"{services.now().timestamp() - minutes_ago * 60:.6f}"


def _pin(slack: SlackClient, ts: str, text: str, *, user: str = "UZH", n: int = 1) -> None:
    message = {"type": "message", "ts": ts, "text": text, "user": "UOTHER"}
    event = {
        "type": "pin_added",
        "user": user,
        "channel_id": ROOM,
        "item": {"type": "message", "channel": ROOM, "message": message, "created_by": user},
        "event_ts": f"{time.time():.6f}",
    }
    status, _ = slack.event(event, f"EvPin{n}")
    assert status == 200


def _mark(
    slack: SlackClient,
    ts: str,
    *,
    user: str = "UZH",
    reaction: str = "pushpin",
    n: int = 1,
    channel: str = ROOM,
) -> None:
    event = {
        "type": "reaction_added",
        "user": user,
        "reaction": reaction,
        "item_user": "UOTHER",
        "item": {"type": "message", "channel": channel, "ts": ts},
        "event_ts": f"{time.time():.6f}",
    }
    status, _ = slack.event(event, f"EvReact{n}")
    assert status == 200


def _timeline(services: Services) -> list[TimelineEntry]:
    with services.store.session() as session:
        entries = repo.timeline(session, incident_id=1)
        session.expunge_all()
        return entries


def _wait_entries(services: Services, count: int) -> list[TimelineEntry]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        entries = _timeline(services)
        if len(entries) >= count:
            return entries
        time.sleep(0.05)
    raise AssertionError(f"expected {count} timeline entries, got {len(_timeline(services))}")


def test_a_pinned_message_is_recorded_with_its_time_link_and_who_pinned(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    _open_incident(slack, fake)
    ts = _ts(services)
    _pin(slack, ts, "已隔离 &lt;web-01&gt; &amp; 断网")
    (entry,) = _wait_entries(services, 1)
    assert entry.text == "已隔离 <web-01> & 断网"  # unescaped once: stored as typed
    assert entry.source == "pin" and entry.recorded_by == "UZH"
    assert entry.key == f"{ROOM}:{ts}"
    assert abs(entry.at.timestamp() - float(ts)) < 1e-3
    assert entry.permalink.startswith("https://t1.slack.com/archives/CINC1/p")
    told = fake.wait_for("chat.postEphemeral")[-1].args
    assert told["user"] == "UZH" and "时间线" in told["text"] and "&lt;web-01&gt;" in told["text"]
    with services.store.session() as session:
        audited = (
            session.execute(select(AuditEntry).where(AuditEntry.entity == "timeline_entries"))
            .scalars()
            .all()
        )
        assert len(audited) == 1 and audited[0].actor == "UZH"
    slack.command("/incident", "timeline 1", response_url=fake.response_url("t"))
    assert "已隔离 <web-01> & 断网" in fake.reply_to("t")["text"].replace("&lt;", "<").replace(
        "&gt;", ">"
    ).replace("&amp;", "&")


def test_a_pushpin_and_a_pin_of_one_message_record_it_once(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    _open_incident(slack, fake)
    ts = _ts(services)
    fake.add_message(ROOM, ts, "攻击源 IP 已封禁")
    _mark(slack, ts)
    (entry,) = _wait_entries(services, 1)
    assert entry.source == "reaction" and entry.text == "攻击源 IP 已封禁"
    ephemerals = len(fake.wait_for("chat.postEphemeral"))
    _pin(slack, ts, "攻击源 IP 已封禁", n=2)
    _mark(slack, ts, user="UEN", n=3)
    time.sleep(1.0)  # both events handled: nothing new, and nobody told twice
    assert len(_timeline(services)) == 1
    assert len(fake.of("chat.postEphemeral")) == ephemerals


def test_other_reactions_and_other_channels_record_nothing(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    _open_incident(slack, fake)
    ts = _ts(services)
    fake.add_message(ROOM, ts, "hello")
    fake.add_message("CGENERAL", ts, "hello")
    _mark(slack, ts, reaction="eyes", n=1)
    _mark(slack, ts, channel="CGENERAL", n=2)
    time.sleep(1.0)
    assert _timeline(services) == [] and fake.of("conversations.history") == []


def test_a_pin_by_someone_outside_filers_is_refused_and_audited(
    slack: SlackClient, fake: FakeSlack, services: Services
) -> None:
    _open_incident(slack, fake)
    _pin(slack, _ts(services), "无权限的置顶", user="UNOBODY")
    refusal = fake.wait_for("chat.postMessage", 3)[
        -1
    ].args  # told in a DM: pin events carry channel_id
    assert refusal["channel"] == "UNOBODY" and "FILERS" in refusal["text"]
    assert _timeline(services) == []
    with services.store.session() as session:
        actors = session.execute(select(AuditEntry.actor)).scalars().all()
    assert "UNOBODY" in actors  # the refusal is in the chain
