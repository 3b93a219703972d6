"""The bot's tick: reminders once a minute, the outbox every few seconds, both through
commands.reminders.deliver_due with Slack as the `post` (bot.delivery)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any

from bot.delivery import SlackPost
from bot.settings import Settings
from commands import outbox
from commands.reminders import ReminderConfig, enqueue_due
from commands.store import Store

log = logging.getLogger(__name__)
# The outbox's first retry is 5 s after a failure (commands.outbox.BACKOFF): poll that often.
POLL_SECONDS = 5.0
REMINDER_SECONDS = 60


def reminder_config(settings: Settings) -> ReminderConfig:
    return ReminderConfig(
        tz=settings.tz,
        inspection_reminder_hour=settings.inspection_reminder_hour,
        inspection_alert_hour=settings.inspection_alert_hour,
        obligation_reminder_hour=settings.obligation_reminder_hour,
    )


def deliver_due(store: Store, client: Any, now: datetime, *, settings: Settings) -> list[str]:
    """Enqueue the reminders due at `now` (to ALERT_CHANNEL) and deliver what the outbox holds;
    returns the keys posted by this call."""
    post = SlackPost(client, store, settings.tz)
    if not settings.alert_channel:
        log.warning("ALERT_CHANNEL is not set: reminders are not posted")
    else:
        enqueue_due(
            store, now=now, config=reminder_config(settings), channel=settings.alert_channel
        )
    return [o.key for o in outbox.deliver_pending(store, now=now, post=post) if o.status == "sent"]


class Scheduler:
    """Delivers the outbox every POLL_SECONDS and enqueues reminders once a minute, until stopped.

    `last_tick` is when a tick last finished (success or not): /healthz reports a stale one.
    """

    def __init__(self, store: Store, client: Any, settings: Settings) -> None:
        self._store, self._client, self._settings = store, client, settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scheduler", daemon=True)
        self.last_tick: datetime | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def tick(self, now: datetime, *, reminders: bool) -> None:
        """One pass; a failure is logged and the next pass tries again."""
        settings = self._settings
        try:
            if reminders and settings.alert_channel:
                config = reminder_config(settings)
                enqueue_due(self._store, now=now, config=config, channel=settings.alert_channel)
            post = SlackPost(self._client, self._store, settings.tz)
            outbox.deliver_pending(self._store, now=now, post=post)
        except Exception:
            log.exception("scheduler tick failed")
        self.last_tick = datetime.now(settings.tz)

    def _run(self) -> None:
        last_minute = None
        while True:
            now = datetime.now(self._settings.tz)
            minute = now.replace(second=0, microsecond=0)
            self.tick(now, reminders=minute != last_minute)
            last_minute = minute
            if self._stop.wait(POLL_SECONDS):
                return
