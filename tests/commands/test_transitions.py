"""State changes happen once: reported / notified / close / done, with several users at the same
instant (real threads and real processes, SQLite and PostgreSQL). The others are told who did it
and when; nobody sees a database error; the audit chain holds exactly one entry per change."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commands.dispatch import run_command
from commands.errors import UserError
from commands.store import Store
from commands.store.models import AuditEntry
from commands.store.verify import verify_audit
from tests.commands.conftest import TZ

ROOT = Path(__file__).resolve().parents[2]
RACERS = 6


def _file(store: Store, command: str, text: str, user: str, now: datetime):  # type: ignore[no-untyped-def]
    return run_command(store, command, text, user=user, lang="en", now=now, tz=TZ)


def _entries(store: Store, action: str) -> int:
    with store.session() as session:
        query = select(func.count()).where(AuditEntry.action == action)
        return int(session.execute(query).scalar_one())


def _race(store: Store, command: str, text: str, now: datetime) -> tuple[list[str], list[str]]:
    """RACERS threads, each its own user, released together; (winners, messages of the losers)."""
    gate = threading.Barrier(RACERS)
    won: list[str] = []
    lost: list[str] = []
    failed: list[BaseException] = []

    def act(user: str) -> None:
        gate.wait()
        try:
            _file(store, command, text, user, now)
            won.append(user)
        except UserError as error:
            lost.append(error.en)
        except BaseException as error:  # a database error would land here: the test fails
            failed.append(error)

    threads = [threading.Thread(target=act, args=(f"U{i}",)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failed, failed
    return won, lost


@pytest.mark.parametrize(
    ("command", "setup", "text", "action"),
    [
        ("incident", ("incident", "病毒"), "close 1 reason=drill", "close"),
        ("incident", ("incident", "病毒"), "reported 1 cac", "report"),
        (
            "staff-change",
            ("staff-change", "leave Zhang ops 2027-06-30"),
            "notified 1 bigdata",
            "notified-bigdata",
        ),
        ("deadlines", None, "done vuln-scan", "complete"),
    ],
    ids=["close", "reported", "notified", "done"],
)
def test_a_transition_raced_by_several_users_happens_once(
    store: Store, now: datetime, command: str, setup: tuple[str, str] | None, text: str, action: str
) -> None:
    if setup:
        _file(store, *setup, "UOWNER", now - timedelta(minutes=5))
    won, lost = _race(store, command, text, now)
    assert len(won) == 1 and len(lost) == RACERS - 1
    assert all("already" in message and won[0] in message for message in lost), lost
    assert _entries(store, action) == 1
    with store.session() as session:
        assert verify_audit(session).ok


def test_the_loser_is_told_who_won_and_when_in_both_languages(store: Store, now: datetime) -> None:
    _file(store, "incident", "病毒", "U1", now)
    _file(store, "incident", "reported 1 网信", "U2", now + timedelta(minutes=3))
    with pytest.raises(UserError) as raised:
        _file(store, "incident", "reported 1 网信办", "U3", now + timedelta(minutes=4))
    assert "U2" in raised.value.zh and "2026-11-24 10:03" in raised.value.zh
    assert "U2" in raised.value.en and "already" in raised.value.en
    assert raised.value.field == "authority"


def test_processes_closing_at_once_close_once(store: Store, db_url: str, tmp_path: Path) -> None:
    _file(store, "incident", "病毒", "UOWNER", datetime(2026, 11, 24, 9, 0, tzinfo=TZ))
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    racers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.commands.filer_process",
                db_url,
                "close",
                str(tmp_path / f"r{i}"),
                str(go),
            ],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
        )
        for i in range(3)
    ]
    deadline = datetime.now().timestamp() + 120
    while not all((tmp_path / f"r{i}").exists() for i in range(3)):
        assert datetime.now().timestamp() < deadline, "the racers never got ready"
        assert all(r.poll() is None for r in racers), [r.stderr.read() for r in racers if r.stderr]
        time.sleep(0.05)
    go.write_text("go")
    codes = []
    for racer in racers:
        _, err = racer.communicate(timeout=120)
        codes.append(racer.returncode)
        assert racer.returncode in (0, 3), err.decode()
    assert sorted(codes) == [0, 3, 3]  # one closed it; two were told it was already closed
    assert _entries(store, "close") == 1
