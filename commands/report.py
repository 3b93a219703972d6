"""The monthly report of Art. 33: inspections, incidents, staff changes, obligations for one month."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from commands.errors import UserError
from commands.incidents import AUTHORITIES, AUTHORITY_EN, AUTHORITY_ZH
from commands.inspections import missed_days
from commands.obligations import COMPLETABLE
from commands.periods import next_period_start, period_end
from commands.replies import cite
from commands.store import Store, repo

Row = tuple[str, str, str, str]  # section, item, status, detail


def render_month(
    store: Store,
    *,
    month: str,
    fmt: str,
    tz: ZoneInfo,
    lang: str = "zh",
    now: datetime | None = None,
) -> str:
    """The report as Markdown or CSV; `now` bounds the month that is still running."""
    first = _parse_month(month)
    last = period_end(first, "monthly")
    now = now or datetime.now(tz)
    end_day = (
        min(last, now.astimezone(tz).date() - timedelta(days=1))
        if first <= now.astimezone(tz).date()
        else last
    )
    start_at = datetime(first.year, first.month, 1, tzinfo=tz)
    end_at = datetime.combine(next_period_start(first, "monthly"), datetime.min.time(), tzinfo=tz)
    rows = _rows(store, first, last, end_day, start_at, end_at, tz, lang)
    return _markdown(month, rows, lang) if fmt == "md" else _csv(rows)


def _parse_month(month: str) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{2})", month.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise UserError(
            f"月份“{month}”无效，请写成 YYYY-MM，例如 2026-11。",
            f"“{month}” is not a month; write YYYY-MM, e.g. 2026-11.",
        )
    return date(int(match[1]), int(match[2]), 1)


def _rows(
    store: Store,
    first: date,
    last: date,
    end_day: date,
    start_at: datetime,
    end_at: datetime,
    tz: ZoneInfo,
    lang: str,
) -> list[Row]:
    zh = lang == "zh"
    rows: list[Row] = []
    with store.session() as session:
        inspections = repo.inspections_between(session, start=first, end=last)
        missed = missed_days(session, start=first, end=end_day) if end_day >= first else []
        rows.append(
            (
                "inspections",
                "第二十三条 每日安全巡检" if zh else "Art. 23 daily inspection",
                f"{len({i.day for i in inspections})} {'天' if zh else 'days'}",
                ("缺漏：" if zh else "missed: ")
                + (", ".join(d.isoformat() for d in missed) or "-"),
            )
        )
        rows += [
            ("inspections", i.day.isoformat(), i.status, i.notes)
            for i in inspections
            if i.status == "issue"
        ]
        for incident in repo.incidents_discovered_between(session, start=start_at, end=end_at):
            reports = repo.incident_reports(session, incident_id=incident.id)
            detail = "; ".join(_timeliness(a, reports.get(a), tz, zh) for a in AUTHORITIES)
            rows.append(
                (
                    "incidents",
                    f"#{incident.id} {incident.summary}",
                    "closed" if incident.closed_at else "open",
                    detail,
                )
            )
        for change in repo.staff_changes_filed_between(session, start=start_at, end=end_at):
            status = ("逾期" if zh else "late") if change.late else ("按时" if zh else "on time")
            rows.append(
                (
                    "staff_changes",
                    f"#{change.id} {change.name} ({change.role}, {change.kind})",
                    status,
                    f"{change.notice_days} {'天' if zh else 'days'} → {change.effective_date}",
                )
            )
        done = repo.completions_between(session, start=start_at, end=end_at)
        done_ids = {c.obligation_id for c in done}
        for completion in done:
            rows.append(
                (
                    "obligations",
                    completion.obligation_id,
                    "done",
                    f"{completion.completed_at.astimezone(tz):%Y-%m-%d} {completion.evidence}".strip(),
                )
            )
        for obligation in COMPLETABLE:
            assert obligation.period is not None
            if obligation.period == "monthly" and obligation.id not in done_ids and end_day >= last:
                rows.append(
                    (
                        "obligations",
                        obligation.id,
                        "overdue",
                        f"{cite(obligation.article, lang)} {obligation.phrase}",
                    )
                )
    return rows


def _timeliness(authority: str, report: object, tz: ZoneInfo, zh: bool) -> str:
    name = AUTHORITY_ZH[authority] if zh else AUTHORITY_EN[authority]
    if report is None:
        return f"{name}: {'未报告' if zh else 'not reported'}"
    at = report.reported_at.astimezone(tz)  # type: ignore[attr-defined]
    on_time = report.on_time  # type: ignore[attr-defined]
    return f"{name}: {at:%m-%d %H:%M} {('按时' if on_time else '超时') if zh else ('on time' if on_time else 'late')}"


_SECTIONS = {
    "inspections": ("安全巡检（第二十三条）", "Security inspections (Art. 23)"),
    "incidents": ("网络安全事件（第三十条）", "Security incidents (Art. 30)"),
    "staff_changes": ("安全团队人员变动（第十九条）", "Security-team changes (Art. 19)"),
    "obligations": ("合规事项", "Obligations"),
}


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


def _csv(rows: list[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("section", "item", "status", "detail"))
    writer.writerows(rows)
    return buffer.getvalue()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
