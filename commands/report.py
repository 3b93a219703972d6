"""The monthly report of Art. 33 as Markdown, CSV and .docx, all three from the same rows
(commands.report_rows computes them once per month and language)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from commands.documents import MonthlyReportDoc, monthly_report_docx, part_columns, part_section
from commands.documents.parts import part_title
from commands.errors import UserError
from commands.grammar import NO_ORG, Organisation
from commands.obligations import BY_ID
from commands.replies import DOCX, Lang, Reply, ReplyFile, cite, pick
from commands.report_rows import MonthRows, month_rows
from commands.store import Store
from commands.text import display

Format = Literal["md", "csv", "docx"]
FORMATS: tuple[Format, ...] = ("md", "csv", "docx")
MIME = {"md": "text/markdown", "csv": "text/csv", "docx": DOCX}
ARTICLE = BY_ID["tenant-report"].article  # Art. 33: 报告提交频率不低于每月1次
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rows_for(store: Store, *, month: str, tz: ZoneInfo, lang: Lang, now: datetime) -> MonthRows:
    """The month's rows; raises UserError (field "month") for a malformed or future month."""
    first = parse_month(month, today=now.astimezone(tz).date())
    with store.session() as session:
        return month_rows(session, first=first, now=now, tz=tz, lang=lang)


def render_month(
    store: Store,
    *,
    month: str,
    fmt: Format,
    tz: ZoneInfo,
    lang: Lang = "zh",
    now: datetime,
    org: Organisation = NO_ORG,
) -> str | bytes:
    """The report as Markdown or CSV text, or .docx bytes."""
    rows = rows_for(store, month=month, tz=tz, lang=lang, now=now)
    return render(rows, fmt, now=now, tz=tz, org=org)


def report_files(
    store: Store,
    *,
    month: str,
    tz: ZoneInfo,
    lang: Lang,
    now: datetime,
    org: Organisation = NO_ORG,
) -> tuple[ReplyFile, ...]:
    """The report as three files (Markdown, CSV, .docx) from one reading of the store."""
    rows = rows_for(store, month=month, tz=tz, lang=lang, now=now)
    month_text = _month(rows.first)
    title = pick(lang, f"月度安全报告 {month_text}", f"Monthly security report {month_text}")
    files = []
    for fmt in FORMATS:
        content = render(rows, fmt, now=now, tz=tz, org=org)
        data = content.encode("utf-8") if isinstance(content, str) else content
        name = f"report-{month_text}-{lang}.{fmt}"
        files.append(ReplyFile(name, f"{title} ({fmt})", MIME[fmt], data))
    return tuple(files)


def monthly_report(
    store: Store,
    text: str,
    *,
    lang: Lang,
    now: datetime,
    tz: ZoneInfo,
    org: Organisation = NO_ORG,
) -> Reply:
    """`/report [YYYY-MM] [zh|en]` (Art. 33): the month (the last complete one by default) as
    three files, for the console; raises UserError (field "month")."""
    month, lang = report_request(text, lang=lang, now=now, tz=tz)
    files = report_files(store, month=month, tz=tz, lang=lang, now=now, org=org)
    return Reply(
        report_heading(month, lang), lang, "monthly_report", {"month": month}, (ARTICLE,), files
    )


def report_request(text: str, *, lang: Lang, now: datetime, tz: ZoneInfo) -> tuple[str, Lang]:
    """The month and language `/report [YYYY-MM] [zh|en]` asks for (default: the last complete
    month, the user's language); raises UserError (field "month") for anything else."""
    words = text.split()
    lang = "en" if "en" in words else "zh" if "zh" in words else lang
    months = [w for w in words if w not in ("zh", "en")]
    if len(months) > 1:
        raise UserError(
            "格式：/report [YYYY-MM] [zh|en]", "Usage: /report [YYYY-MM] [zh|en]", field="month"
        )
    month = months[0] if months else last_month(now.astimezone(tz))
    parse_month(month, today=now.astimezone(tz).date())  # refused now, not when delivered
    return month.strip(), lang


def report_heading(month: str, lang: Lang) -> str:
    return pick(
        lang,
        f"{month} 月度安全报告（{cite(ARTICLE, 'zh')}）：Markdown、CSV 和 Word 三个文件。",
        f"Monthly security report for {month} (Art. {ARTICLE}): Markdown, CSV and Word files.",
    )


def last_month(now: datetime) -> str:
    """YYYY-MM of the month before `now`'s: the last complete one."""
    year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def render(
    rows: MonthRows, fmt: Format, *, now: datetime, tz: ZoneInfo, org: Organisation = NO_ORG
) -> str | bytes:
    if fmt == "md":
        return markdown(rows)
    if fmt == "csv":
        return csv_text(rows)
    return monthly_report_docx(document(rows, now=now, tz=tz, org=org))


def parse_month(month: str, *, today: date) -> date:
    """YYYY-MM, not after the current month."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", month.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise UserError(
            f"月份“{display(month)}”无效，请写成 YYYY-MM，例如 2026-11。",
            f"“{display(month)}” is not a month; write YYYY-MM, e.g. 2026-11.",
            field="month",
        )
    first = date(int(match[1]), int(match[2]), 1)
    if first > today.replace(day=1):
        raise UserError(
            f"{month.strip()} 尚未到来，不能出具报告（最晚可到本月 {today:%Y-%m}）。",
            f"{month.strip()} has not begun; there is nothing to report yet (the latest month is {today:%Y-%m}).",
            field="month",
        )
    return first


def document(
    rows: MonthRows, *, now: datetime, tz: ZoneInfo, org: Organisation = NO_ORG
) -> MonthlyReportDoc:
    """The rows as the Word document's input (commands.documents)."""
    sections = tuple(part_section(p.part, rows.lang, p.rows, note=p.note) for p in rows.parts)
    return MonthlyReportDoc(
        lang=rows.lang,
        period_start=rows.first,
        period_end=max(rows.first, rows.covered_until),
        generated_at=now,
        sections=sections,
        provider=org.name or None,
        contact=org.contact or None,
        tz=tz,
    )


def markdown(rows: MonthRows) -> str:
    lang = rows.lang
    out = [
        f"# {pick(lang, '政务云平台安全运行月度报告', 'Monthly security report')} {_month(rows.first)}",
        "",
        pick(
            lang,
            "依据第三十三条：政务云服务商应当定期书面向各云租户报告，报告提交频率不低于每月1次。",
            "Art. 33: the provider reports to every tenant in writing at least once a month.",
        ),
    ]
    for part in rows.parts:
        columns = part_columns(part.part, lang)
        out += ["", f"## {part_title(part.part, lang)}", ""]
        if part.note:
            out += [part.note, ""]
        out += [
            "| " + " | ".join(_cell(c) for c in columns) + " |",
            "|" + "---|" * len(columns),
        ]
        out += ["| " + " | ".join(_cell(c or "-") for c in row) + " |" for row in part.rows] or [
            "| " + " | ".join("-" for _ in columns) + " |"
        ]
    return "\n".join(out)


def csv_text(rows: MonthRows) -> str:
    """For other tools: each part is its header row (first cell "section") and its rows, whose
    first cell is the part's key (inspections, incidents, …) in both languages."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for part in rows.parts:
        writer.writerow(["section", *part_columns(part.part, rows.lang)])
        for row in part.rows:
            writer.writerow([part.part, *(_inert(cell or "") for cell in row)])
    return buffer.getvalue()


def _month(first: date) -> str:
    """2026-11; strftime would print year 1 as "1"."""
    return f"{first.year:04d}-{first.month:02d}"


def _inert(cell: str) -> str:
    """A spreadsheet must read a cell as text, never as a formula (=HYPERLINK(…), +cmd …)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _cell(text: str) -> str:
    """A Markdown table cell: its pipes escaped, its lines joined."""
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "; ")
