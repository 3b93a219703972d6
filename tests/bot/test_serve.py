"""`compliance-bot serve --http` as a real process: it waits for an unreachable Slack with
backoff (one line per attempt), warns when ALERT_CHANNEL is unset, serves, and on SIGTERM stops
accepting, finishes the work already acked and exits 0."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.settings import settings_reference
from tests.bot.conftest import SECRET, SlackClient
from tests.bot.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    settings = {name for name, _, _ in settings_reference()}
    env = {k: v for k, v in os.environ.items() if k not in settings}
    return env | {"PYTHONPATH": str(ROOT), "DATA_DIR": str(data_dir), **extra}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the regulation already indexed, so serve starts quickly."""
    data = tmp_path_factory.mktemp("served")
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "ingest"],
        env=_env(data),
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return data


class Lines:
    """A process's stderr, collected line by line as it comes."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, test: Callable[[list[str]], bool], timeout: float = 180) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if test(list(self.lines)):
                return list(self.lines)
            time.sleep(0.05)
        raise AssertionError("\n".join(self.lines[-40:]))


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_serve_waits_for_slack_serves_and_drains_on_sigterm(indexed: Path) -> None:
    slack_port, bot_port = _free_port(), _free_port()
    env = _env(
        indexed,
        SLACK_BOT_TOKEN="xoxb-serve-test-token",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=f"http://127.0.0.1:{slack_port}/api/",
        LOG_LEVEL="INFO",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "serve",
            "--http",
            "--host=127.0.0.1",
            f"--port={bot_port}",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    stderr = Lines(process.stderr)
    try:
        # Nothing listens on Slack's port yet: one line per attempt, each waiting twice as long.
        lines = stderr.wait_for(lambda ls: sum("unreachable" in line for line in ls) >= 2)
        attempts = [line for line in lines if "unreachable" in line]
        assert "retrying in 1 s" in attempts[0] and "retrying in 2 s" in attempts[1]
        assert len(lines) == len(attempts)  # nothing else: no SDK noise, no traceback
        with FakeSlack(port=slack_port) as fake:
            deadline = time.monotonic() + 180
            while not _healthy(bot_port):
                assert process.poll() is None and time.monotonic() < deadline, stderr.lines
                time.sleep(0.2)
            assert any("ALERT_CHANNEL is not set" in line for line in stderr.lines)

            fake.hold("response_url")  # the reply to this filing hangs in Slack...
            client = SlackClient(f"http://127.0.0.1:{bot_port}")
            assert (
                client.command("/inspect", "ok", response_url=fake.response_url("held"))[0] == 200
            )
            fake.wait_for("response_url")
            process.send_signal(signal.SIGTERM)  # ...while the bot is told to stop
            stderr.wait_for(lambda ls: any("finishing work already acknowledged" in x for x in ls))
            assert process.poll() is None  # still finishing the acked work
            assert not _healthy(bot_port)  # but no longer accepting
            fake.release("response_url")
            assert process.wait(timeout=60) == 0
        assert "stopped cleanly" in stderr.wait_for(lambda ls: "stopped cleanly" in ls[-1])[-1]
        assert not any("Traceback" in line for line in stderr.lines)
        with sqlite3.connect(indexed / "compliance.sqlite3") as db:
            assert db.execute("select count(*) from inspections").fetchone() == (1,)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
