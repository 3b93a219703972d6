"""/inspect: the daily security inspection of Art. 23."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands.errors import UserError
from commands.grammar import MAX_TEXT, Context
from commands.obligations import BY_ID
from commands.operations import InspectionStatus, ListInspections, LogInspection
from commands.replies import Lang, Reply, cite, pick
from commands.store import repo
from commands.store.models import Inspection
from commands.text import display, is_blank

RULE = BY_ID["daily-inspection"]
ARTICLE = RULE.article
GAP_WINDOW_DAYS = 7  # how far back /inspect status and /deadlines look for missed days


def log_inspection(session: Session, op: LogInspection, ctx: Context) -> Reply:
    if op.status not in ("ok", "issue"):
        raise UserError(
            "巡检结果应为 ok 或 issue。", "The result must be ok or issue.", field="status"
        )
    if op.status == "issue" and is_blank(op.notes):
        raise UserError(
            "请写明发现的问题，例如：/inspect issue 防火墙告警未分析",
            "Please describe the finding, e.g. /inspect issue firewall alerts not analysed",
            field="notes",
        )
    if len(op.notes) > MAX_TEXT:
        raise UserError(
            f"备注过长（最多 {MAX_TEXT} 字符）。",
            f"The notes are too long (at most {MAX_TEXT} characters).",
            field="notes",
        )
    notes = "" if is_blank(op.notes) else op.notes
    row = repo.create_inspection(
        session, day=ctx.today, status=op.status, notes=notes, filed_by=ctx.user, now=ctx.now
    )
    return Reply(
        _filed_text(ctx, row.id, op.status, display(notes)),
        ctx.lang,
        "inspection",
        repo.as_record(row) | {"day": ctx.today.isoformat()},
        (ARTICLE,),
    )


def _filed_text(ctx: Context, number: int, status_code: str, notes: str) -> str:
    day = ctx.today.isoformat()
    if status_code == "ok":
        return pick(
            ctx.lang,
            f"已记录 {day} 的安全巡检 #{number}：正常。{('备注：' + notes) if notes else ''}\n依据{cite(ARTICLE, 'zh')}：政务云服务商应当每日对政务云平台开展安全巡检。",
            f"Logged the security inspection for {day} as #{number}: OK. {('Notes: ' + notes) if notes else ''}\nArt. {ARTICLE}: the provider must inspect the platform every day.",
        )
    return pick(
        ctx.lang,
        f"已记录 {day} 的安全巡检 #{number} 发现问题：{notes}\n依据{cite(ARTICLE, 'zh')}，应及时处置安全隐患，并将巡检情况告知云租户、及时披露安全风险。",
        f"Logged a finding in the security inspection for {day} as #{number}: {notes}\nArt. {ARTICLE}: deal with the hidden risk promptly, tell the tenants what the inspection found and disclose the risk.",
    )


def find_inspection(session: Session, inspection_id: int) -> Inspection:
    """The inspection with this id, or a UserError naming the id."""
    row = repo.get_inspection(session, inspection_id=inspection_id)
    if row is None:
        raise UserError(
            f"没有编号为 {inspection_id} 的巡检记录。可用 /inspect list 查看近期记录。",
            f"There is no inspection #{inspection_id}. See /inspect list for recent ones.",
            field="inspection_id",
        )
    return row


def describe_inspection(row: Inspection, lang: Lang) -> str:
    """#5 2026-11-24 正常（U1）/ #5 2026-11-24 OK (by U1), with the finding when there is one."""
    if row.status == "ok":
        result = pick(lang, "正常", "OK")
    else:
        result = pick(lang, "发现问题 — ", "finding — ") + display(row.notes)
    if row.status == "ok" and row.notes:
        result += pick(lang, "，备注：", "; notes: ") + display(row.notes)
    by = display(row.filed_by)
    return f"#{row.id} {row.day} {result}" + pick(lang, f"（{by}）", f" (by {by})")


def list_inspections(session: Session, op: ListInspections, ctx: Context) -> Reply:
    start = ctx.today - timedelta(days=GAP_WINDOW_DAYS)
    rows = repo.inspections_between(session, start=start, end=ctx.today)
    head = pick(
        ctx.lang,
        f"近 {GAP_WINDOW_DAYS} 天的安全巡检记录（更正：/inspect amend <编号> …，作废：/inspect cancel <编号> 原因=…）：",
        f"Security inspections of the last {GAP_WINDOW_DAYS} days (correct one: /inspect amend <id> …; cancel one: /inspect cancel <id> reason=…):",
    )
    lines = [describe_inspection(row, ctx.lang) for row in reversed(rows)]
    body = lines or [pick(ctx.lang, "（无）", "(none)")]
    data = {"inspections": [row.id for row in rows]}
    return Reply("\n".join([head, *body]), ctx.lang, "inspection_list", data, (ARTICLE,))


def missed_days(session: Session, *, start: date, end: date, tz: ZoneInfo) -> list[date]:
    """Days in [start, end] with no inspection logged, counted from the store's first activity.

    A fresh install has missed nothing: the days before the bot was in use are not gaps.
    """
    first = repo.first_activity(session)
    if first is None:
        return []
    start = max(start, first.astimezone(tz).date())
    if end < start:
        return []
    done = {row.day for row in repo.inspections_between(session, start=start, end=end)}
    return [
        start + timedelta(days=i)
        for i in range((end - start).days + 1)
        if start + timedelta(days=i) not in done
    ]


def recent_gaps(session: Session, ctx: Context) -> list[date]:
    """Missed inspections in the last GAP_WINDOW_DAYS days before today."""
    return missed_days(
        session,
        start=ctx.today - timedelta(days=GAP_WINDOW_DAYS),
        end=ctx.today - timedelta(days=1),
        tz=ctx.tz,
    )


def inspection_status(session: Session, op: InspectionStatus, ctx: Context) -> Reply:
    today_rows = repo.inspections_between(session, start=ctx.today, end=ctx.today)
    gaps = recent_gaps(session, ctx)
    sep = "、" if ctx.lang == "zh" else ", "
    gap_text = sep.join(d.isoformat() for d in gaps)
    if today_rows:
        latest = today_rows[-1]
        finding = display(latest.notes)
        head = pick(
            ctx.lang,
            f"今日（{ctx.today}）已巡检 #{latest.id}：{'正常' if latest.status == 'ok' else '发现问题 — ' + finding}（{display(latest.filed_by)}）。",
            f"Today ({ctx.today}) is inspected, #{latest.id}: {'OK' if latest.status == 'ok' else 'finding — ' + finding} (by {display(latest.filed_by)}).",
        )
    else:
        head = pick(
            ctx.lang,
            f"今日（{ctx.today}）尚未记录安全巡检（{cite(ARTICLE, 'zh')}要求每日巡检）。",
            f"No security inspection logged today ({ctx.today}); Art. {ARTICLE} requires one every day.",
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
