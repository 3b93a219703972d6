"""The one write path: add the row and append its audit entry in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from commands.store import audit
from commands.store.models import Base


def as_record(row: Base) -> dict[str, Any]:
    """A row as a plain dict (the canonical JSON the audit log hashes)."""
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


def write(session: Session, row: Base, *, actor: str, action: str, now: datetime) -> None:
    """Add (or re-save) a row and audit it; the flush assigns the id the entry names."""
    session.add(row)
    session.flush()
    audit_row(session, row, actor=actor, action=action, now=now)


def audit_row(session: Session, row: Base, *, actor: str, action: str, now: datetime) -> None:
    """Append the audit entry of a row already in the database (same transaction)."""
    key = getattr(row, "id", None) or getattr(row, "key", None) or getattr(row, "incident_id", "")
    audit.append_audit(
        session,
        actor=actor,
        action=action,
        entity=row.__tablename__,
        entity_id=key,
        record=as_record(row),
        now=now,
    )


def audit_refusal(session: Session, *, actor: str, command: str, text: str, now: datetime) -> None:
    """Audit a refused filing (FILERS): who tried what, and when."""
    audit.append_audit(
        session,
        actor=actor,
        action="refused",
        entity=command,
        entity_id="-",
        record={"text": text},
        now=now,
    )
