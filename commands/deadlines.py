"""/deadlines: what is due and overdue, from the rule table and the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from commands.errors import UserError
from commands.grammar import Context, format_local, verb_and_args
from commands.holidays_cn import major_holidays
from commands.inspections import missed_days
from commands.obligations import BY_ID, COMPLETABLE, Obligation
from commands.periods import next_due
from commands.replies import Reply, cite, pick
from commands.store import repo

DEFAULT_HORIZON_DAYS = 30
MAX_HORIZON_DAYS = 366
USAGE_ZH = "/deadlines [天数] | /deadlines done <事项编号> [佐证]"
USAGE_EN = "/deadlines [days] | /deadlines done <obligation-id> [evidence]"


def help_text(lang: str) -> str:
    ids = "\n".join(
        f"  {o.id:22} {o.title_zh if lang == 'zh' else o.title_en}（{_cite(o, lang)}）"
        for o in COMPLETABLE
    )
    if lang == "zh":
        return f"合规期限\n  /deadlines [天数]          未来若干天（默认30天）内到期及已逾期的事项\n  /deadlines done <编号> [佐证]  记录完成\n事项编号：\n{ids}"
    return f"Compliance deadlines\n  /deadlines [days]               due within the horizon (default 30) and overdue\n  /deadlines done <id> [evidence]  record a completion\nObligation ids:\n{ids}"


@dataclass(frozen=True)
class Due:
    """One line of the deadline list."""

    key: str
    title_zh: str
    title_en: str
    article: int
    due: date
    overdue: bool


def is_write(text: str) -> bool:
    return text.strip().lower().startswith("done")


def handle(session: Session, text: str, ctx: Context) -> Reply:
    usage = pick(ctx.lang, USAGE_ZH, USAGE_EN)
    verb, args = verb_and_args(text, usage)
    if verb in ("help", "帮助"):
        return Reply(help_text(ctx.lang), ctx.lang, "help")
    if verb in ("done", "完成"):
        return _done(session, args[1:], ctx, usage)
    if not args:
        return listing(session, ctx, DEFAULT_HORIZON_DAYS)
    if not verb.isdigit() or not 1 <= int(verb) <= MAX_HORIZON_DAYS or len(args) > 1:
        raise UserError(
            f"天数应为 1 到 {MAX_HORIZON_DAYS} 的整数。格式：{usage}",
            f"Days must be a whole number from 1 to {MAX_HORIZON_DAYS}. Usage: {usage}",
        )
    return listing(session, ctx, int(verb))


def _done(session: Session, args: list[str], ctx: Context, usage: str) -> Reply:
    if not args:
        raise UserError(
            f"请写明事项编号。格式：{usage}\n{help_text('zh')}",
            f"Name the obligation. Usage: {usage}\n{help_text('en')}",
        )
    obligation = BY_ID.get(args[0].lower())
    if obligation is None or obligation not in COMPLETABLE:
        ids = ", ".join(o.id for o in COMPLETABLE)
        raise UserError(
            f"没有可记录完成的事项“{args[0]}”。可用：{ids}",
            f"“{args[0]}” is not an obligation you can complete. Use one of: {ids}",
        )
    evidence = " ".join(args[1:])
    row = repo.create_completion(
        session, obligation_id=obligation.id, evidence=evidence, filed_by=ctx.user, now=ctx.now
    )
    assert obligation.period is not None
    upcoming = next_due(ctx.now, obligation.period, now=ctx.now, tz=ctx.tz)
    text = pick(
        ctx.lang,
        f"已记录完成：{obligation.title_zh}（{_cite(obligation, 'zh')}），{format_local(ctx.now, ctx.tz)}。下次截止：{upcoming}。",
        f"Recorded: {obligation.title_en} done ({_cite(obligation, 'en')}) at {format_local(ctx.now, ctx.tz)}. Next due by {upcoming}.",
    )
    return Reply(
        text,
        ctx.lang,
        "obligation_done",
        repo.as_record(row) | {"next_due": upcoming.isoformat()},
        (obligation.article,),
    )


def upcoming(session: Session, ctx: Context, horizon_days: int) -> list[Due]:
    """Every due date within the horizon, and everything overdue, soonest first."""
    horizon = ctx.today + timedelta(days=horizon_days)
    last, since = repo.last_completions(session), repo.first_activity(session)
    items = []
    for obligation in COMPLETABLE:
        assert obligation.period is not None  # COMPLETABLE holds recurring duties only
        due = next_due(
            last.get(obligation.id), obligation.period, now=ctx.now, tz=ctx.tz, since=since
        )
        if due <= horizon:
            items.append(
                Due(
                    obligation.id,
                    obligation.title_zh,
                    obligation.title_en,
                    obligation.article,
                    due,
                    due < ctx.today,
                )
            )
    for incident, reports in repo.open_incidents_with_reports(session):
        if len(reports) < 3:
            day = incident.deadline.astimezone(ctx.tz).date()
            title_zh, title_en = (
                f"事件 #{incident.id} 报告（{format_local(incident.deadline, ctx.tz)} 前）",
                f"Incident #{incident.id} report (by {format_local(incident.deadline, ctx.tz)})",
            )
            items.append(
                Due(
                    f"incident:{incident.id}",
                    title_zh,
                    title_en,
                    30,
                    day,
                    ctx.now > incident.deadline,
                )
            )
    for change in repo.staff_changes_pending_notice(session):
        due = change.effective_date - timedelta(days=30)
        items.append(
            Due(
                f"staff:{change.id}",
                f"人员变动 #{change.id} {change.name} 报备",
                f"Staff change #{change.id} {change.name} notice",
                19,
                due,
                due < ctx.today,
            )
        )
    for day, name_zh, name_en in major_holidays(ctx.today, horizon):
        items.append(
            Due(
                f"holiday:{day}",
                f"{name_zh}24小时现场值守保障方案",
                f"24-hour on-site duty plan for {name_en}",
                27,
                day - timedelta(days=1),
                False,
            )
        )
    return sorted(items, key=lambda d: (not d.overdue, d.due))


def listing(session: Session, ctx: Context, horizon_days: int) -> Reply:
    items = upcoming(session, ctx, horizon_days)
    gaps = missed_days(
        session, start=ctx.today - timedelta(days=7), end=ctx.today - timedelta(days=1)
    )
    lines = [
        pick(
            ctx.lang,
            f"未来 {horizon_days} 天内的合规期限（含已逾期）：",
            f"Compliance deadlines within {horizon_days} days (and anything overdue):",
        )
    ]
    for item in items:
        flag = pick(ctx.lang, "⚠ 已逾期 ", "⚠ OVERDUE ") if item.overdue else ""
        title = item.title_zh if ctx.lang == "zh" else item.title_en
        lines.append(f"• {flag}{item.due}  {title}  [{item.key}]  {cite(item.article, ctx.lang)}")
    if len(items) == 0:
        lines.append(pick(ctx.lang, "（无）", "(none)"))
    if gaps:
        days = ", ".join(d.isoformat() for d in gaps)
        lines.append(
            pick(
                ctx.lang,
                f"⚠ 近 7 天未巡检的日期（第二十三条）：{days}",
                f"⚠ Days without a security inspection in the last 7 (Art. 23): {days}",
            )
        )
    data = {
        "items": [
            {"key": i.key, "due": i.due.isoformat(), "overdue": i.overdue, "article": i.article}
            for i in items
        ],
        "missed_inspections": [d.isoformat() for d in gaps],
    }
    return Reply(
        "\n".join(lines), ctx.lang, "deadlines", data, tuple(sorted({i.article for i in items}))
    )


def _cite(obligation: Obligation, lang: str) -> str:
    return cite(obligation.article, lang)
