"""The store: migrations, aware times, idempotency keys, exactly-once delivery claims."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import inspect

from commands.store import Store, repo


def test_migrations_create_every_table_and_are_idempotent(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "inspections",
        "staff_changes",
        "incidents",
        "incident_reports",
        "audit_log",
        "audit_head",
        "reminder_deliveries",
        "idempotent_replies",
        "obligation_completions",
        "feedback_votes",
        "incident_alerts",
        "alembic_version",
    } <= tables
    store.upgrade()  # a second start-up finds nothing to do


def test_times_come_back_timezone_aware(store: Store, now: datetime) -> None:
    with store.session() as session:
        incident = repo.create_incident(
            session,
            summary="s",
            severity="high",
            discovered_at=now,
            deadline=now + timedelta(hours=2),
            reporter="u",
            now=now,
        )
        incident_id = incident.id
    with store.session() as session:
        loaded = repo.get_incident(session, incident_id=incident_id)
        assert loaded is not None
        assert loaded.discovered_at.tzinfo is not None
        assert loaded.discovered_at == now
        assert loaded.deadline.astimezone(UTC) == (now + timedelta(hours=2)).astimezone(UTC)


def test_a_failed_transaction_leaves_nothing(store: Store, now: datetime) -> None:
    try:
        with store.session() as session:
            repo.create_inspection(
                session, day=date(2026, 11, 24), status="ok", notes="", filed_by="u", now=now
            )
            raise RuntimeError("crash before commit")
    except RuntimeError:
        pass
    with store.session() as session:
        assert (
            repo.inspections_between(session, start=date(2026, 11, 1), end=date(2026, 11, 30)) == []
        )
        assert repo.as_record  # the audit log is empty too:
        from commands.store.audit import verify_audit

        assert verify_audit(session).entries == 0


def test_claim_delivery_is_true_once(store: Store, now: datetime) -> None:
    with store.session() as session:
        assert repo.claim_delivery(session, key="incident:1:+60", now=now) is True
        assert repo.claim_delivery(session, key="incident:1:+60", now=now) is False
    with store.session() as session:
        assert repo.claim_delivery(session, key="incident:1:+60", now=now) is False
        assert repo.claim_delivery(session, key="incident:1:+90", now=now) is True


def test_a_rolled_back_claim_frees_the_key(store: Store, now: datetime) -> None:
    try:
        with store.session() as session:
            assert repo.claim_delivery(session, key="k", now=now)
            raise ConnectionError("the post failed")
    except ConnectionError:
        pass
    with store.session() as session:
        assert repo.claim_delivery(session, key="k", now=now) is True


def test_replies_are_remembered_by_key(store: Store, now: datetime) -> None:
    with store.session() as session:
        assert repo.recall_reply(session, key="req-1") is None
        repo.remember_reply(session, key="req-1", reply={"text": "好", "articles": [30]}, now=now)
    with store.session() as session:
        assert repo.recall_reply(session, key="req-1") == {"text": "好", "articles": [30]}


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    opened = Store.open(f"sqlite:///{tmp_path / 'sub' / 'x.sqlite3'}")
    with opened.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    opened.dispose()
