"""What reminders are due at a moment, from the store and the rule table.

Each reminder has a stable key, and belongs to an item (an incident, a day's inspection, a duty's
due date) at a stage. `deliver_due` claims each due key and enqueues its message in one short
transaction, then the outbox delivers it (commands.outbox: exactly once across replicas, retried
with backoff when Slack fails, no transaction open while posting). A stage never fires once a
later stage of the same item was claimed, even when the clock is moved back.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from commands import outbox
from commands.alerts import incident_alert_key
from commands.store import Store, repo
from commands.store.models import ReminderDelivery

__all__ = [
    "Reminder",
    "ReminderConfig",
    "claim_reminder",
    "deliver_due",
    "due_reminders",
    "enqueue_due",
]


@dataclass(frozen=True)
class ReminderConfig:
    tz: ZoneInfo
    inspection_reminder_hour: int = 10
    inspection_alert_hour: int = 22
    obligation_reminder_hour: int = 9  # also when the day's audit head is posted


@dataclass(frozen=True)
class Reminder:
    key: str
    kind: str
    text_zh: str
    text_en: str
    article: int | None  # None: not a rule of the regulation (the audit head)
    audience: str = "alert_channel"
    ref: dict[str, Any] = field(default_factory=dict)
    item: str = ""  # what the reminder is about: incident:3, inspection:2026-11-24 …
    stage: int = 0  # later stages of the same item silence earlier ones

    def text(self, lang: str) -> str:
        return self.text_zh if lang == "zh" else self.text_en


def due_reminders(session: Session, *, now: datetime, config: ReminderConfig) -> list[Reminder]:
    """Every reminder due at `now` that has not been delivered, nor overtaken by a later stage."""
    from commands import reminder_kinds

    found = reminder_kinds.all_due(session, now, config)
    if not found:
        return []
    keys = [r.key for r in found]
    delivered: set[str] = set()
    for start in range(0, len(keys), 500):  # keep the IN list within every driver's limits
        query = select(ReminderDelivery.key).where(
            ReminderDelivery.key.in_(keys[start : start + 500])
        )
        delivered |= set(session.execute(query).scalars())
    reached = repo.delivered_stages(session, items=[r.item for r in found if r.item])
    return [
        r
        for r in found
        if r.key not in delivered and not (r.item and reached.get(r.item, -1) > r.stage)
    ]


def claim_reminder(session: Session, reminder: Reminder, *, now: datetime) -> bool:
    """Claim a reminder's key (True: this caller enqueues it), recording its item and stage."""
    return repo.claim_delivery(
        session, key=reminder.key, now=now, item=reminder.item or None, stage=reminder.stage
    )


def enqueue_due(
    store: Store, *, now: datetime, config: ReminderConfig, channel: str
) -> list[Reminder]:
    """Claim every reminder due at `now` and put its messages in the outbox, in one transaction.

    A tick can owe thousands (every open incident at once): the claims, the incidents' channels
    and the messages each go in a few multi-row statements, not three per reminder.
    """
    with store.session() as session:
        due = due_reminders(session, now=now, config=config)
        claimed = repo.claim_deliveries(
            session, claims=[(r.key, r.item or None, r.stage) for r in due], now=now
        )
        enqueued = [r for r in due if r.key in claimed]
        rooms = repo.incident_channels(
            session, incident_ids=[int(r.ref["incident_id"]) for r in enqueued if _incident(r)]
        )
        messages = [
            outbox.NewMessage(
                key, "notice", where, {"text_zh": r.text_zh, "text_en": r.text_en} | extra
            )
            for r in enqueued
            for key, where, extra in _destinations(r, channel, rooms)
        ]
        outbox.enqueue_many(session, messages, now=now)
    return enqueued


def _incident(reminder: Reminder) -> bool:
    return reminder.ref.get("incident_id") is not None


def _destinations(
    reminder: Reminder, channel: str, rooms: dict[int, str]
) -> list[tuple[str, str, dict[str, str]]]:
    """(key, channel, extra payload) of each copy: the alert channel; or, for an incident with a
    channel of its own, that channel and the thread of the incident's alert (issue 10)."""
    room = rooms.get(int(reminder.ref["incident_id"])) if _incident(reminder) else None
    if room is None:
        return [(reminder.key, channel, {})]
    thread = {"thread_of": incident_alert_key(int(reminder.ref["incident_id"]))}
    return [(reminder.key, room, {}), (f"{reminder.key}:thread", channel, thread)]


def deliver_due(
    store: Store,
    *,
    now: datetime,
    config: ReminderConfig,
    channel: str,
    post: outbox.Post,
    only: Collection[str] | None = None,
) -> list[outbox.Outcome]:
    """The tick, for Slack, the console and the CLI alike: enqueue the reminders due at `now`,
    then deliver everything the outbox holds that is due (alerts, retries and reminders), or
    only what is addressed to `only` (a terminal's own channel)."""
    enqueue_due(store, now=now, config=config, channel=channel)
    return outbox.deliver_pending(store, now=now, post=post, channels=only)
