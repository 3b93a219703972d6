"""The serving process from start to stop: wait for Slack, warn about gaps, run, stop gracefully.

SIGTERM (what orchestrators send) and Ctrl-C stop it the same way: no new requests, the ones in
flight answered, the work already acked (answers, filings, Slack posts on the background pool)
finished, the reminder scheduler stopped, the store closed. A second signal stops at once.
"""

from __future__ import annotations

import logging
import signal
import threading
import urllib.error
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.app import build_client
from bot.services import Services
from bot.settings import Settings

log = logging.getLogger(__name__)

# auth.test errors that no retry can fix: the operator has to change the token.
FATAL_AUTH_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
)
FIRST_RETRY_S = 1.0
MAX_RETRY_S = 60.0
PROBE_TIMEOUT_S = 10
# The SDK logs an ERROR and two INFO lines per failed attempt; each attempt here is one line.
_PROBE_LOG = logging.getLogger("bot.lifecycle.probe")
_PROBE_LOG.disabled = True


class StartupError(Exception):
    """Something the operator must fix before the bot can start; shown as one line, exit 2."""


class Runner(Protocol):
    """Started, then stopped: the HTTP server, the Socket Mode connection, the scheduler."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT set `stop`; a second one exits at once (call from the main thread)."""

    def handle(signum: int, _frame: Any) -> None:
        if stop.is_set():
            raise SystemExit(128 + signum)
        log.info("%s received: stopping gracefully", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)


def probe_client(settings: Settings) -> WebClient:
    """The client for the start-up check: this module's backoff replaces the SDK's retries."""
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=build_client(settings).base_url,
        timeout=PROBE_TIMEOUT_S,
        logger=_PROBE_LOG,
        retry_handlers=[],
    )


def wait_for_slack(client: Any, *, stop: threading.Event, api_url: str) -> dict[str, Any] | None:
    """auth.test until Slack answers, backing off 1, 2, 4 … 60 s; None if stopped meanwhile.

    Each failed attempt is one log line. A token Slack refuses raises StartupError at once.
    """
    delay = FIRST_RETRY_S
    while not stop.is_set():
        try:
            return dict(client.auth_test().data)
        except SlackApiError as error:
            code = str(error.response.get("error") or f"HTTP {error.response.status_code}")
            if code in FATAL_AUTH_ERRORS:
                raise StartupError(
                    f"Slack refused SLACK_BOT_TOKEN ({code}): copy the Bot User OAuth Token "
                    "(xoxb-…) from the app's OAuth & Permissions page"
                ) from None
            reason = code
        except Exception as error:  # refused, DNS, TLS, timeout, or not Slack at all
            reason = _reason(error)
        log.warning("Slack API at %s unreachable (%s); retrying in %.0f s", api_url, reason, delay)
        stop.wait(delay)
        delay = min(delay * 2, MAX_RETRY_S)
    return None


def startup_warnings(settings: Settings) -> list[str]:
    """Settings that let the bot run but leave something important undone."""
    warnings = []
    if not settings.alert_channel:
        warnings.append(
            "ALERT_CHANNEL is not set: incident alerts, staff-change notices and reminders are "
            "posted nowhere. Set it to the team channel's id (e.g. C0123456) and invite the bot."
        )
    return warnings


def run_until_stopped(
    runner: Runner, *, scheduler: Runner, services: Services, stop: threading.Event
) -> None:
    """Serve until `stop` is set, then shut down in the order that loses nothing."""
    runner.start()  # first: a refused app token stops here, before anything else runs
    scheduler.start()
    log.info("running; SIGTERM or Ctrl-C stops it gracefully")
    while not stop.wait(1.0):
        pass
    log.info("stopping: no new requests, finishing the ones in flight")
    runner.stop()
    scheduler.stop()
    log.info("finishing work already acknowledged")
    # A form not yet opened is not waited for: its trigger_id expires 3 s after the click anyway.
    services.interactive.shutdown(wait=False, cancel_futures=True)
    services.background.shutdown(wait=True)
    # A post still hanging is not waited for: its row stays leased and is retried (outbox LEASE).
    services.delivery.shutdown(wait=False, cancel_futures=True)
    services.store.dispose()
    log.info("stopped cleanly")


def _reason(error: Exception) -> str:
    if isinstance(error, urllib.error.URLError):
        return str(error.reason)
    return f"{error.__class__.__name__}: {error}"[:200]
