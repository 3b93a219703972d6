"""The audit chain proves the records: every direct edit, deletion or insertion of a record row is
found, and truncation, an older copy restored or a re-hashed chain are found against the head
kept outside the store (`audit head`, `audit verify --expect-head`). SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.cli import main
from commands.dispatch import run_command
from commands.store import Store
from commands.store.audit import current_head, entry_hash
from commands.store.models import AuditEntry, AuditHead
from commands.store.verify import AuditReport, parse_anchor, verify_audit
from tests.commands.conftest import TZ


def _fill(store: Store, now: datetime) -> None:
    for command, line in (
        ("incident", "勒索病毒 发现时间=09:00"),
        ("incident", "reported 1 网信"),
        ("incident", "门户网站被篡改"),
        ("staff-change", "离岗 张三 运维 2026-12-01"),
        ("inspect", "ok"),
        ("deadlines", "done vuln-scan"),
    ):
        run_command(store, command, line, user="U1", lang="zh", now=now, tz=TZ)


def _verify(store: Store, anchor: str | None = None) -> AuditReport:
    with store.session() as session:
        return verify_audit(session, anchor=parse_anchor(anchor) if anchor else None)


def _head(store: Store) -> str:
    with store.session() as session:
        seq, digest = current_head(session)
    return f"{seq}:{digest}"


def _sql(store: Store, *statements: str) -> None:
    with store.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def _rehash(store: Store) -> None:
    """What a forger who knows the formula does after editing: recompute every hash and the head."""
    with store.session() as session:
        previous = "0" * 64
        for entry in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
            entry.prev_hash = previous
            entry.hash = entry_hash(
                prev_hash=previous,
                at=entry.at,
                actor=entry.actor,
                action=entry.action,
                entity=entry.entity,
                entity_id=entry.entity_id,
                record=entry.record,
            )
            previous = entry.hash
        head = session.get_one(AuditHead, 1)
        head.seq, head.hash = session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).one()


def test_an_untouched_store_verifies_every_record(store: Store, now: datetime) -> None:
    _fill(store, now)
    report = _verify(store, _head(store))
    assert report.ok and report.records == 6


@pytest.mark.parametrize(
    ("tamper", "problem", "where"),
    [
        (
            "UPDATE incidents SET discovered_at = discovered_at + interval '1 hour' WHERE id = 1",
            "record edited",
            "incidents #1",
        ),
        ("UPDATE incident_reports SET on_time = false WHERE id = 1", "record edited", "on_time"),
        ("UPDATE staff_changes SET late = false WHERE id = 1", "record edited", "late"),
        ("DELETE FROM incidents WHERE id = 2", "record deleted", "incidents #2"),
        (
            "INSERT INTO incident_reports (incident_id, authority, reported_at, on_time, reported_by, recorded_at)"
            " VALUES (1, 'police', '2026-11-24 01:30:00', true, 'forger', '2026-11-24 01:30:00')",
            "record inserted",
            "incident_reports #2",
        ),
        ("DELETE FROM obligation_completions", "record deleted", "obligation_completions"),
    ],
    ids=[
        "discovery-time",
        "on-time-flag",
        "late-flag",
        "deleted-incident",
        "forged-report",
        "deleted-completion",
    ],
)
def test_a_direct_change_to_a_record_is_found(
    store: Store, now: datetime, tamper: str, problem: str, where: str
) -> None:
    _fill(store, now)
    if store.dialect == "sqlite":
        tamper = (
            tamper.replace(
                "discovered_at + interval '1 hour'", "datetime(discovered_at, '+1 hour')"
            )
            .replace("true", "1")
            .replace("false", "0")
        )
    _sql(store, tamper)
    report = _verify(store)
    assert not report.ok
    assert report.problem == problem and where in report.detail, report


def test_rehashing_the_chain_after_an_edit_is_caught_by_the_head_kept_outside(
    store: Store, now: datetime
) -> None:
    _fill(store, now)
    anchor = _head(store)
    _sql(
        store,
        "UPDATE incidents SET summary = '演练' WHERE id = 1",
        "UPDATE audit_log SET record = replace(record, '勒索病毒', '演练') WHERE entity = 'incidents'",
    )
    _rehash(store)
    assert _verify(store).ok  # internally consistent again: only the anchor can tell
    report = _verify(store, anchor)
    assert (report.ok, report.problem) == (False, "anchor missing")


def test_a_cut_tail_with_the_head_moved_back_is_caught_by_the_anchor(
    store: Store, now: datetime
) -> None:
    _fill(store, now)
    anchor = _head(store)
    seq = int(anchor.split(":")[0])
    with store.session() as session:
        keep = session.execute(
            select(AuditEntry.hash).where(AuditEntry.seq == seq - 1)
        ).scalar_one()
    _sql(
        store,
        f"DELETE FROM audit_log WHERE seq = {seq}",
        "DELETE FROM obligation_completions",  # the record the last entry proved
        f"UPDATE audit_head SET seq = {seq - 1}, hash = '{keep}'",
    )
    assert _verify(store).ok
    assert _verify(store, anchor).problem == "anchor missing"
    assert _verify(store, anchor.split(":")[1]).problem == "anchor missing"  # HASH alone works too


def test_a_wiped_log_leaves_records_nothing_proves(store: Store, now: datetime) -> None:
    _fill(store, now)
    _sql(store, "DELETE FROM audit_log", f"UPDATE audit_head SET seq = 0, hash = '{'0' * 64}'")
    report = _verify(store)
    assert (report.ok, report.problem) == (False, "record inserted")


def test_an_older_copy_restored_is_caught_by_the_anchor(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "store.sqlite3"
    store = Store.open(f"sqlite:///{path}")
    _fill(store, now)
    store.dispose()
    shutil.copy(path, tmp_path / "backup.sqlite3")
    store = Store.open(f"sqlite:///{path}")
    run_command(
        store, "incident", "后来的事件", user="U1", lang="zh", now=now + timedelta(hours=1), tz=TZ
    )
    anchor = _head(store)  # posted to the alert channel that day
    store.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "backup.sqlite3", path)
    store = Store.open(f"sqlite:///{path}")
    try:
        assert _verify(store).ok  # the older copy is consistent in itself
        assert _verify(store, anchor).problem == "anchor missing"
    finally:
        store.dispose()


def test_audit_head_and_verify_expect_head_through_the_cli(
    db_url: str,
    now: datetime,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    assert main(["db", "upgrade"]) == 0
    store = Store.open(db_url)
    _fill(store, now)
    capsys.readouterr()
    assert main(["audit", "head"]) == 0
    anchor = capsys.readouterr().out.strip()
    assert anchor == _head(store) and anchor.startswith("6:")
    assert main(["audit", "verify", "--expect-head", anchor]) == 0
    assert "6 records match" in capsys.readouterr().out
    _sql(store, "DELETE FROM incidents WHERE id = 2")
    store.dispose()
    assert main(["audit", "verify", "--expect-head", anchor]) == 1
    assert "record deleted" in capsys.readouterr().out
    assert main(["audit", "verify", "--expect-head", "not-a-head"]) == 2
