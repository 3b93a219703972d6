"""A Slack channel per incident (issue 10): `inc-YYYYMMDD-<n>-<slug>`, the filer and
INCIDENT_RESPONDERS invited, the incident card (its Art. 30 clock, one button per authority)
posted there and linked from the alert. That incident's reminders then go to its channel and to
the alert's thread (`reminder_targets`), and pins there build its timeline (bot.listeners.pins).

Without the scope (missing_scope, restricted_action …) or with INCIDENT_CHANNELS=off the bot
behaves as before: the alert and the reminders stay in ALERT_CHANNEL, and the operator is told
once in the log why. No store transaction is open while Slack is called.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError
from slugify import slugify

from bot.blocks import alert_fallback, incident_alert_blocks
from commands.store import Store, repo

log = logging.getLogger(__name__)

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
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
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


@dataclass(frozen=True)
class Target:
    channel: str
    thread_ts: str | None = None


class IncidentChannels:
    """Opens incident channels for one process; remembers when Slack said it may not."""

    def __init__(self, *, enabled: bool, responders: tuple[str, ...]) -> None:
        self.enabled, self.responders = enabled, responders
        self.unavailable = ""  # Slack's reason, once it refused for the whole app
        self._lock = threading.Lock()

    def open(
        self, store: Store, client: Any, data: dict[str, Any], *, now: datetime, tz: ZoneInfo
    ) -> str:
        """Open the incident's channel, invite, post its card; its id, or "" (today's behaviour)."""
        if not self.enabled or self.unavailable:
            return ""
        incident_id = int(data["id"])
        with store.session() as session:  # once, however many replicas saw the filing
            if not repo.claim_delivery(session, key=f"channel:incident:{incident_id}", now=now):
                return ""
        discovered = datetime.fromisoformat(data["discovered_at"]).astimezone(tz)
        try:
            channel, name = self._create(client, incident_id, data["summary"], discovered)
        except SlackApiError as error:
            self._refused(incident_id, str(error.response.get("error", "")))
            return ""
        except OSError as error:  # Slack unreachable after the client's retries
            self._refused(incident_id, error.__class__.__name__)
            return ""
        with store.session() as session:
            repo.set_incident_channel(session, incident_id=incident_id, channel=channel, name=name)
        self._invite(client, channel, data)
        try:
            card = client.chat_postMessage(
                channel=channel, text=alert_fallback(data), blocks=incident_alert_blocks(data, tz)
            )
        except (SlackApiError, OSError) as error:
            # The channel exists and is linked; the card is the one thing missing from it.
            log.warning("incident #%s: card not posted in %s (%s)", incident_id, channel, error)
            return channel
        with store.session() as session:
            repo.set_incident_card(session, incident_id=incident_id, ts=str(card["ts"]))
        return channel

    def _create(
        self, client: Any, incident_id: int, summary: str, discovered: datetime
    ) -> tuple[str, str]:
        for attempt in range(1, NAME_ATTEMPTS + 1):
            name = channel_name(incident_id, summary, discovered, attempt)
            try:
                created = client.conversations_create(name=name, is_private=False)
                return str(created["channel"]["id"]), name
            except SlackApiError as error:
                if error.response.get("error") != "name_taken" or attempt == NAME_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _invite(self, client: Any, channel: str, data: dict[str, Any]) -> None:
        users = list(dict.fromkeys([str(data.get("reporter") or ""), *self.responders]))
        users = [u for u in users if u]
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

    def _refused(self, incident_id: int, reason: str) -> None:
        if reason in UNAVAILABLE:
            with self._lock:
                first, self.unavailable = not self.unavailable, reason
            if first:
                log.warning(
                    "incident channels are off: conversations.create answered %s. Alerts and "
                    "reminders stay in ALERT_CHANNEL. Add the channels:manage scope and reinstall "
                    "the app, or set INCIDENT_CHANNELS=off to silence this.",
                    reason,
                )
            return
        log.warning(
            "incident #%s: no channel opened (conversations.create: %s); its alert and "
            "reminders stay in ALERT_CHANNEL",
            incident_id,
            reason,
        )


def update_quietly(
    client: Any, channel: str, ts: str, data: dict[str, Any], blocks: list[dict[str, Any]]
) -> None:
    """Update an incident's card or the alert's link; a failure is logged, never the filer's
    problem (their filing is stored, and the alert itself was already posted or updated)."""
    try:
        client.chat_update(channel=channel, ts=ts, text=alert_fallback(data), blocks=blocks)
    except (SlackApiError, OSError) as error:
        log.warning(
            "incident #%s: message %s in %s not updated (%s)", data["id"], ts, channel, error
        )


def channel_of(store: Store, incident_id: int) -> tuple[str, str]:
    """(channel id, card ts) of an incident's channel, or ("", "")."""
    with store.session() as session:
        row = repo.get_incident_channel(session, incident_id=incident_id)
        return (row.channel, row.card_ts) if row else ("", "")


def reminder_targets(store: Store, incident_id: int) -> tuple[Target, Target] | None:
    """An incident's reminders: its channel, then the alert's thread; None without a channel."""
    with store.session() as session:
        row = repo.get_incident_channel(session, incident_id=incident_id)
        alert = repo.get_incident_alert(session, incident_id=incident_id)
        if row is None or alert is None:
            return None
        return Target(row.channel), Target(alert.channel, alert.ts)
