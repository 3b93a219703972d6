"""The outbox: every message the bot owes a channel, and the one deliverer that posts them.

API (for every feature that posts something because of a filing, a reminder or an event):

    from commands import outbox
    # Inside the transaction that stores the cause (a filing, a reminder's claim …):
    outbox.enqueue(session, key="alert:incident:12", kind="incident_alert", channel="C123",
                   payload={"incident_id": 12}, now=now)   # False: the key was already there
    outbox.enqueue_many(session, [outbox.NewMessage(key, kind, channel, payload), …], now=now)
    # After commit, outside any transaction (the listener, the scheduler, the console, the CLI):
    outcome = outbox.deliver_once(store, key="alert:incident:12", now=now, post=post)
    outcomes = outbox.deliver_pending(store, now=now, post=post)

`key` makes a message exactly-once (a retried filing enqueues nothing new); `payload` is plain
JSON data, never Block Kit, so the domain stays free of Slack (`"max_attempts": n` in it gives up
after n failed attempts, for messages that go stale): `post(message)` renders it by
`kind` and sends it. In the bot, `bot.delivery.register_kind("upload", fn)` adds a kind;
`fn(client, message) -> Posted` raises `DeliveryFailed` (or lets a SlackApiError through, which
is classified for it). The console and `compliance-bot remind` pass a `post` that prints.

Exactly once across replicas: a deliverer leases the row in one short transaction (a conditional
UPDATE), posts with no transaction open, and records the outcome in another (`deliver_pending`
does this for a batch of rows at a time). The window that remains is Slack's: chat.postMessage
has no idempotency key, so a process killed after Slack accepted a post and before it was marked
sent leaves the row leased; when the lease runs out another deliverer posts it again (at least
once, never lost). Failures are retried with backoff
(BACKOFF: the first retry within seconds); what only an operator can fix (the bot not in the
channel, a revoked token) is retried slowly and shown in /healthz until it is fixed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from commands.store import Store
from commands.store.models import OutboxMessage
from commands.store.outbox import (
    FAILED,
    SENT,
    Backlog,
    NewMessage,
    enqueue_message,
    enqueue_messages,
    get_message,
    lease_due,
    lease_message,
    mark_all_sent,
    mark_failed,
    mark_sent,
    release,
)
from commands.store.outbox import backlog as backlog_of

__all__ = [
    "BACKOFF",
    "BATCH_LEASE",
    "LEASE",
    "Backlog",
    "DeliveryFailed",
    "Message",
    "NewMessage",
    "Outcome",
    "Post",
    "Posted",
    "backlog",
    "deliver_once",
    "deliver_pending",
    "enqueue",
    "enqueue_many",
    "is_enqueued",
    "outcome",
    "retry_at",
]

log = logging.getLogger(__name__)

# Waits after the 1st, 2nd … failed attempt; the last one repeats. The first retry comes within
# seconds, so a Slack hiccup delays an Art. 30 alert by seconds, not until the next reminder.
BACKOFF = (
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
)
# Longer than any one post can take (the Slack client's 30 s timeout and its retries), so a lease
# only runs out when its deliverer died.
LEASE = timedelta(minutes=3)
# A batch of deliver_pending: its posts start while at least LEASE of it remains.
BATCH_LEASE = 2 * LEASE
# Posted messages are marked sent at least this often within a batch: a deliverer killed
# mid-batch posts again (after the lease) only what it posted in its last second, not the batch.
MARK_EVERY = timedelta(seconds=1)

enqueue = enqueue_message
enqueue_many = enqueue_messages


@dataclass(frozen=True)
class Message:
    """An outbox row as a post function sees it (no session attached)."""

    key: str
    kind: str
    channel: str
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True)
class Posted:
    """Where a message landed: the ts lets a later message update it in place."""

    channel: str
    ts: str = ""


class DeliveryFailed(Exception):
    """A post that did not happen. `operator_action` (not_in_channel …) means only an operator
    can fix it: still retried, slowly, and reported. `permanent`: retrying cannot help."""

    def __init__(
        self,
        reason: str,
        *,
        operator_action: str | None = None,
        permanent: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.operator_action = operator_action
        self.permanent = permanent
        self.retry_after = retry_after


Post = Callable[[Message], Posted]
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt found: sent (now or before), failed, or not this caller's turn."""

    key: str
    status: str  # sent | already_sent | failed | failed_permanent | busy | missing
    channel: str = ""
    reason: str = ""
    operator_action: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status in ("sent", "already_sent")


def retry_at(now: datetime, attempts: int, retry_after: float | None = None) -> datetime:
    """When to try again after `attempts` failed attempts (Slack's Retry-After, if longer)."""
    wait = BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=retry_after))
    return now + wait


def wall_clock() -> datetime:
    return datetime.now(UTC)


def deliver_once(
    store: Store, *, key: str, now: datetime, post: Post, clock: Clock = wall_clock
) -> Outcome:
    """Post the message with this key if it is due and nobody else holds it; record the outcome.

    `now` decides what is due (and when to retry); `clock` is the real time leases run on.
    """
    with store.session() as session:
        row = lease_message(session, key=key, now=now, wall=clock(), lease=LEASE)
        message = _message(row) if row is not None else None
        if message is None:
            return _not_claimed(get_message(session, key=key), key)
    # No transaction is open while Slack is called.
    outcome, posted = _attempt(store, message, now, post)
    if posted is not None:
        with store.session() as session:
            mark_sent(session, key=key, now=now, channel=posted.channel, ts=posted.ts)
    return outcome


def deliver_pending(
    store: Store,
    *,
    now: datetime,
    post: Post,
    batch: int = 100,
    clock: Clock = wall_clock,
    channels: Collection[str] | None = None,
) -> list[Outcome]:
    """Deliver every message due at `now`, oldest first; one failure never stops the others.
    `channels` limits it to messages addressed there: a terminal takes only its own, never a
    Slack alert it would mark sent without posting.

    A tick can owe thousands of reminders, so the rows are leased `batch` at a time in one
    transaction and marked sent together in another, never one message per transaction: still
    no transaction open while posting. The batch's lease is BATCH_LEASE and a message is posted
    only while at least LEASE of it remains, so every post ends inside the lease (LEASE outlasts
    any one post); when Slack is that slow the rest of the batch is given back and leased again.
    The window of `deliver_once` widens to at most MARK_EVERY of posts: a process killed after
    posting and before they are marked sent has them posted again once their lease runs out.
    """
    outcomes: list[Outcome] = []
    while True:
        wall = clock()
        with store.session() as session:
            rows = lease_due(
                session, now=now, wall=wall, lease=BATCH_LEASE, limit=batch, channels=channels
            )
            messages = [_message(row) for row in rows]
        if not messages:
            return outcomes
        outcomes += _post_batch(
            store, messages, now, post, post_until=wall + BATCH_LEASE - LEASE, clock=clock
        )


def _post_batch(
    store: Store,
    messages: list[Message],
    now: datetime,
    post: Post,
    *,
    post_until: datetime,
    clock: Clock,
) -> list[Outcome]:
    """Post leased messages in order, the first always (so a batch always moves on); mark the
    posted ones sent (once per run of one kind) and give back the unattempted ones, whatever
    stops the batch."""
    outcomes: list[Outcome] = []
    sent: list[tuple[str, str, str]] = []
    started = 0  # a post interrupted midway keeps its lease: it may have reached Slack
    marked = clock()
    try:
        for message in messages:
            wall = clock()
            if started and wall >= post_until:
                break
            # A message may render from where another was posted (an update of an alert, a
            # reminder in the alert's thread), never from one of its own kind: the marks so far
            # are recorded before a run of another kind, so it finds them; and at least every
            # MARK_EVERY, so a crash repeats one second of posts at most.
            if sent and (message.kind != messages[started - 1].kind or wall - marked >= MARK_EVERY):
                with store.session() as session:
                    mark_all_sent(session, posted=sent, now=now)
                sent, marked = [], wall
            started += 1
            outcome, posted = _attempt(store, message, now, post)
            outcomes.append(outcome)
            if posted is not None:
                sent.append((message.key, posted.channel, posted.ts))
    finally:
        unattempted = [m.key for m in messages[started:]]
        with store.session() as session:
            mark_all_sent(session, posted=sent, now=now)
            if unattempted:
                release(session, keys=unattempted)
    return outcomes


def _attempt(
    store: Store, message: Message, now: datetime, post: Post
) -> tuple[Outcome, Posted | None]:
    """Post a leased message with no transaction open; a failure is recorded here, a success
    is for the caller to mark sent."""
    try:
        posted = post(message)
    except DeliveryFailed as failure:
        return _failed(store, message, failure, now), None
    except Exception as error:  # a bug or an unclassified error: retried like a transient one
        log.exception("outbox %s: unexpected error while posting", message.key)
        return _failed(store, message, DeliveryFailed(error.__class__.__name__), now), None
    return Outcome(message.key, "sent", posted.channel), posted


def outcome(store: Store, key: str) -> Outcome:
    """Where the message with this key stands now, without attempting it."""
    with store.session() as session:
        return _not_claimed(get_message(session, key=key), key)


def backlog(store: Store, *, now: datetime) -> Backlog:
    """Pending, needing an operator, failed for good in the last day: what /healthz reports."""
    with store.session() as session:
        return backlog_of(session, failed_since=now - timedelta(days=1))


def is_enqueued(store: Store, key: str) -> bool:
    """Whether a message with this key exists (sent or not): a retried event is answered once."""
    with store.session() as session:
        return get_message(session, key=key) is not None


def _message(row: OutboxMessage) -> Message:
    return Message(row.key, row.kind, row.channel, dict(row.payload), row.attempts)


def _not_claimed(row: OutboxMessage | None, key: str) -> Outcome:
    if row is None:
        return Outcome(key, "missing")
    if row.status == SENT:
        return Outcome(key, "already_sent", row.posted_channel or row.channel)
    if row.status == FAILED:
        return Outcome(key, FAILED, row.channel, row.last_error, row.operator_action)
    # Leased by another deliverer, or waiting for its retry time: report its last failure.
    status = "failed" if row.last_error else "busy"
    return Outcome(key, status, row.channel, row.last_error, row.operator_action)


def _failed(store: Store, message: Message, failure: DeliveryFailed, now: datetime) -> Outcome:
    # A message may say how often it is worth trying (an answer to a question goes stale).
    gave_up = message.attempts >= int(message.payload.get("max_attempts") or 0) > 0
    permanent = failure.permanent or gave_up
    when = None if permanent else retry_at(now, message.attempts, failure.retry_after)
    log.warning(
        "outbox %s to %s not delivered (attempt %d): %s%s",
        message.key,
        message.channel,
        message.attempts,
        failure.reason,
        f"; an operator must act ({failure.operator_action})" if failure.operator_action else "",
    )
    with store.session() as session:
        mark_failed(
            session,
            key=message.key,
            error=failure.reason,
            retry_at=when,
            operator_action=failure.operator_action,
        )
    status = FAILED if when is None else "failed"
    return Outcome(message.key, status, message.channel, failure.reason, failure.operator_action)
