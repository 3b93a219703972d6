"""Real processes: concurrent filers lose and duplicate nothing; a killed filer leaves all or nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from commands.store import Store
from commands.store.models import AuditEntry, Incident, Inspection
from commands.store.verify import verify_audit

ROOT = Path(__file__).resolve().parents[2]
PER_WORKER = 15


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.commands.filer_process", *args],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
    )


def _count(store: Store, model) -> int:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_two_processes_filing_at_once_lose_and_duplicate_nothing(store: Store, db_url: str) -> None:
    workers = [_spawn(db_url, "worker", str(PER_WORKER), name) for name in ("alpha", "beta")]
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err.decode()
    assert _count(store, Incident) == 2 * PER_WORKER
    assert _count(store, Inspection) == PER_WORKER  # shared keys landed once each
    with store.session() as session:
        summaries = set(session.execute(select(Incident.summary)).scalars())
        report = verify_audit(session)
    assert summaries == {f"{n} incident {i}" for n in ("alpha", "beta") for i in range(PER_WORKER)}
    assert report.ok, report
    assert report.entries == 3 * PER_WORKER


def _wait_for(path: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, f"the child never wrote {path.name}"
        time.sleep(0.05)


def test_a_process_killed_inside_a_filing_leaves_nothing_behind(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    victim = _spawn(db_url, "pause", str(tmp_path / "inside"))
    _wait_for(tmp_path / "inside", victim)
    # A second filer queues behind the victim's lock (PostgreSQL: the audit head row; SQLite:
    # the write lock, already at open); the kill must free it.
    queued = _spawn(db_url, "worker", "2", "after", str(tmp_path / "ready"))
    _wait_for(tmp_path / "ready", queued)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    _, err = queued.communicate(timeout=120)
    assert queued.returncode == 0, err.decode()
    with store.session() as session:
        summaries = list(session.execute(select(Incident.summary).order_by(Incident.id)).scalars())
        report = verify_audit(session)
    # None of the killed filing (neither its incident nor its audit entry), all of the other's.
    assert summaries == ["after incident 0", "after incident 1"]
    assert report.ok, report
    assert report.entries == 4 == _count(store, AuditEntry)


def test_processes_starting_together_on_an_empty_database_all_migrate(
    db_url: str, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    starters = [_spawn(db_url, "open", str(tmp_path / f"ready{i}"), str(go)) for i in range(4)]
    for i, starter in enumerate(starters):
        _wait_for(tmp_path / f"ready{i}", starter)
    go.write_text("go")
    for starter in starters:
        _, err = starter.communicate(timeout=120)
        assert starter.returncode == 0, err.decode()
    opened = Store.open(db_url)
    try:
        with opened.session() as session:
            assert verify_audit(session).entries == 0
        assert _count(opened, Incident) == 0
    finally:
        opened.dispose()
