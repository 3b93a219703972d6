"""Right after a filing commits: deliver what it enqueued, and tell the filer what happened.

The filing is stored whatever Slack does; the filer is never told to "try again" about it. The
delivery runs on its own pool; the filer's reply goes out as soon as its outcome is known, or after
ALERT_WAIT_S saying the alert is queued, and no listener thread waits meanwhile. The scheduler
retries whatever is still pending (commands.outbox.BACKOFF).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from bot.delivery import SlackPost
from bot.services import Services
from commands import outbox
from commands.replies import Lang, Reply, pick

log = logging.getLogger(__name__)

# How long a filer's reply waits for its alert's first attempt. Under 1 s, so that with Slack
# hanging every filing is still answered within a second (issue 9's target).
ALERT_WAIT_S = 0.6


# What a filer is told about each operator action (commands.outbox.Outcome.operator_action).
_OPERATOR_ZH = {
    "not_in_channel": "机器人不在该频道，请邀请机器人加入（/invite），之后将自动重试",
    "channel_not_found": "找不到告警频道，请检查 ALERT_CHANNEL 设置，修正后将自动重试",
    "is_archived": "告警频道已归档，请更换 ALERT_CHANNEL，修正后将自动重试",
}
_OPERATOR_EN = {
    "not_in_channel": "the bot is not in that channel; invite it (/invite) and it will be retried automatically",
    "channel_not_found": "the alert channel was not found; check ALERT_CHANNEL, it will be retried automatically once fixed",
    "is_archived": "the alert channel is archived; change ALERT_CHANNEL, it will be retried automatically once fixed",
}


def deliver_soon(
    services: Services, client: Any, keys: tuple[str, ...]
) -> Future[list[outbox.Outcome]]:
    """Start delivering `keys` now, outside any transaction, on the delivery pool."""
    post = SlackPost(client, services.store, services.settings.tz)

    def run() -> list[outbox.Outcome]:
        outcomes = []
        for key in keys:
            outcome = outbox.deliver_once(services.store, key=key, now=services.now(), post=post)
            # Another deliverer holds it (a retried request's first attempt): wait for its result.
            deadline = time.monotonic() + ALERT_WAIT_S
            while outcome.status == "busy" and time.monotonic() < deadline:
                time.sleep(0.05)
                outcome = outbox.outcome(services.store, key)
            outcomes.append(outcome)
        return outcomes

    try:
        return services.delivery.submit(run)
    except RuntimeError:  # the pool is shut down (SIGTERM): the rows stay pending in the outbox
        log.info("shutting down: %s left to the scheduler's next tick", ", ".join(keys))
        left: Future[list[outbox.Outcome]] = Future()
        left.cancel()
        return left


def tell_after_delivery(
    services: Services,
    client: Any,
    reply: Reply,
    lang: Lang,
    send: Callable[[str], object],
    *,
    later: Callable[[str], object] | None = None,
) -> None:
    """Deliver the reply's outbox rows and call `send` once with the line telling the filer the
    outcome, as soon as it is known or ALERT_WAIT_S has passed ("queued"), whichever comes first.

    Nothing waits here: the caller's thread is free at once (a hanging Slack holds no listener).
    When the wait ran out and the attempt then fails for a reason the filer should hear of,
    `later` (if given) is called with that line.
    """
    if reply.alert_channel_missing:
        _safely(
            send,
            pick(
                lang,
                "未配置告警频道（ALERT_CHANNEL），告警未发送；请联系管理员。",
                "No alert channel is configured (ALERT_CHANNEL), so no alert was posted; tell the operator.",
            ),
        )
        return
    if not reply.outbox:
        _safely(send, "")
        return
    channel_key = services.incident_channels.after_filing(services.store, reply, now=services.now())
    once = _Once(send)
    future = deliver_soon(services, client, reply.outbox)
    if channel_key:  # after the alert, and not waited for: the filer hears about the alert
        future.add_done_callback(lambda _: deliver_soon(services, client, (channel_key,)))
    queued = pick(
        lang, "告警已排队，将尽快发出。", "The alert is queued and will be posted shortly."
    )
    timer = threading.Timer(ALERT_WAIT_S, lambda: once(queued))
    timer.daemon = True
    timer.start()

    def done(finished: Future[list[outbox.Outcome]]) -> None:
        timer.cancel()
        if finished.cancelled():  # shutting down: the scheduler of the next process posts it
            once(queued)
            return
        try:
            outcomes = finished.result()
        except Exception:
            log.exception("delivery after a filing failed")
            once(queued)
            return
        line = describe(outcomes, lang)
        if not once(line) and later is not None and _needs_telling(outcomes):
            _safely(later, line)

    future.add_done_callback(done)


class _Once:
    """Calls `send` the first time only; True when this call was that one."""

    def __init__(self, send: Callable[[str], object]) -> None:
        self._send, self._lock, self._done = send, threading.Lock(), False

    def __call__(self, line: str) -> bool:
        with self._lock:
            if self._done:
                return False
            self._done = True
        _safely(self._send, line)
        return True


def _needs_telling(outcomes: list[outbox.Outcome]) -> bool:
    return any(o.operator_action or o.status == "failed_permanent" for o in outcomes)


def _safely(send: Callable[[str], object], line: str) -> None:
    try:
        send(line)
    except Exception:
        log.exception("could not tell the filer about their filing's alert")


def describe(outcomes: list[outbox.Outcome], lang: Lang) -> str:
    """One line: posted to where, or why not (and that it will be retried)."""
    failed = [o for o in outcomes if not o.delivered and o.status != "busy"]
    if not failed:
        channels = sorted({o.channel for o in outcomes if o.channel})
        where = "、".join(f"<#{c}>" for c in channels)
        if any(o.status == "busy" for o in outcomes):
            return pick(lang, "告警正在发送。", "The alert is being posted.")
        return pick(
            lang,
            f"告警已发到 {where}。",
            f"Alert posted to {', '.join(f'<#{c}>' for c in channels)}.",
        )
    first = failed[0]
    if first.operator_action:
        zh = _OPERATOR_ZH.get(
            first.operator_action,
            f"需要管理员处理（{first.operator_action}），处理后将自动重试",
        )
        en = _OPERATOR_EN.get(
            first.operator_action,
            f"an operator must act ({first.operator_action}); it will be retried automatically",
        )
        return pick(lang, f"告警未能发出：{zh}。", f"The alert could not be posted: {en}.")
    if first.status == "failed_permanent":
        return pick(
            lang,
            "告警未能发出，且无法自动重试；已记录，请联系管理员。",
            "The alert could not be posted and cannot be retried; it is logged, tell the operator.",
        )
    return pick(
        lang,
        "告警暂未发出（Slack 暂时不可用），将自动重试。",
        "The alert is not posted yet (Slack is unavailable for now); it will be retried automatically.",
    )
