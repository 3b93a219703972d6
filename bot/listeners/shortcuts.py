"""Message shortcuts: "登记为安全事件 / File as incident" opens the incident form pre-filled from
the message (its text, its time as the discovery time, its permalink as the source)."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError

from bot.incident_form import incident_modal, prefill_from_message, source_metadata
from bot.listeners.errors import after_ack
from bot.mrkdwn import unescape
from bot.services import Services

log = logging.getLogger(__name__)
_TS = re.compile(r"^\d{9,10}\.\d{6}$")  # a Slack message ts: seconds.micro-sequence


def _permalink(client: Any, channel: str, ts: str) -> str:
    """The message's permalink, or "" when Slack will not give it (the form still opens)."""
    try:
        return str(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except SlackApiError as error:  # e.g. a private channel the bot is not in
        log.warning("chat.getPermalink failed: %s", error.response.get("error"))
        return ""


def register(app: App, services: Services) -> None:
    def file_as_incident(ack: Ack, body: dict[str, Any], client: Any) -> None:
        ack()
        # At once, never queued behind answers: the trigger_id expires 3 seconds after the click.
        after_ack(services, body, client, None, lambda: open_form(body, client), at_once=True)

    def open_form(body: dict[str, Any], client: Any) -> None:
        user = body["user"]["id"]
        channel = str((body.get("channel") or {}).get("id") or "")
        message = body.get("message") or {}
        ts = str(message.get("ts") or body.get("message_ts") or "")
        lang = services.locales.filing_language(client, user)
        tz = services.settings.tz
        # Message text arrives HTML-escaped: unescaped once, then kept as the author typed it.
        text = unescape(str(message.get("text") or "")).strip()
        metadata: dict[str, Any] = {"lang": lang, "channel": channel}
        posted_at, link = None, ""
        if channel and _TS.match(ts):
            posted_at = datetime.fromtimestamp(float(ts), tz)
            link = _permalink(client, channel, ts)
            metadata["source"] = source_metadata(link, channel, ts, posted_at)
        prefill = prefill_from_message(text, posted_at, tz, link)
        client.views_open(
            trigger_id=body["trigger_id"],
            view=incident_modal(lang, json.dumps(metadata, ensure_ascii=False), prefill),
        )

    app.shortcut("file_as_incident")(file_as_incident)
