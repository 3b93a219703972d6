"""The production HTTP server over real sockets: every malformed request gets a 4xx, the signature
is checked before anything is parsed, slow clients hold nothing, and stop() drains."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest
from slack_bolt import Ack, App
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import func, select

from bot.app import build_app, build_client
from bot.http_edge import MAX_BODY_BYTES
from bot.http_server import SlackHTTPServer
from bot.services import Services
from bot.settings import Settings
from commands.store.models import Incident
from tests.bot.conftest import SECRET, SlackClient
from tests.bot.fake_slack import FakeSlack


def _payload(payload: dict[str, object]) -> bytes:
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


COMMAND = urllib.parse.urlencode(
    {
        "command": "/incident",
        "text": "伪造事件",
        "user_id": "UZH",
        "channel_id": "C1",
        "team_id": "T1",
    }
).encode()


def raw_request(
    port: int,
    body: bytes,
    *,
    content_type: str = "application/x-www-form-urlencoded",
    timestamp: str | None = None,
    signed: bool = True,
    path: str = "/slack/events",
    method: str = "POST",
    content_length: str | None = None,
) -> tuple[int, bytes]:
    """One request written byte for byte (headers a normal client would refuse to send)."""
    ts = timestamp if timestamp is not None else str(int(time.time()))
    headers = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        f"Content-Type: {content_type}",
        f"Content-Length: {content_length if content_length is not None else len(body)}",
        f"X-Slack-Request-Timestamp: {ts}",
        "Connection: close",
    ]
    if signed:  # over the raw bytes, as Slack signs (the SDK's helper only signs UTF-8 text)
        base = f"v0:{ts}:".encode() + body
        digest = hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
        headers.append(f"X-Slack-Signature: v0={digest}")
    request = ("\r\n".join(headers) + "\r\n\r\n").encode() + body
    response = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:
            sock.sendall(request)
            while chunk := sock.recv(65536):
                response += chunk
        except ConnectionResetError:  # the server answered early and hung up (413)
            pass
    status_line, _, rest = response.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


@pytest.fixture
def port(slack: SlackClient) -> int:
    return int(slack.url.rsplit(":", 1)[1])


def _incidents(services: Services) -> int:
    with services.store.session() as session:
        return int(session.execute(select(func.count()).select_from(Incident)).scalar_one())


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b'{"type": "event_callback", "event": {}}', "application/x-www-form-urlencoded", 400),
        (b"payload=%7Bnot+json", "application/x-www-form-urlencoded", 400),
        (b"payload=%5B1%2C2%5D", "application/x-www-form-urlencoded", 400),  # JSON, not an object
        (b"command=%2Fincident&text=\xff\xfe\xfa", "application/x-www-form-urlencoded", 400),
        (b'{"type": "event_callback"', "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b"user_id=U1&text=hello", "application/x-www-form-urlencoded", 400),  # no command
        (b"command=/incident&&&==", "application/x-www-form-urlencoded", 400),
        (COMMAND, "text/plain", 415),
        (b"{}", "application/json", 400),
        (b'{"type": "event_callback"}', "application/json", 400),
        (b"command=%2Fincident&text=x", "application/x-www-form-urlencoded", 400),  # no user_id
        (
            _payload({"type": "block_actions", "actions": []}),
            "application/x-www-form-urlencoded",
            400,
        ),
        (
            _payload({"type": "view_submission", "user": {"id": "U1"}, "view": {"id": "V1"}}),
            "application/x-www-form-urlencoded",
            400,
        ),
    ],
    ids=[
        "json-as-form",
        "payload-invalid-json",
        "payload-not-object",
        "not-utf8",
        "invalid-json",
        "json-not-object",
        "form-without-command",
        "broken-form",
        "unsupported-type",
        "json-without-type",
        "event-without-event",
        "command-without-user",
        "payload-without-user",
        "view-without-state",
    ],
)
def test_signed_but_malformed_requests_get_a_4xx_and_store_nothing(
    port: int, services: Services, body: bytes, content_type: str, status: int
) -> None:
    assert raw_request(port, body, content_type=content_type)[0] == status
    assert _incidents(services) == 0


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"content_length": "abc"}, 400),
        ({"content_length": "-5"}, 400),
        ({"content_length": "1e3"}, 400),
        ({"timestamp": "abc"}, 401),
        ({"timestamp": "１７００"}, 401),  # full-width digits: int() would take them
        ({"timestamp": ""}, 401),
        ({"signed": False}, 401),
    ],
    ids=[
        "length-abc",
        "length-negative",
        "length-float",
        "ts-abc",
        "ts-fullwidth",
        "ts-empty",
        "unsigned",
    ],
)
def test_bad_framing_and_bad_signatures_get_a_4xx(
    port: int, services: Services, kwargs: dict[str, object], status: int
) -> None:
    assert raw_request(port, COMMAND, **kwargs)[0] == status  # type: ignore[arg-type]
    assert _incidents(services) == 0


def test_the_signature_is_checked_before_the_body_is_parsed(port: int) -> None:
    # Unsigned garbage of every kind is refused as unsigned (401), never as malformed (400).
    for body, content_type in (
        (b'{"broken', "application/json"),
        (b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
        (b"\xff\xfe", "application/json"),
    ):
        assert raw_request(port, body, content_type=content_type, signed=False)[0] == 401


def test_a_body_over_the_limit_gets_413_before_it_is_sent(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
            + f"Content-Length: {MAX_BODY_BYTES + 1}\r\n\r\n".encode()
        )
        assert sock.recv(100).startswith(b"HTTP/1.1 413")


def test_a_chunked_request_is_read_whole_and_verified(port: int, fake: FakeSlack) -> None:
    ts = str(int(time.time()))
    body = urllib.parse.urlencode(
        {
            "command": "/inspect",
            "text": "status",
            "user_id": "UZH",
            "channel_id": "C1",
            "team_id": "T1",
            "trigger_id": "chunked-1",
            "response_url": fake.response_url("chunked"),
        }
    ).encode()
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=ts, body=body)
    head = (
        "POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: {signature}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    half = len(body) // 2
    chunks = b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in (body[:half], body[half:]))
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head + chunks + b"0\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 200")
    assert "巡检" in fake.reply_to("chunked")["text"]


def test_paths_and_methods(port: int, slack: SlackClient) -> None:
    assert raw_request(port, b"", method="GET")[0] == 405
    assert raw_request(port, COMMAND, path="/other")[0] == 404
    status, body = raw_request(port, b"", method="GET", path="/healthz")
    assert status == 200 and b'"ok": true' in body


@pytest.fixture
def impatient(settings: Settings, services: Services) -> Iterator[SlackHTTPServer]:
    """The server with a 1 s idle timeout, checked every second."""
    server = SlackHTTPServer(
        build_app(settings, services),
        signing_secret=SECRET,
        host="127.0.0.1",
        port=0,
        channel_timeout=1,
        cleanup_interval=1,
    )
    server.start()
    yield server
    server.stop()


def test_a_hundred_slow_clients_hold_nothing_and_are_closed(
    impatient: SlackHTTPServer, fake: FakeSlack
) -> None:
    slow = []
    for _ in range(100):
        sock = socket.create_connection(("127.0.0.1", impatient.port), timeout=20)
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n")
        slow.append(sock)
    try:
        client = SlackClient(f"http://127.0.0.1:{impatient.port}")
        status, _ = client.command(
            "/inspect", "status", response_url=fake.response_url("meanwhile")
        )
        assert status == 200  # answered while all 100 are still connected
        assert fake.reply_to("meanwhile")
        closed = 0
        for sock in slow:
            try:
                closed += sock.recv(100) == b""  # the server hung up on the idle client
            except ConnectionResetError:
                closed += 1
        assert closed == 100
    finally:
        for sock in slow:
            sock.close()


def test_stop_refuses_new_connections_and_lets_the_request_in_flight_finish(
    fake: FakeSlack, settings: Settings
) -> None:
    entered, release = threading.Event(), threading.Event()
    app = App(
        client=build_client(settings), signing_secret=SECRET, token_verification_enabled=False
    )

    @app.command("/slow")
    def slow(ack: Ack) -> None:
        entered.set()
        release.wait(20)
        ack(text="done")

    server = SlackHTTPServer(app, signing_secret=SECRET, host="127.0.0.1", port=0)
    server.start()
    client = SlackClient(f"http://127.0.0.1:{server.port}")
    answers: list[tuple[int, str]] = []
    request = threading.Thread(target=lambda: answers.append(client.command("/slow", "")))
    request.start()
    assert entered.wait(10)
    stopping = threading.Thread(target=server.stop)
    stopping.start()
    deadline = time.monotonic() + 10
    refused = False
    while not refused and time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            time.sleep(0.05)
        except OSError:
            refused = True
    assert refused and stopping.is_alive()  # not accepting, still waiting for the request
    release.set()
    request.join(10)
    stopping.join(15)
    assert answers and answers[0][0] == 200 and "done" in answers[0][1]
    assert not stopping.is_alive()
