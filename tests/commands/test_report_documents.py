"""The Art. 33 monthly report from the store as Markdown, CSV and .docx: the same rows in all
three (the .docx opened again with python-docx), every part present, the unit named when set."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import datetime, timedelta
from pathlib import Path

import docx
import pytest
from docx.table import Table

from bot.cli import main
from commands.dispatch import run_command
from commands.documents import BLANK
from commands.documents.parts import part_columns, part_title
from commands.execute import execute
from commands.grammar import Organisation
from commands.operations import AddTimelineEntry, CompleteObligation
from commands.report import render_month, report_files
from commands.store import Store
from tests.commands.conftest import TZ

AT = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
LATER = datetime(2026, 12, 2, 9, 0, tzinfo=TZ)
ORG = Organisation("重庆市某政务云服务有限公司", "李四 023-00000000")


def _fill(store: Store) -> None:
    """A month with something in every part: inspections (one cancelled), an incident with its
    reports, a timeline entry and a correction, a cancelled staff change, evidence."""
    for day, line in ((1, "ok"), (2, "issue 防火墙告警未分析 =SUM(A1)"), (3, "ok 重复登记")):
        run_command(
            store, "inspect", line, user="U1", lang="zh", now=AT.replace(day=day, hour=9), tz=TZ
        )
    for command, line in (
        ("inspect", "cancel 3 原因=重复登记"),
        ("incident", "勒索病毒 发现时间=09:00 受影响系统=门户网站"),
        ("incident", "reported 1 网信 报告时间=09:40"),
        ("incident", "reported 1 公安"),
        ("incident", "edit 1 严重程度=高 原因=影响扩大"),
        ("incident", "note 1 隔离受感染主机 时间=09:20"),
        ("staff-change", "离岗 张三 安全运维 2026-12-01"),
        ("staff-change", "cancel 1 原因=人员留任"),
    ):
        run_command(store, command, line, user="U1", lang="zh", now=AT, tz=TZ)
    digest = hashlib.sha256(b"scan").hexdigest()
    link = "https://gov-cloud.slack.com/files/U1/F1/scan.pdf"
    execute(
        store,
        CompleteObligation("vuln-scan", "", link, "scan.pdf", digest),
        user="U1",
        lang="zh",
        now=AT,
        tz=TZ,
    )
    execute(
        store,
        AddTimelineEntry(1, "已通知网信办", "pin", "https://x.slack.com/p1", AT, "C1:1.0"),
        user="U2",
        lang="zh",
        now=AT,
        tz=TZ,
    )


def _csv_parts(content: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    """part -> (columns, rows) from the CSV's header rows and the rows under them."""
    parts: dict[str, tuple[list[str], list[list[str]]]] = {}
    columns: list[str] = []
    for row in csv.reader(io.StringIO(content)):
        if row[0] == "section":
            columns = row[1:]
            continue
        parts.setdefault(row[0], (columns, []))[1].append(row[1:])
    return parts


def _cells(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_csv_and_docx_hold_the_same_rows(store: Store, lang: str) -> None:
    _fill(store)
    files = report_files(store, month="2026-11", tz=TZ, lang=lang, now=LATER, org=ORG)  # type: ignore[arg-type]
    names = [f.name for f in files]
    assert names == [
        f"report-2026-11-{lang}.md",
        f"report-2026-11-{lang}.csv",
        f"report-2026-11-{lang}.docx",
    ]
    markdown, table, word = (f.content for f in files)
    parts = _csv_parts(table.decode("utf-8"))
    assert set(parts) == {
        "inspections",
        "incidents",
        "staff_changes",
        "obligations",
        "timeline",
        "corrections",
    }
    document = docx.Document(io.BytesIO(word))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    for index, part in enumerate(
        ("inspections", "incidents", "staff_changes", "obligations", "timeline", "corrections")
    ):
        columns, rows = parts[part]
        assert headings[index].endswith(part_title(part, lang))  # type: ignore[arg-type]
        assert columns == list(part_columns(part, lang))  # type: ignore[arg-type]
        grid = _cells(document.tables[index])
        assert grid[0] == columns
        # The CSV neutralises formulas ('=SUM…); the document keeps the text as typed.
        assert grid[1:] == [[cell.removeprefix("'") for cell in row] for row in rows], part
        for row in rows:
            shown = (
                "| "
                + " | ".join(
                    c.removeprefix("'").replace("\n", "; ").replace("|", "\\|") or "-" for c in row
                )
                + " |"
            )
            assert shown in markdown.decode("utf-8"), (part, shown)


def test_the_report_says_what_happened_in_every_part(store: Store) -> None:
    _fill(store)
    parts = _csv_parts(
        str(render_month(store, month="2026-11", fmt="csv", tz=TZ, lang="zh", now=LATER))
    )
    inspections = parts["inspections"][1]
    assert ["2026-11-03", "正常（已作废）", "重复登记"] in inspections
    assert ["2026-11-04", "未巡检", ""] in inspections
    assert ["2026-11-02", "发现问题", "防火墙告警未分析 =SUM(A1)"] in inspections
    incident = parts["incidents"][1][0]
    assert incident[1] == "勒索病毒\n严重程度：高\n受影响系统：门户网站"
    assert incident[4] == "网信: 11-20 09:40 按时\n公安: 11-20 10:00 按时\n大数据: 未报告"
    assert parts["staff_changes"][1][0][2] == "离岗（已作废）"
    evidence = parts["obligations"][1][0]
    assert evidence[:3] == ["漏洞扫描", "第二十一条 漏洞扫描不低于每月1次", "已完成"]
    assert evidence[4].startswith(
        "文件：scan.pdf；https://gov-cloud.slack.com/files/U1/F1/scan.pdf；SHA-256 "
    )
    timeline = parts["timeline"][1]
    assert [row[1:3] for row in timeline] == [
        ["2026-11-20 09:20", "隔离受感染主机"],
        ["2026-11-20 10:00", "已通知网信办\nhttps://x.slack.com/p1"],
    ]
    assert timeline[1][3] == "U2（置顶消息）"
    corrections = parts["corrections"][1]
    assert [row[1:4] for row in corrections] == [
        ["巡检记录 #3（2026-11-03）", "作废", "重复登记"],
        ["事件 #1", "严重程度：中 → 高", "影响扩大"],
        ["人员变动 #1", "作废", "人员留任"],
    ]


def test_the_docx_names_the_unit_or_leaves_a_marked_blank(store: Store) -> None:
    _fill(store)
    named = render_month(store, month="2026-11", fmt="docx", tz=TZ, now=LATER, org=ORG)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(named)).paragraphs)  # type: ignore[arg-type]
    assert (
        "报告单位：重庆市某政务云服务有限公司" in text and "联系人及电话：李四 023-00000000" in text
    )
    unnamed = render_month(store, month="2026-11", fmt="docx", tz=TZ, now=LATER)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(unnamed)).paragraphs)  # type: ignore[arg-type]
    assert f"报告单位：{BLANK['zh']}" in text


def test_a_month_still_running_covers_up_to_today(store: Store) -> None:
    run_command(store, "inspect", "ok", user="U1", lang="zh", now=AT, tz=TZ)
    first_day = datetime(2026, 12, 1, 9, 0, tzinfo=TZ)  # nothing of December has been missed yet
    word = render_month(store, month="2026-12", fmt="docx", tz=TZ, now=first_day)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word)).paragraphs)  # type: ignore[arg-type]
    assert "2026年12月1日至2026年12月1日" in text


def test_report_docx_through_the_cli(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ORG_NAME", "重庆市某政务云服务有限公司")
    assert main(["db", "upgrade"]) == 0
    store = Store.open(db_url)
    run_command(
        store,
        "incident",
        "勒索病毒",
        user="U1",
        lang="zh",
        now=datetime.now(TZ) - timedelta(days=40),
        tz=TZ,
    )
    store.dispose()
    month = f"{datetime.now(TZ) - timedelta(days=40):%Y-%m}"
    capsys.readouterr()
    assert main(["report", "--month", month, "--format", "docx"]) == 2
    assert "--output" in capsys.readouterr().err
    out = tmp_path / "report.docx"
    assert main(["report", "--month", month, "--format", "docx", "--output", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out.resolve())
    document = docx.Document(str(out))
    assert any(
        "勒索病毒" in cell.text for t in document.tables for row in t.rows for cell in row.cells
    )
    assert "重庆市某政务云服务有限公司" in "\n".join(p.text for p in document.paragraphs)
    md = tmp_path / "report.md"
    assert main(["report", "--month", month, "--output", str(md)]) == 0
    assert md.read_text(encoding="utf-8").startswith("# 政务云平台安全运行月度报告")
    assert (
        main(["report", "--month", month, "--output", str(tmp_path / "no" / "dir" / "x.md")]) == 2
    )
