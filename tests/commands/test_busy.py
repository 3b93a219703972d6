"""Locks with limits: a store held too long answers "busy, try again", never a raw database error,
and writes nothing (SQLite busy timeout; PostgreSQL lock and statement timeouts). A full disk, a
read-only store and a damaged file are clear messages too."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text

from commands.dispatch import run_command
from commands.errors import StoreBusy, StoreDamaged, StoreUnwritable
from commands.store import Store
from commands.store.models import Incident
from commands.store.verify import verify_audit
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


def _filings_until_refused(store: Store, now: datetime) -> type[Exception]:
    for i in range(200):
        try:
            run_command(
                store, "incident", f"{i} " + "日志" * 200, user="U1", lang="en", now=now, tz=TZ
            )
        except Exception as error:
            return type(error)
    raise AssertionError("the store never refused")


def test_a_full_disk_is_a_clear_message_and_writes_nothing(tmp_path: Path, now: datetime) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    with store.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    store.engine.dispose()  # new connections get the limit below: a disk with no room left
    event.listen(
        store.engine, "connect", lambda c, _r: c.execute(f"PRAGMA max_page_count={pages + 8}")
    )
    assert _filings_until_refused(store, now) is StoreUnwritable
    with store.session() as session:
        assert verify_audit(session).ok  # the refused filing left no half behind


def test_a_read_only_store_is_a_clear_message(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "store.sqlite3"
    Store.open(f"sqlite:///{path}").dispose()
    store = Store.open(f"sqlite:///file:{path}?mode=ro&uri=true", migrate=False)
    with pytest.raises(StoreUnwritable) as raised:
        run_command(store, "inspect", "ok", user="U1", lang="zh", now=now, tz=TZ)
    assert "只读" in raised.value.zh and "read-only" in raised.value.en
    store.dispose()


def test_a_file_damaged_while_running_is_a_clear_message(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "store.sqlite3"
    store = Store.open(f"sqlite:///{path}")
    for i in range(30):
        run_command(store, "incident", f"{i} " + "日志" * 200, user="U1", lang="en", now=now, tz=TZ)
    store.engine.dispose()
    with path.open("r+b") as damaged:
        damaged.seek(8192)
        damaged.write(b"\xde\xad\xbe\xef" * 4096)
    with pytest.raises(StoreDamaged, match="restore from a backup"):
        run_command(store, "incident", "another one", user="U1", lang="en", now=now, tz=TZ)
