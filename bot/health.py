"""/healthz: what a load balancer and an operator need to know, checked, not assumed.

503 with the reasons when this replica cannot do its job or something owed to Slack is stuck:
the store unreachable, unwritable or not the file that was opened; no index; a scheduler that
stopped ticking; outbox messages that need an operator (the bot not in the alert channel …),
failed for good in the last day, or waiting far longer than the backoff explains. A missing ALERT_CHANNEL is a
warning: the bot works, but alerts go nowhere.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.services import Services
from commands import outbox

# Three missed polls (bot.scheduler.POLL_SECONDS) plus a slow tick.
SCHEDULER_STALE = timedelta(seconds=60)
# Longer than a few rounds of backoff: something else is wrong (no deliverer running, Slack down).
BACKLOG_STALE = timedelta(minutes=15)


class Health:
    """Checks the services (and the scheduler, once it runs) on each call."""

    def __init__(self, services: Services, scheduler: Any = None) -> None:
        self.services, self.scheduler = services, scheduler

    def __call__(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, JSON body)."""
        now = self.services.now()
        problems: list[str] = []
        body: dict[str, Any] = {}
        problems += self._store(body)
        problems += self._index(body)
        problems += self._scheduler(body, now)
        problems += self._outbox(body, now)
        warnings = []
        if not self.services.settings.alert_channel:
            warnings.append("ALERT_CHANNEL is not set: alerts and reminders are posted nowhere")
        if reason := self.services.incident_channels.unavailable:
            warnings.append(
                f"incident channels are off ({reason}): add the channels:manage scope, "
                "or set INCIDENT_CHANNELS=off"
            )
        body |= {"ok": not problems, "problems": problems, "warnings": warnings}
        return (200 if not problems else 503), body

    def _store(self, body: dict[str, Any]) -> list[str]:
        store = self.services.store
        if not store.same_file():
            body["store"] = "replaced"
            return ["store: the SQLite file was deleted or replaced after it was opened"]
        try:
            store.check_writable()
        except Exception as error:
            body["store"] = "failing"
            return [f"store: not writable ({error.__class__.__name__}: {str(error)[:120]})"]
        body["store"] = "ok"
        return []

    def _index(self, body: dict[str, Any]) -> list[str]:
        retriever = getattr(self.services.answerer, "retriever", None)
        articles = len(getattr(retriever, "articles", {}) or {})
        body["index_articles"] = articles
        return [] if articles else ["index: no articles loaded"]

    def _scheduler(self, body: dict[str, Any], now: datetime) -> list[str]:
        if self.scheduler is None:
            return []
        last = self.scheduler.last_tick
        body["scheduler_last_tick"] = last.isoformat() if last else None
        if last is None or now - last > SCHEDULER_STALE:
            return [f"scheduler: no tick for more than {int(SCHEDULER_STALE.total_seconds())} s"]
        return []

    def _outbox(self, body: dict[str, Any], now: datetime) -> list[str]:
        try:
            seen = outbox.backlog(self.services.store, now=now)
        except Exception:
            return []  # the store check above already says why
        oldest = (now - seen.oldest_pending_at).total_seconds() if seen.oldest_pending_at else 0
        body["outbox"] = {
            "pending": seen.pending,
            "oldest_pending_s": int(oldest),
            "needs_operator": seen.needs_operator,
            "failed": seen.failed,
        }
        problems = [f"outbox: {p}" for p in seen.problems]
        if seen.needs_operator and not problems:
            problems.append(f"outbox: {seen.needs_operator} message(s) need an operator")
        if seen.failed and not seen.problems:
            problems.append(f"outbox: {seen.failed} message(s) failed for good")
        if seen.pending and oldest > BACKLOG_STALE.total_seconds() and not seen.needs_operator:
            problems.append(f"outbox: oldest pending message waiting {int(oldest)} s")
        return problems
