"""HTTP mode: Bolt's /slack/events for events, commands and interactivity, plus GET /healthz.

A threading server: each request gets its own thread, and Bolt acks as soon as the listener
calls ack(), so Slack's 3-second limit holds under concurrent load.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from slack_bolt import App, BoltRequest

EVENTS_PATH = "/slack/events"
MAX_BODY = 1_000_000


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 resets connections under a burst


class SlackHTTPServer:
    def __init__(self, app: App, *, host: str = "0.0.0.0", port: int = 3000) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if urllib.parse.urlparse(self.path).path == "/healthz":
                    self._send(200, json.dumps({"ok": True}), {"Content-Type": "application/json"})
                else:
                    self._send(404, "not found", {})

            def do_POST(self) -> None:
                parsed = urllib.parse.urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                if parsed.path != EVENTS_PATH or length > MAX_BODY:
                    self._send(404 if parsed.path != EVENTS_PATH else 413, "", {})
                    return
                body = self.rfile.read(length).decode("utf-8")
                headers: dict[str, str | Sequence[str]] = {
                    key.lower(): value for key, value in self.headers.items()
                }
                response = app.dispatch(BoltRequest(body=body, query=parsed.query, headers=headers))
                extra = {key: values[0] for key, values in response.headers.items() if values}
                self._send(response.status, response.body, extra)

            def _send(self, status: int, body: str, headers: dict[str, str]) -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass  # request lines carry nothing useful and Bolt logs what matters

        self._server = _Server((host, port), Handler)
        self.port = int(self._server.server_address[1])
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
