"""Rows keyed by a caller's key: reminder deliveries, idempotent replies, feedback votes.

Deliveries and replies are bookkeeping, not filings, and are not audited: a delivery claim is
held while Slack is called, and auditing it would hold the audit chain's lock that long too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from commands.store.models import Base, FeedbackVote, IdempotentReply, ReminderDelivery
from commands.store.records import audit_row

# Rows per multi-row INSERT: ~10 columns each stays far inside SQLite's 32,766 bound parameters
# (and PostgreSQL's 65,535).
ROWS_PER_INSERT = 500


def claim_delivery(
    session: Session, *, key: str, now: datetime, item: str | None = None, stage: int | None = None
) -> bool:
    """Insert the reminder key; True if this call did (so it must post), False if it was there.

    On PostgreSQL a second replica inserting the same key waits on the unique index until the
    first commits, then inserts nothing: each reminder is posted exactly once. `item` and
    `stage` record which stage of which item this was (see delivered_stages).
    """
    statement = (
        insert_for(session, ReminderDelivery)
        .values(key=key, delivered_at=now, item=item, stage=stage)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(ReminderDelivery.key)
    )
    return session.execute(statement).first() is not None


def claim_deliveries(
    session: Session, *, claims: Iterable[tuple[str, str | None, int | None]], now: datetime
) -> set[str]:
    """claim_delivery for many (key, item, stage) at once; the keys this call inserted.

    Inserted in key order, so two replicas claiming overlapping sets on PostgreSQL wait for each
    other on the unique index in the same order (no deadlock), and the second inserts nothing.
    """
    rows = [
        {"key": key, "delivered_at": now, "item": item, "stage": stage}
        for key, item, stage in sorted(set(claims), key=lambda claim: claim[0])
    ]
    return insert_new_keys(session, ReminderDelivery, rows)


def insert_new_keys(session: Session, model: Any, rows: list[dict[str, Any]]) -> set[str]:
    """Insert the rows whose `key` is not there yet, ROWS_PER_INSERT to a statement; the keys
    this call inserted (a key already present is left as it was)."""
    inserted: set[str] = set()
    for start in range(0, len(rows), ROWS_PER_INSERT):
        statement = (
            insert_for(session, model)
            .values(rows[start : start + ROWS_PER_INSERT])
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(model.key)
        )
        inserted |= set(session.execute(statement).scalars())
    return inserted


def insert_for(session: Session, model: type[Base]) -> Any:
    """INSERT in the session's dialect, which is what offers ON CONFLICT DO NOTHING."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(model)


def delivered_stages(session: Session, *, items: Iterable[str]) -> dict[str, int]:
    """The latest stage delivered of each item that has one (a later stage silences earlier ones)."""
    wanted = list(set(items))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):  # keep the IN list within every driver's limits
        query = (
            select(ReminderDelivery.item, func.max(ReminderDelivery.stage))
            .where(ReminderDelivery.item.in_(wanted[start : start + 500]))
            .group_by(ReminderDelivery.item)
        )
        found |= {
            item: stage
            for item, stage in session.execute(query)
            if item is not None and stage is not None
        }
    return found


def recall_reply(session: Session, *, key: str) -> dict[str, Any] | None:
    """The reply already given for this idempotency key, if any."""
    row = session.get(IdempotentReply, key)
    return dict(row.reply) if row else None


def remember_reply(session: Session, *, key: str, reply: dict[str, Any], now: datetime) -> None:
    """Store the reply for this key in the filing's own transaction.

    Race-safe through the key's primary key: when another process committed the same key
    meanwhile, this raises IntegrityError and the whole filing rolls back (one record).
    """
    session.add(IdempotentReply(key=key, reply=reply, created_at=now))
    session.flush()


def record_vote(
    session: Session, *, key: str, user: str, question: str, articles: str, vote: str, now: datetime
) -> bool:
    """Store a 👍/👎 once per key; False when this key already voted (also when racing)."""
    statement = (
        insert_for(session, FeedbackVote)
        .values(key=key, user=user, question=question, articles=articles, vote=vote, voted_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(FeedbackVote.id)
    )
    vote_id = session.execute(statement).scalar_one_or_none()
    if vote_id is None:
        return False
    audit_row(session, session.get_one(FeedbackVote, vote_id), actor=user, action="vote", now=now)
    return True
