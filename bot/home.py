"""The Home tab: a pure builder from commands.home.Dashboard to a Block Kit `home` view.

Everything a user typed (summaries, names, notes) is escaped before it goes into mrkdwn.
"""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.blocks import Block, _button, _context, _section
from bot.mrkdwn import escape
from commands.grammar import format_local
from commands.home import Dashboard, IncidentClock, NoticeDue, TodayInspection
from commands.incidents import AUTHORITY_EN, AUTHORITY_ZH, SEVERITY_ZH
from commands.incidents import RULE as INCIDENT_RULE
from commands.inspections import RULE as INSPECTION_RULE
from commands.replies import Lang, cite, pick
from commands.staff_changes import KIND_ZH, PARTY_EN, PARTY_ZH
from commands.staff_changes import RULE as STAFF_RULE
from commands.text import display

# A view holds at most 100 blocks: the busiest sections are cut, with a pointer to the full list.
MAX_INCIDENTS = 15
MAX_LINES = 25
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")

# One button per filing form; bot.listeners.home opens the form named after the colon.
FORMS = ("incident", "inspect", "staff-change", "deadlines-done")


def home_view(dashboard: Dashboard, *, lang: Lang, tz: ZoneInfo) -> Block:
    """The whole Home tab for one user, in their language."""
    blocks: list[Block] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": pick(lang, "合规看板", "Compliance dashboard")},
        },
        _context(
            pick(lang, "更新于 ", "Updated ")
            + format_local(dashboard.now, tz)
            + pick(lang, "（有新登记时自动刷新）", " (refreshed when something is filed)")
        ),
        {"type": "actions", "block_id": "home_forms", "elements": _form_buttons(lang)},
        {"type": "divider"},
        *_incidents(dashboard, lang, tz),
        {"type": "divider"},
        _section(_inspection(dashboard.inspection, lang)),
        {"type": "divider"},
        _section(_deadlines(dashboard, lang)),
        {"type": "divider"},
        _section(_notices(dashboard.notices, lang)),
    ]
    return {"type": "home", "callback_id": "home", "blocks": blocks}


def _form_buttons(lang: Lang) -> list[Block]:
    labels = {
        "incident": ("🚨 登记安全事件", "🚨 File an incident"),
        "inspect": ("🔍 记录今日巡检", "🔍 Log today's inspection"),
        "staff-change": ("👤 人员变动报备", "👤 File a staff change"),
        "deadlines-done": ("✅ 记录完成（附佐证）", "✅ Record a duty done"),
    }
    return [
        _button(pick(lang, *labels[form]), f"home_open:{form}", form, "primary" if i == 0 else None)
        for i, form in enumerate(FORMS)
    ]


def _incidents(dashboard: Dashboard, lang: Lang, tz: ZoneInfo) -> list[Block]:
    head = pick(
        lang,
        f"*🚨 未关闭的网络安全事件*（{cite(INCIDENT_RULE.article, 'zh')}：{INCIDENT_RULE.window_text('zh')}内向各部门报告）",
        f"*🚨 Open security incidents* (Art. {INCIDENT_RULE.article}: report to each authority within {INCIDENT_RULE.window_text('en')})",
    )
    if not dashboard.incidents:
        return [_section(head + "\n" + pick(lang, "无。", "None."))]
    blocks = [_section(head)]
    for incident in dashboard.incidents[:MAX_INCIDENTS]:
        blocks.append(_section(_incident_text(incident, dashboard, lang, tz)))
        if incident.pending:
            blocks.append(
                {
                    "type": "actions",
                    "block_id": f"home_incident_{incident.id}",
                    "elements": [
                        _button(
                            pick(lang, f"已报告{AUTHORITY_ZH[a]}", f"Reported to {a}"),
                            "incident_reported",
                            f"{incident.id}:{a}",
                        )
                        for a in incident.pending
                    ],
                }
            )
    if (more := len(dashboard.incidents) - MAX_INCIDENTS) > 0:
        blocks.append(
            _context(
                pick(lang, f"另有 {more} 起，见 /incident list", f"{more} more: /incident list")
            )
        )
    return blocks


def _incident_text(incident: IncidentClock, dashboard: Dashboard, lang: Lang, tz: ZoneInfo) -> str:
    severity = SEVERITY_ZH[incident.severity] if lang == "zh" else incident.severity
    left = incident.time_left(dashboard.now)
    clock = pick(lang, "报告期限 ", "Report by ") + format_local(incident.deadline, tz)
    if not incident.pending:
        clock += pick(lang, "（已全部报告）", " (all reported)")
    elif left > timedelta(0):
        clock += pick(lang, f"（剩余 {_duration(left, lang)}）", f" ({_duration(left, lang)} left)")
    else:
        clock += pick(
            lang, f" ⚠ 已超时 {_duration(-left, lang)}", f" ⚠ {_duration(-left, lang)} overdue"
        )
    marks = []
    for state in incident.authorities:
        name = AUTHORITY_ZH[state.authority] if lang == "zh" else AUTHORITY_EN[state.authority]
        if state.reported_at is None:
            marks.append(f"⬜ {name}")
        else:
            when = state.reported_at.astimezone(tz).strftime("%H:%M")
            late = "" if state.on_time else pick(lang, " 迟报", " late")
            marks.append(f"{'✅' if state.on_time else '⚠️'} {name} {when}{late}")
    summary = escape(display(incident.summary))
    return "\n".join(
        [
            f"*#{incident.id}* {summary} — {pick(lang, '严重程度', 'severity')} {severity}",
            clock,
            "  ".join(marks),
        ]
    )


def _duration(span: timedelta, lang: Lang) -> str:
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return pick(lang, f"{hours} 小时 {minutes} 分", f"{hours} h {minutes} min")
    return pick(lang, f"{minutes} 分钟", f"{minutes} min")


def _who(user: str) -> str:
    """A Slack user id as a mention (Slack shows the name); anything else escaped as typed."""
    return f"<@{user}>" if _SLACK_USER.match(user) else escape(display(user))


def _inspection(today: TodayInspection, lang: Lang) -> str:
    head = pick(
        lang,
        f"*🔍 今日安全巡检*（{cite(INSPECTION_RULE.article, 'zh')}：每日巡检）",
        f"*🔍 Today's security inspection* (Art. {INSPECTION_RULE.article}: every day)",
    )
    if today.inspection_id is None:
        line = pick(lang, f"⬜ {today.day} 尚未记录。", f"⬜ Not logged yet for {today.day}.")
    elif today.status == "ok":
        line = pick(lang, "✅ 已巡检 #{0}：正常（{1}）", "✅ Inspected, #{0}: OK (by {1})").format(
            today.inspection_id, _who(today.filed_by)
        )
    else:
        finding = escape(display(today.notes))
        line = pick(
            lang,
            f"⚠️ 已巡检 #{today.inspection_id}，发现问题：{finding}（{_who(today.filed_by)}）",
            f"⚠️ Inspected, #{today.inspection_id}, finding: {finding} (by {_who(today.filed_by)})",
        )
    lines = [head, line]
    if today.missed:
        days = ", ".join(day.isoformat() for day in today.missed)
        lines.append(pick(lang, f"近 7 天缺漏：{days}", f"Missed in the last 7 days: {days}"))
    return "\n".join(lines)


def _deadlines(dashboard: Dashboard, lang: Lang) -> str:
    days = dashboard.horizon_days
    lines = [
        pick(lang, f"*📅 未来 {days} 天的合规期限*", f"*📅 Deadlines in the next {days} days*")
    ]
    for item in dashboard.deadlines[:MAX_LINES]:
        flag = pick(lang, "⚠ 已逾期 ", "⚠ OVERDUE ") if item.overdue else ""
        title = escape(item.title_zh if lang == "zh" else item.title_en)
        lines.append(f"• {flag}{item.due}  {title}  `{item.key}`  {cite(item.article, lang)}")
    if not dashboard.deadlines:
        lines.append(pick(lang, "无。", "None."))
    elif (more := len(dashboard.deadlines) - MAX_LINES) > 0:
        lines.append(pick(lang, f"另有 {more} 项，见 /deadlines", f"{more} more: /deadlines"))
    return "\n".join(lines)


def _notices(notices: tuple[NoticeDue, ...], lang: Lang) -> str:
    lines = [
        pick(
            lang,
            f"*👤 待报备的人员变动*（{cite(STAFF_RULE.article, 'zh')}：提前{STAFF_RULE.window_text('zh')}）",
            f"*👤 Staff-change notices to send* (Art. {STAFF_RULE.article}: {STAFF_RULE.window_text('en')} ahead)",
        )
    ]
    for notice in notices[:MAX_LINES]:
        name, role = escape(display(notice.name)), escape(display(notice.role))
        kind = KIND_ZH[notice.kind] if lang == "zh" else notice.kind
        parties = PARTY_ZH if lang == "zh" else PARTY_EN
        to = pick(lang, "、", ", ").join(parties[p] for p in notice.to_notify)
        flag = pick(lang, " ⚠ 已逾期", " ⚠ OVERDUE") if notice.overdue else ""
        lines.append(
            pick(
                lang,
                f"• #{notice.change_id} {name}（{role}，{kind}）生效 {notice.effective_date}，报备截止 {notice.due}{flag} — 待告知：{to}",
                f"• #{notice.change_id} {name} ({role}, {kind}) effective {notice.effective_date}, notice due {notice.due}{flag} — still to tell: {to}",
            )
        )
    if not notices:
        lines.append(pick(lang, "无。", "None."))
    elif (more := len(notices) - MAX_LINES) > 0:
        lines.append(
            pick(lang, f"另有 {more} 项，见 /staff-change list", f"{more} more: /staff-change list")
        )
    return "\n".join(lines)
