"""Outbox rows: enqueue in the caller's transaction; lease, settle and count in short ones.

Bookkeeping, not records: nothing here is audited (see commands.store.keys for why).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from commands.store.keys import insert_for, insert_new_keys
from commands.store.models import OutboxMessage

PENDING, SENT, FAILED = "pending", "sent", "failed_permanent"


def enqueue_message(
    session: Session, *, key: str, kind: str, channel: str, payload: dict[str, Any], now: datetime
) -> bool:
    """Add a pending message unless its key exists; True if this call added it."""
    statement = (
        insert_for(session, OutboxMessage)
        .values(
            key=key,
            kind=kind,
            channel=channel,
            payload=payload,
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            last_error="",
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(OutboxMessage.id)
    )
    return session.execute(statement).first() is not None


@dataclass(frozen=True)
class NewMessage:
    """One message for enqueue_messages."""

    key: str
    kind: str
    channel: str
    payload: dict[str, Any]


def enqueue_messages(session: Session, messages: list[NewMessage], *, now: datetime) -> set[str]:
    """enqueue_message for many at once (multi-row INSERTs); the keys this call added."""
    rows = [
        {
            "key": m.key,
            "kind": m.kind,
            "channel": m.channel,
            "payload": m.payload,
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "last_error": "",
            "created_at": now,
        }
        for m in messages
    ]
    return insert_new_keys(session, OutboxMessage, rows)


def get_message(session: Session, *, key: str) -> OutboxMessage | None:
    """The message with this key, if any."""
    return session.execute(
        select(OutboxMessage).where(OutboxMessage.key == key)
    ).scalar_one_or_none()


def _claimable(now: datetime, wall: datetime) -> Any:
    return and_(
        OutboxMessage.status == PENDING,
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until < wall),
    )


def lease_due(
    session: Session,
    *,
    now: datetime,
    wall: datetime,
    lease: timedelta,
    limit: int,
    channels: Collection[str] | None = None,
) -> list[OutboxMessage]:
    """Lease up to `limit` messages due at `now` and not leased at `wall`, oldest first (only
    those addressed to `channels` when given); the caller posts them. See lease_message.

    On PostgreSQL the rows are picked FOR UPDATE SKIP LOCKED: a second replica leasing at the
    same moment takes the next ones instead of waiting; on SQLite writers are serialized.
    """
    picked = select(OutboxMessage.key).where(_claimable(now, wall))
    if channels is not None:
        picked = picked.where(OutboxMessage.channel.in_(list(channels)))
    keys = list(
        session.execute(
            picked.order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)
        ).scalars()
    )
    if not keys:
        return []
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.key.in_(keys), _claimable(now, wall))
        .values(lease_until=wall + lease, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.key)
        .execution_options(synchronize_session=False)
    )
    leased = list(session.execute(statement).scalars())
    query = select(OutboxMessage).where(OutboxMessage.key.in_(leased))
    return list(session.execute(query.order_by(OutboxMessage.id)).scalars())


def release(session: Session, *, keys: Collection[str]) -> None:
    """Give back leased messages that were not attempted: due again at once, the lease's
    attempt not counted. Only for leases the caller still holds."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.key.in_(list(keys)), OutboxMessage.status == PENDING)
        .values(lease_until=None, attempts=OutboxMessage.attempts - 1)
        .execution_options(synchronize_session=False)
    )


def lease_message(
    session: Session, *, key: str, now: datetime, wall: datetime, lease: timedelta
) -> OutboxMessage | None:
    """Lease a due message (the caller posts it); None when it is sent, leased or not yet due.

    `now` is the business clock (when the message is due, which tests move); `wall` the real
    clock the lease runs on, since a lease is about a process still being alive. One conditional
    UPDATE: on PostgreSQL a second replica's UPDATE waits for the first's row lock, then
    re-checks the WHERE and finds the lease taken; on SQLite writers are serialized.
    """
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.key == key, _claimable(now, wall))
        .values(lease_until=wall + lease, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if session.execute(statement).rowcount != 1:  # type: ignore[attr-defined]
        return None
    return get_message(session, key=key)


def mark_sent(session: Session, *, key: str, now: datetime, channel: str, ts: str) -> None:
    """Record the post (where it landed, so it can be updated in place) and drop the lease."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.key == key, OutboxMessage.status == PENDING)
        .values(
            status=SENT,
            sent_at=now,
            posted_channel=channel,
            posted_ts=ts,
            lease_until=None,
            last_error="",
            operator_action=None,
        )
        .execution_options(synchronize_session=False)
    )


def mark_all_sent(session: Session, *, posted: list[tuple[str, str, str]], now: datetime) -> None:
    """mark_sent for many (key, channel, ts) in one statement executed for each."""
    if not posted:
        return
    table = cast(Table, OutboxMessage.__table__)
    statement = (
        update(table)
        .where(table.c.key == bindparam("sent_key"), table.c.status == PENDING)
        .values(
            status=SENT,
            sent_at=now,
            posted_channel=bindparam("sent_channel"),
            posted_ts=bindparam("sent_ts"),
            lease_until=None,
            last_error="",
            operator_action=None,
        )
    )
    session.connection().execute(
        statement,
        [{"sent_key": k, "sent_channel": c, "sent_ts": t} for k, c, t in posted],
    )


def mark_failed(
    session: Session,
    *,
    key: str,
    error: str,
    retry_at: datetime | None,
    operator_action: str | None = None,
) -> None:
    """Record a failed attempt: retried at `retry_at`, or never again when it is None."""
    values: dict[str, Any] = {
        "lease_until": None,
        "last_error": error[:500],
        "operator_action": operator_action,
    }
    if retry_at is None:
        values["status"] = FAILED
    else:
        values["next_attempt_at"] = retry_at
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.key == key, OutboxMessage.status == PENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class Backlog:
    """What /healthz reports about the outbox."""

    pending: int
    oldest_pending_at: datetime | None
    needs_operator: int
    failed: int
    problems: tuple[str, ...]  # "alert:incident:3: not_in_channel (C123)" …, newest first, a few


def backlog(session: Session, *, failed_since: datetime, examples: int = 5) -> Backlog:
    """Counts of pending and needing-an-operator messages, and of those that failed for good
    among the ones created since `failed_since` (an old failure was seen and dealt with)."""
    pending, oldest = session.execute(
        select(func.count(), func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status == PENDING
        )
    ).one()
    operator = and_(OutboxMessage.status == PENDING, OutboxMessage.operator_action.is_not(None))
    failed = and_(OutboxMessage.status == FAILED, OutboxMessage.created_at >= failed_since)
    needs_operator = session.execute(select(func.count()).where(operator)).scalar_one()
    failed_count = session.execute(select(func.count()).where(failed)).scalar_one()
    rows = session.execute(
        select(OutboxMessage)
        .where(or_(failed, operator))
        .order_by(OutboxMessage.id.desc())
        .limit(examples)
    ).scalars()
    problems = tuple(
        f"{row.key}: {row.operator_action or row.last_error} ({row.channel})" for row in rows
    )
    return Backlog(pending, oldest, needs_operator, failed_count, problems)
