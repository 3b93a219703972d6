"""Corrections without rewriting history (SQLite and PostgreSQL): /incident edit, /staff-change
amend|cancel, /inspect amend|cancel. Each needs a reason, writes a new audited entry, keeps the
original provable in the chain, shows in the record's history and the monthly report; a cancelled
record leaves lists, deadlines and reminders."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from commands.dispatch import run_command
from commands.errors import AlreadyDone, RecordTampered, UserError
from commands.execute import execute
from commands.operations import AmendStaffChange, EditIncident
from commands.reminders import ReminderConfig, due_reminders
from commands.report import render_month
from commands.store import Store
from commands.store.models import AuditEntry, Correction, Incident, IncidentReport, StaffChange
from commands.store.verify import verify_audit
from tests.commands.conftest import TZ

CONFIG = ReminderConfig(tz=TZ)


def _file(
    store: Store, command: str, line: str, now: datetime, *, user: str = "U1", lang: str = "zh"
):  # type: ignore[no-untyped-def]
    return run_command(store, command, line, user=user, lang=lang, now=now, tz=TZ)  # type: ignore[arg-type]


def _entries(store: Store) -> int:
    with store.session() as session:
        return int(session.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def _verified(store: Store) -> bool:
    with store.session() as session:
        return verify_audit(session).ok


def _audited_states(store: Store, entity: str, entity_id: int) -> list[dict[str, object]]:
    with store.session() as session:
        records = session.execute(
            select(AuditEntry.record)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.seq)
        ).scalars()
        return [json.loads(record) for record in records]


# --- /incident edit ----------------------------------------------------------------------------


def test_an_edit_rewrites_the_incident_and_keeps_the_original_provable(
    store: Store, now: datetime
) -> None:
    _file(store, "incident", "勒索病毒 发现时间=09:00", now)
    reply = _file(store, "incident", "edit 1 严重程度=高 受影响系统=门户网站 原因=影响扩大", now)
    assert reply.kind == "incident" and reply.data["severity"] == "high"
    assert reply.data["correction"]["changes"] == {
        "affected_systems": ["", "门户网站"],
        "severity": ["medium", "high"],
    }
    assert "严重程度：中 → 高" in reply.text and "原因：影响扩大" in reply.text
    states = _audited_states(store, "incidents", 1)
    assert [s["severity"] for s in states] == ["medium", "high"]  # the original stays in the chain
    with store.session() as session:
        correction = session.execute(select(Correction)).scalar_one()
    assert (correction.entity, correction.entity_id, correction.kind) == ("incidents", 1, "edit")
    assert correction.reason == "影响扩大" and correction.corrected_by == "U1"
    assert _verified(store)


def test_a_new_discovery_time_moves_the_deadline_and_judges_every_report_again(
    store: Store, now: datetime
) -> None:
    _file(store, "incident", "病毒 发现时间=07:00", now)
    _file(store, "incident", "reported 1 网信 报告时间=08:30", now)  # deadline 09:00: on time
    _file(store, "incident", "reported 1 公安 报告时间=09:30", now)  # late
    reply = _file(store, "incident", 'edit 1 发现时间=08:00 原因="日志显示 08:00 才发现"', now)
    assert reply.data["deadline"] == datetime(2026, 11, 24, 10, 0, tzinfo=TZ).isoformat()
    assert reply.data["reports"]["police"]["on_time"] is True
    assert reply.data["reports"]["cac"]["on_time"] is True
    assert reply.data["correction"]["changes"]["on_time:police"] == [False, True]
    assert "on_time:cac" not in reply.data["correction"]["changes"]
    reply = _file(store, "incident", "edit 1 发现时间=06:00 原因=更早的告警", now)
    assert reply.data["reports"]["cac"]["on_time"] is False  # 08:30 is after 06:00 + 2 h
    with store.session() as session:
        flags = dict(
            session.execute(select(IncidentReport.authority, IncidentReport.on_time)).all()
        )
    assert flags == {"cac": False, "police": False}
    month = render_month(store, month="2026-11", fmt="md", tz=TZ, now=now + timedelta(days=7))
    assert "网信 报告是否按时：按时 → 超时" in month and "更早的告警" in month
    assert _verified(store)


@pytest.mark.parametrize(
    ("line", "field", "fragment"),
    [
        ("edit 1 发现时间=09:00 原因=x", "discovered_at", "晚于向网信报告的时间"),
        ("edit 1 发现时间=2026-11-25 09:00 原因=x", "discovered_at", "在将来"),
        ("edit 1 严重程度=高", "reason", "须写明原因"),
        ("edit 1 原因=只是想改", "action", "要更正的字段"),
        ('edit 1 摘要=" " 原因=x', "summary", "摘要"),
        ("edit 2 严重程度=高 原因=x", "incident_id", "没有编号为 2"),
    ],
)
def test_a_wrong_edit_is_refused_and_writes_nothing(
    store: Store, now: datetime, line: str, field: str, fragment: str
) -> None:
    _file(store, "incident", "病毒 发现时间=08:00", now)
    _file(store, "incident", "reported 1 网信 报告时间=08:30", now)
    before = _entries(store)
    with pytest.raises(UserError) as raised:
        _file(store, "incident", line, now)
    assert raised.value.field == field and fragment in raised.value.zh, raised.value.zh
    assert _entries(store) == before


def test_an_edit_that_changes_nothing_says_who_set_the_value_and_when(
    store: Store, now: datetime
) -> None:
    _file(store, "incident", "病毒", now)
    _file(store, "incident", "edit 1 sev=high reason=spread", now + timedelta(minutes=5), user="U2")
    before = _entries(store)
    with pytest.raises(AlreadyDone) as raised:
        _file(
            store, "incident", "edit 1 sev=high reason=again", now + timedelta(minutes=9), lang="en"
        )
    assert raised.value.by == "U2" and "already has severity: high" in raised.value.en
    assert "10:05" in raised.value.en and _entries(store) == before


def test_an_edit_never_builds_on_a_row_changed_behind_the_store(
    store: Store, now: datetime
) -> None:
    _file(store, "incident", "病毒", now)
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE incidents SET summary = '演练' WHERE id = 1"))
    with pytest.raises(RecordTampered):
        _file(store, "incident", "edit 1 严重程度=高 原因=x", now)


def test_a_closed_incident_can_still_be_corrected(store: Store, now: datetime) -> None:
    _file(store, "incident", "病毒", now)
    _file(store, "incident", "close 1 原因=误报", now)
    reply = _file(store, "incident", 'edit 1 措施="断网 隔离" 原因=补记', now)
    assert reply.data["measures_taken"] == "断网 隔离" and reply.data["closed_at"] is not None


def test_an_incident_cannot_be_cancelled_only_closed(store: Store, now: datetime) -> None:
    _file(store, "incident", "病毒", now)
    before = _entries(store)
    for word in ("cancel", "作废", "撤销"):
        with pytest.raises(UserError, match="close"):
            _file(store, "incident", f"{word} 1", now, lang="en")
    assert _entries(store) == before


# --- /staff-change amend | cancel --------------------------------------------------------------


def test_amending_the_effective_date_recomputes_the_notice_from_the_filing_day(
    store: Store, now: datetime
) -> None:
    _file(store, "staff-change", "离岗 张三 运维 2026-12-10", now)  # 16 days: late
    reply = _file(
        store, "staff-change", "amend 1 生效日期=2027-01-05 原因=对方推迟", now + timedelta(days=3)
    )
    assert reply.kind == "correction"
    record = reply.data["record"]
    assert (record["effective_date"], record["notice_days"], record["late"]) == (
        "2027-01-05",
        42,  # from the filing day, 2026-11-24, not from the day of the correction
        False,
    )
    assert reply.data["changes"]["late"] == [True, False]
    with pytest.raises(UserError) as raised:
        _file(store, "staff-change", "amend 1 生效日期=2026-11-20 原因=x", now)
    assert raised.value.field == "effective_date"
    assert _verified(store)


def test_a_cancelled_change_leaves_lists_deadlines_and_reminders_but_not_the_report(
    store: Store, now: datetime
) -> None:
    _file(store, "staff-change", "离岗 张三 运维 2026-12-10", now)
    _file(store, "staff-change", "notified 1 大数据", now)
    morning = now.replace(hour=9, minute=30) + timedelta(days=1)
    with store.session() as session:
        assert any(
            r.key.startswith("staff:1") for r in due_reminders(session, now=morning, config=CONFIG)
        )
    reply = _file(store, "staff-change", "cancel 1 人员留任", now)
    assert "已作废人员变动 #1" in reply.text and "人员留任" in reply.text
    assert "已向市大数据主管部门报备过该变动" in reply.text  # tell them it is off
    assert "没有待报备" in _file(store, "staff-change", "list", now).text
    assert "staff:1" not in str(_file(store, "deadlines", "", now).data)
    with store.session() as session:
        assert not any(
            r.key.startswith("staff:") for r in due_reminders(session, now=morning, config=CONFIG)
        )
    month = render_month(store, month="2026-11", fmt="md", tz=TZ, now=now + timedelta(days=7))
    assert "离岗（已作废）" in month and "| 人员变动 #1 | 作废 | 人员留任 |" in month
    for line in ("notified 1 租户", "amend 1 姓名=李四 原因=x"):
        with pytest.raises(UserError) as refused:
            _file(store, "staff-change", line, now)
        assert "作废" in refused.value.zh
    with pytest.raises(AlreadyDone) as again:
        _file(store, "staff-change", "cancel 1 原因=再次", now, user="U9")
    assert again.value.by == "U1"
    assert _verified(store)


# --- /inspect amend | cancel ---------------------------------------------------------------------


def test_an_inspection_amended_then_cancelled_leaves_its_day_missed(
    store: Store, now: datetime
) -> None:
    _file(store, "inspect", "ok", now)
    with pytest.raises(UserError) as raised:
        _file(store, "inspect", "amend 1 结果=issue 原因=漏记问题", now)
    assert raised.value.field == "notes"  # a finding needs its text
    amended = _file(store, "inspect", "amend 1 结果=issue 备注=防火墙告警未分析 原因=漏记问题", now)
    assert amended.data["record"]["status"] == "issue"
    evening = now.replace(hour=22, minute=30)
    with store.session() as session:
        assert not any(
            r.key.startswith("inspection:")
            for r in due_reminders(session, now=evening, config=CONFIG)
        )
    cancelled = _file(store, "inspect", "cancel 1 原因=登记错了日期", now)
    assert "已无有效的巡检记录" in cancelled.text
    assert "尚未记录安全巡检" in _file(store, "inspect", "status", now).text
    with store.session() as session:
        keys = [r.key for r in due_reminders(session, now=evening, config=CONFIG)]
    assert "inspection:2026-11-24:missed" in keys
    report = render_month(store, month="2026-11", fmt="md", tz=TZ, now=now + timedelta(days=2))
    assert "| 2026-11-24 | 发现问题（已作废） | 防火墙告警未分析 |" in report
    assert "| 2026-11-24 | 未巡检 | - |" in report
    assert "巡检记录 #1（2026-11-24）" in report
    assert _verified(store)


# --- history -------------------------------------------------------------------------------------


def test_history_shows_the_record_as_filed_and_every_change_since(
    store: Store, now: datetime
) -> None:
    _file(store, "incident", "勒索病毒 发现时间=09:00", now)
    _file(store, "incident", "reported 1 网信", now + timedelta(minutes=2), user="U2")
    _file(
        store,
        "incident",
        "edit 1 摘要=勒索病毒加密数据库 严重程度=高 原因=核实",
        now + timedelta(minutes=5),
    )
    _file(store, "incident", "close 1 原因=误报", now + timedelta(minutes=9), user="U3")
    reply = _file(store, "incident", "history 1", now + timedelta(minutes=10), lang="en")
    lines = reply.text.splitlines()
    start = lines.index("History:")
    assert lines[start + 1] == (
        "• 2026-11-24 10:00 U1: filed: 勒索病毒 (severity medium, discovered 2026-11-24 09:00)"
    )
    assert (
        "U2: recorded the report to cyberspace (CAC) (made 2026-11-24 10:02, on time)"
        in lines[start + 2]
    )
    assert (
        "summary: 勒索病毒 → 勒索病毒加密数据库; severity: medium → high; reason: 核实"
        in lines[start + 3]
    )
    assert "U3: closed; reason: 误报" in lines[start + 4]
    staff = _file(store, "staff-change", "调岗 王五 安全管理员 2027-02-01", now)
    _file(store, "staff-change", f"更正 {staff.data['id']} 岗位=安全审计员 原因=岗位名称有误", now)
    shown = _file(store, "staff-change", "历史 1", now).text
    assert "登记：王五（安全管理员，调岗）" in shown and "岗位：安全管理员 → 安全审计员" in shown


# --- races ---------------------------------------------------------------------------------------


def _race(store: Store, op: object, now: datetime) -> tuple[list[str], list[AlreadyDone]]:
    """Six users run the same operation at the same instant: (winners, the others' refusals)."""
    gate = threading.Barrier(6)
    won: list[str] = []
    lost: list[AlreadyDone] = []
    failed: list[BaseException] = []

    def act(user: str) -> None:
        gate.wait()
        try:
            execute(store, op, user=user, lang="en", now=now, tz=TZ)  # type: ignore[arg-type]
            won.append(user)
        except AlreadyDone as error:
            lost.append(error)
        except BaseException as error:  # a database error would land here: the test fails
            failed.append(error)

    threads = [threading.Thread(target=act, args=(f"U{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failed, failed
    return won, lost


def test_the_same_correction_by_several_users_at_once_happens_once(
    store: Store, now: datetime
) -> None:
    _file(store, "incident", "病毒", now)
    _file(store, "staff-change", "离岗 张三 运维 2027-06-30", now)
    for op in (EditIncident(1, "扩大", severity="high"), AmendStaffChange(1, "笔误", name="李四")):
        won, lost = _race(store, op, now)
        assert len(won) == 1 and len(lost) == 5
        assert all(error.by == won[0] for error in lost)
    with store.session() as session:
        assert session.execute(select(func.count()).select_from(Correction)).scalar_one() == 2
        assert session.get_one(StaffChange, 1).name == "李四"
        assert session.get_one(Incident, 1).severity == "high"
    assert _verified(store)


# --- the chain proves corrections ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        ("UPDATE corrections SET reason = '无' WHERE id = 1", "record edited"),
        ("DELETE FROM corrections WHERE id = 1", "record deleted"),
        ("UPDATE incidents SET severity = 'medium' WHERE id = 1", "record edited"),
    ],
    ids=["reason-edited", "correction-deleted", "correction-undone"],
)
def test_a_correction_changed_behind_the_store_is_found(
    store: Store, now: datetime, tamper: str, problem: str
) -> None:
    _file(store, "incident", "病毒", now)
    _file(store, "incident", "edit 1 严重程度=高 原因=影响扩大", now)
    with store.engine.begin() as connection:
        connection.execute(text(tamper))
    with store.session() as session:
        report = verify_audit(session)
    assert (report.ok, report.problem) == (False, problem)
