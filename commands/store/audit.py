"""The append-only audit trail: every write adds an entry in the same transaction, SHA-256 chained.

Each entry's hash covers the previous entry's hash and the entry's own content (not its sequence
number), so editing an entry breaks its hash, deleting one leaves a gap, and swapping two breaks
the chain at the first of them. The head row records the last entry: a deleted tail shows there.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
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
    # The head row (created by the first migration) stays locked until commit: appends queue up.
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one()
    body = canonical_json(record)
    digest = entry_hash(
        prev_hash=head.hash,
        at=now,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        record=body,
    )
    entry = AuditEntry(
        seq=head.seq + 1,
        at=now,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        record=body,
        prev_hash=head.hash,
        hash=digest,
    )
    session.add(entry)
    head.seq, head.hash = entry.seq, digest
    session.flush()
    return entry


@dataclass(frozen=True)
class AuditReport:
    """The result of verifying the chain: ok, or the first bad entry and what happened to it."""

    ok: bool
    entries: int
    problem: str = ""  # "edited" | "deleted" | "reordered"
    seq: int | None = None
    detail: str = ""


def verify_audit(session: Session) -> AuditReport:
    """Walk the chain from the start; report the first entry edited, deleted or reordered."""
    entries = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
    prev_hash, prev_seq = GENESIS, 0
    for entry in entries:
        if entry.seq != prev_seq + 1:
            return AuditReport(
                False,
                len(entries),
                "deleted",
                prev_seq + 1,
                f"entries {prev_seq + 1}..{entry.seq - 1} are missing",
            )
        recomputed = entry_hash(
            prev_hash=entry.prev_hash,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            entity=entry.entity,
            entity_id=entry.entity_id,
            record=entry.record,
        )
        if recomputed != entry.hash:
            return AuditReport(
                False, len(entries), "edited", entry.seq, "its content no longer matches its hash"
            )
        if entry.prev_hash != prev_hash:
            return AuditReport(
                False,
                len(entries),
                "reordered",
                entry.seq,
                "it does not follow the entry before it",
            )
        prev_hash, prev_seq = entry.hash, entry.seq
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq, head.hash) != (prev_seq, prev_hash):
        return AuditReport(
            False,
            len(entries),
            "deleted",
            prev_seq + 1,
            f"the chain ends at {prev_seq}, the head says {head.seq}",
        )
    return AuditReport(True, len(entries))


def _iso(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {value!r}")
