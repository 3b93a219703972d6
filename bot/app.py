"""build_app(settings, services) -> App. Nothing is built at import time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.listeners import register_all
from bot.services import Services
from bot.settings import Settings

LISTENER_THREADS = 64


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
        # No auth.test while building: `serve` has already waited for Slack with backoff
        # (bot.lifecycle), and Bolt calls it again lazily on the first request.
        token_verification_enabled=False,
        process_before_response=False,  # ack first; listeners finish in Bolt's worker threads
        # Bolt's default pool has 5 workers and an ack waits for a free one: with slow work after
        # ack (answers, Slack calls) that queues acks behind it under load.
        listener_executor=ThreadPoolExecutor(
            max_workers=LISTENER_THREADS, thread_name_prefix="listener"
        ),
    )
    register_all(app, services)
    return app
