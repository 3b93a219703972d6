"""Property over every command, through the store: any input gives either a reply and zero writes,
or exactly the record its operation describes, with the fields that were typed (hypothesis)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from commands.dispatch import run_command
from commands.errors import UserError
from commands.grammar import Context
from commands.grammars import COMMANDS, parse
from commands.grammars import deadlines as deadline_grammar
from commands.grammars import incident as incident_grammar
from commands.grammars import inspect as inspect_grammar
from commands.grammars import staff_change as staff_grammar
from commands.grammars.corrections import REASON_KEYS
from commands.operations import (
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
    Operation,
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
from commands.store.verify import verify_audit
from commands.text import is_blank
from tests.commands.conftest import TZ

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
TABLES = (
    Incident,
    IncidentReport,
    Inspection,
    ObligationCompletion,
    StaffChange,
    TimelineEntry,
    Correction,
    AuditEntry,
)
# A correction rewrites its record and adds a Correction row: two audit entries, or more when a
# new discovery time re-judges reports. Every other write adds exactly one.
CORRECTIONS = (EditIncident, AmendStaffChange, CancelStaffChange, AmendInspection, CancelInspection)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("props") / "store.sqlite3"
    opened = Store.open(f"sqlite:///{path}")
    for command, text in (
        ("incident", "已有事件 发现时间=09:00"),
        ("staff-change", "离岗 张三 运维 2027-06-30"),
        ("inspect", "ok"),
    ):
        run_command(opened, command, text, user="U0", lang="zh", now=NOW, tz=TZ)
    yield opened
    opened.dispose()


_words = st.sampled_from(
    sorted(
        {
            *incident_grammar.VERBS,
            *staff_grammar.VERBS,
            *staff_grammar.AMEND_KEYS,
            *inspect_grammar.AMEND_KEYS,
            *inspect_grammar.VERBS,
            *deadline_grammar.DONE,
            *incident_grammar.AUTHORITY_WORDS,
            *staff_grammar.PARTIES,
            *deadline_grammar.OBLIGATION_WORDS,
            *incident_grammar.SEVERITIES,
            "1",
            "2",
            "#1",
            "１",
            "²",
            "99999999999",
            "0",
            "-3",
            "list",
            "help",
            "2026-11-24",
            "2026/11/24",
            "2026年11月24日",
            "09:30",
            "09:30:15",
            "+08:00",
            "2027-06-30",
            "病毒",
            "数据库",
            "Ransomware",
            "can't",
            "=",
            "：",
            "https://wiki.intra.gov/scan/1",
            "ftp://x",
            "sha256=" + "ab" * 32,
        }
    )
)
_keys = st.sampled_from(
    sorted(
        {
            *incident_grammar.OPEN_KEYS,
            *incident_grammar.EDIT_KEYS,
            *incident_grammar.REPORT_KEYS,
            *incident_grammar.CLOSE_KEYS,
            *REASON_KEYS,
            *staff_grammar.AMEND_KEYS,
            *inspect_grammar.AMEND_KEYS,
            "端口",
        }
    )
).flatmap(lambda key: st.sampled_from(["=", "：", " = ", ":"]).map(lambda sign: key + sign))
_free = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=6
)
_piece = st.one_of(_words, _words, _keys.flatmap(lambda k: _words.map(lambda w: k + w)), _free)
_quoted = st.tuples(_piece, st.sampled_from(["{}", '"{}"', "“{}”", "'{}'"])).map(
    lambda p: p[1].format(p[0])
)
_line = st.lists(_quoted, min_size=0, max_size=6).map(" ".join)
# Half the lines start the way a filing of each kind does, so every write is exercised.
_STARTS = [
    ("incident", ""),
    ("incident", "reported 1"),
    ("incident", "已上报 #1"),
    ("incident", "close 1"),
    ("staff-change", "notified 1"),
    ("staff-change", "离岗"),
    ("staff-change", "join"),
    ("inspect", "ok"),
    ("inspect", "issue"),
    ("deadlines", "done"),
    ("deadlines", "完成"),
    ("incident", "reported 1 网信"),
    ("incident", "reported 1"),
    ("staff-change", "notified 1 大数据"),
    ("staff-change", "leave 张三 运维"),
    ("staff-change", "leave 张三 运维 2027-06-30"),
    ("deadlines", "done vuln-scan"),
    ("deadlines", "done pentest"),
    ("incident", "edit 1"),
    ("incident", "更正 1 严重程度=高"),
    ("incident", "note 1"),
    ("incident", "timeline 1"),
    ("incident", "draft 1"),
    ("staff-change", "amend 1"),
    ("staff-change", "cancel 1"),
    ("inspect", "amend 1"),
    ("inspect", "cancel 1"),
    ("deadlines", "done risk-assessment https://wiki.intra.gov/ra"),
]
_filing = st.one_of(
    st.tuples(st.sampled_from(COMMANDS), _line.filter(bool)),
    st.tuples(st.sampled_from(_STARTS), _line).map(
        lambda p: (p[0][0], f"{p[0][1]} {p[1]}".strip())
    ),
)


def _counts(store: Store) -> list[int]:
    with store.session() as session:
        return [
            int(session.execute(select(func.count()).select_from(t)).scalar_one()) for t in TABLES
        ]


def _typed(text: str) -> str:
    """Free text as stored: exactly as typed, except that nothing but blanks is nothing."""
    return "" if is_blank(text) else text


def _check_record(store: Store, op: Operation) -> None:
    """The rows the operation wrote say exactly what the operation (what was typed) says."""
    with store.session() as session:
        if isinstance(op, OpenIncident):
            row = session.execute(
                select(Incident).order_by(Incident.id.desc()).limit(1)
            ).scalar_one()
            assert (row.summary, row.severity) == (op.summary, op.severity)
            assert row.discovered_at == (op.discovered_at or NOW)
        elif isinstance(op, ReportIncident):
            report = session.execute(
                select(IncidentReport).order_by(IncidentReport.id.desc()).limit(1)
            ).scalar_one()
            assert (report.incident_id, report.authority) == (op.incident_id, op.authority)
            assert report.reported_at == (op.reported_at or NOW)
        elif isinstance(op, CloseIncident):
            incident = session.get_one(Incident, op.incident_id)
            assert incident.closed_at == NOW and incident.close_reason == op.reason
        elif isinstance(op, FileStaffChange):
            row = session.execute(
                select(StaffChange).order_by(StaffChange.id.desc()).limit(1)
            ).scalar_one()
            assert (row.kind, row.name, row.role, row.effective_date) == (
                op.kind,
                op.name,
                op.role,
                op.effective_date,
            )
        elif isinstance(op, MarkNotified):
            change = session.get_one(StaffChange, op.change_id)
            assert getattr(change, f"notified_{op.party}_at") == NOW
        elif isinstance(op, LogInspection):
            row = session.execute(
                select(Inspection).order_by(Inspection.id.desc()).limit(1)
            ).scalar_one()
            assert (row.status, row.notes) == (op.status, _typed(op.notes))
        elif isinstance(op, CompleteObligation):
            row = session.execute(
                select(ObligationCompletion).order_by(ObligationCompletion.id.desc()).limit(1)
            ).scalar_one()
            assert (row.obligation_id, row.evidence) == (op.obligation_id, _typed(op.evidence))
            assert (row.evidence_link, row.evidence_sha256) == (op.link, op.file_sha256.lower())
        elif isinstance(op, AddTimelineEntry):
            entry = session.execute(
                select(TimelineEntry).order_by(TimelineEntry.id.desc()).limit(1)
            ).scalar_one()
            assert (entry.incident_id, entry.text) == (op.incident_id, op.text)
            assert entry.at == (op.at or NOW)
        else:
            _check_correction(session, op)


def _check_correction(session: Any, op: Operation) -> None:
    """The corrected record holds every value the correction typed; its Correction says why."""
    model, number = {
        EditIncident: (Incident, "incident_id"),
        AmendStaffChange: (StaffChange, "change_id"),
        CancelStaffChange: (StaffChange, "change_id"),
        AmendInspection: (Inspection, "inspection_id"),
        CancelInspection: (Inspection, "inspection_id"),
    }[type(op)]  # type: ignore[index]
    row = session.get_one(model, getattr(op, number))
    for field in dataclasses.fields(op):
        value = getattr(op, field.name)
        if field.name not in (number, "reason") and value is not None:
            expected = _typed(value) if field.name == "notes" else value
            assert getattr(row, field.name) == expected, (op, field.name)
    if isinstance(op, CancelStaffChange | CancelInspection):
        assert row.cancelled_at == NOW
    correction = session.execute(
        select(Correction).order_by(Correction.id.desc()).limit(1)
    ).scalar_one()
    assert (correction.entity_id, correction.reason) == (getattr(op, number), op.reason)  # type: ignore[attr-defined]


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(filing=_filing)
def test_any_filing_is_a_reply_and_no_write_or_exactly_the_typed_record(
    store: Store, filing: tuple[str, str]
) -> None:
    command, text = filing
    now = NOW
    context = Context(user="U1", lang="zh", now=now, tz=TZ)
    try:
        op: Operation | None = parse(command, text, context)
    except UserError:
        op = None
    before = _counts(store)
    try:
        run_command(store, command, text, user="U1", lang="zh", now=now, tz=TZ)
        replied = True
    except UserError:
        replied = False
    after = _counts(store)
    if op is None or not replied or not op.writes:
        assert after == before, (command, text, op)
        return
    if isinstance(op, CORRECTIONS):
        assert after[-1] >= before[-1] + 2, (command, text, op)
    else:
        assert after[-1] == before[-1] + 1, (command, text, op)  # exactly one audit entry
    _check_record(store, op)
    with store.session() as session:
        assert verify_audit(session).ok
