"""build_app(settings, services) -> App. Nothing is built at import time."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.listeners import register_all
from bot.services import Services
from bot.settings import Settings


def build_client(settings: Settings) -> WebClient:
    """A Web API client for SLACK_API_URL that waits out 429s (Retry-After) and retries dropped connections."""
    base_url = (
        settings.slack_api_url
        if settings.slack_api_url.endswith("/")
        else settings.slack_api_url + "/"
    )
    return WebClient(
        token=settings.slack_bot_token.get_secret_value() or None,
        base_url=base_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=3),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def build_app(settings: Settings, services: Services, *, client: WebClient | None = None) -> App:
    """The Slack app with every listener registered; HTTP requests are verified with the signing secret."""
    secret = settings.slack_signing_secret.get_secret_value()
    app = App(
        client=client or build_client(settings),
        signing_secret=secret or None,
        request_verification_enabled=bool(secret),
        # auth.test while building (`serve` calls this once Slack has answered its probe, see
        # bot.lifecycle): Bolt keeps the result. Left to the first request, it was called from
        # every request that arrived before it returned, and the first acks after a start waited
        # for Slack (50 concurrent commands made 12 calls; some acks took over 1 s).
        token_verification_enabled=True,
        # Listeners run on the thread serving the request and the response leaves when they
        # return: each one acks and hands everything slow to a pool (bot.listeners.errors), so it
        # returns in well under a millisecond. Bolt's other mode hands every request to a worker
        # thread and polls for the ack every 10 ms: each ack waited 10 ms, holding an HTTP
        # thread, and under 50 concurrent clients requests queued behind those waits.
        process_before_response=True,
    )
    register_all(app, services)
    return app
