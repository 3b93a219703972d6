"""The Slack app in HTTP mode on a loopback port, a fake Slack Web API, and signed requests."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.app import build_app
from bot.http_server import SlackHTTPServer
from bot.services import Services
from bot.settings import Settings
from commands.store import Store
from knowledge.answer import Answerer
from tests.bot.fake_slack import FakeSlack
from tests.commands.conftest import db_url  # noqa: F401  (SQLite and PostgreSQL, shared)

SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token-0123456789"
ALERTS = "CALERT"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(locales={"UEN": "en-US", "UZH": "zh-CN"}) as slack:
        yield slack


def slack_settings(fake: FakeSlack, tmp_path: Path, **overrides: str) -> Settings:
    """Settings for an app talking to `fake`, its store under `tmp_path`, plus `overrides`."""
    values: dict[str, Any] = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
        "ALERT_CHANNEL": ALERTS,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite3'}",
        "DATA_DIR": tmp_path,
    }
    return Settings(**(values | overrides))


@pytest.fixture
def settings(fake: FakeSlack, tmp_path: Path) -> Settings:
    # Each incident's own channel (issue 10) adds its card and link to the outbox; the tests
    # of alerts, retries and escaping count what ALERT_CHANNEL gets, so they run without it.
    # tests/bot/test_incident_channels.py and test_pins.py turn it on (the product default).
    return slack_settings(fake, tmp_path, INCIDENT_CHANNELS="off")


@pytest.fixture
def services(settings: Settings, answerer: Answerer) -> Iterator[Services]:
    store = Store.open(settings.resolved_database_url)
    yield Services(settings=settings, answerer=answerer, store=store)
    store.dispose()


@dataclass
class SlackClient:
    """Sends correctly signed requests to the app over real HTTP, as Slack does."""

    url: str
    secret: str = SECRET

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        signature = SignatureVerifier(secret or self.secret).generate_signature(
            timestamp=ts, body=body
        )
        request = urllib.request.Request(
            self.url + "/slack/events",
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def command(
        self,
        command: str,
        text: str,
        *,
        user: str = "UZH",
        response_url: str = "",
        trigger_id: str | None = "",
        **kwargs: Any,
    ) -> tuple[int, str]:
        """A slash command; trigger_id "" makes a fresh one, None leaves the field out."""
        form = {
            "command": command,
            "text": text,
            "user_id": user,
            "channel_id": "CGENERAL",
            "team_id": "T1",
            "response_url": response_url,
        }
        if trigger_id is not None:
            form["trigger_id"] = trigger_id or f"trig-{time.monotonic_ns()}"
        return self.post(
            urllib.parse.urlencode(form), "application/x-www-form-urlencoded", **kwargs
        )

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
        return self.post(
            urllib.parse.urlencode({"payload": json.dumps(payload)}),
            "application/x-www-form-urlencoded",
            **kwargs,
        )

    def event(self, event: dict[str, Any], event_id: str, **kwargs: Any) -> tuple[int, str]:
        body = {
            "type": "event_callback",
            "team_id": "T1",
            "api_app_id": "A1",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
        }
        return self.post(json.dumps(body), "application/json", **kwargs)


def view_submission(
    callback_id: str,
    values: dict[str, Any],
    view_id: str = "V1",
    *,
    user: str = "UZH",
    private_metadata: str = "",
) -> dict[str, Any]:
    """Slack's view_submission of a form: `values` maps each block to its action's state."""
    return {
        "type": "view_submission",
        "user": {"id": user},
        "team": {"id": "T1"},
        "trigger_id": "t",
        "view": {
            "id": view_id,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": {k: {"value": v} for k, v in values.items()}},
        },
    }


@pytest.fixture
def slack(settings: Settings, services: Services) -> Iterator[SlackClient]:
    server = SlackHTTPServer(
        build_app(settings, services), signing_secret=SECRET, host="127.0.0.1", port=0
    )
    server.start()
    yield SlackClient(f"http://127.0.0.1:{server.port}")
    server.stop()
