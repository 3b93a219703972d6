"""The store: one engine, migrations applied at open, one transaction per `session()`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from commands.errors import StoreBusy, StoreDamaged, StoreReplaced, StoreUnwritable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any fixed number: PostgreSQL processes starting together take this lock to migrate one by one.
MIGRATION_LOCK = 0x636F6D706C79  # "comply"
# How long a filing waits for another one's lock, and how long one statement may run, before the
# user is told the store is busy. Every write holds the chain head for milliseconds, so 10 s of
# waiting means something is wrong (a stuck process, a manual transaction left open).
LOCK_TIMEOUT_S = 10.0
STATEMENT_TIMEOUT_S = 30.0
# PostgreSQL: lock_not_available (lock_timeout), query_canceled (statement_timeout), deadlock.
_BUSY_SQLSTATES = {"55P03", "57014", "40P01"}
# disk_full and read_only_sql_transaction; and the same in SQLite's words.
_UNWRITABLE_SQLSTATES = {"53100", "25006"}
_UNWRITABLE_SQLITE = ("database or disk is full", "readonly database", "disk i/o error")
_DAMAGED_SQLITE = ("database disk image is malformed", "file is not a database")


class Store:
    """The compliance store behind DATABASE_URL: SQLite (default, WAL) or PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._file = _sqlite_file(engine)
        self._identity = _identity(self._file) if self._file else None

    def same_file(self) -> bool:
        """SQLite: the file at the path is still the one opened (not deleted, not replaced)."""
        if self._file is None:
            return True
        if self._identity is None:  # the first connection creates the file: remember that one
            self._identity = _identity(self._file)
            return True
        return _identity(self._file) == self._identity

    @classmethod
    def open(
        cls,
        url: str,
        *,
        migrate: bool = True,
        lock_timeout_s: float = LOCK_TIMEOUT_S,
        statement_timeout_s: float = STATEMENT_TIMEOUT_S,
        **engine_options: Any,
    ) -> Store:
        """Connect and bring the schema to head (creating it: see commands.store.presence)."""
        engine = _engine(url, lock_timeout_s, statement_timeout_s, **engine_options)
        store = cls(engine)
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
                # A migration may take longer than a filing's limits, and a replica waiting for
                # another one's migration should wait it out.
                connection.execute(text("SET LOCAL lock_timeout = 0"))
                connection.execute(text("SET LOCAL statement_timeout = 0"))
                # Two replicas starting on an empty database would both create the tables; the
                # second waits here, then finds the schema at head. (SQLite: BEGIN IMMEDIATE.)
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            command.upgrade(alembic_config(connection), "head")

    def at_head(self) -> bool:
        """Whether every migration has been applied (reads only)."""
        with self.engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        config = alembic_config(None)
        return current == ScriptDirectory.from_config(config).get_current_head()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back when it raises.

        A lock or statement timeout becomes StoreBusy, a full or read-only disk StoreUnwritable, a
        damaged SQLite file StoreDamaged: messages a user can act on, never a raw database error.
        """
        if not self.same_file():
            raise StoreReplaced()
        try:
            with self._sessions() as session, session.begin():
                yield session
        except DBAPIError as error:
            raise _explained(error) from error

    def check_writable(self) -> None:
        """A write that changes nothing, in its own transaction: raises when the store cannot
        take a filing now (gone, replaced, locked, read-only, full)."""
        with self.session() as session:
            session.execute(text("UPDATE store_meta SET value = value WHERE key = 'store_id'"))

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode): a file deleted and made again at the same path has another one."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


def _explained(error: DBAPIError) -> Exception:
    """The error a user can be told about, in their language; any other stays as it was."""
    message = str(error.orig).lower()
    state = getattr(error.orig, "sqlstate", None)
    if is_busy(error):
        return StoreBusy()
    if state in _UNWRITABLE_SQLSTATES or any(m in message for m in _UNWRITABLE_SQLITE):
        return StoreUnwritable()
    if any(m in message for m in _DAMAGED_SQLITE):
        return StoreDamaged()
    return error


def is_busy(error: DBAPIError) -> bool:
    """Whether a database error means "locked or too slow, try again" rather than a fault."""
    if getattr(error.orig, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    return "database is locked" in str(error.orig) or "database table is locked" in str(error.orig)


def alembic_config(connection: Connection | None) -> Config:
    """Alembic's configuration, built in code (no alembic.ini), migrating over `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _engine(url: str, lock_timeout_s: float, statement_timeout_s: float, **options: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True, **options)
        limits = (int(lock_timeout_s * 1000), int(statement_timeout_s * 1000))
        event.listen(engine, "connect", lambda conn, _record: _postgres_connect(conn, *limits))
        return engine
    if (
        parsed.database
        and parsed.database != ":memory:"
        and not parsed.database.startswith("file:")
    ):
        Path(parsed.database).parent.mkdir(
            parents=True, exist_ok=True
        )  # (a file: URI names its own)
    # The driver's own busy handler (timeout) and the PRAGMA below set the same limit.
    engine = create_engine(url, connect_args={"timeout": lock_timeout_s}, **options)
    busy_ms = int(lock_timeout_s * 1000)
    event.listen(engine, "connect", lambda conn, _record: _sqlite_connect(conn, busy_ms))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _postgres_connect(dbapi_connection: Any, lock_ms: int, statement_ms: int) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {lock_ms}")
        cursor.execute(f"SET statement_timeout = {statement_ms}")
    dbapi_connection.commit()  # a SET rolled back with its transaction would be undone


def _sqlite_connect(dbapi_connection: Any, busy_ms: int) -> None:
    # Let SQLAlchemy, not the driver, decide when transactions begin (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # With WAL, NORMAL loses nothing when the process dies; a power cut may lose the last commits.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # Take the write lock when the transaction starts, so two writers never both read the same
    # audit-chain head; the second waits (busy_timeout) instead of failing at commit.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
