"""/incident: a security incident and its reporting clock, per authority (Art. 30)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from commands.errors import AlreadyDone, UserError
from commands.grammar import MAX_TEXT, Context, format_local
from commands.obligations import BY_ID
from commands.operations import CloseIncident, ListIncidents, OpenIncident, ReportIncident
from commands.replies import Reply, cite, pick
from commands.store import repo
from commands.store.models import Incident, IncidentReport
from commands.text import display, is_blank
from commands.values import FIRST_YEAR

RULE = BY_ID["incident-report"]
ARTICLE = RULE.article
AUTHORITIES = RULE.parties  # Art. 30: 网信部门、公安部门、大数据主管部门
AUTHORITY_ZH = {"cac": "网信", "police": "公安", "bigdata": "大数据"}
AUTHORITY_EN = {
    "cac": "cyberspace (CAC)",
    "police": "public security",
    "bigdata": "big data authority",
}
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}


def open_incident(session: Session, op: OpenIncident, ctx: Context) -> Reply:
    if is_blank(op.summary) or len(op.summary) > MAX_TEXT:
        raise UserError(
            f"请写明事件摘要（最多 {MAX_TEXT} 字符）。",
            f"Please describe the incident (at most {MAX_TEXT} characters).",
            field="summary",
        )
    if op.severity not in SEVERITY_ZH:
        raise UserError(
            "严重程度应为 高、中 或 低。", "Severity must be high, medium or low.", field="severity"
        )
    discovered = ctx.now if op.discovered_at is None else op.discovered_at
    check_moment(discovered, ctx, field="discovered_at", what_zh="发现时间", what_en="discovery")
    incident = repo.create_incident(
        session,
        summary=op.summary,
        severity=op.severity,
        discovered_at=discovered,
        deadline=discovered + RULE.window,  # type: ignore[operator]
        reporter=ctx.user,
        now=ctx.now,
        affected_systems=report_field(op.affected_systems, "affected_systems"),
        measures_taken=report_field(op.measures_taken, "measures_taken"),
    )
    return _reply(incident, {}, ctx, opened=True)


# The fields the report to the authorities asks for beyond the summary (commands.drafts).
REPORT_FIELDS = {
    "affected_systems": ("受影响系统", "affected systems"),
    "measures_taken": ("已采取措施", "measures taken"),
}


def report_field(value: str, field: str) -> str:
    """Affected systems or measures taken: "" when blank, at most MAX_TEXT characters."""
    if len(value) > MAX_TEXT:
        zh, en = REPORT_FIELDS[field]
        raise UserError(
            f"{zh}过长（最多 {MAX_TEXT} 字符）。",
            f"The {en} text is too long (at most {MAX_TEXT} characters).",
            field=field,
        )
    return "" if is_blank(value) else value


def check_moment(moment: datetime, ctx: Context, *, field: str, what_zh: str, what_en: str) -> None:
    """A time a user gave: aware, in a plausible year, and not later than now."""
    if moment.tzinfo is None or moment.year < FIRST_YEAR:
        raise UserError(
            f"{what_zh}无效：须带时区，且不早于 {FIRST_YEAR} 年。",
            f"The {what_en} time is not valid: it needs a zone and a year from {FIRST_YEAR}.",
            field=field,
        )
    if moment > ctx.now:
        raise UserError(
            f"{what_zh} {format_local(moment, ctx.tz)} 在将来；不能晚于现在（{format_local(ctx.now, ctx.tz)}）。",
            f"The {what_en} time {format_local(moment, ctx.tz)} is in the future; it cannot be later than now ({format_local(ctx.now, ctx.tz)}).",
            field=field,
        )


def report_incident(session: Session, op: ReportIncident, ctx: Context) -> Reply:
    incident = find_incident(session, op.incident_id)
    if op.authority not in AUTHORITIES:
        raise UserError(
            "请说明报告给哪个部门：网信、公安 或 大数据。",
            "Say which authority was told: cac, police or bigdata.",
            field="authority",
        )
    reported_at = ctx.now if op.reported_at is None else op.reported_at
    check_moment(reported_at, ctx, field="reported_at", what_zh="报告时间", what_en="report")
    if reported_at < incident.discovered_at:
        raise UserError(
            f"报告时间 {format_local(reported_at, ctx.tz)} 早于事件发现时间 {format_local(incident.discovered_at, ctx.tz)}。",
            f"The report time {format_local(reported_at, ctx.tz)} is before the incident was discovered ({format_local(incident.discovered_at, ctx.tz)}).",
            field="reported_at",
        )
    repo.check_audited(session, incident)  # judged against a deadline nobody edited
    report = repo.create_incident_report(
        session,
        incident=incident,
        authority=op.authority,
        reported_at=reported_at,
        reported_by=ctx.user,
        now=ctx.now,
    )
    if report is None:
        earlier = repo.incident_report(session, incident_id=incident.id, authority=op.authority)
        assert earlier is not None  # the conflict that stopped this insert
        raise already_done(
            f"事件 #{incident.id} 已记录向{AUTHORITY_ZH[op.authority]}报告",
            f"Incident #{incident.id} is already recorded as reported to {AUTHORITY_EN[op.authority]}",
            earlier.reported_by,
            earlier.recorded_at,
            ctx,
            field="authority",
        )
    return _reply(incident, repo.incident_reports(session, incident_id=incident.id), ctx)


def close_incident(session: Session, op: CloseIncident, ctx: Context) -> Reply:
    incident = find_incident(session, op.incident_id)
    if incident.closed_at is not None:
        raise _already_closed(incident, ctx)
    reports = repo.incident_reports(session, incident_id=incident.id)
    missing = [a for a in AUTHORITIES if a not in reports]
    if len(op.reason) > MAX_TEXT:
        raise UserError(
            f"关闭原因过长（最多 {MAX_TEXT} 字符）。",
            f"The reason is too long (at most {MAX_TEXT} characters).",
            field="reason",
        )
    if missing and is_blank(op.reason):
        raise UserError(
            f"事件 #{incident.id} 尚未向{'、'.join(AUTHORITY_ZH[a] for a in missing)}报告，不能直接关闭（{cite(ARTICLE, 'zh')}）。"
            f"请先记录报告（/incident reported {incident.id} …），或写明关闭原因：/incident close {incident.id} 原因=…",
            f"Incident #{incident.id} is not yet reported to {', '.join(AUTHORITY_EN[a] for a in missing)} (Art. {ARTICLE}). "
            f"Record the reports first (/incident reported {incident.id} …), or give a reason: /incident close {incident.id} reason=…",
            field="reason",
        )
    repo.check_audited(session, incident)
    if not repo.close_incident(
        session, incident=incident, actor=ctx.user, reason=op.reason, now=ctx.now
    ):
        raise _already_closed(find_incident(session, op.incident_id), ctx)
    return _reply(incident, reports, ctx)


def list_incidents(session: Session, op: ListIncidents, ctx: Context) -> Reply:
    listed = repo.open_incidents_with_reports(session)
    if not listed:
        text = pick(ctx.lang, "没有未关闭的网络安全事件。", "No open security incidents.")
        return Reply(text, ctx.lang, "incident_list", {"open": []}, (ARTICLE,))
    lines = [pick(ctx.lang, "未关闭的网络安全事件：", "Open security incidents:")]
    lines += [status_line(incident, reports, ctx) for incident, reports in listed]
    data = {"open": [incident.id for incident, _ in listed]}
    return Reply("\n".join(lines), ctx.lang, "incident_list", data, (ARTICLE,))


def already_done(
    zh: str, en: str, by: str | None, at: datetime | None, ctx: Context, *, field: str
) -> AlreadyDone:
    """The loser of a race (or a repeat) is told who did it first, and when."""
    when = format_local(at, ctx.tz) if at else "?"
    return AlreadyDone(
        f"{zh}（由 {display(by or '?')} 于 {when} 记录）。",
        f"{en} (by {display(by or '?')} at {when}).",
        field=field,
        by=by,
        at=at,
    )


def _already_closed(incident: Incident, ctx: Context) -> UserError:
    return already_done(
        f"事件 #{incident.id} 已关闭",
        f"Incident #{incident.id} is already closed",
        incident.closed_by,
        incident.closed_at,
        ctx,
        field="incident_id",
    )


def find_incident(session: Session, incident_id: int) -> Incident:
    """The incident with this id, or a UserError naming the id."""
    incident = repo.get_incident(session, incident_id=incident_id)
    if incident is None:
        raise UserError(
            f"没有编号为 {incident_id} 的事件。可用 /incident list 查看。",
            f"There is no incident #{incident_id}. See /incident list.",
            field="incident_id",
        )
    return incident


def _reply(
    incident: Incident, reports: dict[str, IncidentReport], ctx: Context, *, opened: bool = False
) -> Reply:
    return Reply(
        describe(incident, reports, ctx, opened=opened),
        ctx.lang,
        "incident",
        incident_data(incident, reports),
        (ARTICLE,),
    )


def status_line(incident: Incident, reports: dict[str, IncidentReport], ctx: Context) -> str:
    marks = " ".join(
        f"{(AUTHORITY_ZH if ctx.lang == 'zh' else AUTHORITY_EN)[a]} {_mark(reports.get(a))}"
        for a in AUTHORITIES
    )
    deadline = format_local(incident.deadline, ctx.tz)
    return f"#{incident.id} {display(incident.summary)} — {pick(ctx.lang, '报告期限', 'report by')} {deadline} — {marks}"


def describe(
    incident: Incident, reports: dict[str, IncidentReport], ctx: Context, *, opened: bool = False
) -> str:
    """The incident as a message: deadline, Art. 30, per-authority status."""
    deadline = format_local(incident.deadline, ctx.tz)
    summary = display(incident.summary)
    if opened:
        head = pick(
            ctx.lang,
            f"已登记网络安全事件 #{incident.id}（严重程度：{SEVERITY_ZH[incident.severity]}），发现于 {format_local(incident.discovered_at, ctx.tz)}：{summary}",
            f"Opened security incident #{incident.id} (severity {incident.severity}), discovered {format_local(incident.discovered_at, ctx.tz)}: {summary}",
        )
    else:
        head = pick(
            ctx.lang,
            f"网络安全事件 #{incident.id}：{summary}",
            f"Security incident #{incident.id}: {summary}",
        )
    rule = pick(
        ctx.lang,
        f"依据{cite(ARTICLE, 'zh')}，须在{RULE.window_text('zh')}内（{deadline} 前）向网信部门、公安部门、大数据主管部门报告。",
        f"Art. {ARTICLE}: report within {RULE.window_text('en')} (by {deadline}) to the cyberspace affairs department, the public security department and the big data authority.",
    )
    known = [
        f"{pick(ctx.lang, zh, en.capitalize())}{pick(ctx.lang, '：', ': ')}{display(value)}"
        for field, (zh, en) in REPORT_FIELDS.items()
        if (value := getattr(incident, field))
    ]
    return "\n".join(
        [head, *known, rule, status_line(incident, reports, ctx), _footer(incident, reports, ctx)]
    )


def _footer(incident: Incident, reports: dict[str, IncidentReport], ctx: Context) -> str:
    if incident.closed_at is not None:
        closed = format_local(incident.closed_at, ctx.tz)
        reason = display(incident.close_reason)
        return pick(
            ctx.lang,
            f"已于 {closed} 关闭{f'，原因：{reason}' if reason else ''}。",
            f"Closed at {closed}{f'; reason: {reason}' if reason else ''}.",
        )
    if len(reports) == len(AUTHORITIES):
        return pick(ctx.lang, "已向全部部门报告。", "Reported to every authority.")
    if ctx.now > incident.deadline:
        return pick(
            ctx.lang,
            f"⚠ 已超过{RULE.window_text('zh')}报告时限。",
            f"⚠ The {RULE.window_text('en')} reporting deadline has passed.",
        )
    return pick(
        ctx.lang,
        f"报告后使用 /incident reported {incident.id} 网信（公安、大数据）。",
        f"After reporting, run /incident reported {incident.id} cac (police, bigdata).",
    )


def incident_data(incident: Incident, reports: dict[str, IncidentReport]) -> dict[str, Any]:
    """Canonical data for Slack blocks: id, deadline and per-authority status."""
    return repo.as_record(incident) | {
        "reports": {
            a: (
                {"reported_at": r.reported_at.isoformat(), "on_time": r.on_time}
                if (r := reports.get(a))
                else None
            )
            for a in AUTHORITIES
        }
    }


def _mark(report: IncidentReport | None) -> str:
    if report is None:
        return "✗"
    return "✓" if report.on_time else "✓(迟/late)"
