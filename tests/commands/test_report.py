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


def test_markdown_report(store: Store) -> None:
    _fill(store)
    report = render_month(
        store, month="2026-11", fmt="md", tz=TZ, now=datetime(2026, 12, 2, tzinfo=TZ)
    )
    assert "第三十三条" in report
    assert (
        "2026-11-03" in report and "2026-11-01," not in report
    )  # missed days listed, done days not
    assert (
        "网信: 11-20 10:00 按时" in report
        and "公安: 11-20 12:00 超时" in report
        and "大数据: 未报告" in report
    )
    assert "逾期" in report  # the staff change had 11 days' notice
    assert "| 渗透测试 | 已完成 |" in report and "| 漏洞扫描 | 逾期 |" in report


def test_csv_report_in_english(store: Store) -> None:
    _fill(store)
    rows = list(
        csv.reader(
            io.StringIO(
                render_month(
                    store,
                    month="2026-11",
                    fmt="csv",
                    tz=TZ,
                    lang="en",
                    now=datetime(2026, 12, 2, tzinfo=TZ),
                )
            )
        )
    )
    assert rows[0] == ["section", "item", "status", "detail"]
    sections = {row[0] for row in rows[1:]}
    assert sections == {"inspections", "incidents", "staff_changes", "obligations"}
    incident = next(row for row in rows if row[0] == "incidents")
    assert "late" in incident[3] and "on time" in incident[3]


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
            "section,item,status,detail"
        )
        assert month in render_month(store, month=month, fmt="md", tz=TZ, lang="zh", now=now)


def test_csv_cells_never_start_a_formula(store: Store) -> None:
    now = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
    run_command(
        store, "inspect", "issue \"=cmd|' /C calc'!A0\"", user="U1", lang="zh", now=now, tz=TZ
    )
    run_command(store, "deadlines", 'done vuln-scan "+1+1"', user="U1", lang="zh", now=now, tz=TZ)
    out = render_month(store, month="2026-11", fmt="csv", tz=TZ, lang="en", now=now)
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
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
            out = "\n".join(",".join(row[1:]) for row in csv.reader(io.StringIO(out)))
        words = set(re.findall(r"[A-Za-z][A-Za-z ]+[A-Za-z]", out))
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
    empty = render_month(store, month="2026-11", fmt="csv", tz=TZ, lang="en", now=now)
    assert "missed: -" in empty  # a fresh install has missed nothing
    run_command(
        store,
        "inspect",
        "ok",
        user="U1",
        lang="zh",
        now=datetime(2026, 11, 25, 9, tzinfo=TZ),
        tz=TZ,
    )
    out = render_month(store, month="2026-11", fmt="csv", tz=TZ, lang="en", now=now)
    assert "2026-11-26, 2026-11-27" in out and "2026-11-24" not in out
    status = run_command(store, "inspect", "status", user="U1", lang="en", now=now, tz=TZ)
    assert status.data["missed"] == ["2026-11-26", "2026-11-27"]
