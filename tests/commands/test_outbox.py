"""The outbox: enqueued with the filing, delivered once, retried with backoff, leased across
replicas, and honest about what needs an operator."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from commands import outbox
from commands.dispatch import run_command
from commands.errors import UserError
from commands.outbox import DeliveryFailed, Message, Posted
from commands.store import Store
from commands.store.outbox import get_message
from tests.commands.conftest import TZ

CHANNEL = "CALERT"


class Recorder:
    """A `post` that records what it was given and fails as told."""

    def __init__(self, *failures: DeliveryFailed) -> None:
        self.posted: list[Message] = []
        self.failures = list(failures)
        self._lock = threading.Lock()

    def __call__(self, message: Message) -> Posted:
        with self._lock:
            if self.failures:
                raise self.failures.pop(0)
            self.posted.append(message)
            return Posted(message.channel, f"{len(self.posted)}.0001")


def _incident(store: Store, now: datetime, **kwargs: object) -> list[str]:
    reply = run_command(
        store, "incident", "勒索病毒", user="U1", lang="zh", now=now, tz=TZ, **kwargs
    )  # type: ignore[arg-type]
    return list(reply.outbox)


def test_a_filing_enqueues_its_alert_in_its_own_transaction(store: Store, now: datetime) -> None:
    keys = _incident(store, now, alert_channel=CHANNEL)
    assert keys == ["alert:incident:1"]
    with store.session() as session:
        row = get_message(session, key="alert:incident:1")
        assert row is not None and (row.kind, row.channel, row.status) == (
            "incident_alert",
            CHANNEL,
            "pending",
        )
        assert row.payload == {"incident_id": 1}
    with pytest.raises(UserError):  # refused: nothing stored, nothing enqueued
        run_command(
            store,
            "incident",
            "病毒 sev=bogus",
            user="U1",
            lang="zh",
            now=now,
            tz=TZ,
            alert_channel=CHANNEL,
        )
    assert outbox.backlog(store, now=now).pending == 1


def test_a_retried_filing_enqueues_nothing_new_and_an_update_follows_a_report(
    store: Store, now: datetime
) -> None:
    for _ in range(2):
        reply = run_command(
            store,
            "incident",
            "病毒",
            user="U1",
            lang="zh",
            now=now,
            tz=TZ,
            idempotency_key="k1",
            alert_channel=CHANNEL,
        )
    assert reply.outbox == ("alert:incident:1",)
    reported = run_command(
        store,
        "incident",
        "reported 1 cac",
        user="U1",
        lang="zh",
        now=now,
        tz=TZ,
        alert_channel=CHANNEL,
    )
    assert len(reported.outbox) == 1 and reported.outbox[0].startswith("alert:incident:1:update:")
    assert outbox.backlog(store, now=now).pending == 2


def test_no_alert_channel_stores_and_says_so(store: Store, now: datetime) -> None:
    reply = run_command(store, "incident", "病毒", user="U1", lang="zh", now=now, tz=TZ)
    assert reply.alert_channel_missing and reply.outbox == ()
    inspection = run_command(store, "inspect", "ok", user="U1", lang="zh", now=now, tz=TZ)
    assert not inspection.alert_channel_missing  # an inspection owes no alert


def test_delivered_once_then_already_sent(store: Store, now: datetime) -> None:
    _incident(store, now, alert_channel=CHANNEL)
    post = Recorder()
    first = outbox.deliver_once(store, key="alert:incident:1", now=now, post=post)
    again = outbox.deliver_once(store, key="alert:incident:1", now=now, post=post)
    assert (first.status, again.status) == ("sent", "already_sent")
    assert len(post.posted) == 1 and outbox.deliver_pending(store, now=now, post=post) == []
    with store.session() as session:
        row = get_message(session, key="alert:incident:1")
        assert row is not None and (row.posted_channel, row.posted_ts) == (CHANNEL, "1.0001")


def test_a_terminal_takes_only_its_own_messages(store: Store, now: datetime) -> None:
    # A console beside a Slack bot on one store must not mark the bot's alert sent.
    _incident(store, now, alert_channel=CHANNEL)
    run_command(
        store, "incident", "另一起", user="U1", lang="zh", now=now, tz=TZ, alert_channel="console"
    )
    post = Recorder()
    taken = outbox.deliver_pending(store, now=now, post=post, channels={"console"})
    assert [o.key for o in taken] == ["alert:incident:2"] and len(post.posted) == 1
    with store.session() as session:
        slack_alert = get_message(session, key="alert:incident:1")
        assert slack_alert is not None and slack_alert.status == "pending"


def test_a_transient_failure_is_retried_within_seconds(store: Store, now: datetime) -> None:
    _incident(store, now, alert_channel=CHANNEL)
    post = Recorder(DeliveryFailed("internal_error (HTTP 500)"))
    failed = outbox.deliver_once(store, key="alert:incident:1", now=now, post=post)
    assert failed.status == "failed" and failed.operator_action is None
    assert outbox.deliver_pending(store, now=now + timedelta(seconds=4), post=post) == []
    retried = outbox.deliver_pending(store, now=now + timedelta(seconds=5), post=post)
    assert [o.status for o in retried] == ["sent"] and len(post.posted) == 1


def test_backoff_grows_and_is_capped_and_respects_retry_after() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    waits = [(outbox.retry_at(start, n) - start).total_seconds() for n in range(1, 7)]
    assert waits == [5, 30, 120, 600, 600, 600]
    assert (outbox.retry_at(start, 1, retry_after=42) - start).total_seconds() == 42


def test_an_operators_action_is_reported_retried_slowly_and_cleared(
    store: Store, now: datetime
) -> None:
    _incident(store, now, alert_channel=CHANNEL)
    operator = DeliveryFailed("not_in_channel", operator_action="not_in_channel")
    post = Recorder(operator, operator)
    outcome = outbox.deliver_once(store, key="alert:incident:1", now=now, post=post)
    assert outcome.operator_action == "not_in_channel"
    outbox.deliver_pending(store, now=now + timedelta(seconds=5), post=post)
    seen = outbox.backlog(store, now=now)
    assert (seen.pending, seen.needs_operator) == (1, 1)
    assert seen.problems == ("alert:incident:1: not_in_channel (CALERT)",)
    later = now + timedelta(seconds=35)  # invited meanwhile: the next retry goes through
    assert [o.status for o in outbox.deliver_pending(store, now=later, post=post)] == ["sent"]
    cleared = outbox.backlog(store, now=later)
    assert cleared.needs_operator == 0 and cleared.pending == 0
    assert len(post.posted) == 1


def test_a_permanent_failure_is_not_retried(store: Store, now: datetime) -> None:
    _incident(store, now, alert_channel=CHANNEL)
    post = Recorder(DeliveryFailed("invalid_blocks", permanent=True))
    outcome = outbox.deliver_once(store, key="alert:incident:1", now=now, post=post)
    assert outcome.status == "failed_permanent"
    assert outbox.deliver_pending(store, now=now + timedelta(days=1), post=post) == []
    assert outbox.backlog(store, now=now).failed == 1
    assert outbox.backlog(store, now=now + timedelta(days=2)).failed == 0  # seen and dealt with


def test_a_message_that_goes_stale_gives_up_after_its_attempts(store: Store, now: datetime) -> None:
    with store.session() as session:
        outbox.enqueue(
            session,
            key="answer:1",
            kind="message",
            channel="D1",
            payload={"text": "…", "max_attempts": 2},
            now=now,
        )
    post = Recorder(DeliveryFailed("internal_error"), DeliveryFailed("internal_error"))
    assert outbox.deliver_once(store, key="answer:1", now=now, post=post).status == "failed"
    later = now + timedelta(seconds=5)
    assert outbox.deliver_once(store, key="answer:1", now=later, post=post).status == (
        "failed_permanent"
    )


def test_a_deliverer_killed_after_posting_leaves_a_lease_then_it_is_posted_again(
    store: Store, now: datetime
) -> None:
    """The honest window: Slack has no idempotent post, so a post whose mark-sent never
    committed is posted again once the lease runs out (at least once, never lost)."""
    _incident(store, now, alert_channel=CHANNEL)
    wall = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)

    class Killed(BaseException):
        pass

    def dies_after_posting(message: Message) -> Posted:
        raise Killed  # as if the process died between Slack's answer and mark_sent

    with pytest.raises(Killed):
        outbox.deliver_once(
            store, key="alert:incident:1", now=now, post=dies_after_posting, clock=lambda: wall
        )
    post = Recorder()
    soon = wall + outbox.LEASE - timedelta(seconds=1)
    assert outbox.deliver_pending(store, now=now, post=post, clock=lambda: soon) == []
    after = wall + outbox.LEASE + timedelta(seconds=1)
    assert [
        o.status for o in outbox.deliver_pending(store, now=now, post=post, clock=lambda: after)
    ] == ["sent"]


def test_two_deliverers_racing_post_once(db_url: str, now: datetime) -> None:
    replicas = [Store.open(db_url) for _ in range(2)]
    for i in range(10):
        run_command(
            replicas[0],
            "incident",
            f"事件 {i}",
            user="U1",
            lang="zh",
            now=now,
            tz=TZ,
            alert_channel=CHANNEL,
        )
    post = Recorder()
    barrier = threading.Barrier(2)

    def run(store: Store) -> None:
        barrier.wait()
        for _ in range(3):
            outbox.deliver_pending(store, now=now, post=post)

    threads = [threading.Thread(target=run, args=(r,)) for r in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(m.key for m in post.posted) == sorted(f"alert:incident:{i}" for i in range(1, 11))
    for replica in replicas:
        replica.dispose()


def _enqueue_notices(store: Store, now: datetime, count: int) -> list[str]:
    keys = [f"notice:{i}" for i in range(count)]
    with store.session() as session:
        added = outbox.enqueue_many(
            session,
            [outbox.NewMessage(k, "notice", CHANNEL, {"text_zh": k, "text_en": k}) for k in keys],
            now=now,
        )
        again = outbox.enqueue_many(
            session, [outbox.NewMessage(keys[0], "notice", "C2", {})], now=now
        )
    assert added == set(keys) and again == set()  # an existing key is left as it was
    return keys


def test_a_tick_of_many_messages_posts_each_once_in_order_and_marks_it_sent(
    store: Store, now: datetime
) -> None:
    keys = _enqueue_notices(store, now, 25)
    post = Recorder(DeliveryFailed("internal_error"))  # the first one fails, the rest go on
    outcomes = outbox.deliver_pending(store, now=now, post=post, batch=10)
    assert [o.key for o in outcomes] == keys
    assert [o.status for o in outcomes] == ["failed"] + ["sent"] * 24
    assert [m.key for m in post.posted] == keys[1:]
    with store.session() as session:
        rows = [get_message(session, key=k) for k in keys]
        assert all(r is not None and r.lease_until is None for r in rows)
        assert [r.status for r in rows if r] == ["pending"] + ["sent"] * 24
        assert [(r.posted_channel, r.posted_ts) for r in rows[1:3] if r] == [
            (CHANNEL, "1.0001"),
            (CHANNEL, "2.0001"),
        ]
    assert outbox.deliver_pending(store, now=now, post=post) == []  # the failure waits 5 s


def test_a_slow_slack_never_posts_a_message_with_less_than_a_lease_left(
    store: Store, now: datetime
) -> None:
    """Each post may take up to LEASE; a batch's later messages are given back rather than
    posted on a lease that could run out mid-post (then another replica would post them too)."""
    keys = _enqueue_notices(store, now, 6)
    wall = [datetime(2026, 11, 24, 2, 0, tzinfo=UTC)]
    left: dict[str, timedelta] = {}

    def slow(message: Message) -> Posted:
        with store.session() as session:
            row = get_message(session, key=message.key)
            assert row is not None and row.lease_until is not None
            left[message.key] = row.lease_until - wall[0]
        wall[0] += outbox.LEASE / 2  # each post takes half a lease
        return Posted(message.channel, "1.0")

    outcomes = outbox.deliver_pending(store, now=now, post=slow, batch=6, clock=lambda: wall[0])
    assert sorted(o.key for o in outcomes) == keys and {o.status for o in outcomes} == {"sent"}
    assert min(left.values()) >= outbox.LEASE
    with store.session() as session:  # the given-back ones did not count an attempt
        assert {r.attempts for k in keys if (r := get_message(session, key=k))} == {1}


def test_a_deliverer_killed_mid_batch_keeps_what_it_posted_and_gives_back_the_rest(
    store: Store, now: datetime
) -> None:
    keys = _enqueue_notices(store, now, 5)
    wall = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)

    class Killed(BaseException):
        pass

    posted: list[str] = []

    def dies_on_the_third(message: Message) -> Posted:
        if len(posted) == 2:
            raise Killed  # as if the process died while Slack took the third
        posted.append(message.key)
        return Posted(message.channel, "1.0")

    with pytest.raises(Killed):
        outbox.deliver_pending(store, now=now, post=dies_on_the_third, clock=lambda: wall)
    post = Recorder()
    # The two posted are marked sent; the two never tried are due again at once; the third,
    # maybe in Slack already, waits for its lease to run out.
    outbox.deliver_pending(store, now=now, post=post, clock=lambda: wall)
    assert [m.key for m in post.posted] == keys[3:]
    after = wall + outbox.BATCH_LEASE + timedelta(seconds=1)
    outbox.deliver_pending(store, now=now, post=post, clock=lambda: after)
    assert [m.key for m in post.posted] == [*keys[3:], keys[2]]


def test_two_deliverers_leasing_small_batches_post_each_message_once(
    db_url: str, now: datetime
) -> None:
    replicas = [Store.open(db_url) for _ in range(2)]
    keys = _enqueue_notices(replicas[0], now, 60)
    post = Recorder()
    barrier = threading.Barrier(2)

    def run(store: Store) -> None:
        barrier.wait()
        outbox.deliver_pending(store, now=now, post=post, batch=4)

    threads = [threading.Thread(target=run, args=(r,)) for r in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(m.key for m in post.posted) == sorted(keys)
    for replica in replicas:
        replica.dispose()


def test_a_message_sees_where_an_earlier_one_of_its_batch_was_posted(
    store: Store, now: datetime
) -> None:
    """A reminder in an alert's thread (or an update of it) renders from where the alert was
    posted: in one batch, the alert's mark is recorded before the reminder is posted."""
    from commands.alerts import posted_at

    _incident(store, now, alert_channel=CHANNEL)
    with store.session() as session:
        outbox.enqueue(
            session,
            key="incident:1:+60:thread",
            kind="notice",
            channel=CHANNEL,
            payload={"text_zh": "…", "text_en": "…", "thread_of": "alert:incident:1"},
            now=now,
        )
    threads: list[tuple[str, str]] = []

    def post(message: Message) -> Posted:
        if thread_of := message.payload.get("thread_of"):
            where = posted_at(store, thread_of)
            if where is None:
                raise DeliveryFailed("waiting for the message it answers in a thread")
            threads.append(where)
        return Posted(CHANNEL, "7.0001")

    outcomes = outbox.deliver_pending(store, now=now, post=post)
    assert [(o.key, o.status) for o in outcomes] == [
        ("alert:incident:1", "sent"),
        ("incident:1:+60:thread", "sent"),
    ]
    assert threads == [(CHANNEL, "7.0001")]


def test_posts_are_marked_sent_within_a_second_even_mid_batch(store: Store, now: datetime) -> None:
    """A crash repeats at most MARK_EVERY of posts: by the time a later message is posted, those
    posted a second or more before it are already marked sent in the store."""
    keys = _enqueue_notices(store, now, 6)
    wall = [datetime(2026, 11, 24, 2, 0, tzinfo=UTC)]
    unmarked_at_post: list[int] = []

    def takes_half_a_second(message: Message) -> Posted:
        with store.session() as session:
            rows = [get_message(session, key=k) for k in keys]
        unmarked_at_post.append(
            sum(1 for r in rows if r is not None and r.posted_ts is None and r.key != message.key)
            - (len(keys) - keys.index(message.key) - 1)  # not yet posted: nothing to mark
        )
        wall[0] += timedelta(milliseconds=500)
        return Posted(message.channel, "1.0")

    outbox.deliver_pending(store, now=now, post=takes_half_a_second, clock=lambda: wall[0])
    assert max(unmarked_at_post) <= 2  # never more than a second's worth waits for its mark
