"""The append-only audit trail: every write adds an entry in the same transaction, SHA-256 chained.

(Verification, of the chain and of the records it proves, is commands.store.verify.)

Each entry's hash covers the previous entry's hash and the entry's own content (not its sequence
number), so editing an entry breaks its hash, deleting one leaves a gap, and swapping two breaks
the chain at the first of them. The head row records the last entry: a deleted tail shows there.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from commands.store.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def canonical_json(record: dict[str, Any]) -> str:
    """One spelling per record: sorted keys, no spaces, UTF-8 kept, datetimes as ISO 8601."""
    return json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_iso
    )


def entry_hash(
    *,
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    record: str,
) -> str:
    content = canonical_json(
        {
            "prev": prev_hash,
            "at": at.astimezone(UTC).isoformat(),
            "actor": actor,
            "action": action,
            "entity": entity,
            "id": entity_id,
            "record": record,
        }
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def lock_chain(session: Session) -> AuditHead:
    """Lock the chain head until commit: every write takes it first, so writes run one at a time.

    A transition checked after this lock (still open? not yet reported?) cannot be raced by
    another replica: on PostgreSQL the row lock queues the others, on SQLite BEGIN IMMEDIATE
    already has. populate_existing: read the locked row as committed now, never a stale copy.
    The lock lasts as long as the transaction, so a session takes it once (session.info).
    """
    head = session.info.get("audit_head")
    if head is None or head not in session:
        head = session.execute(
            select(AuditHead)
            .where(AuditHead.id == 1)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one()
        session.info["audit_head"] = head
    return head


def current_head(session: Session) -> tuple[int, str]:
    """(seq, hash) of the chain's last entry, as the head row records it."""
    head = session.get(AuditHead, 1)
    return (head.seq, head.hash) if head else (0, GENESIS)


def last_actor(session: Session, *, entity: str, entity_id: object, action: str) -> str | None:
    """Who made the last audited change of this kind to a row (the row itself may not say)."""
    query = (
        select(AuditEntry.actor)
        .where(
            AuditEntry.entity == entity,
            AuditEntry.entity_id == str(entity_id),
            AuditEntry.action == action,
        )
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()


def append_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    record: dict[str, Any],
    now: datetime,
) -> AuditEntry:
    """Append one entry after the current head; the head row lock serializes concurrent writers."""
    head = lock_chain(session)  # created by the first migration; held until commit
    entry = AuditEntry(
        seq=head.seq + 1,
        at=now,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        record=canonical_json(record),
        prev_hash=head.hash,
    )
    entry.hash = recompute(entry)  # the very function verify_audit checks it with
    session.add(entry)
    head.seq, head.hash = entry.seq, entry.hash
    session.flush()
    return entry


def recompute(entry: Any) -> str:
    """The hash an entry (model or row) must carry, from its previous hash and its content."""
    return entry_hash(
        prev_hash=entry.prev_hash,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        record=entry.record,
    )


def _iso(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {value!r}")
