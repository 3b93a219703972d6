"""The Art. 33 report from the store: time to compute a busy month's rows once and render them as
Markdown, CSV and .docx (`report_files`), SQLite. Run: `.venv/bin/python -m bench.report_store`.
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from commands.dispatch import run_command
from commands.execute import execute
from commands.operations import AddTimelineEntry
from commands.report import report_files, rows_for
from commands.store import Store

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 1, 8, 0, tzinfo=TZ)
LATER = datetime(2026, 12, 2, 9, 0, tzinfo=TZ)
INCIDENTS = 200  # a very busy month: about seven a day


def fill(store: Store) -> int:
    """A month: daily inspections, incidents with reports, timeline entries and edits."""
    filings = 0

    def file(command: str, line: str, now: datetime) -> None:
        nonlocal filings
        run_command(store, command, line, user="bench", lang="zh", now=now, tz=TZ)
        filings += 1

    for day in range(30):
        file("inspect", "issue 防火墙告警未分析" if day % 5 else "ok", START + timedelta(days=day))
    for i in range(INCIDENTS):
        at = START + timedelta(hours=3 * i + 1)
        file("incident", f"核心数据库遭勒索病毒加密（第{i}次） 受影响系统=门户网站、OA", at)
        for authority in ("网信", "公安", "大数据"):
            file("incident", f"reported {i + 1} {authority}", at + timedelta(minutes=50))
        file("incident", f"note {i + 1} 已隔离受感染主机", at + timedelta(minutes=20))
        execute(
            store,
            AddTimelineEntry(i + 1, "防火墙已阻断攻击源", "pin", "", at, f"C1:{i}.0"),
            user="bench",
            lang="zh",
            now=at + timedelta(minutes=30),
            tz=TZ,
        )
        file("incident", f"edit {i + 1} 严重程度=高 原因=影响扩大", at + timedelta(minutes=40))
        filings += 1
    return filings


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/report.sqlite3")
        filings = fill(store)
        started = time.perf_counter()
        rows = rows_for(store, month="2026-11", tz=TZ, lang="zh", now=LATER)
        rows_s = time.perf_counter() - started
        count = sum(len(part.rows) for part in rows.parts)
        started = time.perf_counter()
        files = report_files(store, month="2026-11", tz=TZ, lang="zh", now=LATER)
        files_s = time.perf_counter() - started
        sizes = ", ".join(f"{f.name.rsplit('.', 1)[1]} {len(f.content) // 1024} KiB" for f in files)
        print(
            f"monthly report from the store, {filings:,} filings, {count:,} rows: rows {rows_s * 1000:.0f} ms; "
            f"rows + Markdown + CSV + .docx {files_s:.2f} s ({sizes})"
        )
        store.dispose()


if __name__ == "__main__":
    main()
