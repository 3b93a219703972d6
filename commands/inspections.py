"""/inspect: the daily security inspection of Art. 23."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from commands.errors import UserError
from commands.grammar import Context, check_length, unknown_verb
from commands.replies import Reply, pick
from commands.store import repo

ARTICLE = 23
USAGE_ZH = "/inspect ok [备注] | /inspect issue <发现的问题> | /inspect status"
USAGE_EN = "/inspect ok [notes] | /inspect issue <finding> | /inspect status"
HELP_ZH = (
    "每日安全巡检（第二十三条：政务云服务商应当每日对政务云平台开展安全巡检）\n"
    "  /inspect ok [备注]          今日巡检正常\n"
    "  /inspect issue <发现的问题>  今日巡检发现问题\n"
    "  /inspect status             今日状态与近 7 天缺漏"
)
HELP_EN = (
    "Daily security inspection (Art. 23: the provider inspects the platform every day)\n"
    "  /inspect ok [notes]          today's inspection found nothing wrong\n"
    "  /inspect issue <finding>     today's inspection found a problem\n"
    "  /inspect status              today's status and gaps in the last 7 days"
)
_OK = {"ok", "正常", "通过"}
_ISSUE = {"issue", "问题", "异常"}
_STATUS = {"status", "状态"}
GAP_WINDOW_DAYS = 7


def is_write(text: str) -> bool:
    verb = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return verb in _OK | _ISSUE


def handle(session: Session, text: str, ctx: Context) -> Reply:
    usage = pick(ctx.lang, USAGE_ZH, USAGE_EN)
    check_length(text, usage)
    verb, _, rest = text.strip().partition(" ")
    verb, rest = verb.lower(), rest.strip()
    if verb in ("", "help", "帮助"):
        return Reply(pick(ctx.lang, HELP_ZH, HELP_EN), ctx.lang, "help", articles=(ARTICLE,))
    if verb in _STATUS:
        return status(session, ctx)
    if verb in _ISSUE and not rest:
        raise UserError(
            f"请写明发现的问题。格式：{USAGE_ZH}", f"Please describe the finding. Usage: {USAGE_EN}"
        )
    if verb not in _OK | _ISSUE:
        raise unknown_verb(verb, usage)
    status_code = "ok" if verb in _OK else "issue"
    row = repo.create_inspection(
        session, day=ctx.today, status=status_code, notes=rest, filed_by=ctx.user, now=ctx.now
    )
    return Reply(
        _filed_text(ctx, status_code, rest),
        ctx.lang,
        "inspection",
        repo.as_record(row) | {"day": ctx.today.isoformat()},
        (ARTICLE,),
    )


def _filed_text(ctx: Context, status_code: str, notes: str) -> str:
    day = ctx.today.isoformat()
    if status_code == "ok":
        return pick(
            ctx.lang,
            f"已记录 {day} 的安全巡检：正常。{('备注：' + notes) if notes else ''}\n依据第二十三条：政务云服务商应当每日对政务云平台开展安全巡检。",
            f"Logged the security inspection for {day}: OK. {('Notes: ' + notes) if notes else ''}\nArt. 23: the provider must inspect the platform every day.",
        )
    return pick(
        ctx.lang,
        f"已记录 {day} 的安全巡检发现问题：{notes}\n依据第二十三条，应及时处置安全隐患，并将巡检情况告知云租户、及时披露安全风险。",
        f"Logged a finding in the security inspection for {day}: {notes}\nArt. 23: deal with the hidden risk promptly, tell the tenants what the inspection found and disclose the risk.",
    )


def missed_days(session: Session, *, start: date, end: date) -> list[date]:
    """Days in [start, end] with no inspection logged."""
    done = {row.day for row in repo.inspections_between(session, start=start, end=end)}
    return [
        start + timedelta(days=i)
        for i in range((end - start).days + 1)
        if start + timedelta(days=i) not in done
    ]


def status(session: Session, ctx: Context) -> Reply:
    today_rows = repo.inspections_between(session, start=ctx.today, end=ctx.today)
    gaps = missed_days(
        session,
        start=ctx.today - timedelta(days=GAP_WINDOW_DAYS),
        end=ctx.today - timedelta(days=1),
    )
    gap_text = (
        "、".join(d.isoformat() for d in gaps)
        if ctx.lang == "zh"
        else ", ".join(d.isoformat() for d in gaps)
    )
    if today_rows:
        latest = today_rows[-1]
        head = pick(
            ctx.lang,
            f"今日（{ctx.today}）已巡检：{'正常' if latest.status == 'ok' else '发现问题 — ' + latest.notes}（{latest.filed_by}）。",
            f"Today ({ctx.today}) is inspected: {'OK' if latest.status == 'ok' else 'finding — ' + latest.notes} (by {latest.filed_by}).",
        )
    else:
        head = pick(
            ctx.lang,
            f"今日（{ctx.today}）尚未记录安全巡检（第二十三条要求每日巡检）。",
            f"No security inspection logged today ({ctx.today}); Art. 23 requires one every day.",
        )
    tail = pick(
        ctx.lang,
        f"近 {GAP_WINDOW_DAYS} 天缺漏：{gap_text}。"
        if gaps
        else f"近 {GAP_WINDOW_DAYS} 天无缺漏。",
        f"Missed in the last {GAP_WINDOW_DAYS} days: {gap_text}."
        if gaps
        else f"No gaps in the last {GAP_WINDOW_DAYS} days.",
    )
    data = {"today": bool(today_rows), "missed": [d.isoformat() for d in gaps]}
    return Reply(f"{head}\n{tail}", ctx.lang, "inspection_status", data, (ARTICLE,))
