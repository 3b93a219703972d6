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
    # populate_existing: read the locked row as committed now, never a copy the session holds.
    head = session.execute(
        select(AuditHead)
        .where(AuditHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
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
    entry.hash = _recompute(entry)  # the very function verify_audit checks it with
    session.add(entry)
    head.seq, head.hash = entry.seq, entry.hash
    session.flush()
    return entry


@dataclass(frozen=True)
class AuditReport:
    """The result of verifying the chain: ok, or the first bad entry and what happened to it."""

    ok: bool
    entries: int  # entries checked (all of them when ok)
    problem: str = ""  # "edited" | "deleted" | "reordered" | "inserted"
    seq: int | None = None
    detail: str = ""


def verify_audit(session: Session) -> AuditReport:
    """Walk the chain from the start; report the first entry edited, deleted, reordered or inserted."""
    rows = session.execute(
        select(AuditEntry.__table__).order_by(AuditEntry.seq).execution_options(yield_per=1000)
    )
    hashes = [GENESIS, GENESIS]  # the last two verified hashes: an inserted entry shows as a skip
    count = 0
    for count, entry in enumerate(rows, start=1):
        if entry.seq != count:
            return AuditReport(
                False, count, "deleted", count, f"entries {count}..{entry.seq - 1} are missing"
            )
        if _recompute(entry) != entry.hash:
            return AuditReport(
                False, count, "edited", entry.seq, "its content no longer matches its hash"
            )
        if entry.prev_hash != hashes[-1]:
            return _broken_link(session, entry, hashes[-2], count)
        hashes = [hashes[-1], entry.hash]
    return _check_head(session, count, hashes[-1])


def _recompute(entry: Any) -> str:
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


def _broken_link(session: Session, entry: Any, before_previous: str, count: int) -> AuditReport:
    """An intact entry that does not follow the one before it: say why, as far as the data tells."""
    seq = entry.seq
    if count > 1 and entry.prev_hash == before_previous:
        return AuditReport(
            False, count, "inserted", seq - 1, "it was not in the chain: the next entry skips it"
        )
    elsewhere = session.execute(
        select(AuditEntry.seq).where(AuditEntry.hash == entry.prev_hash)
    ).scalar_one_or_none()
    if elsewhere is not None:
        return AuditReport(
            False, count, "reordered", seq, f"it follows entry {elsewhere}, not entry {seq - 1}"
        )
    return AuditReport(
        False,
        count,
        "deleted",
        seq,
        f"the entry it followed is gone (deleted and the rest renumbered, or entry {seq - 1} rewritten)",
    )


def _check_head(session: Session, count: int, last_hash: str) -> AuditReport:
    """The head row remembers the last append: a deleted, rewritten or forged tail shows here."""
    head = session.get(AuditHead, 1)
    if head is None or (head.seq, head.hash) == (count, last_hash):
        return AuditReport(True, count)
    if head.seq > count:
        return AuditReport(
            False,
            count,
            "deleted",
            count + 1,
            f"the chain ends at {count}, the head says {head.seq}",
        )
    if head.seq == count:
        return AuditReport(
            False, count, "edited", count, "it was rewritten with a new hash after it was appended"
        )
    return AuditReport(
        False,
        count,
        "inserted",
        head.seq + 1,
        f"entries after {head.seq} were not appended through the store",
    )


def _iso(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {value!r}")
