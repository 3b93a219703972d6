"""The one write path: add the row and append its audit entry in the same transaction.

Every entry of a record table carries the row's full state after the write, so the last entry
of a row is its audited state: `check_audited` refuses to build on a row that differs from it
(an edit made directly in the database is never copied into the chain by a later write), and
`audit verify` compares every row with it (commands.store.verify).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from commands.errors import RecordTampered
from commands.store import audit
from commands.store.models import (
    AuditEntry,
    Base,
    Correction,
    FeedbackVote,
    Incident,
    IncidentReport,
    Inspection,
    ObligationCompletion,
    StaffChange,
    TimelineEntry,
)

# Tables whose every row is a record the chain proves. Deliveries, idempotent replies and alert
# locations are bookkeeping (see keys.py); refusals are audited under the command's name.
RECORD_MODELS: tuple[type[Base], ...] = (
    Inspection,
    StaffChange,
    Incident,
    IncidentReport,
    ObligationCompletion,
    FeedbackVote,
    TimelineEntry,
    Correction,
)
# Columns added after rows may have been audited: the value such a row must have, from the
# audited state that predates the column (0002: close reasons, report filing times; 0004:
# incident systems and measures, cancellations, evidence links and files).
ADDED_COLUMNS: dict[tuple[str, str], Callable[[dict[str, Any]], Any]] = {
    ("incidents", "close_reason"): lambda _state: "",
    ("incident_reports", "recorded_at"): lambda state: state.get("reported_at"),
    ("incidents", "affected_systems"): lambda _state: "",
    ("incidents", "measures_taken"): lambda _state: "",
    ("staff_changes", "cancelled_at"): lambda _state: None,
    ("inspections", "cancelled_at"): lambda _state: None,
    ("obligation_completions", "evidence_link"): lambda _state: "",
    ("obligation_completions", "evidence_file"): lambda _state: "",
    ("obligation_completions", "evidence_sha256"): lambda _state: "",
}


def as_record(row: Base) -> dict[str, Any]:
    """A row as a plain dict (the canonical JSON the audit log hashes)."""
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


def row_key(row: Base) -> str:
    """The id an audit entry names a row by."""
    return str(getattr(row, "id", None) or getattr(row, "key", None) or "")


def write(session: Session, row: Base, *, actor: str, action: str, now: datetime) -> None:
    """Add (or re-save) a row and audit it; the flush assigns the id the entry names."""
    session.add(row)
    session.flush()
    audit_row(session, row, actor=actor, action=action, now=now)


def audit_row(session: Session, row: Base, *, actor: str, action: str, now: datetime) -> None:
    """Append the audit entry of a row already in the database (same transaction)."""
    audit.append_audit(
        session,
        actor=actor,
        action=action,
        entity=row.__tablename__,
        entity_id=row_key(row),
        record=as_record(row),
        now=now,
    )


def check_audited(session: Session, row: Base) -> None:
    """Raise RecordTampered unless the row is exactly as its last audit entry recorded it."""
    statement = (
        select(AuditEntry.record)
        .where(AuditEntry.entity == row.__tablename__, AuditEntry.entity_id == row_key(row))
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    )
    recorded = session.execute(statement).scalar_one_or_none()
    if recorded is None or differences(row, json.loads(recorded)):
        raise RecordTampered(row.__tablename__, row_key(row))


def differences(row: Base, state: dict[str, Any]) -> list[str]:
    """The columns in which a row differs from an audited state."""
    table = row.__tablename__
    changed = []
    for column in row.__table__.columns:
        if column.key in state:
            expected = state[column.key]
        elif (table, column.key) in ADDED_COLUMNS:
            expected = ADDED_COLUMNS[(table, column.key)](state)
        else:
            changed.append(column.key)
            continue
        if not _same(expected, getattr(row, column.key)):
            changed.append(column.key)
    changed += [key for key in state if key not in row.__table__.columns]
    return changed


def _same(expected: Any, actual: Any) -> bool:
    """Equal as values: times as instants (an entry may spell a zone differently), dates as days."""
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(actual, datetime):
        try:
            return datetime.fromisoformat(str(expected)) == actual
        except ValueError:
            return False
    if isinstance(actual, date):
        return str(expected) == actual.isoformat()
    return bool(expected == actual) and type(expected) is type(actual)


def audit_refusal(
    session: Session, *, actor: str, command: str, record: dict[str, Any], now: datetime
) -> None:
    """Audit a refused filing (FILERS): who tried which operation, and when."""
    audit.append_audit(
        session,
        actor=actor,
        action="refused",
        entity=command,
        entity_id="-",
        record=record,
        now=now,
    )
