"""Store figures on SQLite and PostgreSQL: filings per second (through the repository, through
run_command, over whole incident lifecycles, and two processes at once), all with the audit chain
covering every record; audit verification of the chain and the records; the reminder computation
over 10,000 open items. Targets: filings >= 200/s on SQLite, >= 100/s on PostgreSQL.
Run: `.venv/bin/python -m bench.commands_store` (part of `make bench`).
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from multiprocessing.synchronize import Event
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from commands.dispatch import run_command
from commands.reminders import ReminderConfig, due_reminders
from commands.store import Store, repo
from commands.store.models import Incident, StaffChange

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
PG_URL = os.environ.get("DATABASE_URL_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FILINGS = 500
OPEN_ITEMS = 10_000


def repo_filings(store: Store, count: int = FILINGS, name: str = "repo") -> float:
    """Filings per second straight through the repository: incident + audit entry, one transaction."""
    started = time.perf_counter()
    for i in range(count):
        at = NOW + timedelta(seconds=i)
        with store.session() as session:
            repo.create_incident(
                session,
                summary=f"{name} incident {i}",
                severity="high",
                discovered_at=at,
                deadline=at + timedelta(hours=2),
                reporter=name,
                now=at,
            )
    return count / (time.perf_counter() - started)


def command_filings(store: Store, count: int = FILINGS) -> float:
    """Filings per second through run_command: parse, validate, write, audit, idempotency key."""
    started = time.perf_counter()
    for i in range(count):
        text_ = f"bench incident {i}"
        key = f"bench-{uuid.uuid4().hex}"
        run_command(
            store, "incident", text_, user="bench", lang="en", now=NOW, tz=TZ, idempotency_key=key
        )
    return count / (time.perf_counter() - started)


def lifecycle_filings(store: Store, count: int = FILINGS // 5) -> float:
    """Filings per second over whole lifecycles: open, three reports, close (each checked against
    its audited state before it builds on it)."""
    started = time.perf_counter()
    for i in range(count):
        reply = run_command(
            store,
            "incident",
            f"核心数据库遭勒索病毒加密（第{i}次演练） 发现时间=09:00",
            user="bench",
            lang="zh",
            now=NOW,
            tz=TZ,
        )
        number = reply.data["id"]
        for authority in ("网信", "公安", "大数据"):
            run_command(
                store,
                "incident",
                f"reported {number} {authority}",
                user="bench",
                lang="zh",
                now=NOW,
                tz=TZ,
            )
        run_command(store, "incident", f"close {number}", user="bench", lang="zh", now=NOW, tz=TZ)
    return 5 * count / (time.perf_counter() - started)


def _file_in_child(url: str, name: str, start: Event) -> None:
    store = Store.open(url)
    start.wait()
    repo_filings(store, FILINGS, name)
    store.dispose()


def two_process_filings(url: str) -> float:
    """Filings per second, all told, with two processes filing into one store at once."""
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    children = [
        context.Process(target=_file_in_child, args=(url, name, start)) for name in ("a", "b")
    ]
    for child in children:
        child.start()
    time.sleep(2)  # let both import and open before the clock starts
    started = time.perf_counter()
    start.set()
    for child in children:
        child.join()
        if child.exitcode != 0:
            raise RuntimeError(f"a filing process failed ({child.exitcode})")
    return 2 * FILINGS / (time.perf_counter() - started)


def verify_seconds(store: Store) -> tuple[float, int, int]:
    """Time to verify the whole audit chain and compare every record with it."""
    started = time.perf_counter()
    with store.session() as session:
        report = repo.verify_audit(session)
    if not report.ok:
        raise RuntimeError(f"the chain does not verify: {report}")
    return time.perf_counter() - started, report.entries, report.records


def reminder_tick_seconds(store: Store) -> tuple[float, int]:
    """Seed 10,000 open items (incidents, staff changes awaiting notice); time what is due."""
    with store.session() as session:
        session.add_all(
            Incident(
                summary=f"open {i}",
                severity="low",
                discovered_at=NOW - timedelta(minutes=i % 180),
                deadline=NOW + timedelta(hours=2),
                reporter="bench",
                created_at=NOW,
            )
            for i in range(OPEN_ITEMS // 2)
        )
        session.add_all(
            StaffChange(
                kind="leave",
                name=f"p{i}",
                role="ops",
                effective_date=NOW.date() + timedelta(days=40),
                notice_days=40,
                late=False,
                filed_by="bench",
                filed_at=NOW,
            )
            for i in range(OPEN_ITEMS // 2)
        )
    started = time.perf_counter()
    with store.session() as session:
        due = due_reminders(session, now=NOW + timedelta(minutes=95), config=ReminderConfig(tz=TZ))
    return time.perf_counter() - started, len(due)


def report(label: str, url: str) -> None:
    store = Store.open(url)
    try:
        print(
            f"{label}: filings/s through the repository (incident + audit entry): {repo_filings(store):.0f}"
        )
        print(
            f"{label}: filings/s through run_command (+ parse, idempotency key): {command_filings(store):.0f}"
        )
        print(
            f"{label}: filings/s over whole incident lifecycles (open, 3 reports, close): {lifecycle_filings(store):.0f}"
        )
        print(
            f"{label}: filings/s with two processes at once (total): {two_process_filings(url):.0f}"
        )
        seconds, entries, records = verify_seconds(store)
        print(
            f"{label}: audit verify over {entries:,} entries and {records:,} records: {seconds * 1000:.0f} ms"
        )
        seconds, count = reminder_tick_seconds(store)
        print(
            f"{label}: due reminders over {OPEN_ITEMS:,} open items: {seconds * 1000:.0f} ms ({count:,} due)"
        )
    finally:
        store.dispose()


@contextmanager
def postgres_schema() -> Iterator[str | None]:
    """A throwaway schema on the PostgreSQL server, or None when no server answers."""
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        print(f"PostgreSQL: skipped (no server at {PG_URL}: {exc.__class__.__name__})")
        admin.dispose()
        yield None
        return
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report("SQLite", f"sqlite:///{tmp}/bench.sqlite3")
    with postgres_schema() as url:
        if url is not None:
            report("PostgreSQL", url)


if __name__ == "__main__":
    main()
