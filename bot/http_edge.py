"""The WSGI face of the Slack app: /slack/events for Slack, GET /healthz for load balancers.

A request reaches Bolt only after passing, in this order: the body size (413), the signature
over the raw bytes (401), UTF-8 (400), and the shape Slack always sends (400/415). So nothing of
an unsigned request is ever parsed, and no malformed signed one can reach a parser that would
answer it with a 500 or not at all. Bolt's own adapter (slack_bolt.adapter.wsgi) does the rest.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import time
import urllib.parse
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's largest requests (form submissions with their whole view) are tens of kilobytes.
MAX_BODY_BYTES = 1_000_000
MAX_FORM_FIELDS = 100
MAX_AGE_S = 5 * 60  # Slack's replay window: older timestamps are refused
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # seconds; int() would also take "١٢" or " 12 "

StartResponse = Callable[..., Any]


class _Rejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class SlackEdge:
    """A WSGI application: checks each request, then hands it to Bolt."""

    def __init__(
        self,
        app: App,
        *,
        signing_secret: str,
        max_body: int = MAX_BODY_BYTES,
        health: Callable[[], tuple[int, dict[str, Any]]] | None = None,
    ) -> None:
        if not signing_secret:
            raise ValueError("HTTP mode needs the signing secret")
        self._health = health or (lambda: (200, {"ok": True}))
        self._bolt = SlackRequestHandler(app, path=EVENTS_PATH)
        self._secret = signing_secret.encode("utf-8")
        self._max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == HEALTH_PATH:
            if method not in ("GET", "HEAD"):
                return _reply(start_response, 405, "use GET", {"Allow": "GET, HEAD"})
            status, body = self._health()
            return _reply(
                start_response, status, json.dumps(body, ensure_ascii=False), json_body=True
            )
        if path != EVENTS_PATH:
            return _reply(start_response, 404, "not found")
        if method != "POST":
            return _reply(start_response, 405, "use POST", {"Allow": "POST"})
        try:
            raw = self._checked_body(environ)
        except _Rejected as rejected:
            return _reply(start_response, rejected.status, rejected.reason)
        environ["wsgi.input"] = io.BytesIO(raw)
        environ["CONTENT_LENGTH"] = str(len(raw))
        return self._bolt(environ, start_response)

    def _checked_body(self, environ: dict[str, Any]) -> bytes:
        raw = _read_body(environ, self._max_body)
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not (_TIMESTAMP.fullmatch(timestamp) and signature):
            raise _Rejected(401, "missing or malformed Slack signature headers")
        if not self._signed(raw, timestamp, signature):
            raise _Rejected(401, "invalid or expired Slack signature")
        _check_shape(environ.get("CONTENT_TYPE", ""), raw)
        return raw

    def _signed(self, raw: bytes, timestamp: str, signature: str) -> bool:
        """Slack's v0 signature, HMAC-SHA256 over `v0:{timestamp}:{raw body}`.

        Computed here rather than with slack_sdk's SignatureVerifier, which decodes the body as
        UTF-8 first and raises on anything else: Slack signs bytes, and a body that is not UTF-8
        must be refused as unsigned or as malformed, never with a traceback.
        """
        if abs(time.time() - int(timestamp)) > MAX_AGE_S:
            return False
        base = b"v0:" + timestamp.encode("ascii") + b":" + raw
        expected = b"v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest().encode()
        # WSGI header values are latin-1 strings: any byte sequence compares, none raises.
        return hmac.compare_digest(expected, signature.encode("latin-1", "replace"))


def _read_body(environ: dict[str, Any], limit: int) -> bytes:
    declared = str(environ.get("CONTENT_LENGTH") or "0").strip()
    if not declared.isascii() or not declared.isdigit():
        raise _Rejected(400, "Content-Length must be a number")
    length = int(declared)
    if length > limit:
        raise _Rejected(413, f"body over {limit} bytes")
    raw: bytes = environ["wsgi.input"].read(length) if length else b""
    if len(raw) != length:
        raise _Rejected(400, "body shorter than its Content-Length")
    return raw


def _check_shape(content_type: str, raw: bytes) -> None:
    """What Slack sends: a JSON object, or a form with a command, a JSON `payload` or ssl_check,
    each with the fields Slack always includes (the listeners may rely on them)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Rejected(400, "body is not UTF-8") from None
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json":
        body = _json(text)
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            raise _Rejected(400, "JSON body must be an object with a type")
        if body["type"] == "event_callback" and not isinstance(
            (body.get("event") or {}).get("type"), str
        ):
            raise _Rejected(400, "event_callback without an event")
        return
    if media_type != "application/x-www-form-urlencoded":
        raise _Rejected(415, "expected application/json or application/x-www-form-urlencoded")
    try:
        form = urllib.parse.parse_qs(
            text, keep_blank_values=True, strict_parsing=True, max_num_fields=MAX_FORM_FIELDS
        )
    except ValueError:
        raise _Rejected(400, "body is not a form") from None
    if "payload" in form:
        payload = _json(form["payload"][0]) if len(form["payload"]) == 1 else None
        if not isinstance(payload, dict):
            raise _Rejected(400, "payload must be one JSON object")
        _check_payload(payload)
    elif "command" in form:
        if not form["command"][0].startswith("/") or not form.get("user_id", [""])[0]:
            raise _Rejected(400, "a command needs its name and user_id")
    elif "ssl_check" not in form:
        raise _Rejected(400, "form has no command, payload or ssl_check")


def _check_payload(payload: dict[str, Any]) -> None:
    """An interaction: its type and user, and for a form submission the view and its state."""
    if not isinstance(payload.get("type"), str) or not (payload.get("user") or {}).get("id"):
        raise _Rejected(400, "payload needs a type and a user")
    if payload["type"] == "view_submission":
        view = payload.get("view") or {}
        state = view.get("state") or {}
        if not (
            view.get("id") and view.get("callback_id") and isinstance(state.get("values"), dict)
        ):
            raise _Rejected(400, "view_submission needs the view's id, callback_id and state")


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise _Rejected(400, "invalid JSON") from None


def _reply(
    start_response: StartResponse,
    status: int,
    body: str,
    headers: dict[str, str] | None = None,
    *,
    json_body: bool = False,
) -> list[bytes]:
    data = body.encode("utf-8")
    content_type = "application/json" if json_body else "text/plain; charset=utf-8"
    start_response(
        f"{status} {HTTPStatus(status).phrase}",
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(data))),
            *(headers or {}).items(),
        ],
    )
    return [data]
