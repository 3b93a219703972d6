"""Slack's three control characters, crossed exactly once each way at the edge.

Slack parses `<…>` in mrkdwn as mentions and links (`<!channel>`, `<@U123>`,
`<https://evil.example|click>`), and `&` starts an entity. Text a user typed is therefore escaped
whenever it is rendered as mrkdwn (a message's `text`, a mrkdwn text object), so it can neither
ping anyone nor disguise a link. plain_text objects are never parsed and take the raw text.

On the way in, slash-command and message text arrive with those three characters already
encoded (`&lt;`), while form values and button values arrive raw: the edge unescapes the former
once, so the store holds what the user typed.
"""

from __future__ import annotations

import re

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ENTITY = re.compile(r"&(amp|lt|gt);")
_CHARS = {"amp": "&", "lt": "<", "gt": ">"}


def escape(text: str) -> str:
    """Text safe inside mrkdwn: &, < and > become entities (nothing else changes)."""
    return text.translate(_ESCAPES)


def unescape(text: str) -> str:
    """Undo Slack's encoding of incoming text, in one pass (so `&amp;lt;` becomes `&lt;`)."""
    return _ENTITY.sub(lambda match: _CHARS[match.group(1)], text)
