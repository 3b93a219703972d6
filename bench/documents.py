"""Word documents: render time and size of the monthly report (a typical month and a very busy
one) and of the incident report. Run: `.venv/bin/python -m bench.documents` (part of `make bench`).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from commands.documents import (
    IncidentDraft,
    MonthlyReportDoc,
    incident_report_docx,
    monthly_report_docx,
    part_section,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
RUNS = 10


def month(rows_per_part: int) -> MonthlyReportDoc:
    """A report whose six parts hold `rows_per_part` rows each, with realistic cell lengths."""
    note = "防火墙告警未处置，已通知租户并跟踪整改。"
    digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    rows = {
        "inspections": ("2026-11-03", "issue", note),
        "incidents": (
            "#1",
            "勒索病毒",
            "11-20 09:00",
            "11-20 11:00",
            "网信 按时；公安 超时",
            "未关闭",
        ),
        "staff_changes": ("#3", "张三（安全运维）", "离岗", "2026-12-01", "25", "逾期"),
        "obligations": ("pentest", "第二十一条", "done", "2026-11-20", f"https://x/f.pdf {digest}"),
        "timeline": ("#1", "11-20 09:40", note, "U1"),
        "corrections": ("11-21 10:00", "巡检 #5", "结果=issue", "漏记告警", "U1"),
    }
    sections = tuple(
        part_section(part, "zh", [row] * rows_per_part)  # type: ignore[arg-type]
        for part, row in rows.items()
    )
    return MonthlyReportDoc("zh", date(2026, 11, 1), date(2026, 11, 30), NOW, sections)


def timed(render: Callable[[], bytes]) -> tuple[float, int]:
    """Median milliseconds over RUNS renders, and the size of the file in bytes."""
    times, size = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        size = len(render())
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), size


def main() -> None:
    draft = IncidentDraft(
        12,
        "勒索病毒加密了文件服务器。" * 20,
        NOW - timedelta(minutes=40),
        NOW,
        reports={"cac": NOW},
        category="malware",
    )
    cases = {
        "incident report": lambda: incident_report_docx(draft),
        "monthly report, 6 parts x 30 rows": lambda: monthly_report_docx(month(30)),
        "monthly report, 6 parts x 500 rows": lambda: monthly_report_docx(month(500)),
    }
    for name, render in cases.items():
        median_ms, size = timed(render)
        print(f"   {name}: {median_ms:.0f} ms median of {RUNS}, {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
