"""An incident's timeline (SQLite and PostgreSQL): typed by hand, or from a Slack message pinned
or marked 📌 (AddTimelineEntry, the operation the Slack side calls), once per message, audited,
shown by /incident timeline and in the monthly report."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from commands.dispatch import run_command
from commands.errors import AlreadyDone, UserError
from commands.execute import execute
from commands.operations import AddTimelineEntry, OpenIncident, SourceMessage
from commands.replies import Reply
from commands.report import render_month
from commands.store import Store
from commands.store.models import AuditEntry, Incident, TimelineEntry
from commands.store.verify import verify_audit
from tests.commands.conftest import TZ

PERMALINK = "https://gov-cloud.slack.com/archives/C0INC1/p1732413600000200"
KEY = "C0INC1:1732413600.000200"


def _file(store: Store, line: str, now: datetime, *, lang: str = "zh"):  # type: ignore[no-untyped-def]
    return run_command(store, "incident", line, user="U1", lang=lang, now=now, tz=TZ)  # type: ignore[arg-type]


def _pin(store: Store, now: datetime, *, user: str = "UPINNER", **fields: object) -> Reply:
    values: dict[str, object] = {
        "incident_id": 1,
        "text": "防火墙已阻断 203.0.113.7",
        "source": "pin",
        "permalink": PERMALINK,
        "at": now - timedelta(minutes=3),
        "key": KEY,
    } | fields
    return execute(store, AddTimelineEntry(**values), user=user, lang="zh", now=now, tz=TZ)  # type: ignore[arg-type]


def _count(store: Store, model: type = TimelineEntry) -> int:
    with store.session() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_pinned_message_is_recorded_once_with_who_when_text_source_and_link(
    store: Store, now: datetime
) -> None:
    _file(store, "病毒 发现时间=09:30", now)
    reply = _pin(store, now)
    assert reply.kind == "timeline_entry"
    assert reply.data["text"] == "防火墙已阻断 203.0.113.7" and reply.data["source"] == "pin"
    assert reply.data["permalink"] == PERMALINK and reply.data["recorded_by"] == "UPINNER"
    entries = _count(store, AuditEntry)
    for source in ("pin", "reaction"):  # pinned again, then marked 📌: the same message
        with pytest.raises(AlreadyDone) as again:
            _pin(store, now + timedelta(minutes=1), source=source, user="U2")
        assert again.value.by == "UPINNER" and again.value.field == "key"
    assert _count(store) == 1 and _count(store, AuditEntry) == entries
    _pin(store, now, key="C0INC1:1732413700.000300", source="reaction", text="已通知网信办")
    assert _count(store) == 2
    with store.session() as session:
        assert verify_audit(session).ok


def test_a_message_pinned_on_several_replicas_at_once_is_recorded_once(
    store: Store, now: datetime
) -> None:
    _file(store, "病毒", now)
    gate, outcomes = threading.Barrier(6), []

    def pin(user: str) -> None:
        gate.wait()
        try:
            _pin(store, now, user=user)
            outcomes.append("recorded")
        except AlreadyDone:
            outcomes.append("already")
        except BaseException as error:  # a database error would land here: the test fails
            outcomes.append(repr(error))

    threads = [threading.Thread(target=pin, args=(f"U{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["already"] * 5 + ["recorded"]
    assert _count(store) == 1


def test_a_note_typed_by_hand_and_the_timeline_in_order(store: Store, now: datetime) -> None:
    _file(store, "勒索病毒 发现时间=09:00", now)
    _file(store, "note 1 重置全部口令", now)
    _file(store, "备注 1 隔离受感染主机 时间=09:20", now)
    _pin(store, now, at=now - timedelta(minutes=25))  # 09:35
    shown = _file(store, "timeline 1", now, lang="en")
    lines = shown.text.splitlines()
    assert lines[0] == "Timeline of incident #1: 勒索病毒"
    assert lines[1] == "• 2026-11-24 09:20 [typed] U1: 隔离受感染主机"
    assert lines[2] == f"• 2026-11-24 09:35 [pinned] UPINNER: 防火墙已阻断 203.0.113.7 {PERMALINK}"
    assert lines[3] == "• 2026-11-24 10:00 [typed] U1: 重置全部口令"
    assert [e["text"] for e in shown.data["entries"]] == [
        "隔离受感染主机",
        "防火墙已阻断 203.0.113.7",
        "重置全部口令",
    ]
    month = render_month(store, month="2026-11", fmt="md", tz=TZ, now=now + timedelta(days=7))
    assert (
        "| #1 | 2026-11-24 09:35 | 防火墙已阻断 203.0.113.7; "
        + PERMALINK
        + " | UPINNER（置顶消息） |"
        in month
    )
    history = _file(store, "history 1", now).text
    assert "时间线 3 条" in history


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "  \u200b "}, "text"),
        ({"text": "x" * 4001}, "text"),
        ({"source": "email"}, "source"),
        ({"permalink": "javascript:alert(1)"}, "permalink"),
        ({"permalink": "https://user:secret@gov-cloud.slack.com/x"}, "permalink"),
        ({"at": datetime(2026, 11, 24, 10, 6, tzinfo=TZ)}, "at"),  # Slack's clock 6 min ahead
        ({"at": datetime(1999, 12, 31, 10, 0, tzinfo=TZ)}, "at"),
        ({"key": " "}, "key"),
        ({"incident_id": 9}, "incident_id"),
    ],
)
def test_a_wrong_entry_is_refused_and_writes_nothing(
    store: Store, now: datetime, fields: dict[str, object], field: str
) -> None:
    _file(store, "病毒", now)
    entries = _count(store, AuditEntry)
    with pytest.raises(UserError) as raised:
        _pin(store, now, **fields)
    assert raised.value.field == field
    assert _count(store, AuditEntry) == entries


def test_a_message_time_a_little_ahead_of_our_clock_is_taken(store: Store, now: datetime) -> None:
    _file(store, "病毒", now)
    reply = _pin(store, now, at=now + timedelta(minutes=4))
    assert datetime.fromisoformat(reply.data["at"]) == now + timedelta(minutes=4)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("note 1", "text"),
        ("note 1 09:40 已隔离", "at"),  # a time in the text: its time, or part of it?
        ("note 1 已隔离 时间=2026-11-25 09:00", "at"),  # in the future
        ("note 已隔离", "incident_id"),
        ("timeline 1 2", "incident_id"),
    ],
)
def test_a_wrong_note_is_refused(store: Store, now: datetime, line: str, field: str) -> None:
    _file(store, "病毒", now)
    with pytest.raises(UserError) as raised:
        _file(store, line, now)
    assert raised.value.field == field
    assert _count(store) == 0


def test_a_timeline_entry_changed_behind_the_store_is_found(store: Store, now: datetime) -> None:
    _file(store, "病毒", now)
    _pin(store, now)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE timeline_entries SET text = '一切正常' WHERE id = 1"))
    with store.session() as session:
        report = verify_audit(session)
    assert (report.ok, report.problem) == (False, "record edited")
    assert "timeline_entries #1" in report.detail


# An incident filed from a Slack message: the message opens its timeline, in the same transaction.


def _from_message(store: Store, now: datetime, **source: object) -> Reply:
    fields: dict[str, object] = {
        "permalink": PERMALINK,
        "key": KEY,
        "at": now - timedelta(minutes=20),
    } | source
    operation = OpenIncident(
        "OA 服务器外联异常",
        "high",
        now - timedelta(minutes=20),
        source=SourceMessage(**fields),  # type: ignore[arg-type]
    )
    return execute(store, operation, user="U1", lang="zh", now=now, tz=TZ)


def test_an_incident_filed_from_a_message_keeps_it_as_the_first_timeline_entry(
    store: Store, now: datetime
) -> None:
    _from_message(store, now)
    timeline = _file(store, "timeline 1", now)
    assert "[登记来源消息] U1：OA 服务器外联异常" in timeline.text and PERMALINK in timeline.text
    with store.session() as session:
        assert verify_audit(session).ok
    # Pinned later in the incident's channel, the same message is not recorded twice.
    with pytest.raises(AlreadyDone):
        _pin(store, now + timedelta(minutes=1))


def test_a_message_already_filed_or_pinned_is_refused_and_nothing_is_written(
    store: Store, now: datetime
) -> None:
    _from_message(store, now)
    audit = _count(store, AuditEntry)
    with pytest.raises(AlreadyDone) as again:
        _from_message(store, now + timedelta(minutes=5))
    assert again.value.field == "key" and "事件 #1" in again.value.zh
    with pytest.raises(UserError) as bad:
        _from_message(store, now, permalink="javascript:alert(1)", key="C1:1.2")
    assert bad.value.field == "permalink"
    with pytest.raises(UserError) as future:
        _from_message(store, now, key="C1:3.4", at=now + timedelta(hours=1))
    assert future.value.field == "at"
    assert _count(store, Incident) == 1 and _count(store, AuditEntry) == audit
    # A refusal spends no incident number (PostgreSQL's sequence included).
    assert _file(store, "另一事件", now).data["id"] == 2


def test_a_blank_summary_filed_from_a_message_is_refused_as_a_summary(
    store: Store, now: datetime
) -> None:
    operation = OpenIncident("  ", source=SourceMessage(PERMALINK, KEY, now))
    with pytest.raises(UserError) as blank:
        execute(store, operation, user="U1", lang="zh", now=now, tz=TZ)
    assert blank.value.field == "summary" and _count(store, TimelineEntry) == 0
