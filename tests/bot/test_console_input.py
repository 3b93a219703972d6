"""The console never drops input: every line gets its answer, whatever the line before did."""

from __future__ import annotations

import io
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.console import run_console
from bot.services import Services
from bot.settings import Settings
from commands.store import Store
from commands.store.models import Incident


class BrokenAnswerer:
    """An answerer that fails the way a bug would: not a user error."""

    def answer(self, question: str, lang: str | None = None) -> object:
        raise RuntimeError(f"boom on {question!r}")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite3"


@pytest.fixture
def services(store_path: Path, tmp_path: Path) -> Iterator[Services]:
    settings = Settings(DATABASE_URL=f"sqlite:///{store_path}", DATA_DIR=tmp_path)
    store = Store.open(settings.resolved_database_url, lock_timeout_s=0.3)
    yield Services(settings=settings, answerer=BrokenAnswerer(), store=store)  # type: ignore[arg-type]
    store.dispose()


def _run(
    services: Services, lines: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str]]:
    status = run_console(services, lang="en", user="U1", stdin=io.StringIO("\n".join(lines) + "\n"))
    return status, [line for line in capsys.readouterr().out.splitlines() if line.strip()]


def _incidents(services: Services) -> int:
    with services.store.session() as session:
        return int(session.execute(select(func.count()).select_from(Incident)).scalar_one())


def test_every_kind_of_bad_line_is_answered_and_the_next_line_still_runs(
    services: Services, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    bad = [
        "/incident close ²",  # a digit that is not 0-9
        f"/incident close {2**63}",  # beyond any database integer
        "/incident 病毒 发现时间=0001-01-01 00:00",  # a year nobody files
        "/incident virus\x00 found",  # NUL: PostgreSQL would refuse it
        "what does article 30 say?",  # the answerer fails unexpectedly
    ]
    with caplog.at_level(logging.ERROR):
        status, out = _run(services, [*bad, "/incident disk array failure sev=low"], capsys)
    assert status == 1
    assert len(out) >= len(bad) + 1
    assert "Opened security incident #1" in "\n".join(out)  # the line after all of them ran
    assert _incidents(services) == 1
    unexpected = [line for line in out if "reference" in line]
    assert len(unexpected) == 1
    reference = unexpected[0].split("reference ")[1][:8]
    assert reference in caplog.text and "boom on" in caplog.text  # details went to the log


def test_a_store_locked_past_its_timeout_is_a_busy_message_not_an_exit(
    services: Services, store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    try:
        status, out = _run(services, ["/incident locked out", "/inspect ok"], capsys)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    text = "\n".join(out)
    assert status == 1
    assert text.count("store is busy") >= 2  # both lines answered, neither written
    assert _incidents(services) == 0


def test_a_clean_run_exits_zero(services: Services, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _run(services, ["/inspect ok", "/incident list"], capsys)
    assert status == 0 and any("Logged the security inspection" in line for line in out)


def test_bytes_that_are_not_utf8_fail_only_their_own_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATA_DIR": str(tmp_path), "PYTHONPATH": str(root), "SLACK_BOT_TOKEN": ""}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", "--lang", "en"],
        input=b"/inspect ok\n/incident caf\xe9 \xff\xfe broken\n/incident list\n",
        env=env,
        cwd=root,
        capture_output=True,
        timeout=600,
    )
    out = done.stdout.decode()
    assert done.returncode == 1
    assert "Logged the security inspection" in out
    assert "not valid UTF-8" in out  # the undecodable line, refused on its own
    assert "No open security incidents" in out  # the line after it still ran
