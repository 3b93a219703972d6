"""`compliance-bot db upgrade | audit verify | report` through the real argument parser."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import inspect, text

from bot.cli import main
from commands.dispatch import run_command
from commands.store import Store
from tests.commands.conftest import TZ


@pytest.fixture
def env_db(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TEAM_TIMEZONE", "Asia/Shanghai")
    return db_url


def test_db_upgrade_creates_the_schema_on_an_empty_database(
    env_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "head" in capsys.readouterr().out
    opened = Store.open(env_db, migrate=False)
    try:
        assert {"audit_log", "incidents", "alembic_version"} <= set(
            inspect(opened.engine).get_table_names()
        )
    finally:
        opened.dispose()
    assert main(["db", "upgrade"]) == 0  # nothing left to do


def test_audit_verify_exits_1_on_tamper(
    env_db: str, now: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    opened = Store.open(env_db)
    try:
        for summary in ("磁盘告警", "勒索病毒"):
            run_command(opened, "incident", summary, user="U1", lang="zh", now=now, tz=TZ)
        assert main(["audit", "verify"]) == 0
        assert "2 entries" in capsys.readouterr().out
        with opened.engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_log WHERE seq = 1"))
    finally:
        opened.dispose()
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "entry 1 was deleted" in out


def test_report_prints_the_month_and_explains_a_bad_one(
    env_db: str, now: datetime, capsys: pytest.CaptureFixture[str]
) -> None:
    opened = Store.open(env_db)
    try:
        # A past month, so the report is complete whatever today's date is.
        october = now.replace(month=10, day=15)
        run_command(opened, "inspect", "ok 机房巡检正常", user="U1", lang="zh", now=october, tz=TZ)
    finally:
        opened.dispose()
    assert main(["report", "--month", "2026-10", "--format", "csv", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "section,Date,Result,Notes"
    missed = [line for line in lines if line.startswith("inspections,") and "not inspected" in line]
    # Missed days count from the store's first activity (the 15th), not from the 1st.
    assert missed[0].startswith("inspections,2026-10-16,") and len(missed) == 16
    assert main(["report", "--month", "2026-13"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
