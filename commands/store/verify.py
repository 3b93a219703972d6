"""`audit verify`: the chain is intact, every record row is as last audited, and the anchor is there.

What this proves, and what it cannot, is written out in the README ("What audit verify proves").
In short: the chain walk catches an entry edited, deleted, reordered or inserted; the head row a
cut or forged tail; the record comparison a record row edited, deleted or inserted directly in
the database; the anchor (a head printed by `audit head` and posted daily, kept outside the
database) a chain cut back, restored from an older copy, or re-hashed from scratch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from commands.store.audit import GENESIS, current_head, recompute
from commands.store.models import AuditEntry
from commands.store.records import RECORD_MODELS, differences, row_key

Anchor = tuple[int | None, str]  # (seq or None, hash): a head seen before, kept outside the store


@dataclass(frozen=True)
class AuditReport:
    """The result of verifying: ok, or the first problem found and where."""

    ok: bool
    entries: int  # entries checked (all of them when ok)
    problem: str = (
        ""  # edited | deleted | reordered | inserted | record edited | … | anchor missing
    )
    seq: int | None = None
    detail: str = ""
    records: int = 0  # record rows compared with their audited state


def verify_audit(session: Session, *, anchor: Anchor | None = None) -> AuditReport:
    """Walk the chain, compare every record with it, and look for the anchor; first problem wins."""
    states: dict[tuple[str, str], tuple[int, str]] = {}
    chain = _walk_chain(session, states)
    if not chain.ok:
        return chain
    records = _compare_records(session, states, chain.entries)
    if not records.ok:
        return records
    if anchor is not None and not _has_anchor(session, anchor):
        seq, digest = anchor
        where = (
            f"entry {seq} with hash {digest}" if seq is not None else f"an entry with hash {digest}"
        )
        return AuditReport(
            False,
            chain.entries,
            "anchor missing",
            seq,
            f"the chain has no {where}: it was cut back, restored from an older copy, or rebuilt",
            records.records,
        )
    return records


def parse_anchor(text: str) -> Anchor:
    """ "SEQ:HASH" or "HASH" (64 hex digits), as `audit head` prints it; ValueError otherwise."""
    seq_text, _, digest = text.strip().rpartition(":")
    digest = digest.lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError("the head hash must be 64 hexadecimal digits")
    if seq_text and not (seq_text.isascii() and seq_text.isdigit()):
        raise ValueError("the head must look like SEQ:HASH or HASH")
    return (int(seq_text) if seq_text else None, digest)


def _walk_chain(session: Session, states: dict[tuple[str, str], tuple[int, str]]) -> AuditReport:
    """Check every link; remember each record's last audited state in `states`."""
    rows = session.execute(
        select(AuditEntry.__table__).order_by(AuditEntry.seq).execution_options(yield_per=1000)
    )
    recorded_tables = {model.__tablename__ for model in RECORD_MODELS}
    hashes = [GENESIS, GENESIS]  # the last two verified hashes: an inserted entry shows as a skip
    count = 0
    for count, entry in enumerate(rows, start=1):
        if entry.seq != count:
            return AuditReport(
                False, count, "deleted", count, f"entries {count}..{entry.seq - 1} are missing"
            )
        if recompute(entry) != entry.hash:
            return AuditReport(
                False, count, "edited", entry.seq, "its content no longer matches its hash"
            )
        if entry.prev_hash != hashes[-1]:
            return _broken_link(session, entry, hashes[-2], count)
        hashes = [hashes[-1], entry.hash]
        if entry.entity in recorded_tables:
            states[(entry.entity, entry.entity_id)] = (entry.seq, entry.record)
    return _check_head(session, count, hashes[-1])


def _compare_records(
    session: Session, states: dict[tuple[str, str], tuple[int, str]], entries: int
) -> AuditReport:
    """Every record row as last audited; every audited row still there."""
    seen: set[tuple[str, str]] = set()
    compared = 0
    for model in RECORD_MODELS:
        table = model.__tablename__
        for row in session.execute(select(model).execution_options(yield_per=1000)).scalars():
            key = (table, row_key(row))
            seen.add(key)
            compared += 1
            if key not in states:
                return AuditReport(
                    False,
                    entries,
                    "record inserted",
                    None,
                    f"{table} #{key[1]} has no audit entry: it was written around the store",
                    compared,
                )
            seq, record = states[key]
            changed = differences(row, _loads(record))
            if changed:
                return AuditReport(
                    False,
                    entries,
                    "record edited",
                    seq,
                    f"{table} #{key[1]} differs from its audited state (entry {seq}) in: {', '.join(changed)}",
                    compared,
                )
        session.expunge_all()  # rows were only read: keep memory flat on a large store
    missing = sorted((seq, key) for key, (seq, _) in states.items() if key not in seen)
    if missing:
        seq, (table, entity_id) = missing[0]
        return AuditReport(
            False,
            entries,
            "record deleted",
            seq,
            f"{table} #{entity_id} was audited (entry {seq}) but is no longer in the table",
            compared,
        )
    return AuditReport(True, entries, records=compared)


def _has_anchor(session: Session, anchor: Anchor) -> bool:
    seq, digest = anchor
    statement = select(AuditEntry.seq).where(AuditEntry.hash == digest)
    if seq is not None:
        statement = statement.where(AuditEntry.seq == seq)
    return session.execute(statement.limit(1)).first() is not None


def _loads(record: str) -> dict[str, Any]:
    loaded = json.loads(record)
    return loaded if isinstance(loaded, dict) else {}


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
    head = current_head(session)
    if head == (count, last_hash):
        return AuditReport(True, count)
    if head[0] > count:
        return AuditReport(
            False,
            count,
            "deleted",
            count + 1,
            f"the chain ends at {count}, the head says {head[0]}",
        )
    if head[0] == count:
        return AuditReport(
            False, count, "edited", count, "it was rewritten with a new hash after it was appended"
        )
    return AuditReport(
        False,
        count,
        "inserted",
        head[0] + 1,
        f"entries after {head[0]} were not appended through the store",
    )
