"""The store: one engine, migrations applied at open, one transaction per `session()`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any fixed number: PostgreSQL processes starting together take this lock to migrate one by one.
MIGRATION_LOCK = 0x636F6D706C79  # "comply"


class Store:
    """The compliance store behind DATABASE_URL: SQLite (default, WAL) or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, *, migrate: bool = True, **engine_options: Any) -> Store:
        """Connect and bring the schema to head."""
        store = cls(_engine(url, **engine_options))
        if migrate:
            store.upgrade()
        return store

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def upgrade(self) -> None:
        """Apply Alembic migrations up to head (idempotent)."""
        with self.engine.begin() as connection:
            if self.dialect == "postgresql":
                # Two replicas starting on an empty database would both create the tables; the
                # second waits here, then finds the schema at head. (SQLite: BEGIN IMMEDIATE.)
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            command.upgrade(alembic_config(connection), "head")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(connection: Connection) -> Config:
    """Alembic's configuration, built in code (no alembic.ini), migrating over `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _engine(url: str, **options: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **options)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30}, **options)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # With WAL, NORMAL loses nothing when the process dies; a power cut may lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # Take the write lock when the transaction starts, so two writers never both read the same
    # audit-chain head; the second waits (busy_timeout) instead of failing at commit.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
