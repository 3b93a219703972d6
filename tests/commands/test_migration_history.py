"""0004_history on a store that already holds records: every record written and audited before it
still verifies, and corrections, cancellations and evidence build on those audited states."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from alembic import command
from sqlalchemy import text
from sqlalchemy.orm import Session

from commands.dispatch import run_command
from commands.store import Store
from commands.store.audit import append_audit
from commands.store.db import alembic_config
from commands.store.verify import verify_audit
from tests.commands.conftest import TZ


def _file_0002_rows(store: Store, now: datetime) -> None:
    """What the 0002 code wrote: the rows without the new columns, and their audit entries."""
    rows = {
        "incidents": {
            "id": 1,
            "summary": "旧事件",
            "severity": "medium",
            "discovered_at": now,
            "deadline": now + timedelta(hours=2),
            "reporter": "U1",
            "created_at": now,
            "closed_at": None,
            "closed_by": None,
            "close_reason": "",
        },
        "inspections": {
            "id": 1,
            "day": now.date(),
            "status": "ok",
            "notes": "",
            "filed_by": "U1",
            "filed_at": now,
        },
        "staff_changes": {
            "id": 1,
            "kind": "leave",
            "name": "张三",
            "role": "运维",
            "effective_date": date(2027, 1, 31),
            "notice_days": 68,
            "late": False,
            "filed_by": "U1",
            "filed_at": now,
            "notified_bigdata_at": None,
            "notified_tenants_at": None,
        },
        "obligation_completions": {
            "id": 1,
            "obligation_id": "vuln-scan",
            "completed_at": now,
            "evidence": "旧报告",
            "filed_by": "U1",
        },
    }
    with store.engine.begin() as connection:
        for table, row in rows.items():
            columns = ", ".join(row)
            values = ", ".join(f":{name}" for name in row)
            connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)
    with Session(store.engine) as session, session.begin():
        for table, row in rows.items():
            append_audit(
                session, actor="U1", action="create", entity=table, entity_id=1, record=row, now=now
            )


def test_records_audited_before_0004_verify_and_take_corrections(
    db_url: str, now: datetime
) -> None:
    store = Store.open(db_url, migrate=False)
    with store.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0002_records_proved")
    _file_0002_rows(store, now)
    store.upgrade()
    with store.session() as session:
        report = verify_audit(session)
    assert report.ok and report.records == 4, report
    for command_name, line in (
        ("incident", "edit 1 受影响系统=门户网站 原因=补记"),
        ("staff-change", "cancel 1 原因=人员留任"),
        ("inspect", "amend 1 备注=机房温度偏高 原因=补记"),
        ("incident", "note 1 迁移后补记"),
    ):
        run_command(store, command_name, line, user="U2", lang="zh", now=now, tz=TZ)
    with store.session() as session:
        report = verify_audit(session)
    assert report.ok and report.records == 8, report  # 4 records, 3 corrections, 1 entry
    store.dispose()


def test_alerts_posted_before_0005_are_updated_in_place_after_it(
    db_url: str, now: datetime
) -> None:
    from commands.store.outbox import get_message

    store = Store.open(db_url, migrate=False)
    with store.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0004_history")
    run_command(store, "incident", "旧告警", user="U1", lang="zh", now=now, tz=TZ)
    with store.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO incident_alerts (incident_id, channel, ts) VALUES (1, 'C9', '1.5')")
        )
    store.upgrade()
    with store.session() as session:
        alert = get_message(session, key="alert:incident:1")
        assert alert is not None and (alert.status, alert.posted_ts) == ("sent", "1.5")
    reply = run_command(
        store,
        "incident",
        "reported 1 cac",
        user="U1",
        lang="zh",
        now=now,
        tz=TZ,
        alert_channel="C9",
    )
    assert len(reply.outbox) == 1 and ":update:" in reply.outbox[0]
    store.dispose()


def test_0007_drops_incident_alerts_and_its_downgrade_rebuilds_them_from_the_outbox(
    db_url: str, now: datetime
) -> None:
    from sqlalchemy import inspect

    from commands import outbox
    from commands.outbox import Message, Posted

    store = Store.open(db_url)
    assert "incident_alerts" not in inspect(store.engine).get_table_names()
    run_command(store, "incident", "告警", user="U1", lang="zh", now=now, tz=TZ, alert_channel="C9")
    run_command(store, "incident", "未发", user="U1", lang="zh", now=now, tz=TZ, alert_channel="C9")

    def post(message: Message) -> Posted:
        return Posted("C9", "1.5")

    outbox.deliver_once(store, key="alert:incident:1", now=now, post=post)  # #2 stays pending
    with store.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0006_incident_channels")
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT incident_id, channel, ts FROM incident_alerts"))
        assert [tuple(row) for row in rows] == [(1, "C9", "1.5")]
    store.upgrade()
    assert "incident_alerts" not in inspect(store.engine).get_table_names()
    store.dispose()
