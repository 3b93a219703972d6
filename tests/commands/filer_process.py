"""A real process that files through run_command, for the concurrency and crash tests.

python -m tests.commands.filer_process URL worker N NAME [READY] -> N incidents, N keyed inspections
python -m tests.commands.filer_process URL pause MARKER          -> stops inside a filing's transaction
python -m tests.commands.filer_process URL open READY GO         -> opens (migrates) the store on GO
python -m tests.commands.filer_process URL close READY GO        -> closes incident 1 on GO: exit 0
                                                                    if it did, 3 if already closed
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from commands.dispatch import run_command
from commands.errors import UserError
from commands.store import Store, audit

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)


def worker(store: Store, name: str, count: int) -> None:
    for i in range(count):
        now = NOW + timedelta(seconds=i)
        run_command(store, "incident", f"{name} incident {i}", user=name, lang="en", now=now, tz=TZ)
        # Both workers use the same keys: each keyed filing must land exactly once.
        run_command(
            store,
            "inspect",
            f"ok keyed {i}",
            user=name,
            lang="en",
            now=now,
            tz=TZ,
            idempotency_key=f"shared-{i}",
        )


def pause_inside_filing(store: Store, marker: Path) -> None:
    """File an incident but stop after its audit entry is written, before the commit."""
    original = audit.append_audit

    def append_then_wait(*args: Any, **kwargs: Any) -> Any:
        entry = original(*args, **kwargs)
        marker.write_text("inside the transaction")
        time.sleep(120)  # the parent kills us here, holding the write lock
        return entry

    audit.append_audit = append_then_wait  # type: ignore[assignment]
    run_command(store, "incident", "never committed", user="crash", lang="en", now=NOW, tz=TZ)


def open_on_signal(url: str, ready: Path, go: Path) -> None:
    """Say ready, wait for the parent's go, then open: the starters race as closely as they can."""
    ready.write_text("ready")
    while not go.exists():
        time.sleep(0.005)
    Store.open(url).dispose()


def close_on_signal(store: Store, ready: Path, go: Path) -> int:
    """Say ready, wait for go, close incident 1: 0 when this process closed it, 3 when told it was."""
    ready.write_text("ready")
    while not go.exists():
        time.sleep(0.002)
    try:
        run_command(
            store,
            "incident",
            "close 1 reason=race",
            user=f"P{os.getpid()}",
            lang="en",
            now=NOW,
            tz=TZ,
        )
    except UserError as error:
        if "already closed" not in error.en:
            raise
        return 3
    return 0


def main() -> None:
    url, mode, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if mode == "open":
        open_on_signal(url, Path(args[0]), Path(args[1]))
        return
    if mode == "close":
        store = Store.open(url)
        code = close_on_signal(store, Path(args[0]), Path(args[1]))
        store.dispose()
        sys.exit(code)
    if mode == "worker" and len(args) > 2:
        Path(args[2]).write_text("about to open the store and file")
    store = Store.open(url)
    if mode == "worker":
        worker(store, args[1], int(args[0]))
    else:
        pause_inside_filing(store, Path(args[0]))
    store.dispose()


if __name__ == "__main__":
    main()
