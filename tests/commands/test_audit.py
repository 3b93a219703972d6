"""The audit chain reports the first entry edited, deleted, reordered or inserted, on both databases."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from commands.store import Store, repo
from commands.store.audit import entry_hash
from commands.store.models import AuditEntry
from commands.store.verify import verify_audit


def _file_five(store: Store, now: datetime) -> None:
    for i in range(5):
        with store.session() as session:
            repo.create_inspection(
                session,
                day=date(2026, 11, 20 + i),
                status="ok",
                notes=f"n{i}",
                filed_by="u1",
                now=now + timedelta(minutes=i),
            )


def _verify(store: Store):  # type: ignore[no-untyped-def]
    with store.session() as session:
        return verify_audit(session)


def test_an_untouched_chain_verifies(store: Store, now: datetime) -> None:
    _file_five(store, now)
    report = _verify(store)
    assert report.ok and report.entries == 5


def test_every_write_is_audited_with_who_what_when(store: Store, now: datetime) -> None:
    with store.session() as session:
        incident = repo.create_incident(
            session,
            summary="勒索病毒",
            severity="high",
            discovered_at=now,
            deadline=now + timedelta(hours=2),
            reporter="U1",
            now=now,
        )
        repo.create_incident_report(
            session,
            incident=incident,
            authority="cac",
            reported_at=now + timedelta(minutes=20),
            reported_by="U2",
            now=now + timedelta(minutes=30),
        )
    with store.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT actor, action, entity, record FROM audit_log ORDER BY seq")
        ).all()
    assert [(r.actor, r.action, r.entity) for r in rows] == [
        ("U1", "create", "incidents"),
        ("U2", "report", "incident_reports"),
    ]
    assert "勒索病毒" in rows[0].record


@pytest.mark.parametrize(
    ("tamper", "problem", "seq"),
    [
        (
            "UPDATE audit_log SET record = replace(record, 'n2', 'forged') WHERE seq = 3",
            "edited",
            3,
        ),
        ("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2", "edited", 2),
        ("DELETE FROM audit_log WHERE seq = 2", "deleted", 2),
        ("DELETE FROM audit_log WHERE seq = 5", "deleted", 5),
        (
            "UPDATE audit_log SET seq = CASE seq WHEN 2 THEN 3 WHEN 3 THEN 2 END WHERE seq IN (2, 3)",
            "reordered",
            2,
        ),
    ],
    ids=["edited-record", "edited-actor", "deleted-middle", "deleted-last", "reordered"],
)
def test_tampering_is_reported_at_the_first_bad_entry(
    store: Store, now: datetime, tamper: str, problem: str, seq: int
) -> None:
    _file_five(store, now)
    with store.engine.begin() as connection:
        if (
            "CASE" in tamper
        ):  # swap through a free number: the primary key forbids a transient duplicate
            connection.execute(text("UPDATE audit_log SET seq = 1000 WHERE seq = 2"))
            connection.execute(text("UPDATE audit_log SET seq = 2 WHERE seq = 3"))
            connection.execute(text("UPDATE audit_log SET seq = 3 WHERE seq = 1000"))
        else:
            connection.execute(text(tamper))
    report = _verify(store)
    assert not report.ok
    assert (report.problem, report.seq) == (problem, seq)


def _sql(store: Store, *statements: str) -> None:
    with store.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def _forge(store: Store, *, seq: int, prev_hash: str, now: datetime) -> str:
    """Write an entry with a valid hash, as someone who knows the formula would; return its hash."""
    digest = entry_hash(
        prev_hash=prev_hash,
        at=now,
        actor="forger",
        action="create",
        entity="inspections",
        entity_id="99",
        record="{}",
    )
    row = {"at": now, "actor": "forger", "action": "create", "entity": "inspections"}
    with store.engine.begin() as connection:
        connection.execute(
            AuditEntry.__table__.insert().values(
                seq=seq, entity_id="99", record="{}", prev_hash=prev_hash, hash=digest, **row
            )
        )
    return digest


def _hash_of(store: Store, seq: int) -> str:
    with store.engine.connect() as connection:
        return str(
            connection.execute(text(f"SELECT hash FROM audit_log WHERE seq = {seq}")).scalar()
        )


def test_a_deletion_hidden_by_renumbering_is_still_a_deletion(store: Store, now: datetime) -> None:
    _file_five(store, now)
    _sql(
        store,
        "DELETE FROM audit_log WHERE seq = 2",
        # Through free numbers: the primary key forbids a transient duplicate.
        "UPDATE audit_log SET seq = seq + 1000 WHERE seq > 2",
        "UPDATE audit_log SET seq = seq - 1001 WHERE seq > 1000",
        "UPDATE audit_head SET seq = 4",
    )
    report = _verify(store)
    assert (report.ok, report.problem, report.seq) == (False, "deleted", 2)


def test_an_entry_forged_into_the_middle_is_reported_as_inserted(
    store: Store, now: datetime
) -> None:
    _file_five(store, now)
    _sql(
        store,
        "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3",
        "UPDATE audit_log SET seq = seq - 999 WHERE seq > 1000",
    )
    _forge(store, seq=3, prev_hash=_hash_of(store, 2), now=now)
    report = _verify(store)
    assert (report.ok, report.problem, report.seq) == (False, "inserted", 3)


def test_a_forged_tail_and_a_rewritten_last_entry_show_at_the_head(
    store: Store, now: datetime
) -> None:
    _file_five(store, now)
    forged = _forge(store, seq=6, prev_hash=_hash_of(store, 5), now=now)
    report = _verify(store)
    assert (report.ok, report.problem, report.seq) == (False, "inserted", 6)
    # The forger also moves the head, then rewrites entry 6 with a recomputed hash.
    _sql(
        store,
        f"UPDATE audit_head SET seq = 6, hash = '{forged}'",
        "DELETE FROM audit_log WHERE seq = 6",
    )
    _forge(store, seq=6, prev_hash=_hash_of(store, 5), now=now + timedelta(days=1))
    report = _verify(store)
    assert (report.ok, report.problem, report.seq) == (False, "edited", 6)


def test_the_cli_prints_and_fails_on_tamper(
    store: Store,
    now: datetime,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bot.settings import Settings
    from commands.cli import audit_verify

    _file_five(store, now)
    # Its own DATA_DIR: the checkout's ./data may hold another store's marker (after `make run`).
    settings = Settings(DATABASE_URL=db_url, DATA_DIR=tmp_path)
    assert audit_verify(None, settings) == 0
    assert "5 entries" in capsys.readouterr().out
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET record = '{}' WHERE seq = 4"))
    assert audit_verify(None, settings) == 1
    out = capsys.readouterr().out
    assert "edited" in out and "4" in out
