"""Pins and 📌 in an incident's channel become entries of its timeline (issue 10, Art. 30).

A message pinned (`pin_added`) or marked with :pushpin: (`reaction_added`) in a channel opened
for an incident is recorded with AddTimelineEntry through execute: FILERS applies to whoever
pinned it, the entry is audited, and its key is the message (channel:ts), so a pin and a 📌 of
the same message record it once; the repeat is silent. Anywhere else both events are ignored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk.errors import SlackApiError

from bot.listeners.errors import after_ack
from bot.mrkdwn import escape, unescape
from bot.services import Services
from commands.errors import AlreadyDone
from commands.execute import execute
from commands.operations import AddTimelineEntry
from commands.store import repo

PUSHPIN = "pushpin"


def register(app: App, services: Services) -> None:
    def record(client: Any, *, user: str, channel: str, ts: str, source: str, found: Any) -> None:
        with services.store.session() as session:
            incident_id = repo.incident_of_channel(session, channel=channel)
        if incident_id is None:
            return
        message = found() or {}
        text = _entry_text(message)
        if not text:  # a message gone, or one with nothing to quote: nothing to record
            return
        lang = services.locales.filing_language(client, user)
        settings = services.settings
        op = AddTimelineEntry(
            incident_id=incident_id,
            text=text,
            source=source,
            permalink=message.get("permalink") or _permalink(client, channel, ts),
            at=datetime.fromtimestamp(float(ts), settings.tz),
            key=f"{channel}:{ts}",
        )
        try:
            reply = execute(
                services.store,
                op,
                user=user,
                lang=lang,
                now=services.now(),
                tz=settings.tz,
                filers=settings.filers,
                org=settings.org,
            )
        except AlreadyDone:  # pinned after a 📌, or pinned again: already in the timeline
            return
        client.chat_postEphemeral(channel=channel, user=user, text=escape(reply.text))

    def on_pin(event: dict[str, Any], body: dict[str, Any], client: Any) -> None:
        item = event.get("item") or {}
        message = item.get("message") or {}
        channel = str(event.get("channel_id") or item.get("channel") or "")
        ts = str(message.get("ts") or "")
        if item.get("type") != "message" or not (channel and ts and event.get("user")):
            return
        after_ack(
            services,
            body,
            client,
            None,
            lambda: record(
                client,
                user=event["user"],
                channel=channel,
                ts=ts,
                source="pin",
                found=lambda: message,
            ),
        )

    def on_reaction(
        event: dict[str, Any], body: dict[str, Any], client: Any, context: BoltContext
    ) -> None:
        item = event.get("item") or {}
        channel, ts, user = str(item.get("channel") or ""), str(item.get("ts") or ""), event["user"]
        if (
            event.get("reaction") != PUSHPIN
            or item.get("type") != "message"
            or not (channel and ts)
            or user == context.bot_user_id
        ):
            return
        after_ack(
            services,
            body,
            client,
            None,
            lambda: record(
                client,
                user=user,
                channel=channel,
                ts=ts,
                source="reaction",
                found=lambda: _message(client, channel, ts),
            ),
        )

    # An unpin or a removed 📌 leaves the timeline as it was: history is not rewritten.
    app.event("pin_added")(on_pin)
    app.event("reaction_added")(on_reaction)


def _entry_text(message: dict[str, Any]) -> str:
    """The message as typed (Slack's &lt; &gt; &amp; undone once), else its files' names."""
    text = unescape(str(message.get("text") or "")).strip()
    if text:
        return text
    names = [str(f.get("name") or f.get("title") or "") for f in message.get("files") or []]
    names = [n for n in names if n]
    return "📎 " + ", ".join(names) if names else ""


def _message(client: Any, channel: str, ts: str) -> dict[str, Any] | None:
    """The message a 📌 was put on: in the channel's history, else inside a thread."""
    history = client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)
    for message in history.get("messages") or []:
        if message.get("ts") == ts:
            return dict(message)
    replies = client.conversations_replies(
        channel=channel, ts=ts, latest=ts, inclusive=True, limit=1
    )
    for message in replies.get("messages") or []:
        if message.get("ts") == ts:
            return dict(message)
    return None


def _permalink(client: Any, channel: str, ts: str) -> str:
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except SlackApiError:  # the entry is still worth recording without its link
        return ""
