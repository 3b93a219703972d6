"""FILERS on every write: every write operation, in every spelling the grammar reads, is refused
for a user outside FILERS, and the refusal is audited (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from commands.dispatch import run_command
from commands.errors import UserError
from commands.execute import HANDLERS, execute
from commands.grammars import deadlines as deadline_grammar
from commands.grammars import incident as incident_grammar
from commands.grammars import inspect as inspect_grammar
from commands.grammars import staff_change as staff_grammar
from commands.operations import (
    WRITE_OPERATIONS,
    AddTimelineEntry,
    AmendInspection,
    AmendStaffChange,
    CancelInspection,
    CancelStaffChange,
    CloseIncident,
    CompleteObligation,
    EditIncident,
    FileStaffChange,
    LogInspection,
    MarkNotified,
    OpenIncident,
    ReportIncident,
)
from commands.store import Store
from commands.store.models import (
    AuditEntry,
    Correction,
    Incident,
    IncidentReport,
    Inspection,
    ObligationCompletion,
    StaffChange,
    TimelineEntry,
)
from tests.commands.conftest import TZ

FILERS = ("UFILER",)
RECORDS = (
    Incident,
    IncidentReport,
    Inspection,
    ObligationCompletion,
    StaffChange,
    TimelineEntry,
    Correction,
)


def _styles(word: str) -> list[str]:
    """The ways a user can type a verb: as is, quoted (ASCII, full-width, single), upper case,
    full-width letters."""
    spelled = [word, f'"{word}"', f"“{word}”", f"'{word}'", f"「{word}」"]
    if word.isascii():
        spelled += [word.upper(), word.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})]
    return spelled


def _verbs(table: dict[str, str], meaning: str) -> list[str]:
    return sorted(word for word, value in table.items() if value == meaning)


def write_spellings() -> list[tuple[str, str]]:
    """(command, text) for every write operation and every spelling of its verb."""
    cases = [
        ("incident", "数据库遭勒索病毒加密"),
        ("incident", '"数据库遭勒索病毒加密" 严重程度=高'),
        ("incident", "“Ransomware on the DB” sev=high"),
    ]
    for verb in _verbs(incident_grammar.VERBS, "reported"):
        cases += [("incident", f"{v} 1 网信") for v in _styles(verb)]
    for verb in _verbs(incident_grammar.VERBS, "close"):
        cases += [("incident", f"{v} 1 原因=测试") for v in _styles(verb)]
    for verb in _verbs(incident_grammar.VERBS, "edit"):
        cases += [("incident", f"{v} 1 严重程度=高 原因=测试") for v in _styles(verb)]
    for verb in _verbs(incident_grammar.VERBS, "note"):
        cases += [("incident", f"{v} 1 已隔离主机 时间=09:40") for v in _styles(verb)]
    for verb in sorted(staff_grammar.KINDS):
        cases += [("staff-change", f"{v} 张三 安全运维 2027-06-30") for v in _styles(verb)]
    for verb in sorted(staff_grammar.NOTIFIED):
        cases += [("staff-change", f"{v} 1 大数据") for v in _styles(verb)]
    for verb in _verbs(staff_grammar.VERBS, "amend"):
        cases += [("staff-change", f"{v} 1 生效日期=2027-07-01 原因=测试") for v in _styles(verb)]
    for verb in _verbs(staff_grammar.VERBS, "cancel"):
        cases += [("staff-change", f"{v} 1 原因=测试") for v in _styles(verb)]
    for verb in sorted(inspect_grammar.RESULTS):
        cases += [("inspect", f"{v} 防火墙告警未分析") for v in _styles(verb)]
    for verb in _verbs(inspect_grammar.VERBS, "amend"):
        cases += [("inspect", f"{v} 1 结果=issue 备注=漏记 原因=测试") for v in _styles(verb)]
    for verb in _verbs(inspect_grammar.VERBS, "cancel"):
        cases += [("inspect", f"{v} 1 原因=重复") for v in _styles(verb)]
    for verb in sorted(deadline_grammar.DONE):
        cases += [("deadlines", f"{v} vuln-scan 扫描报告") for v in _styles(verb)]
        cases += [("deadlines", f"{v} pentest https://wiki.example/pt/3") for v in _styles(verb)]
    return cases


def _count(store: Store, model: type) -> int:
    with store.session() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def _refusals(store: Store) -> int:
    with store.session() as session:
        query = select(func.count()).where(AuditEntry.action == "refused")
        return int(session.execute(query).scalar_one())


def test_every_write_in_every_spelling_is_refused_and_audited(store: Store, now: datetime) -> None:
    # Something for the transitions to act on, filed by a filer.
    for command, text in (("incident", "已有事件"), ("staff-change", "离岗 李四 运维 2027-06-30")):
        run_command(store, command, text, user="UFILER", lang="zh", now=now, tz=TZ, filers=FILERS)
    records = [_count(store, model) for model in RECORDS]
    cases = write_spellings()
    assert len(cases) > 300
    for index, (command, text) in enumerate(cases):
        with pytest.raises(UserError) as refused:
            run_command(
                store, command, text, user="UOUTSIDER", lang="en", now=now, tz=TZ, filers=FILERS
            )
        assert refused.value.field == "user" and "FILERS" in refused.value.en, (command, text)
        assert _refusals(store) == index + 1, (command, text)
    assert [_count(store, model) for model in RECORDS] == records  # not one write got through
    # The filer's own writes in the same spellings still work (the refusal was about the user).
    reply = run_command(
        store,
        "deadlines",
        "“完成” vuln-scan",
        user="UFILER",
        lang="zh",
        now=now,
        tz=TZ,
        filers=FILERS,
    )
    assert reply.kind == "obligation_done"


TYPED_WRITES = [
    OpenIncident("病毒", affected_systems="门户网站", measures_taken="断网"),
    ReportIncident(1, "cac"),
    CloseIncident(1, "测试"),
    EditIncident(1, "测试", severity="high"),
    AddTimelineEntry(1, "已隔离", "pin", "https://x.slack.com/archives/C1/p1", key="C1:1.0"),
    FileStaffChange("leave", "张三", "运维", datetime(2027, 6, 30).date()),
    MarkNotified(1, "bigdata"),
    AmendStaffChange(1, "测试", name="李四"),
    CancelStaffChange(1, "测试"),
    LogInspection("ok"),
    AmendInspection(1, "测试", notes="补记"),
    CancelInspection(1, "重复"),
    CompleteObligation(
        "vuln-scan", "", "https://x.slack.com/files/U1/F1/scan.pdf", "scan.pdf", "ab" * 32
    ),
]


def test_every_write_operation_is_a_write_and_is_tried_below() -> None:
    writes = {op for op in HANDLERS if op.writes}
    assert set(WRITE_OPERATIONS) == writes
    assert {type(op) for op in TYPED_WRITES} == writes


@pytest.mark.parametrize("operation", TYPED_WRITES, ids=lambda op: type(op).__name__)
def test_typed_operations_from_forms_and_buttons_are_checked_too(
    store: Store, now: datetime, operation: object
) -> None:
    with pytest.raises(UserError, match="FILERS"):
        execute(store, operation, user="UOUTSIDER", lang="en", now=now, tz=TZ, filers=FILERS)  # type: ignore[arg-type]
    with store.session() as session:
        entry = session.execute(select(AuditEntry)).scalar_one()
    assert (entry.actor, entry.action) == ("UOUTSIDER", "refused")
    assert type(operation).__name__ in entry.record


def test_reads_stay_open_to_everyone(store: Store, now: datetime) -> None:
    for command, text in (
        ("incident", "list"),
        ("incident", "help"),
        ("staff-change", "list"),
        ("inspect", "status"),
        ("deadlines", ""),
        ("deadlines", "90"),
    ):
        run_command(
            store, command, text, user="UOUTSIDER", lang="zh", now=now, tz=TZ, filers=FILERS
        )
    assert _refusals(store) == 0
