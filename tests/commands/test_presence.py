"""A lost store is loud: missing, empty, another or damaged stores are refused with one message
saying what to do; nothing is created behind the operator's back; `db upgrade` creates on purpose."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.cli import main
from commands.dispatch import run_command
from commands.store import Store
from commands.store.presence import StoreUnavailable, open_existing, open_store, read_marker
from tests.commands.conftest import TZ

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def _first_run(url: str, data_dir: Path, now: datetime) -> None:
    store = open_store(url, data_dir=data_dir)
    run_command(store, "incident", "勒索病毒", user="U1", lang="zh", now=now, tz=TZ)
    store.dispose()


def test_the_first_run_on_a_fresh_data_dir_creates_the_store_and_remembers_it(
    db_url: str, data_dir: Path, now: datetime
) -> None:
    _first_run(db_url, data_dir, now)
    assert read_marker(data_dir)
    open_store(db_url, data_dir=data_dir).dispose()  # the same store again: fine


def _wipe(url: str) -> None:
    """The store's tables gone (a PostgreSQL schema emptied, a SQLite file removed)."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
        for table in list(tables):
            connection.execute(text(f'DROP TABLE "{table}" CASCADE'))
    engine.dispose()


def test_a_store_that_disappeared_is_refused_not_recreated(
    db_url: str, data_dir: Path, now: datetime
) -> None:
    _first_run(db_url, data_dir, now)
    _wipe(db_url)
    with pytest.raises(StoreUnavailable) as refused:
        open_store(db_url, data_dir=data_dir)
    assert "db upgrade" in refused.value.en and "db upgrade" in refused.value.zh
    assert "Nothing was created" in refused.value.en
    if db_url.startswith("sqlite"):
        assert not Path(db_url.removeprefix("sqlite:///")).exists()


def test_a_zero_byte_file_is_refused(tmp_path: Path, data_dir: Path, now: datetime) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    _first_run(url, data_dir, now)
    _wipe(url)
    (tmp_path / "store.sqlite3").write_bytes(b"")
    with pytest.raises(StoreUnavailable, match="is empty"):
        open_store(url, data_dir=data_dir)


def test_a_mistyped_url_pointing_at_another_store_is_refused(
    tmp_path: Path, data_dir: Path, now: datetime
) -> None:
    _first_run(f"sqlite:///{tmp_path / 'store.sqlite3'}", data_dir, now)
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    Store.open(other).dispose()  # a store, but not ours
    with pytest.raises(StoreUnavailable, match="is not the one used here before"):
        open_store(other, data_dir=data_dir)
    with pytest.raises(StoreUnavailable, match="is missing"):
        open_store(f"sqlite:///{tmp_path / 'stroe.sqlite3'}", data_dir=data_dir)  # a typo
    assert not (tmp_path / "stroe.sqlite3").exists()


def test_a_corrupted_file_is_refused_even_by_db_upgrade(
    tmp_path: Path, data_dir: Path, now: datetime
) -> None:
    path = tmp_path / "store.sqlite3"
    _first_run(f"sqlite:///{path}", data_dir, now)
    with path.open("r+b") as damaged:  # overwrite pages past the header
        damaged.seek(4096)
        damaged.write(b"\xde\xad\xbe\xef" * 2048)
    for create in (False, True):
        with pytest.raises(StoreUnavailable, match="damaged"):
            open_store(f"sqlite:///{path}", data_dir=data_dir, create=create)
    with pytest.raises(StoreUnavailable, match="damaged"):  # audit verify: exit 2, no traceback
        open_existing(f"sqlite:///{path}", data_dir=data_dir)


def test_db_upgrade_creates_a_new_store_on_purpose(
    db_url: str, data_dir: Path, now: datetime
) -> None:
    _first_run(db_url, data_dir, now)
    before = read_marker(data_dir)
    _wipe(db_url)
    store = open_store(db_url, data_dir=data_dir, create=True)
    store.dispose()
    assert read_marker(data_dir) not in (None, before)  # a new store, a new id
    open_store(db_url, data_dir=data_dir).dispose()


def test_audit_verify_on_a_missing_store_fails_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nowhere.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    assert main(["audit", "verify"]) == 2
    assert "is missing" in capsys.readouterr().err
    assert main(["report", "--month", "2026-10"]) == 2
    assert main(["audit", "head"]) == 2
    assert not path.exists() and not (tmp_path / "data").exists()
    with pytest.raises(StoreUnavailable):
        open_existing(f"sqlite:///{path}", data_dir=tmp_path / "data")


def test_the_console_refuses_to_start_on_a_lost_store(tmp_path: Path) -> None:
    env = {"DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT), "SLACK_BOT_TOKEN": "", "PATH": ""}
    store_path = tmp_path / "compliance.sqlite3"
    assert (
        subprocess.run(
            [sys.executable, "-m", "bot.cli", "db", "upgrade"],
            env=env,
            cwd=ROOT,
            capture_output=True,
        ).returncode
        == 0
    )
    store_path.unlink()
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console"],
        input="/inspect ok\n",
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2 and "is missing" in done.stderr and "db upgrade" in done.stderr
    assert not store_path.exists()
