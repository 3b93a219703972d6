"""Idempotency keys built from what makes one Slack request unique, or no key at all.

A key that two different requests can share (`cmd:None`, `vote::U1`) turns several users'
filings into one, so a key is only ever built from parts that are all present. Without a key
a request is simply not deduplicated: a retry may file twice, which is visible and fixable;
a shared key silently loses someone's filing.
"""

from __future__ import annotations

import hashlib
from typing import Any


def request_key(kind: str, *parts: object) -> str | None:
    """`kind:part:…`, or None when any part is missing or empty."""
    if any(part is None or str(part) == "" for part in parts):
        return None
    return ":".join([kind, *(str(part) for part in parts)])


def digest(value: str) -> str:
    """A short stable fingerprint, for unique values that must not be stored themselves."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def command_key(body: dict[str, Any]) -> str | None:
    """A slash command: its trigger_id, else its response_url (unique per invocation), else none.

    response_url is a credential for replying into the user's conversation, so only its digest
    is kept.
    """
    if key := request_key("cmd", body.get("trigger_id")):
        return key
    url = body.get("response_url")
    return request_key("cmd:url", digest(url)) if url else None


def message_ts(body: dict[str, Any]) -> str:
    """The ts of the message a button sits on ("" when Slack did not say)."""
    container = body.get("container") or {}
    return str(container.get("message_ts") or (body.get("message") or {}).get("ts") or "")


def event_key(body: dict[str, Any], event: dict[str, Any]) -> str | None:
    """An event: Slack's event_id (the same on its retries), else the message's channel and ts."""
    return request_key("event", body.get("event_id")) or request_key(
        "event", event.get("channel"), event.get("ts")
    )
