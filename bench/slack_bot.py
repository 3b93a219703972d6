"""The bot as the Slack benches run it: its HTTP edge on a loopback port against a fake Slack."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.app import build_app
from bot.http_server import SlackHTTPServer
from bot.services import Services
from bot.settings import Settings
from commands.store import Store
from knowledge.engine import KnowledgeConfig, build_answerer
from tests.bot.conftest import SECRET, SlackClient


@dataclass
class RunningBot:
    services: Services
    server: SlackHTTPServer

    @property
    def port(self) -> int:
        return self.server.port

    def client(self) -> SlackClient:
        return SlackClient(f"http://127.0.0.1:{self.port}")

    def drain(self) -> None:
        """Wait for the work behind the acks (answers, filings) and their alerts' first attempts."""
        self.services.interactive.shutdown(wait=True)
        self.services.background.shutdown(wait=True)
        self.services.delivery.shutdown(wait=True)


@contextmanager
def running_bot(
    tmp: Path, api_url: str, *, database: str = "store.sqlite3"
) -> Iterator[RunningBot]:
    """Serve the bot on a free port until the block ends; then drain, stop and close the store."""
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=api_url,
        ALERT_CHANNEL="CALERT",
        DATABASE_URL=f"sqlite:///{tmp / database}",
    )
    answerer = build_answerer(KnowledgeConfig(chroma_path=tmp / "chroma"))
    store = Store.open(settings.resolved_database_url)
    services = Services(settings=settings, answerer=answerer, store=store)
    server = SlackHTTPServer(
        build_app(settings, services), signing_secret=SECRET, host="127.0.0.1", port=0
    )
    server.start()
    bot = RunningBot(services, server)
    try:
        yield bot
    finally:
        bot.drain()
        server.stop()
        store.dispose()
