"""Tokens never reach the logs, even at DEBUG where the Slack SDK logs request headers."""

from __future__ import annotations

import io
import logging

from bot.app import build_client
from bot.redact import RedactTokens, redact
from bot.settings import Settings
from tests.bot.fake_slack import FakeSlack


def test_redact_masks_bot_app_and_bearer_tokens() -> None:
    text = "token=xoxb-123-456-abcDEF app=xapp-1-A1-999-xyz header Bearer sk-live-123"
    cleaned = redact(text)
    assert "123-456" not in cleaned and "A1-999" not in cleaned and "sk-live" not in cleaned
    assert "xoxb-***" in cleaned and "xapp-***" in cleaned and "Bearer ***" in cleaned


def test_sdk_debug_logs_carry_no_token(fake: FakeSlack) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactTokens())
    sdk_logger = logging.getLogger("slack_sdk")
    sdk_logger.addHandler(handler)
    previous = sdk_logger.level
    sdk_logger.setLevel(logging.DEBUG)
    try:
        settings = Settings(SLACK_BOT_TOKEN="xoxb-secret-token-42", SLACK_API_URL=fake.api_url)
        build_client(settings).chat_postMessage(channel="C1", text="hi")
    finally:
        sdk_logger.removeHandler(handler)
        sdk_logger.setLevel(previous)
    logged = stream.getvalue()
    assert "chat.postMessage" in logged
    assert "secret-token-42" not in logged
    assert fake.of("chat.postMessage")[0].headers["authorization"] == "Bearer xoxb-secret-token-42"


def test_settings_never_print_their_secrets() -> None:
    settings = Settings(SLACK_BOT_TOKEN="xoxb-secret-token-42", SLACK_SIGNING_SECRET="shh")
    assert "secret-token-42" not in repr(settings) and "shh" not in str(settings)
