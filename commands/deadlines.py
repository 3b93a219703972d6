"""/deadlines: what is due and overdue, from the rule table and the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from commands.errors import UserError
from commands.evidence import check_evidence
from commands.grammar import Context, format_local
from commands.grammars.deadlines import DEFAULT_HORIZON_DAYS, MAX_HORIZON_DAYS
from commands.holidays_cn import major_holidays
from commands.incidents import AUTHORITIES, already_done
from commands.incidents import RULE as INCIDENT_RULE
from commands.inspections import GAP_WINDOW_DAYS, recent_gaps
from commands.inspections import RULE as INSPECTION_RULE
from commands.obligations import BY_ID, COMPLETABLE, Obligation
from commands.operations import CompleteObligation, ListDeadlines
from commands.periods import next_due, next_period_start, period_start
from commands.replies import Reply, cite, pick
from commands.staff_changes import RULE as STAFF_RULE
from commands.store import repo
from commands.text import display

__all__ = ["DEFAULT_HORIZON_DAYS", "MAX_HORIZON_DAYS", "complete_obligation", "list_deadlines"]
HOLIDAY_RULE = BY_ID["holiday-duty-plan"]


def help_text(lang: str) -> str:
    ids = "\n".join(
        f"  {o.id:22} {o.title_zh if lang == 'zh' else o.title_en}（{_cite(o, lang)}）"
        for o in COMPLETABLE
    )
    if lang == "zh":
        return f"合规期限\n  /deadlines [天数]          未来若干天（默认{DEFAULT_HORIZON_DAYS}天）内到期及已逾期的事项\n  /deadlines done <编号> [链接] [sha256=…] [佐证说明]  记录完成（每个周期一次）；链接须为 http(s) 地址，可附所指文件的 SHA-256\n  在 Slack 中斜杠命令不能附带文件：输入 /deadlines done（不写编号）或在应用主页点击“记录完成”，在表单中上传佐证文件，其链接和 SHA-256 自动记录\n事项编号：\n{ids}"
    return f"Compliance deadlines\n  /deadlines [days]               due within the horizon (default {DEFAULT_HORIZON_DAYS}) and overdue\n  /deadlines done <id> [link] [sha256=…] [note]  record a completion (once per period); the link is an http(s) address, optionally with the SHA-256 of the file it points to\n  In Slack a slash command cannot carry a file: type /deadlines done (no id) or use “Record a duty done” on the app's Home tab, and upload the evidence file in the form; its link and SHA-256 are recorded for you\nObligation ids:\n{ids}"


@dataclass(frozen=True)
class Due:
    """One line of the deadline list."""

    key: str
    title_zh: str
    title_en: str
    article: int
    due: date
    overdue: bool


def complete_obligation(session: Session, op: CompleteObligation, ctx: Context) -> Reply:
    obligation = BY_ID.get(op.obligation_id)
    if obligation is None or obligation not in COMPLETABLE or obligation.period is None:
        ids = ", ".join(o.id for o in COMPLETABLE)
        raise UserError(
            f"没有可记录完成的事项“{display(op.obligation_id)}”。可用：{ids}",
            f"“{display(op.obligation_id)}” is not an obligation you can complete. Use one of: {ids}",
            field="obligation_id",
        )
    evidence = check_evidence(op.evidence, op.link, op.file_name, op.file_sha256)
    first = period_start(ctx.today, obligation.period)
    bounds = [_start_of(day, ctx) for day in (first, next_period_start(first, obligation.period))]
    earlier = repo.completion_between(
        session, obligation_id=obligation.id, start=bounds[0], end=bounds[1]
    )
    if earlier is not None:
        raise already_done(
            f"{obligation.title_zh}本周期（{first} 起）已记录完成",
            f"{obligation.title_en} is already recorded as done for this period (from {first})",
            earlier.filed_by,
            earlier.completed_at,
            ctx,
            field="obligation_id",
        )
    row = repo.create_completion(
        session,
        obligation_id=obligation.id,
        evidence=evidence.note,
        filed_by=ctx.user,
        now=ctx.now,
        link=evidence.link,
        file_name=evidence.file_name,
        file_sha256=evidence.sha256,
    )
    following = next_due(ctx.now, obligation.period, now=ctx.now, tz=ctx.tz)
    text = pick(
        ctx.lang,
        f"已记录完成：{obligation.title_zh}（{_cite(obligation, 'zh')}），{format_local(ctx.now, ctx.tz)}。下次截止：{following}。",
        f"Recorded: {obligation.title_en} done ({_cite(obligation, 'en')}) at {format_local(ctx.now, ctx.tz)}. Next due by {following}.",
    )
    if described := evidence.describe(ctx.lang):
        text += pick(ctx.lang, f"\n佐证：{described}", f"\nEvidence: {described}")
    return Reply(
        text,
        ctx.lang,
        "obligation_done",
        repo.as_record(row) | {"next_due": following.isoformat()},
        (obligation.article,),
    )


def _start_of(day: date, ctx: Context) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ctx.tz)


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
        if len(reports) < len(AUTHORITIES):
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
                    INCIDENT_RULE.article,
                    day,
                    ctx.now > incident.deadline,
                )
            )
    for change in repo.staff_changes_pending_notice(session):
        due = change.effective_date - STAFF_RULE.window  # type: ignore[operator]
        items.append(
            Due(
                f"staff:{change.id}",
                f"人员变动 #{change.id} {display(change.name)} 报备",
                f"Staff change #{change.id} {display(change.name)} notice",
                STAFF_RULE.article,
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
                HOLIDAY_RULE.article,
                day - timedelta(days=1),  # ready by the holiday's eve
                False,
            )
        )
    return sorted(items, key=lambda d: (not d.overdue, d.due))


def list_deadlines(session: Session, op: ListDeadlines, ctx: Context) -> Reply:
    horizon_days = op.horizon_days
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise UserError(
            f"天数应为 1 到 {MAX_HORIZON_DAYS} 的整数。",
            f"Days must be a whole number from 1 to {MAX_HORIZON_DAYS}.",
            field="horizon_days",
        )
    items = upcoming(session, ctx, horizon_days)
    gaps = recent_gaps(session, ctx)
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
                f"⚠ 近 {GAP_WINDOW_DAYS} 天未巡检的日期（{cite(INSPECTION_RULE.article, 'zh')}）：{days}",
                f"⚠ Days without a security inspection in the last {GAP_WINDOW_DAYS} (Art. {INSPECTION_RULE.article}): {days}",
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
