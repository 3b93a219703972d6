"""Slack-facing figures: ack latency of slash commands over HTTP with 50 concurrent clients (also
with 100 slow clients holding connections open), filing replies while users.info hangs, and the
reminder tick with 10,000 open items. Run: `.venv/bin/python -m bench.bot_ack` (part of
`make bench`).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.slack_bot import running_bot
from bot.app import build_client
from bot.scheduler import deliver_due
from bot.settings import Settings
from commands.store import Store
from commands.store.models import Incident
from knowledge.eval import percentile
from tests.bot.conftest import SlackClient
from tests.bot.fake_slack import FakeSlack

CLIENTS = int(__import__("os").environ.get("BENCH_CLIENTS", "50"))
REQUESTS_PER_CLIENT = 10
COMMANDS = [
    ("/ask", "出了安全事件多久要上报？"),
    ("/deadlines", ""),
    ("/incident", "list"),
    ("/inspect", "status"),
    ("/incident", "压测事件"),
]
TZ = ZoneInfo("Asia/Shanghai")


def ack_latency(tmp: Path, fake: RemoteFake, *, slow_clients: int = 0) -> None:
    with running_bot(tmp, fake.api_url) as bot:
        slow = [_slow_client(bot.port) for _ in range(slow_clients)]
        # The load comes from another process, as Slack's would: it does not compete for this
        # one's GIL.
        load = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.bot_ack",
                "--load",
                f"http://127.0.0.1:{bot.port}",
                fake.response_url(),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if load.returncode != 0:
            raise RuntimeError(f"load generator failed: {load.stderr[-2000:]}")
        latencies = json.loads(load.stdout)
        drain_started = time.perf_counter()
        bot.drain()  # the answers and filings acked above, and their alerts' first attempts
        drained = time.perf_counter() - drain_started
        closed = sum(_closed_by_server(sock) for sock in slow)
    with_slow = f" with {slow_clients} slow clients connected" if slow_clients else ""
    print(
        f"slash-command ack latency over HTTP{with_slow}, {CLIENTS} concurrent clients, {len(latencies)} requests, all answered 200: p50 {percentile(latencies, 50):.0f} ms, p99 {percentile(latencies, 99):.0f} ms (Slack allows 3000 ms); the work behind the acks finished {drained:.1f} s after the last ack"
        + (f"; {closed} of {slow_clients} slow clients closed by the server" if slow else "")
    )


def _slow_client(port: int) -> socket.socket:
    """A client that sends half a request and then nothing."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n")
    return sock


def _closed_by_server(sock: socket.socket) -> bool:
    """Waits (up to the socket's timeout) for the server to hang up on the idle client."""
    try:
        return sock.recv(100) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    finally:
        sock.close()


def reply_while_users_info_hangs(tmp: Path) -> None:
    """Filing replies from 20 users whose locale Slack never returns: how long each waits."""
    with FakeSlack() as fake, running_bot(tmp, fake.api_url, database="locale.sqlite3") as bot:
        fake.hold("users.info")
        client, waits = bot.client(), []
        for user in range(20):
            started = time.perf_counter()
            client.command(
                "/inspect",
                "status",
                user=f"USLOW{user}",
                response_url=fake.response_url(f"u{user}"),
            )
            fake.reply_to(f"u{user}", timeout=30)
            waits.append((time.perf_counter() - started) * 1000)
        fake.release("users.info")
    print(
        f"filing reply while users.info hangs, 20 users one after another: p50 {percentile(waits, 50):.0f} ms, max {max(waits):.0f} ms (the locale lookup waits at most 1000 ms)"
    )


def generate_load(url: str, response_url: str) -> list[float]:
    """CLIENTS threads each sending signed slash commands; returns the ack latencies in ms."""
    client = SlackClient(url)
    latencies: list[float] = []
    lock = threading.Lock()

    def one_client(index: int) -> None:
        for i in range(REQUESTS_PER_CLIENT):
            command, text = COMMANDS[(index + i) % len(COMMANDS)]
            started = time.perf_counter()
            status, _ = client.command(command, text, user=f"U{index}", response_url=response_url)
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                raise RuntimeError(f"{command} answered {status}")
            with lock:
                latencies.append(elapsed)

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(one_client, range(CLIENTS)))
    return latencies


def reminder_tick(tmp: Path, fake: FakeSlack) -> None:
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_API_URL=fake.api_url,
        ALERT_CHANNEL="CALERT",
        DATABASE_URL=f"sqlite:///{tmp / 'tick.sqlite3'}",
    )
    store = Store.open(settings.resolved_database_url)
    start = datetime(2026, 11, 24, 6, 0, tzinfo=TZ)
    with store.session() as session:
        session.add_all(
            Incident(
                summary=f"open {i}",
                severity="low",
                discovered_at=start - timedelta(minutes=30 + i % 60),
                deadline=start + timedelta(hours=2),
                reporter="bench",
                created_at=start,
            )
            for i in range(10_000)
        )
    client = build_client(settings)
    began = time.perf_counter()
    posted = deliver_due(store, client, start + timedelta(minutes=45), settings=settings)
    first = time.perf_counter() - began
    began = time.perf_counter()
    again = deliver_due(store, client, start + timedelta(minutes=46), settings=settings)
    steady = time.perf_counter() - began
    print(
        f"reminder tick with 10,000 open incidents: {first:.1f} s posting {len(posted):,} reminders to the local fake Slack; next tick {steady * 1000:.0f} ms ({len(again)} new)"
    )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--load":
        print(json.dumps(generate_load(sys.argv[2], sys.argv[3])))
        return
    # The fake Slack API runs in a process of its own, like the real one: the app's process does
    # only the app's work.
    fake_process = subprocess.Popen(
        [sys.executable, "-m", "tests.bot.fake_slack"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert fake_process.stdout is not None
    remote = RemoteFake(fake_process.stdout.readline().strip())
    ack_only = sys.argv[1:] == ["--ack-only"]  # the first figure alone, twice (comparing code)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            ack_latency(Path(tmp), remote)
        with tempfile.TemporaryDirectory() as tmp:
            ack_latency(Path(tmp), remote, slow_clients=0 if ack_only else 100)
    finally:
        fake_process.communicate("")
    if ack_only:
        return
    with tempfile.TemporaryDirectory() as tmp:
        reply_while_users_info_hangs(Path(tmp))
    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        reminder_tick(Path(tmp), fake)


class RemoteFake:
    """The two URLs of a fake Slack API running in another process."""

    def __init__(self, url: str) -> None:
        self.url, self.api_url = url, url + "/api/"

    def response_url(self, name: str = "r") -> str:
        return f"{self.url}/response/{name}"


if __name__ == "__main__":
    main()
