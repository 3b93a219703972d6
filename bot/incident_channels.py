"""A Slack channel per incident (issue 10): `inc-YYYYMMDD-<n>-<slug>`, the filer and
INCIDENT_RESPONDERS invited, the incident card (its Art. 30 clock, one button per authority)
posted there and linked from the alert. That incident's reminders then go to its channel and to
the alert's thread (commands.reminders), and pins there build its timeline (bot.listeners.pins).

Everything goes through the outbox: once an incident's alert is enqueued, `after_filing` adds an
`incident_channel` row; delivering it creates the channel (a retry reuses the one recorded),
invites, and enqueues the card (`incident_card`, rendered from the store when delivered) and the
alert's update that links the channel. Without the scope (missing_scope, restricted_action …)
or with INCIDENT_CHANNELS=off the bot behaves as before — the alert and reminders stay in
ALERT_CHANNEL — and the operator is told once in the log and in /healthz's warnings; an optional
feature never turns /healthz red.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError
from slugify import slugify

from bot.blocks import alert_fallback, incident_alert_blocks
from commands import alerts, outbox
from commands.outbox import Message, Posted
from commands.replies import Reply
from commands.store import Store, repo

if TYPE_CHECKING:
    from bot.delivery import SlackPost

log = logging.getLogger(__name__)

CHANNEL_KIND, CARD_KIND = "incident_channel", "incident_card"
MAX_NAME = 80  # Slack's limit for a channel name (lowercase letters, digits, - and _)
NAME_ATTEMPTS = 5  # inc-…, inc-…-2 … when a name is taken (an archived channel keeps its name)
# Answers that mean the app may not create channels at all: stop trying until restarted.
UNAVAILABLE = {
    "missing_scope",
    "restricted_action",
    "not_allowed_token_type",
    "no_permission",
    "ekm_access_denied",
    "team_access_not_granted",
}


def channel_name(incident_id: int, summary: str, discovered: datetime, attempt: int = 1) -> str:
    """inc-YYYYMMDD-<n>-<ascii slug of the summary>[-<attempt>], at most 80 characters.

    Chinese is transliterated (python-slugify with text-unidecode); what leaves nothing ASCII
    gives the number alone. Mentions, links and punctuation cannot survive a slug.
    """
    head = f"inc-{discovered:%Y%m%d}-{incident_id}"
    tail = f"-{attempt}" if attempt > 1 else ""
    room = MAX_NAME - len(head) - len(tail) - 1
    slug = slugify(summary, max_length=room, word_boundary=True, lowercase=True) if room > 0 else ""
    return f"{head}-{slug}{tail}" if slug else f"{head}{tail}"


def channel_key(incident_id: int) -> str:
    return f"channel:incident:{incident_id}"


def card_key(incident_id: int) -> str:
    return f"card:incident:{incident_id}"


class IncidentChannels:
    """Incident channels for one process: the outbox kinds, and whether Slack said it may not."""

    def __init__(self, *, enabled: bool, responders: tuple[str, ...]) -> None:
        self.enabled, self.responders = enabled, responders
        self.unavailable = ""  # Slack's reason, once it refused for the whole app
        self._lock = threading.Lock()

    def after_filing(self, store: Store, reply: Reply, *, now: datetime) -> str | None:
        """Enqueue the channel of an incident whose alert this filing enqueued; its key, or None."""
        incident_id = reply.data.get("id") if reply.kind == "incident" else None
        if (
            not self.enabled
            or self.unavailable
            or incident_id is None
            or alerts.incident_alert_key(int(incident_id)) not in reply.outbox
        ):
            return None
        key = channel_key(int(incident_id))
        with store.session() as session:
            outbox.enqueue(
                session,
                key=key,
                kind=CHANNEL_KIND,
                channel="",
                payload={"incident_id": int(incident_id)},
                now=now,
            )
        return key

    def deliver_channel(self, slack: SlackPost, message: Message) -> Posted:
        """Create (or, on a retry, reuse) the channel, invite, then enqueue its card and link."""
        incident_id = int(message.payload["incident_id"])
        data = alerts.incident_alert_data(slack.store, incident_id)
        room = channel_of(slack.store, incident_id)
        if not room:
            if self.unavailable:
                return Posted("")  # refused for the app: today's behaviour, nothing to retry
            discovered = datetime.fromisoformat(data["discovered_at"]).astimezone(slack.tz)
            try:
                room, name = _create(slack.client, incident_id, data["summary"], discovered)
            except SlackApiError as error:
                reason = str(error.response.get("error", ""))
                if reason not in UNAVAILABLE:
                    raise  # classified by bot.delivery: retried with backoff
                self._refused(reason)
                return Posted("")
            with slack.store.session() as session:
                repo.set_incident_channel(session, incident_id=incident_id, channel=room, name=name)
        self._invite(slack.client, room, str(data.get("reporter") or ""))
        now = datetime.now(slack.tz)
        alert_key = alerts.incident_alert_key(incident_id)
        # An alert posted before the channel existed is updated to link it; one still to be
        # posted links it by itself (bot.delivery renders the alert with the channel).
        link = f"{alert_key}:channel" if alerts.posted_at(slack.store, alert_key) else None
        with slack.store.session() as session:
            outbox.enqueue(
                session,
                key=card_key(incident_id),
                kind=CARD_KIND,
                channel=room,
                payload={"incident_id": incident_id},
                now=now,
            )
            if link:
                outbox.enqueue(
                    session,
                    key=link,
                    kind=alerts.INCIDENT_UPDATE,
                    channel="",
                    payload={"incident_id": incident_id, "of": alert_key},
                    now=now,
                )
        for key in (card_key(incident_id), link):  # now, rather than at the next poll
            if key:
                outbox.deliver_once(slack.store, key=key, now=now, post=slack)
        return Posted(room)

    def _invite(self, client: Any, channel: str, reporter: str) -> None:
        users = [u for u in dict.fromkeys([reporter, *self.responders]) if u]
        if not users:
            return
        try:
            # force: the valid users are invited even if one of them cannot be.
            client.conversations_invite(channel=channel, users=",".join(users), force=True)
        except SlackApiError as error:
            log.warning(
                "incident channel %s: inviting %s failed (%s)",
                channel,
                ",".join(users),
                error.response.get("error"),
            )

    def _refused(self, reason: str) -> None:
        with self._lock:
            first, self.unavailable = not self.unavailable, reason
        if first:
            log.warning(
                "incident channels are off: conversations.create answered %s. Alerts and "
                "reminders stay in ALERT_CHANNEL. Add the channels:manage scope and reinstall "
                "the app, or set INCIDENT_CHANNELS=off to silence this.",
                reason,
            )


def deliver_card(slack: SlackPost, message: Message) -> Posted:
    """The incident card in its channel: the incident as it is now, as the alert shows it."""
    data = alerts.incident_alert_data(slack.store, int(message.payload["incident_id"]))
    posted = slack.client.chat_postMessage(
        channel=message.channel,
        text=alert_fallback(data),
        blocks=incident_alert_blocks(data, slack.tz),
    )
    return Posted(str(posted.get("channel") or message.channel), str(posted.get("ts") or ""))


def update_card(slack: SlackPost, data: dict[str, Any]) -> None:
    """Keep the card in step with the alert; a failure is logged (the alert itself was updated)."""
    where = alerts.posted_at(slack.store, card_key(int(data["id"])))
    if where is None:
        return  # no channel, or its card not posted yet (it is rendered current when it is)
    try:
        slack.client.chat_update(
            channel=where[0],
            ts=where[1],
            text=alert_fallback(data),
            blocks=incident_alert_blocks(data, slack.tz),
        )
    except (SlackApiError, OSError) as error:
        log.warning("incident #%s: card in %s not updated (%s)", data["id"], where[0], error)


def _create(client: Any, incident_id: int, summary: str, discovered: datetime) -> tuple[str, str]:
    for attempt in range(1, NAME_ATTEMPTS + 1):
        name = channel_name(incident_id, summary, discovered, attempt)
        try:
            created = client.conversations_create(name=name, is_private=False)
            return str(created["channel"]["id"]), name
        except SlackApiError as error:
            if error.response.get("error") != "name_taken" or attempt == NAME_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # the last attempt returns or raises


def channel_of(store: Store, incident_id: int) -> str:
    """The id of an incident's channel, or ""."""
    with store.session() as session:
        row = repo.get_incident_channel(session, incident_id=incident_id)
        return row.channel if row else ""
