"""The reminder tick: deliver_due(store, client, now), run every minute in the bot process."""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.incident_channels import reminder_targets
from bot.mrkdwn import escape
from bot.settings import Settings
from commands.reminders import Reminder, ReminderConfig, claim_reminder, due_reminders
from commands.store import Store, repo

log = logging.getLogger(__name__)
TICK_SECONDS = 60
GONE = {"channel_not_found", "is_archived", "not_in_channel"}


def reminder_config(settings: Settings) -> ReminderConfig:
    return ReminderConfig(
        tz=settings.tz,
        inspection_reminder_hour=settings.inspection_reminder_hour,
        inspection_alert_hour=settings.inspection_alert_hour,
        obligation_reminder_hour=settings.obligation_reminder_hour,
    )


def deliver_due(store: Store, client: Any, now: datetime, *, settings: Settings) -> list[str]:
    """Post every reminder due at `now`, each exactly once (`_deliver` says where); returns the keys posted.

    The claim and the post share one transaction: if the post fails the claim rolls back and the
    next tick tries again; if another replica claimed it first, this one skips it.
    """
    if not settings.alert_channel:
        log.warning("ALERT_CHANNEL is not set: reminders are not posted")
        return []
    with store.session() as session:
        reminders = due_reminders(session, now=now, config=reminder_config(settings))
    delivered = []
    for reminder in reminders:
        try:
            if _deliver(store, client, reminder, now=now, alert_channel=settings.alert_channel):
                delivered.append(reminder.key)
        except (
            Exception
        ) as exc:  # one failed post must not stop the others; it is retried next tick
            log.warning(
                "reminder %s not posted, will retry: %s", reminder.key, exc.__class__.__name__
            )
    return delivered


def _deliver(
    store: Store, client: Any, reminder: Reminder, *, now: datetime, alert_channel: str
) -> bool:
    """Post one reminder once: to ALERT_CHANNEL, or, for an incident with its own channel, to
    that channel and then (once, under its own key) to the alert's thread."""
    # Reminders repeat summaries and names as typed.
    text = escape(f"{reminder.text_zh}\n{reminder.text_en}")
    incident_id = reminder.ref.get("incident_id")
    targets = reminder_targets(store, int(incident_id)) if incident_id else None
    with store.session() as session:
        if not claim_reminder(session, reminder, now=now):
            return False
        if targets is None:
            client.chat_postMessage(channel=alert_channel, text=text)
            return True
        room, thread = targets
        try:
            client.chat_postMessage(channel=room.channel, text=text)
        except SlackApiError as error:
            if error.response.get("error") not in GONE:
                raise
            # The incident's channel was archived or left: the alert's thread still hears it.
            client.chat_postMessage(channel=thread.channel, thread_ts=thread.thread_ts, text=text)
            return True
    try:
        with store.session() as session:
            if repo.claim_delivery(session, key=f"{reminder.key}:thread", now=now):
                client.chat_postMessage(
                    channel=thread.channel, thread_ts=thread.thread_ts, text=text
                )
    except Exception as exc:  # the incident's channel has it; the thread's copy is a courtesy
        log.warning("reminder %s: copy to the alert's thread failed: %s", reminder.key, exc)
    return True


class Scheduler:
    """Calls deliver_due at the top of every minute until stopped."""

    def __init__(self, store: Store, client: Any, settings: Settings) -> None:
        self._store, self._client, self._settings = store, client, settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="reminders", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            now = datetime.now(self._settings.tz)
            try:
                deliver_due(self._store, self._client, now, settings=self._settings)
            except Exception:
                log.exception("reminder tick failed")
            if self._stop.wait(TICK_SECONDS - now.second - now.microsecond / 1e6):
                return
