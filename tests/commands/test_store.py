"""The store: migrations, aware times, idempotency keys, exactly-once delivery claims."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from commands.dispatch import run_command
from commands.store import Store, repo
from commands.store.audit import append_audit
from commands.store.db import alembic_config
from commands.store.models import Base, ObligationCompletion
from commands.store.verify import verify_audit
from tests.commands.conftest import TZ


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
        "outbox",
        "incident_channels",
        "alembic_version",
    } <= tables
    assert "incident_alerts" not in tables  # dropped by 0007: the outbox says where alerts are
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
        assert verify_audit(session).entries == 0  # the audit entry went with it


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


def test_the_migrations_build_exactly_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_the_schema_downgrades_to_nothing_and_back(store: Store, now: datetime) -> None:
    with store.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(store.engine).get_table_names()) <= {"alembic_version"}
    store.upgrade()
    with store.session() as session:
        repo.create_completion(
            session, obligation_id="vuln-scan", evidence="", filed_by="u", now=now
        )
        assert verify_audit(session).ok


def test_a_naive_time_is_refused_and_nothing_is_written(store: Store, now: datetime) -> None:
    with pytest.raises(StatementError, match="naive datetime"), store.session() as session:
        repo.create_completion(
            session,
            obligation_id="vuln-scan",
            evidence="",
            filed_by="u",
            now=now.replace(tzinfo=None),
        )
    with store.session() as session:
        assert repo.last_completions(session) == {}
        assert repo.first_activity(session) is None


def test_aggregated_times_are_aware_too(store: Store, now: datetime) -> None:
    with store.session() as session:
        for days in (3, 1):
            repo.create_completion(
                session,
                obligation_id="vuln-scan",
                evidence="",
                filed_by="u",
                now=now - timedelta(days=days),
            )
    with store.session() as session:
        assert repo.last_completions(session) == {"vuln-scan": now - timedelta(days=1)}
        first = repo.first_activity(session)
    assert first is not None and first.utcoffset() == timedelta(0)
    assert first == now - timedelta(days=3)


def test_foreign_keys_are_enforced(store: Store, now: datetime) -> None:
    with pytest.raises(IntegrityError), store.session() as session:
        repo.set_incident_channel(session, incident_id=404, channel="C1", name="inc-404")
        session.flush()
    with store.session() as session:
        assert repo.get_incident_channel(session, incident_id=404) is None


def test_a_second_filing_with_a_used_key_rolls_back_whole(store: Store, now: datetime) -> None:
    # What a concurrent retry meets once the first has committed: the key's primary key.
    for attempt in range(2):
        try:
            with store.session() as session:
                repo.create_completion(
                    session, obligation_id="vuln-scan", evidence="", filed_by="u", now=now
                )
                repo.remember_reply(session, key="req-9", reply={"n": attempt}, now=now)
        except IntegrityError:
            assert attempt == 1
    with store.session() as session:
        count = session.execute(select(func.count()).select_from(ObligationCompletion))
        assert count.scalar_one() == 1
        assert verify_audit(session).entries == 1
        assert repo.recall_reply(session, key="req-9") == {"n": 0}


def test_a_vote_counts_once_per_key_and_is_audited(store: Store, now: datetime) -> None:
    vote = {"user": "U1", "question": "多久报告？", "articles": "30", "vote": "up", "now": now}
    with store.session() as session:
        assert repo.record_vote(session, key="ts-1:U1", **vote) is True  # type: ignore[arg-type]
    with store.session() as session:
        assert repo.record_vote(session, key="ts-1:U1", **vote) is False  # type: ignore[arg-type]
        assert repo.record_vote(session, key="ts-2:U1", **vote) is True  # type: ignore[arg-type]
    with store.session() as session:
        report = verify_audit(session)
    assert report.ok and report.entries == 2


def _until_an_insert_waits_on_a_lock(store: Store) -> None:
    """PostgreSQL: poll until the second claim is really queued on the first one's key."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND query LIKE 'INSERT INTO reminder_deliveries%'"
    )
    deadline = time.monotonic() + 30
    with store.engine.connect() as connection:
        while not connection.execute(query).scalar() and time.monotonic() < deadline:
            time.sleep(0.01)
            connection.rollback()


@pytest.mark.parametrize("first", ["commits", "rolls back"])
def test_a_second_claim_waits_for_the_first_transaction(
    store: Store, now: datetime, first: str
) -> None:
    # Two scheduler replicas: the second posts only if the first's transaction did not commit.
    claimed: list[bool] = []

    def second_replica() -> None:
        with store.session() as session:
            claimed.append(repo.claim_delivery(session, key="incident:1:+60", now=now))

    holder = store.session()
    assert repo.claim_delivery(holder.__enter__(), key="incident:1:+60", now=now)
    replica = threading.Thread(target=second_replica)
    replica.start()
    if store.dialect == "postgresql":
        _until_an_insert_waits_on_a_lock(store)
    if first == "commits":
        holder.__exit__(None, None, None)
    else:
        failure = ConnectionError("the post failed")
        holder.__exit__(type(failure), failure, failure.__traceback__)
    replica.join(timeout=60)
    assert claimed == [first == "rolls back"]


def test_upgrading_a_populated_0001_store_keeps_its_records_provable(
    db_url: str, now: datetime
) -> None:
    opened = Store.open(db_url, migrate=False)
    with opened.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
    # What the 0001 code wrote: an incident, a report without recorded_at, their audit entries.
    with opened.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO incidents (id, summary, severity, discovered_at, deadline, reporter, created_at)"
                " VALUES (1, '旧事件', 'high', :at, :deadline, 'U1', :at)"
            ),
            {"at": now, "deadline": now + timedelta(hours=2)},
        )
        connection.execute(
            text(
                "INSERT INTO incident_reports (id, incident_id, authority, reported_at, on_time, reported_by)"
                " VALUES (1, 1, 'cac', :at, :yes, 'U1')"
            ),
            {"at": now, "yes": True},
        )
    old_incident = {
        "id": 1,
        "summary": "旧事件",
        "severity": "high",
        "discovered_at": now,
        "deadline": now + timedelta(hours=2),
        "reporter": "U1",
        "created_at": now,
        "closed_at": None,
        "closed_by": None,
    }
    old_report = {
        "id": 1,
        "incident_id": 1,
        "authority": "cac",
        "reported_at": now,
        "on_time": True,
        "reported_by": "U1",
    }
    with Session(opened.engine) as session, session.begin():
        for entity, record in (("incidents", old_incident), ("incident_reports", old_report)):
            append_audit(
                session,
                actor="U1",
                action="create",
                entity=entity,
                entity_id=1,
                record=record,
                now=now,
            )
    opened.upgrade()
    with opened.session() as session:
        report = verify_audit(session)
        assert report.ok and report.records == 2, report
        assert repo.store_id(session)
    closed = run_command(
        opened, "incident", "close 1 原因=迁移后关闭", user="U1", lang="zh", now=now, tz=TZ
    )
    assert "迁移后关闭" in closed.text  # a write builds on the pre-0002 audited state
    opened.dispose()
