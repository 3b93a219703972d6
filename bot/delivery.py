"""Slack as the outbox's `post`: each kind rendered to Block Kit, Slack's errors classified.

`register_kind(kind, fn)` adds a kind: `fn(slack, message) -> Posted`, where `slack` is the
SlackPost (its `.client`, `.store`, `.tz`) and `message` the outbox row (commands.outbox.Message).
A SlackApiError or a network error raised by `fn` is classified here, once, for every kind.
"""

from __future__ import annotations

import logging
import urllib.error
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError, SlackRequestError

from bot import incident_channels, uploads
from bot.blocks import alert_fallback, incident_alert_blocks
from bot.mrkdwn import escape
from commands import alerts, outbox
from commands.outbox import DeliveryFailed, Message, Outcome, Posted
from commands.store import Store

log = logging.getLogger(__name__)

# Slack errors only an operator can fix; retried slowly (they may invite the bot meanwhile) and
# shown in /healthz and the log as an action.
OPERATOR_ERRORS = frozenset(
    {
        "not_in_channel",
        "channel_not_found",
        "is_archived",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "missing_scope",
        "restricted_action",
        "ekm_access_denied",
        "team_access_not_granted",
    }
)
# The message itself is wrong: sending it again cannot succeed.
PERMANENT_ERRORS = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "msg_too_long", "no_text", "invalid_arguments"}
)

ANSWER_ATTEMPTS = 3  # 5 s and 30 s after the first: then the asker has moved on

KindFn = Callable[["SlackPost", Message], Posted]
KINDS: dict[str, KindFn] = {}


def register_kind(kind: str, fn: KindFn) -> None:
    """Deliver outbox rows of `kind` with `fn` (one function per kind, registered at import)."""
    KINDS[kind] = fn


class SlackPost:
    """The outbox's `post` for Slack: render the row by its kind, send it, classify failures."""

    def __init__(self, client: Any, store: Store, tz: ZoneInfo) -> None:
        self.client, self.store, self.tz = client, store, tz

    def __call__(self, message: Message) -> Posted:
        fn = KINDS.get(message.kind)
        if fn is None:
            raise DeliveryFailed(f"no deliverer for kind {message.kind!r}", permanent=True)
        try:
            return fn(self, message)
        except SlackApiError as error:
            raise classify(error) from error
        except (SlackRequestError, urllib.error.URLError, TimeoutError, OSError) as error:
            raise DeliveryFailed(f"network: {error.__class__.__name__}") from error


def classify(error: SlackApiError) -> DeliveryFailed:
    """Transient (HTTP 5xx, ratelimited, anything unknown), an operator's action, or permanent."""
    response = error.response
    code = str(response.get("error") or "")
    status = int(response.status_code or 0)
    reason = f"{code or 'error'} (HTTP {status})"
    if code in OPERATOR_ERRORS:
        return DeliveryFailed(reason, operator_action=code)
    if code in PERMANENT_ERRORS:
        return DeliveryFailed(reason, permanent=True)
    retry_after = None
    if status == 429 or code == "ratelimited":
        header = (response.headers or {}).get("Retry-After") or (response.headers or {}).get(
            "retry-after"
        )
        retry_after = float(header) if header and str(header).isdigit() else None
    return DeliveryFailed(reason, retry_after=retry_after)


def _posted(response: Any, channel: str) -> Posted:
    return Posted(str(response.get("channel") or channel), str(response.get("ts") or ""))


def _message(slack: SlackPost, message: Message) -> Posted:
    """Built by the bot (an answer to an event): mrkdwn already escaped, blocks already built."""
    payload = message.payload
    kwargs: dict[str, Any] = {"channel": message.channel, "text": payload["text"]}
    for optional in ("blocks", "thread_ts"):
        if payload.get(optional):
            kwargs[optional] = payload[optional]
    return _posted(slack.client.chat_postMessage(**kwargs), message.channel)


def _notice(slack: SlackPost, message: Message) -> Posted:
    """Plain text from the domain (reminders, staff notices): both languages, escaped. With
    `thread_of`, in the thread of that message (an incident's alert), once it is posted."""
    text = escape(f"{message.payload['text_zh']}\n{message.payload['text_en']}")
    kwargs: dict[str, Any] = {"channel": message.channel, "text": text}
    if thread_of := message.payload.get("thread_of"):
        where = alerts.posted_at(slack.store, thread_of)
        if where is None:
            raise DeliveryFailed("waiting for the message it answers in a thread to be posted")
        kwargs |= {"channel": where[0], "thread_ts": where[1]}
    return _posted(slack.client.chat_postMessage(**kwargs), kwargs["channel"])


def _incident_alert(slack: SlackPost, message: Message) -> Posted:
    """The incident as it is now, with one button per authority still to report to."""
    incident_id = message.payload["incident_id"]
    data = alerts.incident_alert_data(slack.store, incident_id)
    room = incident_channels.channel_of(slack.store, incident_id)
    response = slack.client.chat_postMessage(
        channel=message.channel,
        text=alert_fallback(data),
        blocks=incident_alert_blocks(data, slack.tz, channel=room),
    )
    return _posted(response, message.channel)


def _incident_alert_update(slack: SlackPost, message: Message) -> Posted:
    """chat.update of the alert in place; waits (a retry) until the alert itself was posted."""
    where = alerts.posted_at(slack.store, message.payload["of"])
    if where is None:
        raise DeliveryFailed("waiting for the alert it updates to be posted")
    channel, ts = where
    incident_id = message.payload["incident_id"]
    data = alerts.incident_alert_data(slack.store, incident_id)
    room = incident_channels.channel_of(slack.store, incident_id)
    slack.client.chat_update(
        channel=channel,
        ts=ts,
        text=alert_fallback(data),
        blocks=incident_alert_blocks(data, slack.tz, channel=room),
    )
    incident_channels.update_card(slack, data)  # the card in the incident's channel, too
    return Posted(channel, ts)


register_kind("message", _message)
register_kind(incident_channels.CARD_KIND, incident_channels.deliver_card)
register_kind(uploads.KIND, uploads.deliver_upload)
register_kind(alerts.NOTICE, _notice)
register_kind(alerts.INCIDENT_ALERT, _incident_alert)
register_kind(alerts.INCIDENT_UPDATE, _incident_alert_update)


def post_once(
    store: Store,
    client: Any,
    tz: ZoneInfo,
    *,
    key: str | None,
    channel: str,
    payload: dict[str, Any],
    now: datetime,
) -> Outcome:
    """Post a bot-built message once per key (a retried event, a double click): enqueue it in a
    short transaction, then deliver it with none open. `key` None: a key of its own."""
    key = key or f"message:{uuid.uuid4().hex}"
    # An answer is worth a few retries (a Slack hiccup), not hours of them: it would be stale.
    payload = {"max_attempts": ANSWER_ATTEMPTS, **payload}
    with store.session() as session:
        outbox.enqueue(session, key=key, kind="message", channel=channel, payload=payload, now=now)
    return outbox.deliver_once(store, key=key, now=now, post=SlackPost(client, store, tz))
