"""/incident: a security incident and its 2-hour reporting clock (Art. 30)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from commands.errors import UserError
from commands.grammar import HELP_WORDS, Context, format_local, parse_id, parse_time, verb_and_args
from commands.replies import Reply, pick
from commands.store import repo
from commands.store.models import Incident, IncidentReport

ARTICLE = 30
REPORT_WINDOW = timedelta(hours=2)  # Art. 30: 在2个小时内
# Art. 30 names 网信部门、公安部门、大数据主管部门 as the authorities to report to.
AUTHORITIES = ("cac", "police", "bigdata")
AUTHORITY_ZH = {"cac": "网信", "police": "公安", "bigdata": "大数据"}
AUTHORITY_EN = {
    "cac": "cyberspace (CAC)",
    "police": "public security",
    "bigdata": "big data authority",
}
_AUTHORITY_WORDS = {
    "网信": "cac",
    "网信部门": "cac",
    "cac": "cac",
    "公安": "police",
    "公安部门": "police",
    "police": "police",
    "大数据": "bigdata",
    "大数据主管部门": "bigdata",
    "bigdata": "bigdata",
}
SEVERITIES = {
    "high": "high",
    "高": "high",
    "medium": "medium",
    "中": "medium",
    "low": "low",
    "低": "low",
}
SEVERITY_ZH = {"high": "高", "medium": "中", "low": "低"}
USAGE_ZH = "/incident <事件摘要> [严重程度=高|中|低] [发现时间=YYYY-MM-DD HH:MM] | /incident reported <编号> <网信|公安|大数据> | /incident close <编号> | /incident list"
USAGE_EN = "/incident <summary> [sev=high|medium|low] [at=YYYY-MM-DD HH:MM] | /incident reported <id> <cac|police|bigdata> | /incident close <id> | /incident list"
HELP_ZH = (
    "网络安全事件报告（第三十条：在2个小时内向网信部门、公安部门、大数据主管部门等报告）\n"
    + USAGE_ZH.replace(" | ", "\n")
)
HELP_EN = (
    "Security incident report (Art. 30: report within 2 hours to the cyberspace, public security and big data authorities)\n"
    + USAGE_EN.replace(" | ", "\n")
)
_VERBS = {"reported", "已报告", "close", "关闭", "list", "列表"}


def is_write(text: str) -> bool:
    verb = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return verb not in ("", "help", "帮助", "list", "列表")


def handle(session: Session, text: str, ctx: Context) -> Reply:
    usage = pick(ctx.lang, USAGE_ZH, USAGE_EN)
    verb, args = verb_and_args(text, usage)
    if verb in HELP_WORDS:
        return Reply(pick(ctx.lang, HELP_ZH, HELP_EN), ctx.lang, "help", articles=(ARTICLE,))
    if verb in ("list", "列表"):
        return _list(session, ctx)
    if verb in ("reported", "已报告"):
        return _reported(session, args[1:], ctx, usage)
    if verb in ("close", "关闭"):
        return _close(session, args[1:], ctx, usage)
    return _open(session, args, ctx, usage)


def _open(session: Session, args: list[str], ctx: Context, usage: str) -> Reply:
    severity, discovered, words = "medium", ctx.now, []
    args = _join_date_and_time(args)
    for arg in args:
        key, sep, value = arg.partition("=")
        if sep and key.lower() in ("sev", "severity", "严重程度"):
            if value.lower() not in SEVERITIES:
                raise UserError(
                    f"严重程度“{value}”无效，可用：高、中、低。格式：{usage}",
                    f"Unknown severity “{value}”; use high, medium or low. Usage: {usage}",
                )
            severity = SEVERITIES[value.lower()]
        elif sep and key.lower() in ("at", "discovered", "发现时间"):
            discovered = parse_time(value, ctx.tz, ctx.today, usage)
        else:
            words.append(arg)
    summary = " ".join(words).strip()
    if not summary:
        raise UserError(
            f"请写明事件摘要。格式：{usage}", f"Please describe the incident. Usage: {usage}"
        )
    if discovered > ctx.now:
        raise UserError(
            f"发现时间 {format_local(discovered, ctx.tz)} 在将来；发现时间不能晚于现在。",
            f"The discovery time {format_local(discovered, ctx.tz)} is in the future; it cannot be later than now.",
        )
    incident = repo.create_incident(
        session,
        summary=summary,
        severity=severity,
        discovered_at=discovered,
        deadline=discovered + REPORT_WINDOW,
        reporter=ctx.user,
        now=ctx.now,
    )
    return Reply(
        describe(incident, {}, ctx, opened=True),
        ctx.lang,
        "incident",
        incident_data(incident, {}),
        (ARTICLE,),
    )


def _join_date_and_time(args: list[str]) -> list[str]:
    """`at=2026-11-24 09:30` arrives as two words; put the time back with its date."""
    joined: list[str] = []
    for arg in args:
        if (
            joined
            and re.fullmatch(r"\d{1,2}:\d{2}", arg)
            and re.search(r"=\d{4}-\d{1,2}-\d{1,2}$", joined[-1])
        ):
            joined[-1] += " " + arg
        else:
            joined.append(arg)
    return joined


def _reported(session: Session, args: list[str], ctx: Context, usage: str) -> Reply:
    incident = _get(session, args[0] if args else None, ctx, usage)
    authority = _AUTHORITY_WORDS.get(args[1].lower()) if len(args) == 2 else None
    if authority is None:
        raise UserError(
            f"请说明报告给哪个部门：网信、公安 或 大数据。格式：{usage}",
            f"Say which authority was told: cac, police or bigdata. Usage: {usage}",
        )
    reports = repo.incident_reports(session, incident_id=incident.id)
    if authority in reports:
        raise UserError(
            f"事件 #{incident.id} 已记录向{AUTHORITY_ZH[authority]}报告。",
            f"Incident #{incident.id} is already recorded as reported to {AUTHORITY_EN[authority]}.",
        )
    if incident.closed_at is not None:
        raise UserError(f"事件 #{incident.id} 已关闭。", f"Incident #{incident.id} is closed.")
    reports[authority] = repo.create_incident_report(
        session, incident=incident, authority=authority, reported_by=ctx.user, now=ctx.now
    )
    return _reply(incident, reports, ctx)


def _close(session: Session, args: list[str], ctx: Context, usage: str) -> Reply:
    incident = _get(session, args[0] if args else None, ctx, usage)
    if incident.closed_at is not None:
        raise UserError(
            f"事件 #{incident.id} 已关闭。", f"Incident #{incident.id} is already closed."
        )
    repo.close_incident(session, incident=incident, actor=ctx.user, now=ctx.now)
    reports = repo.incident_reports(session, incident_id=incident.id)
    return _reply(incident, reports, ctx)


def _reply(incident: Incident, reports: dict[str, IncidentReport], ctx: Context) -> Reply:
    return Reply(
        describe(incident, reports, ctx),
        ctx.lang,
        "incident",
        incident_data(incident, reports),
        (ARTICLE,),
    )


def _list(session: Session, ctx: Context) -> Reply:
    listed = repo.open_incidents_with_reports(session)
    if not listed:
        text = pick(ctx.lang, "没有未关闭的网络安全事件。", "No open security incidents.")
        return Reply(text, ctx.lang, "incident_list", {"open": []}, (ARTICLE,))
    lines = [pick(ctx.lang, "未关闭的网络安全事件：", "Open security incidents:")]
    lines += [status_line(incident, reports, ctx) for incident, reports in listed]
    data = {"open": [incident.id for incident, _ in listed]}
    return Reply("\n".join(lines), ctx.lang, "incident_list", data, (ARTICLE,))


def _get(session: Session, raw: str | None, ctx: Context, usage: str) -> Incident:
    incident_id = parse_id(raw, "事件", "incident", usage)
    incident = repo.get_incident(session, incident_id=incident_id)
    if incident is None:
        raise UserError(
            f"没有编号为 {incident_id} 的事件。可用 /incident list 查看。",
            f"There is no incident #{incident_id}. See /incident list.",
        )
    return incident


def status_line(incident: Incident, reports: dict[str, IncidentReport], ctx: Context) -> str:
    marks = " ".join(
        f"{(AUTHORITY_ZH if ctx.lang == 'zh' else AUTHORITY_EN)[a]} {_mark(reports.get(a))}"
        for a in AUTHORITIES
    )
    deadline = format_local(incident.deadline, ctx.tz)
    return f"#{incident.id} {incident.summary} — {pick(ctx.lang, '报告期限', 'report by')} {deadline} — {marks}"


def describe(
    incident: Incident, reports: dict[str, IncidentReport], ctx: Context, *, opened: bool = False
) -> str:
    """The incident as a message: deadline, Art. 30, per-authority status."""
    deadline = format_local(incident.deadline, ctx.tz)
    overdue = ctx.now > incident.deadline and len(reports) < len(AUTHORITIES)
    if opened:
        head = pick(
            ctx.lang,
            f"已登记网络安全事件 #{incident.id}（严重程度：{SEVERITY_ZH[incident.severity]}），发现于 {format_local(incident.discovered_at, ctx.tz)}：{incident.summary}",
            f"Opened security incident #{incident.id} (severity {incident.severity}), discovered {format_local(incident.discovered_at, ctx.tz)}: {incident.summary}",
        )
    else:
        head = pick(
            ctx.lang,
            f"网络安全事件 #{incident.id}：{incident.summary}",
            f"Security incident #{incident.id}: {incident.summary}",
        )
    rule = pick(
        ctx.lang,
        f"依据第三十条，须在2个小时内（{deadline} 前）向网信部门、公安部门、大数据主管部门报告。",
        f"Art. 30: report within 2 hours (by {deadline}) to the cyberspace affairs department, the public security department and the big data authority.",
    )
    lines = [head, rule, status_line(incident, reports, ctx)]
    if incident.closed_at is not None:
        lines.append(
            pick(
                ctx.lang,
                f"已于 {format_local(incident.closed_at, ctx.tz)} 关闭。",
                f"Closed at {format_local(incident.closed_at, ctx.tz)}.",
            )
        )
    elif overdue:
        lines.append(
            pick(ctx.lang, "⚠ 已超过2小时报告时限。", "⚠ The 2-hour reporting deadline has passed.")
        )
    elif len(reports) < len(AUTHORITIES):
        lines.append(
            pick(
                ctx.lang,
                f"报告后使用 /incident reported {incident.id} 网信（公安、大数据）。",
                f"After reporting, run /incident reported {incident.id} cac (police, bigdata).",
            )
        )
    return "\n".join(lines)


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
