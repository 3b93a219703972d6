"""The monthly report of Art. 33: inspections, incidents, staff changes, obligations for one month."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands.errors import UserError
from commands.incidents import AUTHORITIES, AUTHORITY_EN, AUTHORITY_ZH
from commands.inspections import missed_days
from commands.obligations import BY_ID, COMPLETABLE
from commands.periods import next_period_start, period_end
from commands.replies import cite
from commands.staff_changes import KIND_ZH
from commands.store import Store, repo
from commands.store.models import IncidentReport
from commands.text import display

Row = tuple[str, str, str, str]  # section, item, status, detail
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)  # 0001-01 is a valid month; its start is not in UTC
_SECTIONS = {
    "inspections": ("安全巡检（第二十三条）", "Security inspections (Art. 23)"),
    "incidents": ("网络安全事件（第三十条）", "Security incidents (Art. 30)"),
    "staff_changes": ("安全团队人员变动（第十九条）", "Security-team changes (Art. 19)"),
    "obligations": ("合规事项", "Obligations"),
}
_WORDS_ZH = {
    "ok": "正常",
    "issue": "发现问题",
    "open": "未关闭",
    "closed": "已关闭",
    "done": "已完成",
    "overdue": "逾期",
    "late": "逾期",
    "on time": "按时",
    "days": "天",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_month(
    store: Store, *, month: str, fmt: str, tz: ZoneInfo, lang: str = "zh", now: datetime
) -> str:
    """The report as Markdown or CSV; raises UserError for a malformed or future month."""
    first = parse_month(month, today=now.astimezone(tz).date())
    last = period_end(first, "monthly") if first.year < 9999 else date(9999, 12, 31)
    today = now.astimezone(tz).date()
    end_day = min(last, today - timedelta(days=1))  # today is still running
    with store.session() as session:
        rows = _rows(session, first, last, end_day, tz, lang == "zh")
    return _markdown(month.strip(), rows, lang) if fmt == "md" else _csv(rows, lang)


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


def _bounds(first: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of the month as aware moments the store can take."""

    def moment(day: date) -> datetime:
        try:
            return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
        except OverflowError:
            return _EARLIEST

    return moment(first), moment(next_period_start(first, "monthly"))


def _rows(
    session: Session, first: date, last: date, end_day: date, tz: ZoneInfo, zh: bool
) -> list[Row]:
    start_at, end_at = _bounds(first, tz)
    inspections = repo.inspections_between(session, start=first, end=last)
    missed = missed_days(session, start=first, end=end_day, tz=tz)
    rows: list[Row] = [
        (
            "inspections",
            "第二十三条 每日安全巡检" if zh else "Art. 23 daily inspection",
            f"{len({i.day for i in inspections})} {'天' if zh else 'days'}",
            ("缺漏：" if zh else "missed: ") + (", ".join(d.isoformat() for d in missed) or "-"),
        )
    ]
    rows += [
        ("inspections", i.day.isoformat(), _word(i.status, zh), display(i.notes))
        for i in inspections
        if i.status == "issue"
    ]
    for incident in repo.incidents_discovered_between(session, start=start_at, end=end_at):
        reports = repo.incident_reports(session, incident_id=incident.id)
        detail = "; ".join(_timeliness(a, reports.get(a), tz, zh) for a in AUTHORITIES)
        if incident.close_reason:
            detail += ("; 关闭原因：" if zh else "; closed because: ") + display(
                incident.close_reason
            )
        status = "closed" if incident.closed_at else "open"
        rows.append(
            ("incidents", f"#{incident.id} {display(incident.summary)}", _word(status, zh), detail)
        )
    for change in repo.staff_changes_filed_between(session, start=start_at, end=end_at):
        kind = KIND_ZH.get(change.kind, change.kind) if zh else change.kind
        rows.append(
            (
                "staff_changes",
                f"#{change.id} {display(change.name)} ({display(change.role)}, {kind})",
                _word("late" if change.late else "on time", zh),
                f"{change.notice_days} {'天' if zh else 'days'} → {change.effective_date}",
            )
        )
    done = repo.completions_between(session, start=start_at, end=end_at)
    for completion in done:
        day = completion.completed_at.astimezone(tz)
        rows.append(
            (
                "obligations",
                _title(completion.obligation_id, zh),
                _word("done", zh),
                f"{day:%Y-%m-%d} {display(completion.evidence)}".strip(),
            )
        )
    done_ids = {c.obligation_id for c in done}
    started = repo.first_activity(session)
    for obligation in COMPLETABLE:
        if (
            obligation.period == "monthly"
            and obligation.id not in done_ids
            and end_day >= last
            and started is not None
            and started.astimezone(tz).date() <= last
        ):
            rows.append(
                (
                    "obligations",
                    _title(obligation.id, zh),
                    _word("overdue", zh),
                    f"{cite(obligation.article, 'zh' if zh else 'en')} {obligation.phrase}",
                )
            )
    return rows


def _title(obligation_id: str, zh: bool) -> str:
    obligation = BY_ID.get(obligation_id)
    if obligation is None:
        return obligation_id
    return obligation.title_zh if zh else f"{obligation.title_en} ({obligation.id})"


def _word(word: str, zh: bool) -> str:
    return _WORDS_ZH.get(word, word) if zh else word


def _timeliness(authority: str, report: IncidentReport | None, tz: ZoneInfo, zh: bool) -> str:
    name = AUTHORITY_ZH[authority] if zh else AUTHORITY_EN[authority]
    if report is None:
        return f"{name}: {'未报告' if zh else 'not reported'}"
    at = report.reported_at.astimezone(tz)
    timely = (
        ("按时" if report.on_time else "超时") if zh else ("on time" if report.on_time else "late")
    )
    return f"{name}: {at:%m-%d %H:%M} {timely}"


def _markdown(month: str, rows: list[Row], lang: str) -> str:
    zh = lang == "zh"
    out = [f"# {'政务云平台安全运行月度报告' if zh else 'Monthly security report'} {month}", ""]
    out.append(
        "依据第三十三条：政务云服务商应当定期书面向各云租户报告，报告提交频率不低于每月1次。"
        if zh
        else "Art. 33: the provider reports to every tenant in writing at least once a month."
    )
    for section, (title_zh, title_en) in _SECTIONS.items():
        out += [
            "",
            f"## {title_zh if zh else title_en}",
            "",
            "| 项目 | 状态 | 说明 |" if zh else "| item | status | detail |",
            "|---|---|---|",
        ]
        section_rows = [r for r in rows if r[0] == section]
        out += [
            f"| {_cell(item)} | {_cell(status)} | {_cell(detail)} |"
            for _, item, status, detail in section_rows
        ] or ["| - | - | - |"]
    return "\n".join(out)


def _csv(rows: list[Row], lang: str) -> str:
    """CSV for other tools: the first column is the section's key (inspections, incidents, …),
    the same in both languages (commands.documents maps it onto report parts); the rest is in
    the report's language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ("section", "项目", "状态", "说明")
        if lang == "zh"
        else ("section", "item", "status", "detail")
    )
    for section, *cells in rows:
        writer.writerow([section, *map(_inert, cells)])
    return buffer.getvalue()


def _inert(cell: str) -> str:
    """A spreadsheet must read a cell as text, never as a formula (=HYPERLINK(…), +cmd …)."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
