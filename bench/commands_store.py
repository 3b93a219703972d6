"""Store figures: filings per second on SQLite and PostgreSQL, and the reminder computation
over 10,000 open items. Run: `.venv/bin/python -m bench.commands_store` (part of `make bench`).
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from commands.dispatch import run_command
from commands.reminders import ReminderConfig, due_reminders
from commands.store import Store
from commands.store.models import Incident, StaffChange

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
PG_URL = os.environ.get("DATABASE_URL_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FILINGS = 500
OPEN_ITEMS = 10_000


def filings_per_second(store: Store) -> float:
    started = time.perf_counter()
    for i in range(FILINGS):
        run_command(
            store,
            "incident",
            f"bench incident {i}",
            user="bench",
            lang="en",
            now=NOW,
            tz=TZ,
            idempotency_key=f"bench-{i}",
        )
    return FILINGS / (time.perf_counter() - started)


def reminder_tick_seconds(store: Store) -> tuple[float, int]:
    """Seed 10,000 open items (incidents and staff changes awaiting notice), then compute what is due."""
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
    config = ReminderConfig(tz=TZ)
    started = time.perf_counter()
    with store.session() as session:
        due = due_reminders(session, now=NOW + timedelta(minutes=95), config=config)
    return time.perf_counter() - started, len(due)


def _postgres_url() -> tuple[str, str] | None:
    try:
        admin = create_engine(PG_URL)
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
    except Exception as exc:
        print(f"PostgreSQL: skipped ({exc.__class__.__name__}: no server at {PG_URL})")
        return None
    return f"{PG_URL}?options=-csearch_path%3D{schema}", schema


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/bench.sqlite3")
        print(
            f"SQLite filings per second (incident + audit entry + idempotency key, one transaction each): {filings_per_second(store):.0f}"
        )
        seconds, count = reminder_tick_seconds(store)
        print(
            f"SQLite: due reminders over {OPEN_ITEMS:,} open items: {seconds * 1000:.0f} ms ({count:,} due)"
        )
        store.dispose()
    target = _postgres_url()
    if target is None:
        return
    url, schema = target
    store = Store.open(url)
    try:
        print(f"PostgreSQL filings per second: {filings_per_second(store):.0f}")
        seconds, count = reminder_tick_seconds(store)
        print(
            f"PostgreSQL: due reminders over {OPEN_ITEMS:,} open items: {seconds * 1000:.0f} ms ({count:,} due)"
        )
    finally:
        store.dispose()
        admin = create_engine(PG_URL)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
