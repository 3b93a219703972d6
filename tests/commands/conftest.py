"""Store fixtures: every store test runs on SQLite and, when a server answers, on PostgreSQL.

Public for every area's tests (tests/bot imports `db_url`):
- `store`: an opened, migrated `commands.store.Store`, parametrized [sqlite] and [postgres];
- `db_url`: the bare URL of an empty database (nothing migrated), same parametrization;
- `now`: a fixed aware moment, 2026-11-24 10:00 Asia/Shanghai.

SQLite lives in tmp_path. Each PostgreSQL test gets a schema of its own (CREATE SCHEMA t_<hex>,
reached through the URL's `options=-csearch_path=...`, dropped afterwards), so tests never see
each other's data. DATABASE_URL_PG points at the server (default: the local test database); with
no server the [postgres] cases are skipped with the reason, unless REQUIRE_POSTGRES=1 (CI), which
makes them fail. `-m "not postgres"` deselects them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from commands.store import Store

PG_URL = os.environ.get("DATABASE_URL_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TZ = ZoneInfo("Asia/Shanghai")


@lru_cache(maxsize=1)
def postgres_unavailable() -> str:
    """Why PostgreSQL tests cannot run here ("" when they can)."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"no PostgreSQL server answers at {PG_URL} ({exc.__class__.__name__})"
    return ""


def store_url(kind: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database URL of the given kind, cleaned up afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    if postgres_unavailable():
        if os.environ.get("REQUIRE_POSTGRES", "") not in ("", "0"):
            pytest.fail(f"REQUIRE_POSTGRES is set but {postgres_unavailable()}")
        pytest.skip(postgres_unavailable())
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file in tmp_path, or a fresh PostgreSQL schema."""
    yield from store_url(request.param, tmp_path)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An opened, migrated store on SQLite and on PostgreSQL."""
    opened = Store.open(db_url)
    try:
        yield opened
    finally:
        opened.dispose()


@pytest.fixture
def now() -> datetime:
    """A fixed moment: tests move this clock instead of sleeping."""
    return datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
