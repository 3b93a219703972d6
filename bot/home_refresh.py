"""Keeping open Home tabs current without flooding views.publish.

Slack has no "who is looking at Home" API, so users who opened it within ACTIVE_FOR_S are taken
to be watching. A change (any filing that writes) asks for a refresh of each of them; the
request waits `delay_s` so a burst of filings becomes one publish, which reads the store when it
runs (never a stale snapshot). Per user there is at most one publish in flight: a request that
arrives while one runs is remembered and served by one more publish after it.

The timer and the clock are parameters, so tests fire timers by hand instead of sleeping.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

ACTIVE_FOR_S = 3600.0  # a Home tab opened within the last hour is refreshed on changes
DEFAULT_DELAY_S = 2.0


class Timer(Protocol):
    def start(self) -> None: ...
    def cancel(self) -> None: ...


TimerFactory = Callable[[float, Callable[[], None]], Timer]


def thread_timer(delay: float, fire: Callable[[], None]) -> Timer:
    timer = threading.Timer(delay, fire)
    timer.daemon = True
    return timer


@dataclass
class _State:
    opened_at: float = float("-inf")
    timer: Timer | None = None  # a publish is scheduled
    running: bool = False  # a publish is in flight
    again: bool = False  # asked for while in flight


class HomeRefresher:
    """Debounced, coalesced, one-at-a-time views.publish per user."""

    def __init__(
        self,
        publish: Callable[[str], None],
        *,
        delay_s: float = DEFAULT_DELAY_S,
        active_for_s: float = ACTIVE_FOR_S,
        timer: TimerFactory = thread_timer,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._publish = publish
        self._delay_s = delay_s
        self._active_for_s = active_for_s
        self._timer = timer
        self._clock = clock
        self._users: dict[str, _State] = {}
        self._lock = threading.Lock()

    def opened(self, user: str) -> None:
        """The user opened Home: publish at once, and keep it fresh for a while."""
        with self._lock:
            self._users.setdefault(user, _State()).opened_at = self._clock()
        self._request(user, 0.0)

    def changed(self) -> None:
        """Something the dashboard shows changed: refresh every recent viewer (debounced)."""
        now = self._clock()
        with self._lock:
            for user, state in list(self._users.items()):
                idle = state.timer is None and not state.running
                if idle and now - state.opened_at > self._active_for_s:
                    del self._users[user]  # stopped watching: forget them
            watching = [
                u for u, s in self._users.items() if now - s.opened_at <= self._active_for_s
            ]
        for user in watching:
            self._request(user, self._delay_s)

    def watching(self) -> list[str]:
        """Users whose Home tab is refreshed on changes."""
        now = self._clock()
        with self._lock:
            return [u for u, s in self._users.items() if now - s.opened_at <= self._active_for_s]

    def _request(self, user: str, delay: float) -> None:
        with self._lock:
            state = self._users.setdefault(user, _State())
            if state.timer is not None:
                return  # the scheduled publish will read the store after this change
            if state.running:
                state.again = True
                return
            state.timer = self._timer(delay, lambda: self._fire(user))
            timer = state.timer
        timer.start()

    def _fire(self, user: str) -> None:
        with self._lock:
            state = self._users.get(user)
            if state is None or state.timer is None:
                return  # cancelled by close()
            state.timer, state.running, state.again = None, True, False
        try:
            self._publish(user)
        except Exception as exc:  # Slack down or the user gone: the next change tries again
            log.warning("Home tab of %s not published: %s", user, exc.__class__.__name__)
        finally:
            with self._lock:
                state.running = False
                again = state.again
        if again:
            self._request(user, self._delay_s)

    def close(self) -> None:
        """Cancel scheduled publishes (at shutdown)."""
        with self._lock:
            timers = [s.timer for s in self._users.values() if s.timer is not None]
            for state in self._users.values():
                state.timer = None
        for timer in timers:
            timer.cancel()
