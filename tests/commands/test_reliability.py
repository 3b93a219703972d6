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
from commands.store.audit import verify_audit
from commands.store.models import AuditEntry, Incident, ObligationCompletion

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
    assert _count(store, ObligationCompletion) == PER_WORKER  # shared keys landed once each
    with store.session() as session:
        summaries = set(session.execute(select(Incident.summary)).scalars())
        report = verify_audit(session)
    assert summaries == {f"{n} incident {i}" for n in ("alpha", "beta") for i in range(PER_WORKER)}
    assert report.ok, report
    assert report.entries == 3 * PER_WORKER


def test_a_process_killed_inside_a_filing_leaves_nothing_behind(
    store: Store, db_url: str, tmp_path: Path
) -> None:
    marker = tmp_path / "inside"
    victim = _spawn(db_url, "pause", str(marker))
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert victim.poll() is None, victim.stderr.read().decode() if victim.stderr else ""
        assert time.monotonic() < deadline, "the filer never reached its transaction"
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert _count(store, Incident) == 0
    assert _count(store, AuditEntry) == 0
    # The store is usable straight away and the chain still verifies.
    done = _spawn(db_url, "worker", "1", "after")
    assert done.wait(timeout=120) == 0
    with store.session() as session:
        assert verify_audit(session).ok
    assert _count(store, Incident) == 1
