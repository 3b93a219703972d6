"""Locks with limits: a store held too long answers "busy, try again", never a raw database error,
and writes nothing (SQLite busy timeout; PostgreSQL lock and statement timeouts)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from commands.dispatch import run_command
from commands.errors import StoreBusy
from commands.store import Store
from commands.store.models import Incident
from tests.commands.conftest import TZ, store_url


def test_a_filing_behind_a_lock_held_too_long_is_told_the_store_is_busy(
    db_url: str, now: datetime
) -> None:
    store = Store.open(db_url, lock_timeout_s=0.3)
    holder = store.engine.connect()
    transaction = holder.begin()  # SQLite: BEGIN IMMEDIATE holds the write lock
    if store.dialect == "postgresql":
        holder.execute(text("SELECT * FROM audit_head WHERE id = 1 FOR UPDATE"))
    try:
        for lang in ("zh", "en"):
            with pytest.raises(StoreBusy) as busy:
                run_command(store, "incident", "被锁住的事件", user="U1", lang=lang, now=now, tz=TZ)
            assert "try again" in busy.value.en and "重试" in busy.value.zh
    finally:
        transaction.rollback()
        holder.close()
    with store.session() as session:
        assert session.execute(select(func.count()).select_from(Incident)).scalar_one() == 0
    run_command(store, "incident", "锁释放后", user="U1", lang="zh", now=now, tz=TZ)  # works again
    store.dispose()


@pytest.mark.postgres
def test_a_statement_running_past_its_limit_is_busy_too(tmp_path: Path) -> None:
    urls = store_url("postgres", tmp_path)  # statement_timeout is PostgreSQL's
    store = Store.open(next(urls), statement_timeout_s=0.2)
    try:
        with pytest.raises(StoreBusy), store.session() as session:
            session.execute(text("SELECT pg_sleep(2)"))
    finally:
        store.dispose()
        next(urls, None)  # drops the schema
