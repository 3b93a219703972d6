"""A lost store is loud: remember, outside the database, that a store existed, and check it is there.

DATA_DIR/store.json (the marker) names the store's id, which the store itself holds in store_meta.
The bot refuses to start on a store that is missing, empty, corrupt or another store than the
marker names, with one message saying what to do; nothing is created behind the operator's back.
A new store is made on purpose only: the first run on a fresh DATA_DIR (no marker yet), or
`compliance-bot db upgrade`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Literal

from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from commands.errors import StoreUnavailable
from commands.store.db import Store
from commands.store.meta import store_id

MARKER = "store.json"
State = Literal["present", "missing", "empty", "corrupt"]
_RESTORE_ZH = "请从备份恢复该存储，或检查 DATABASE_URL / DATA_DIR 是否写错；若确实要启用一个新的空存储，请运行 compliance-bot db upgrade。"
_RESTORE_EN = "Restore the store from a backup, or check DATABASE_URL and DATA_DIR for a typo; to start a new, empty store on purpose, run `compliance-bot db upgrade`."


def open_store(url: str, *, data_dir: Path, create: bool = False) -> Store:
    """The configured store, migrated to head, for the bot and its writing commands.

    `create` (db upgrade): make or adopt the store at `url` whatever the marker says.
    Otherwise a missing or empty store is created only when no marker says one existed.
    """
    marker = read_marker(data_dir)
    state = probe(url)
    if state == "corrupt":
        raise _corrupt(url)
    if state != "present" and marker is not None and not create:
        raise _lost(url, state, marker)
    store = Store.open(url)
    with store.session() as session:
        found = store_id(session)
    if marker is not None and found != marker and not create:
        store.dispose()
        raise _different(url, marker, found)
    if found is not None and found != marker:
        write_marker(data_dir, found, url)
    return store


def open_existing(url: str, *, data_dir: Path) -> Store:
    """The store for reading (audit verify, report): never created, never migrated."""
    state = probe(url)
    if state == "corrupt":
        raise _corrupt(url)
    if state != "present":
        raise _lost(url, state, read_marker(data_dir))
    store = Store.open(url, migrate=False)
    if not store.at_head():
        store.dispose()
        raise StoreUnavailable(
            f"合规存储 {_shown(url)} 的结构早于本版本，请先运行 compliance-bot db upgrade。",
            f"The compliance store at {_shown(url)} has an older schema than this version; run `compliance-bot db upgrade` first.",
        )
    with store.session() as session:
        found = store_id(session)
    marker = read_marker(data_dir)
    if marker is not None and found != marker:
        store.dispose()
        raise _different(url, marker, found)
    return store


def probe(url: str) -> State:
    """What is at `url`: a store, nothing (missing), a database with no tables, or a damaged file."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _probe_sqlite(parsed.database or "")
    store = Store.open(url, migrate=False)
    try:
        tables = set(inspect(store.engine).get_table_names())
    except DBAPIError as error:
        raise StoreUnavailable(
            f"无法连接合规存储 {_shown(url)}：{error.orig}",
            f"Cannot reach the compliance store at {_shown(url)}: {error.orig}",
        ) from error
    finally:
        store.dispose()
    return "present" if "alembic_version" in tables else "empty"


def _probe_sqlite(path: str) -> State:
    if not path or path == ":memory:":
        return "empty"
    file = Path(path)
    if not file.exists():
        return "missing"
    if file.stat().st_size == 0:
        return "empty"
    try:
        # Read-only: probing must never create or change the file.
        uri = f"{file.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as connection:
            verdict = connection.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError:
        return "corrupt"
    if not verdict or verdict[0] != "ok":
        return "corrupt"
    return "present" if "alembic_version" in tables else "empty"


def read_marker(data_dir: Path) -> str | None:
    """The store id DATA_DIR remembers, or None on a fresh DATA_DIR."""
    try:
        return str(json.loads((data_dir / MARKER).read_text(encoding="utf-8"))["store_id"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as error:
        raise StoreUnavailable(
            f"{data_dir / MARKER} 已损坏，无法确认存储身份。请检查该文件，或删除它后运行 compliance-bot db upgrade。",
            f"{data_dir / MARKER} is damaged, so the store cannot be identified. Check the file, or remove it and run `compliance-bot db upgrade`.",
        ) from error


def write_marker(data_dir: Path, found: str, url: str) -> None:
    """Remember the store's id in DATA_DIR (written whole or not at all)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    temporary = data_dir / f".{MARKER}.tmp"
    payload = {"store_id": found, "database": _shown(url)}
    temporary.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, data_dir / MARKER)


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _lost(url: str, state: State, marker: str | None) -> StoreUnavailable:
    what_zh = {"missing": "不存在", "empty": "是空的（没有任何表）"}.get(state, state)
    what_en = {"missing": "is missing", "empty": "is empty (it has no tables)"}.get(state, state)
    before_zh = f"此前这里使用的存储编号为 {marker}。" if marker else ""
    before_en = f" The store used here before has id {marker}." if marker else ""
    return StoreUnavailable(
        f"合规存储 {_shown(url)} {what_zh}。{before_zh}未创建任何内容。{_RESTORE_ZH}",
        f"The compliance store at {_shown(url)} {what_en}.{before_en} Nothing was created. {_RESTORE_EN}",
    )


def _corrupt(url: str) -> StoreUnavailable:
    return StoreUnavailable(
        f"合规存储 {_shown(url)} 已损坏（SQLite 完整性检查未通过），已停止，未写入任何内容。请停止所有进程，保留该文件以便调查，并从备份恢复。",
        f"The compliance store at {_shown(url)} is damaged (SQLite's integrity check failed); stopped, nothing written. Stop every process, keep the file for investigation, and restore from a backup.",
    )


def _different(url: str, marker: str, found: str | None) -> StoreUnavailable:
    return StoreUnavailable(
        f"{_shown(url)} 上的存储（编号 {found or '无'}）不是此前使用的存储（编号 {marker}）：可能是 DATABASE_URL 写错，或恢复了其他副本。{_RESTORE_ZH}",
        f"The store at {_shown(url)} (id {found or 'none'}) is not the one used here before (id {marker}): DATABASE_URL may be wrong, or another copy was restored. {_RESTORE_EN}",
    )
