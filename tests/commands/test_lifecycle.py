"""The incident lifecycle of Art. 30: reports judged by when they were made, closing needs every
report or a reason, and a write never builds on a record edited behind the store's back."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from commands.dispatch import run_command
from commands.errors import RecordTampered, UserError
from commands.obligations import BY_ID
from commands.report import render_month
from commands.store import Store
from commands.store.models import AuditEntry, IncidentReport
from tests.commands.conftest import TZ

WINDOW = BY_ID["incident-report"].window
assert WINDOW is not None


def _file(store: Store, text_: str, now: datetime, lang: str = "zh", command: str = "incident"):  # type: ignore[no-untyped-def]
    return run_command(store, command, text_, user="U1", lang=lang, now=now, tz=TZ)


def _entries(store: Store) -> int:
    with store.session() as session:
        return int(session.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def test_a_report_logged_afterwards_is_judged_by_when_it_was_made(
    store: Store, now: datetime
) -> None:
    _file(store, "勒索病毒 发现时间=2026-11-24 08:00", now - timedelta(hours=1))
    later = now + timedelta(hours=5)  # filed long after the deadline
    reply = _file(store, "reported 1 网信 报告时间=2026-11-24 09:40", later)
    assert reply.data["reports"]["cac"]["on_time"] is True
    late = _file(store, "reported 1 公安 at=2026-11-24 10:30", later)
    assert late.data["reports"]["police"]["on_time"] is False  # 08:00 + 2 h = 10:00
    with store.session() as session:
        report = session.execute(
            select(IncidentReport).where(IncidentReport.authority == "cac")
        ).scalar_one()
    assert report.reported_at == datetime(2026, 11, 24, 9, 40, tzinfo=TZ)
    assert report.recorded_at == later  # when it was filed stays on record too


@pytest.mark.parametrize(
    ("when", "fragment"),
    [("2026-11-24 07:59", "before the incident was discovered"), ("2026-11-24 10:01", "future")],
)
def test_a_report_time_before_discovery_or_in_the_future_is_refused(
    store: Store, now: datetime, when: str, fragment: str
) -> None:
    _file(store, "病毒 发现时间=08:00", now)
    before = _entries(store)
    with pytest.raises(UserError, match=fragment) as raised:
        _file(store, f"reported 1 cac at={when}", now, lang="en")
    assert raised.value.field == "reported_at" and _entries(store) == before


def test_closing_needs_every_report_or_a_reason_which_the_report_shows(
    store: Store, now: datetime
) -> None:
    _file(store, "病毒 发现时间=09:00", now)
    with pytest.raises(UserError) as raised:
        _file(store, "close 1", now)
    assert raised.value.field == "reason" and "网信、公安、大数据" in raised.value.zh
    closed = _file(store, "close 1 原因=误报，经核实非安全事件", now)
    assert "误报" in closed.text
    assert "没有未关闭" in _file(store, "list", now).text
    # A report made before closing can still be recorded afterwards: nothing is lost.
    _file(store, "reported 1 网信 at=2026-11-24 09:30", now + timedelta(minutes=5))
    month = render_month(store, month="2026-11", fmt="md", tz=TZ, now=now + timedelta(days=10))
    assert "原因：误报，经核实非安全事件" in month and "网信: 11-24 09:30 按时" in month


def test_closing_after_every_report_needs_no_reason(store: Store, now: datetime) -> None:
    _file(store, "病毒 发现时间=09:00", now)
    for authority in ("网信", "公安", "大数据"):
        _file(store, f"reported 1 {authority}", now)
    assert "已于" in _file(store, "close 1", now).text


@pytest.mark.parametrize(
    ("tamper", "then"),
    [
        ("UPDATE incidents SET deadline = '2030-01-01 00:00:00' WHERE id = 1", "reported 1 网信"),
        ("UPDATE incidents SET summary = '无事' WHERE id = 1", "close 1 原因=测试"),
        ("UPDATE staff_changes SET late = false WHERE id = 1", "notified 1 大数据"),
    ],
    ids=["deadline-then-report", "summary-then-close", "late-flag-then-notified"],
)
def test_a_write_refuses_to_build_on_a_directly_edited_row(
    store: Store, now: datetime, tamper: str, then: str
) -> None:
    _file(store, "病毒 发现时间=09:00", now)
    _file(store, "离岗 张三 运维 2026-12-01", now, command="staff-change")
    with store.engine.begin() as connection:
        connection.execute(text(tamper))
    before = _entries(store)
    command = "staff-change" if "notified" in then else "incident"
    with pytest.raises(RecordTampered, match="audit verify"):
        _file(store, then, now, command=command)
    assert _entries(store) == before  # the edit was not laundered into the chain


def test_the_rule_table_sets_the_deadline(store: Store, now: datetime) -> None:
    reply = _file(store, "病毒 发现时间=09:00", now, lang="en")
    assert reply.data["deadline"] == (datetime(2026, 11, 24, 9, 0, tzinfo=TZ) + WINDOW).isoformat()
    assert "within 2 hours" in reply.text
