"""Tokens never reach the logs: not at DEBUG where the Slack SDK logs request headers, not inside
an exception's message, not in a traceback."""

from __future__ import annotations

import io
import logging

from bot.app import build_client
from bot.redact import RedactingFormatter, redact
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
    handler.setFormatter(RedactingFormatter())
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


def test_configured_secrets_and_url_passwords_are_masked_too() -> None:
    text = "secret=s3cr3t-signing connect postgresql+psycopg://bot:pa55word@db:5432/x ok=yes"
    cleaned = redact(text, ["s3cr3t-signing", "yes"])  # too short a value is left alone
    assert "s3cr3t" not in cleaned and "pa55word" not in cleaned
    assert "postgresql+psycopg://bot:***@db:5432/x" in cleaned and cleaned.endswith("ok=yes")


def test_the_formatter_masks_exception_messages_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter(secrets=["signing-secret-77"]))
    log = logging.getLogger("tests.redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        token = "xoxb-1111-2222-leakedtoken"
        raise RuntimeError(f"invalid_auth for {token} (secret signing-secret-77)")
    except RuntimeError:
        log.exception("posting failed")
    finally:
        log.removeHandler(handler)
        log.propagate = True
    logged = stream.getvalue()
    assert "Traceback (most recent call last)" in logged and "RuntimeError: invalid_auth" in logged
    assert "leakedtoken" not in logged and "signing-secret-77" not in logged
    assert "xoxb-***" in logged


def test_settings_never_print_their_secrets() -> None:
    settings = Settings(SLACK_BOT_TOKEN="xoxb-secret-token-42", SLACK_SIGNING_SECRET="shh")
    assert "secret-token-42" not in repr(settings) and "shh" not in str(settings)


def test_the_cli_keeps_tokens_out_of_debug_logs(fake: FakeSlack, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "DATA_DIR": str(tmp_path),
        "LOG_LEVEL": "DEBUG",
        "SLACK_BOT_TOKEN": "xoxb-very-secret-999",
        "SLACK_API_URL": fake.api_url,
        "ALERT_CHANNEL": "C1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "remind", "--now", "2030-01-15 22:30"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "posted inspection:2030-01-15:missed" in done.stdout
    assert "chat.postMessage" in done.stderr  # the SDK did log its requests at DEBUG
    assert "very-secret-999" not in done.stderr + done.stdout
