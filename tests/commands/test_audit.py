"""The audit chain reports the first entry that was edited, deleted or reordered, on both databases."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text

from commands.store import Store, repo
from commands.store.audit import verify_audit


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


def test_the_cli_prints_and_fails_on_tamper(
    store: Store, now: datetime, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.settings import Settings
    from commands.cli import audit_verify

    _file_five(store, now)
    settings = Settings(DATABASE_URL=db_url)
    assert audit_verify(None, settings) == 0
    assert "5 entries" in capsys.readouterr().out
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET record = '{}' WHERE seq = 4"))
    assert audit_verify(None, settings) == 1
    out = capsys.readouterr().out
    assert "edited" in out and "4" in out
