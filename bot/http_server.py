"""HTTP mode: the Slack edge (bot.http_edge) served by waitress.

Why waitress rather than gunicorn (or the standard library's server, which this replaced):
- Its asynchronous front end reads each request completely before a worker thread sees it, so
  slow or stalled clients cost a socket, never a worker, and idle ones are closed after
  CHANNEL_TIMEOUT_S. gunicorn's sync workers are held by a slow client unless a buffering proxy
  sits in front.
- One process: the app, its reminder scheduler, its background pool and the embedding model
  exist once. gunicorn forks workers, each with its own model and its own scheduler; scaling out
  is done with replicas behind a load balancer instead (README).
- It is pure Python, runs in-process in tests and on every OS, and answers malformed HTTP itself
  (400 for a Content-Length that is not a number, 413 over the body limit).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from waitress import wasyncore
from waitress.server import create_server

from bot.http_edge import MAX_BODY_BYTES, SlackEdge

log = logging.getLogger(__name__)

HTTP_THREADS = 16  # WSGI threads; each holds a request only until Bolt's ack, milliseconds
CHANNEL_TIMEOUT_S = 10  # Slack sends a request in one go: a connection idle this long is closed
CLEANUP_INTERVAL_S = 2  # how often idle connections are looked for
CONNECTION_LIMIT = 1000  # open sockets (slow clients included) before accepting pauses
BACKLOG = 1024  # connections the kernel queues during a burst
DRAIN_TIMEOUT_S = 10.0  # on stop, how long requests in flight may take to finish


class SlackHTTPServer:
    """waitress serving SlackEdge(app); start()/stop() in a thread, or serve_forever()."""

    def __init__(
        self,
        app: App,
        *,
        signing_secret: str,
        host: str = "0.0.0.0",
        port: int = 3000,
        channel_timeout: int = CHANNEL_TIMEOUT_S,
        cleanup_interval: int = CLEANUP_INTERVAL_S,
        health: Callable[[], tuple[int, dict[str, Any]]] | None = None,
    ) -> None:
        self._server: Any = create_server(
            SlackEdge(app, signing_secret=signing_secret, health=health),
            host=host,
            port=port,
            threads=HTTP_THREADS,
            channel_timeout=channel_timeout,
            cleanup_interval=cleanup_interval,
            connection_limit=CONNECTION_LIMIT,
            backlog=BACKLOG,
            max_request_body_size=MAX_BODY_BYTES,
            asyncore_use_poll=True,  # select() fails beyond 1,024 descriptors
            ident="compliance-bot",
        )
        self.host = host
        self.port = int(self._server.effective_port)
        self._thread: threading.Thread | None = None

    def serve_forever(self) -> None:
        self._server.run()

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, name="http", daemon=True)
        self._thread.start()

    def stop(self, drain_timeout: float = DRAIN_TIMEOUT_S) -> None:
        """Stop accepting, let the requests in flight finish and their responses go out, close."""
        server = self._server
        # Everything touching the event loop's sockets runs in the loop's own thread.
        server.trigger.pull_trigger(lambda: wasyncore.dispatcher.close(server))  # stop listening
        deadline = time.monotonic() + drain_timeout
        while self._busy() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self._busy():
            log.warning("HTTP requests still in flight after %.0f s; closing them", drain_timeout)
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        if self._thread is not None:
            self._thread.join(timeout=5)
        server.task_dispatcher.shutdown(timeout=1)

    def _busy(self) -> bool:
        """A request being handled, or a response not yet sent, on any connection."""
        channels = list(self._server.active_channels.values())
        return any(channel.requests or channel.total_outbufs_len for channel in channels)
