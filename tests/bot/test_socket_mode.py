"""Socket Mode against a local WebSocket server that delivers envelopes and records the acks."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from slack_bolt.adapter.socket_mode import SocketModeHandler
from sqlalchemy import func, select
from websockets.sync.server import ServerConnection, serve

from bot.app import build_app
from bot.services import Services
from bot.settings import Settings
from commands.store.models import Incident
from tests.bot.fake_slack import FakeSlack


class EnvelopeServer:
    """Says hello, delivers the queued envelopes, and collects what the app sends back."""

    def __init__(self) -> None:
        self.outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.acks: list[dict[str, Any]] = []
        self._server = serve(self._handle, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _handle(self, connection: ServerConnection) -> None:
        connection.send(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        )
        while True:
            try:
                envelope = self.outbox.get(timeout=0.05)
                connection.send(json.dumps(envelope))
            except queue.Empty:
                pass
            try:
                message = connection.recv(timeout=0.05)
            except TimeoutError:
                continue
            except Exception:
                return
            self.acks.append(json.loads(message))

    def close(self) -> None:
        self._server.shutdown()


@pytest.fixture
def envelopes(fake: FakeSlack) -> Iterator[EnvelopeServer]:
    server = EnvelopeServer()
    fake.socket_url = server.url
    yield server
    server.close()


def test_a_slash_command_over_socket_mode_is_acked_and_filed(
    settings: Settings, services: Services, fake: FakeSlack, envelopes: EnvelopeServer
) -> None:
    app = build_app(
        settings.model_copy(
            update={"slack_signing_secret": settings.slack_signing_secret.__class__("")}
        ),
        services,
    )
    handler = SocketModeHandler(app, "xapp-test-app-token", web_client=app.client)
    handler.connect()
    try:
        envelopes.outbox.put(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "command": "/incident",
                    "text": "Socket Mode 测试事件",
                    "user_id": "UZH",
                    "channel_id": "C1",
                    "team_id": "T1",
                    "trigger_id": "trig-s1",
                    "response_url": fake.response_url("sock"),
                },
            }
        )
        deadline = time.monotonic() + 15
        while not envelopes.acks and time.monotonic() < deadline:
            time.sleep(0.05)
        assert envelopes.acks and envelopes.acks[0]["envelope_id"] == "env-1"
        reply = fake.wait_for("response_url")[0].args
        assert "已登记网络安全事件 #1" in reply["text"]
        with services.store.session() as session:
            assert session.execute(select(func.count()).select_from(Incident)).scalar_one() == 1
        opened = fake.of("apps.connections.open")
        assert opened and opened[0].headers["authorization"] == "Bearer xapp-test-app-token"
    finally:
        handler.close()


def test_a_refused_app_token_is_a_startup_error_not_a_traceback(
    settings: Settings, services: Services, fake: FakeSlack
) -> None:
    from bot.lifecycle import StartupError
    from bot.slack_cli import socket_mode_runner

    fake.fail_next("apps.connections.open", 200, "invalid_auth")
    app = build_app(settings, services)
    runner = socket_mode_runner(
        app, settings.model_copy(update={"slack_app_token": SecretStr("xapp-wrong")})
    )
    with pytest.raises(StartupError, match=r"SLACK_APP_TOKEN.*invalid_auth"):
        runner.start()
