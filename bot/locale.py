"""Which language to reply in: the message's own language, else the user's Slack locale, else Chinese."""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

from knowledge.lang import detect_language
from knowledge.types import Lang

log = logging.getLogger(__name__)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORDS = re.compile(r"[A-Za-z]{2,}")


def language_of(text: str) -> Lang | None:
    """The language a piece of text is clearly in, or None ("/inspect ok" says nothing)."""
    if _CJK.search(text):
        return "zh"
    if len(_WORDS.findall(text)) >= 2:
        return detect_language(text)
    return None


class Locales:
    """Users' Slack locales (users.info with include_locale), cached per process."""

    def __init__(self) -> None:
        self._cache: dict[str, Lang] = {}
        self._lock = threading.Lock()

    def of_user(self, client: Any, user_id: str) -> Lang:
        with self._lock:
            if user_id in self._cache:
                return self._cache[user_id]
        lang: Lang = "zh"
        try:
            locale = client.users_info(user=user_id, include_locale=True)["user"].get("locale", "")
            lang = "en" if str(locale).lower().startswith("en") else "zh"
        except Exception as exc:  # an unknown user or a Slack hiccup: fall back to Chinese
            log.warning("users.info failed for %s: %s", user_id, exc.__class__.__name__)
            return lang
        with self._lock:
            self._cache[user_id] = lang
        return lang

    def reply_language(self, client: Any, user_id: str, text: str) -> Lang:
        return language_of(text) or self.of_user(client, user_id)
