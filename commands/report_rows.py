"""The rows of the Art. 33 monthly report, computed once from the store for Markdown, CSV and .docx.

One part per duty (commands.documents.parts: inspections, incidents, staff changes, obligations
with their evidence, incident timelines, corrections), each row in the part's columns, in the
report's language. Cancelled records stay, marked as cancelled; every typed text is shown safely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands.documents.parts import Part
from commands.evidence import Evidence
from commands.incidents import AUTHORITIES, AUTHORITY_EN, AUTHORITY_ZH, SEVERITY_ZH
from commands.inspections import missed_days
from commands.obligations import BY_ID, COMPLETABLE
from commands.periods import next_period_start, period_end
from commands.replies import Lang, cite, pick
from commands.report_history import Row, correction_row, local, timeline_rows
from commands.staff_changes import KIND_ZH
from commands.store import repo
from commands.store.models import Incident, IncidentReport, Inspection, StaffChange
from commands.text import display

_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)  # 0001-01 is a valid month; its start is not in UTC


@dataclass(frozen=True)
class PartRows:
    """One part of the report: its rows in the part's columns, and a note under the table."""

    part: Part
    rows: tuple[Row, ...]
    note: str = ""


@dataclass(frozen=True)
class MonthRows:
    """Everything the report of one month says, in one language."""

    first: date  # the month's first day
    last: date  # the month's last day
    covered_until: date  # the last day the figures cover (today while the month still runs)
    lang: Lang
    parts: tuple[PartRows, ...]


def month_rows(
    session: Session, *, first: date, now: datetime, tz: ZoneInfo, lang: Lang
) -> MonthRows:
    """The report's rows for the month starting on `first` (not after the current month)."""
    today = now.astimezone(tz).date()
    last = period_end(first, "monthly") if first.year < 9999 else date(9999, 12, 31)
    bounds = _bounds(first, tz)
    corrections = repo.corrections_between(session, start=bounds[0], end=bounds[1])
    parts = (
        _inspections(session, first, min(last, today - timedelta(days=1)), last, tz, lang),
        _incidents(session, bounds, tz, lang),
        _staff_changes(session, bounds, tz, lang),
        _obligations(session, bounds, last, today, tz, lang),
        PartRows("timeline", timeline_rows(session, bounds, tz, lang)),
        PartRows("corrections", tuple(correction_row(c, session, tz, lang) for c in corrections)),
    )
    return MonthRows(first, last, min(last, today), lang, parts)


def _bounds(first: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of the month as aware moments the store can take."""

    def moment(day: date) -> datetime:
        try:
            return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)
        except OverflowError:
            return _EARLIEST

    return moment(first), moment(next_period_start(first, "monthly"))


def _inspections(
    session: Session, first: date, end_day: date, last: date, tz: ZoneInfo, lang: Lang
) -> PartRows:
    """Every inspection of the month (cancelled ones marked) and every day missed (Art. 23)."""
    rows: list[tuple[date, int, Row]] = []
    logged = repo.inspections_between(session, start=first, end=last, include_cancelled=True)
    for row in logged:
        rows.append((row.day, row.id, _inspection(row, lang)))
    missed = missed_days(session, start=first, end=end_day, tz=tz)
    rows += [
        (day, 0, (day.isoformat(), pick(lang, "未巡检", "not inspected"), "")) for day in missed
    ]
    days = len({row.day for row in logged if row.cancelled_at is None})
    shown = (
        "、".join(d.isoformat() for d in missed)
        if lang == "zh"
        else ", ".join(d.isoformat() for d in missed)
    )
    note = pick(
        lang,
        f"已巡检 {days} 天；缺漏 {len(missed)} 天{'：' + shown if missed else ''}。",
        f"Inspected on {days} days; missed {len(missed)}{': ' + shown if missed else ''}.",
    )
    return PartRows("inspections", tuple(r for _, _, r in sorted(rows, key=lambda r: r[:2])), note)


def _inspection(row: Inspection, lang: Lang) -> Row:
    result = pick(lang, "正常", "OK") if row.status == "ok" else pick(lang, "发现问题", "finding")
    if row.cancelled_at is not None:
        result += pick(lang, "（已作废）", " (cancelled)")
    return (row.day.isoformat(), result, display(row.notes))


def _incidents(
    session: Session, bounds: tuple[datetime, datetime], tz: ZoneInfo, lang: Lang
) -> PartRows:
    """Each incident discovered in the month, its timeliness per authority (Art. 30)."""
    rows = []
    for incident in repo.incidents_discovered_between(session, start=bounds[0], end=bounds[1]):
        reports = repo.incident_reports(session, incident_id=incident.id)
        timeliness = "\n".join(_timeliness(a, reports.get(a), tz, lang) for a in AUTHORITIES)
        rows.append(
            (
                f"#{incident.id}",
                _incident_text(incident, lang),
                local(incident.discovered_at, tz),
                local(incident.deadline, tz),
                timeliness,
                _incident_status(incident, tz, lang),
            )
        )
    return PartRows("incidents", tuple(rows))


def _incident_text(incident: Incident, lang: Lang) -> str:
    severity = pick(lang, SEVERITY_ZH.get(incident.severity, incident.severity), incident.severity)
    lines = [
        display(incident.summary),
        pick(lang, f"严重程度：{severity}", f"severity: {severity}"),
    ]
    if incident.affected_systems:
        lines.append(
            pick(lang, "受影响系统：", "affected systems: ") + display(incident.affected_systems)
        )
    if incident.measures_taken:
        lines.append(
            pick(lang, "已采取措施：", "measures taken: ") + display(incident.measures_taken)
        )
    return "\n".join(lines)


def _incident_status(incident: Incident, tz: ZoneInfo, lang: Lang) -> str:
    if incident.closed_at is None:
        return pick(lang, "未关闭", "open")
    closed = pick(
        lang,
        f"已关闭（{local(incident.closed_at, tz)}）",
        f"closed {local(incident.closed_at, tz)}",
    )
    if incident.close_reason:
        closed += pick(lang, "，原因：", "; closed because: ") + display(incident.close_reason)
    return closed


def _timeliness(authority: str, report: IncidentReport | None, tz: ZoneInfo, lang: Lang) -> str:
    name = pick(lang, AUTHORITY_ZH[authority], AUTHORITY_EN[authority])
    if report is None:
        return f"{name}: {pick(lang, '未报告', 'not reported')}"
    at = report.reported_at.astimezone(tz)
    timely = pick(lang, "按时", "on time") if report.on_time else pick(lang, "超时", "late")
    return f"{name}: {at:%m-%d %H:%M} {timely}"


def _staff_changes(
    session: Session, bounds: tuple[datetime, datetime], tz: ZoneInfo, lang: Lang
) -> PartRows:
    """Each change filed in the month, its notice and to whom it was given (Art. 19)."""
    rows = [
        _staff_change(change, tz, lang)
        for change in repo.staff_changes_filed_between(session, start=bounds[0], end=bounds[1])
    ]
    return PartRows("staff_changes", tuple(rows))


def _staff_change(change: StaffChange, tz: ZoneInfo, lang: Lang) -> Row:
    kind = pick(lang, KIND_ZH.get(change.kind, change.kind), change.kind)
    if change.cancelled_at is not None:
        kind += pick(lang, "（已作废）", " (cancelled)")
    timely = pick(lang, "逾期", "late") if change.late else pick(lang, "按时", "on time")
    told = [
        f"{pick(lang, zh, en)}: {local(at, tz) if at else pick(lang, '未报备', 'not notified')}"
        for (zh, en), at in (
            (("大数据", "big data authority"), change.notified_bigdata_at),
            (("租户", "tenants"), change.notified_tenants_at),
        )
    ]
    return (
        f"#{change.id}",
        pick(
            lang,
            f"{display(change.name)}（{display(change.role)}）",
            f"{display(change.name)} ({display(change.role)})",
        ),
        kind,
        change.effective_date.isoformat(),
        str(change.notice_days),
        "\n".join([timely, *told]),
    )


def _obligations(
    session: Session,
    bounds: tuple[datetime, datetime],
    last: date,
    today: date,
    tz: ZoneInfo,
    lang: Lang,
) -> PartRows:
    """Each completion with its evidence, and each monthly duty the month ended without."""
    rows: list[Row] = []
    done = repo.completions_between(session, start=bounds[0], end=bounds[1])
    for completion in done:
        evidence = Evidence(
            completion.evidence,
            completion.evidence_link,
            completion.evidence_file,
            completion.evidence_sha256,
        )
        rows.append(
            (
                _title(completion.obligation_id, lang),
                _basis(completion.obligation_id, lang),
                pick(lang, "已完成", "done"),
                local(completion.completed_at, tz),
                evidence.describe(lang),
            )
        )
    rows += _overdue(session, {c.obligation_id for c in done}, last, today, tz, lang)
    return PartRows("obligations", tuple(rows))


def _overdue(
    session: Session, done: set[str], last: date, today: date, tz: ZoneInfo, lang: Lang
) -> list[Row]:
    """Each monthly duty a finished month went without (counted from the store's first use)."""
    started = repo.first_activity(session)
    if today <= last or started is None or started.astimezone(tz).date() > last:
        return []
    return [
        (_title(o.id, lang), _basis(o.id, lang), pick(lang, "逾期", "overdue"), "", "")
        for o in COMPLETABLE
        if o.period == "monthly" and o.id not in done
    ]


def _title(obligation_id: str, lang: Lang) -> str:
    obligation = BY_ID.get(obligation_id)
    if obligation is None:
        return obligation_id
    return pick(lang, obligation.title_zh, f"{obligation.title_en} ({obligation.id})")


def _basis(obligation_id: str, lang: Lang) -> str:
    obligation = BY_ID.get(obligation_id)
    return "" if obligation is None else f"{cite(obligation.article, lang)} {obligation.phrase}"
