"""Which language to reply in.

Questions are answered in their own language ("How fast…" in English even from a Chinese
workspace). Filings answer in the user's Slack locale: the grammar's keywords are English for
everyone, so `/inspect ok` or `/incident reported 3 cac` from a Chinese user gets Chinese.

The locale comes from users.info (include_locale) and is cached for the process. A reply waits
for it at most LOOKUP_WAIT_S: when Slack is slow the reply falls back (the text's own language,
else Chinese) and the lookup finishes in the background to fill the cache for the next reply.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from knowledge.lang import detect_language
from knowledge.types import Lang

log = logging.getLogger(__name__)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORDS = re.compile(r"[A-Za-z]{2,}")

LOOKUP_WAIT_S = 1.0  # the most a reply ever waits for users.info
RETRY_FAILED_AFTER_S = 300.0  # a failed lookup (unknown user, missing scope) is not retried sooner


def language_of(text: str) -> Lang | None:
    """The language a piece of text is clearly in, or None ("/inspect ok" says nothing)."""
    if _CJK.search(text):
        return "zh"
    if len(_WORDS.findall(text)) >= 2:
        return detect_language(text)
    return None


@dataclass
class _Lookup:
    started: float
    done: threading.Event = field(default_factory=threading.Event)


class Locales:
    """Users' Slack locales, looked up once each, never holding a reply more than `wait_s`."""

    def __init__(self, *, wait_s: float = LOOKUP_WAIT_S) -> None:
        self._wait_s = wait_s
        self._cache: dict[str, Lang] = {}
        self._pending: dict[str, _Lookup] = {}
        self._failed_at: dict[str, float] = {}
        self._lock = threading.Lock()

    def question_language(self, client: Any, user_id: str, text: str) -> Lang:
        """A question's own language; the user's locale when the text does not say."""
        return language_of(text) or self.locale_of(client, user_id) or "zh"

    def filing_language(self, client: Any, user_id: str, text: str = "") -> Lang:
        """The user's locale; until it is known, the text's own language, else Chinese."""
        return self.locale_of(client, user_id) or language_of(text) or "zh"

    def of_user(self, client: Any, user_id: str) -> Lang:
        """The user's locale, Chinese when it is not known (yet)."""
        return self.locale_of(client, user_id) or "zh"

    def locale_of(self, client: Any, user_id: str) -> Lang | None:
        """The cached locale, or one looked up within the wait; None when Slack is too slow."""
        if not user_id:
            return None
        with self._lock:
            if user_id in self._cache:
                return self._cache[user_id]
            failed = self._failed_at.get(user_id)
            if failed is not None and time.monotonic() - failed < RETRY_FAILED_AFTER_S:
                return None
            lookup = self._pending.get(user_id)
            if lookup is None:
                lookup = self._pending[user_id] = _Lookup(time.monotonic())
                # A daemon thread, not a pool: a users.info hanging for the client's whole
                # timeout must neither queue other users' lookups nor hold up the process's exit.
                threading.Thread(
                    target=self._look_up,
                    args=(client, user_id, lookup),
                    name="users.info",
                    daemon=True,
                ).start()
        # Waiting is measured from the lookup's start: a second reply to the same user while it
        # is pending does not wait a second time.
        lookup.done.wait(max(0.0, lookup.started + self._wait_s - time.monotonic()))
        with self._lock:
            return self._cache.get(user_id)

    def _look_up(self, client: Any, user_id: str, lookup: _Lookup) -> None:
        try:
            user = client.users_info(user=user_id, include_locale=True)["user"]
            lang: Lang = "en" if str(user.get("locale", "")).lower().startswith("en") else "zh"
            with self._lock:
                self._cache[user_id] = lang
                self._failed_at.pop(user_id, None)
        except Exception as exc:  # an unknown user, a missing scope, Slack down: fall back
            log.warning("users.info failed for %s: %s", user_id, exc.__class__.__name__)
            with self._lock:
                self._failed_at[user_id] = time.monotonic()
        finally:
            with self._lock:
                self._pending.pop(user_id, None)
            lookup.done.set()
