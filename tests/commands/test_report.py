"""The monthly report of Art. 33 in Markdown and CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from commands.dispatch import run_command
from commands.errors import UserError
from commands.report import render_month
from commands.store import Store

TZ = ZoneInfo("Asia/Shanghai")


def _fill(store: Store) -> datetime:
    now = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
    for day in (1, 2, 4):
        run_command(
            store,
            "inspect",
            "ok",
            user="U1",
            lang="zh",
            now=datetime(2026, 11, day, 9, tzinfo=TZ),
            tz=TZ,
        )
    run_command(store, "incident", "勒索病毒 发现时间=09:00", user="U1", lang="zh", now=now, tz=TZ)
    run_command(store, "incident", "reported 1 网信", user="U1", lang="zh", now=now, tz=TZ)
    run_command(
        store,
        "incident",
        "reported 1 公安",
        user="U1",
        lang="zh",
        now=now + timedelta(hours=2),
        tz=TZ,
    )
    run_command(
        store, "staff-change", "离岗 张三 安全运维 2026-12-01", user="U1", lang="zh", now=now, tz=TZ
    )
    run_command(store, "deadlines", "done pentest 第三方报告", user="U1", lang="zh", now=now, tz=TZ)
    return now


def _csv(store: Store, lang: str = "en", now: datetime | None = None) -> list[list[str]]:
    out = render_month(
        store,
        month="2026-11",
        fmt="csv",
        tz=TZ,
        lang=lang,  # type: ignore[arg-type]
        now=now or datetime(2026, 12, 2, tzinfo=TZ),
    )
    return list(csv.reader(io.StringIO(out)))  # type: ignore[arg-type]


def test_markdown_report(store: Store) -> None:
    _fill(store)
    report = render_month(
        store, month="2026-11", fmt="md", tz=TZ, now=datetime(2026, 12, 2, tzinfo=TZ)
    )
    assert isinstance(report, str) and "第三十三条" in report
    assert "| 2026-11-03 | 未巡检 | - |" in report  # missed days listed
    assert "| 2026-11-01 | 正常 | - |" in report  # done days too
    assert "缺漏 27 天" in report
    assert (
        "网信: 11-20 10:00 按时" in report
        and "公安: 11-20 12:00 超时" in report
        and "大数据: 未报告" in report
    )
    assert "| 离岗 | 2026-12-01 | 11 | 逾期" in report  # the staff change had 11 days' notice
    assert "| 渗透测试 | 第二十一条 渗透测试不低于每季度1次 | 已完成 |" in report
    assert "| 漏洞扫描 | 第二十一条 漏洞扫描不低于每月1次 | 逾期 |" in report


def test_csv_report_in_english(store: Store) -> None:
    _fill(store)
    rows = _csv(store)
    assert rows[0] == ["section", "Date", "Result", "Notes"]
    headers = [row for row in rows if row[0] == "section"]
    assert len(headers) == 6  # every part has its header row, empty or not
    sections = {row[0] for row in rows if row[0] != "section"}
    assert sections == {"inspections", "incidents", "staff_changes", "obligations"}
    incident = next(row for row in rows if row[0] == "incidents")
    assert "late" in incident[5] and "on time" in incident[5]


@pytest.mark.parametrize("month", ["2026-13", "11-2026", "2026/11", ""])
def test_a_bad_month_is_explained(store: Store, month: str) -> None:
    with pytest.raises(UserError, match="YYYY-MM"):
        render_month(store, month=month, fmt="md", tz=TZ, now=datetime(2026, 12, 2, tzinfo=TZ))


def test_a_future_month_is_refused_and_any_past_one_works(store: Store) -> None:
    now = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
    for month in ("2026-12", "9999-12"):
        with pytest.raises(UserError, match="has not begun") as raised:
            render_month(store, month=month, fmt="md", tz=TZ, lang="en", now=now)
        assert raised.value.field == "month"
    for month in ("0001-01", "1999-12", "2026-11"):
        assert render_month(store, month=month, fmt="csv", tz=TZ, lang="en", now=now).startswith(
            "section,Date,Result,Notes"
        )
        assert month in render_month(store, month=month, fmt="md", tz=TZ, lang="zh", now=now)
        docx = render_month(store, month=month, fmt="docx", tz=TZ, lang="zh", now=now)
        assert isinstance(docx, bytes) and docx[:2] == b"PK"


def test_csv_cells_never_start_a_formula(store: Store) -> None:
    now = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
    run_command(
        store, "inspect", "issue \"=cmd|' /C calc'!A0\"", user="U1", lang="zh", now=now, tz=TZ
    )
    run_command(store, "deadlines", 'done vuln-scan "+1+1"', user="U1", lang="zh", now=now, tz=TZ)
    cells = [cell for row in _csv(store, now=now) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_the_chinese_report_is_all_chinese(store: Store) -> None:
    _fill(store)
    run_command(
        store,
        "incident",
        "close 1 原因=演练",
        user="U1",
        lang="zh",
        now=datetime(2026, 11, 21, tzinfo=TZ),
        tz=TZ,
    )
    later = datetime(2026, 12, 2, tzinfo=TZ)
    for fmt in ("md", "csv"):
        out = render_month(store, month="2026-11", fmt=fmt, tz=TZ, lang="zh", now=later)
        if fmt == "csv":  # the first column is the section's key for other tools, not prose
            out = "\n".join(",".join(row[1:]) for row in csv.reader(io.StringIO(str(out))))
        words = set(re.findall(r"[A-Za-z][A-Za-z ]+[A-Za-z]", str(out)))
        assert not words & {
            "open",
            "closed",
            "done",
            "overdue",
            "ok",
            "issue",
            "late",
            "on time",
            "days",
            "leave",
            "section",
            "item",
            "status",
            "detail",
        }, words
        assert "已关闭" in out and "离岗" in out and "已完成" in out and "渗透测试" in out


def test_missed_inspections_count_from_the_first_activity(store: Store) -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=TZ)

    def missed() -> list[str]:
        return [row[1] for row in _csv(store, now=now) if row[2] == "not inspected"]

    assert missed() == []  # a fresh install has missed nothing
    run_command(
        store,
        "inspect",
        "ok",
        user="U1",
        lang="zh",
        now=datetime(2026, 11, 25, 9, tzinfo=TZ),
        tz=TZ,
    )
    assert missed() == ["2026-11-26", "2026-11-27"]
    status = run_command(store, "inspect", "status", user="U1", lang="en", now=now, tz=TZ)
    assert status.data["missed"] == ["2026-11-26", "2026-11-27"]
