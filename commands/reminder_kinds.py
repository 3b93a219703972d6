"""The reminders of each kind, computed from the store and the rule table (commands.obligations)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from commands.grammar import format_local
from commands.holidays_cn import major_holidays
from commands.incidents import AUTHORITIES, AUTHORITY_EN, AUTHORITY_ZH
from commands.obligations import BY_ID, COMPLETABLE
from commands.periods import next_due
from commands.reminders import Reminder, ReminderConfig
from commands.replies import cite
from commands.store import repo
from commands.text import display

INCIDENT = BY_ID["incident-report"]
STAFF = BY_ID["staff-change-notice"]
HOLIDAY = BY_ID["holiday-duty-plan"]
INSPECTION = BY_ID["daily-inspection"]


def all_due(session: Session, now: datetime, config: ReminderConfig) -> list[Reminder]:
    return [
        *_incident_reminders(session, now, config),
        *_inspection_reminders(session, now, config),
        *_obligation_reminders(session, now, config),
        *_staff_change_reminders(session, now, config),
        *_holiday_reminders(now, config),
        *_audit_head(session, now, config),
    ]


def _incident_reminders(session: Session, now: datetime, config: ReminderConfig) -> list[Reminder]:
    assert INCIDENT.window is not None
    steps = (*INCIDENT.reminder_offsets, INCIDENT.window)  # Art. 30: the alert at the deadline
    window_zh, window_en = INCIDENT.window_text("zh"), INCIDENT.window_text("en")
    found = []
    for incident, reports in repo.open_incidents_with_reports(session):
        missing = [a for a in AUTHORITIES if a not in reports]
        reached = [i for i, step in enumerate(steps) if now - incident.discovered_at >= step]
        if not missing or not reached:
            continue
        stage = reached[-1]  # only the latest step: after a restart, stale earlier ones are moot
        step = steps[stage]
        deadline = format_local(incident.deadline, config.tz)
        who_zh = "、".join(AUTHORITY_ZH[a] for a in missing)
        who_en = ", ".join(AUTHORITY_EN[a] for a in missing)
        summary = display(incident.summary)
        if step == INCIDENT.window:
            zh = f"🚨 事件 #{incident.id} 已超过{cite(INCIDENT.article, 'zh')}规定的{window_zh}报告时限（{deadline}），仍未向{who_zh}报告：{summary}"
            en = f"🚨 Incident #{incident.id} is past the {window_en} reporting deadline of Art. {INCIDENT.article} ({deadline}); still not reported to {who_en}: {summary}"
        else:
            left = int((INCIDENT.window - step).total_seconds() // 60)
            zh = f"⏰ 事件 #{incident.id} 距{cite(INCIDENT.article, 'zh')}报告时限还有 {left} 分钟（{deadline}），尚未向{who_zh}报告：{summary}"
            en = f"⏰ Incident #{incident.id}: {left} minutes left to report under Art. {INCIDENT.article} (by {deadline}); not yet reported to {who_en}: {summary}"
        found.append(
            Reminder(
                f"incident:{incident.id}:+{int(step.total_seconds() // 60)}",
                "incident_overdue" if step == INCIDENT.window else "incident_reminder",
                zh,
                en,
                INCIDENT.article,
                ref={"incident_id": incident.id},
                item=f"incident:{incident.id}",
                stage=stage,
            )
        )
    return found


def _inspection_reminders(
    session: Session, now: datetime, config: ReminderConfig
) -> list[Reminder]:
    local = now.astimezone(config.tz)
    today = local.date()
    if local.hour < config.inspection_reminder_hour or repo.inspections_between(
        session, start=today, end=today
    ):
        return []
    article, rule = INSPECTION.article, cite(INSPECTION.article, "zh")
    if local.hour >= config.inspection_alert_hour:
        zh = f"🚨 {today} 仍未记录安全巡检，{rule}要求每日巡检。请用 /inspect ok 或 /inspect issue 记录。"
        en = f"🚨 No security inspection logged for {today}; Art. {article} requires one every day. Log it with /inspect ok or /inspect issue."
        key, kind, stage = f"inspection:{today}:missed", "inspection_missed", 1
    else:
        zh = f"⏰ 今日（{today}）尚未记录安全巡检（{rule}）。完成后请用 /inspect ok 记录。"
        en = f"⏰ Today's ({today}) security inspection is not logged yet (Art. {article}). Log it with /inspect ok."
        key, kind, stage = f"inspection:{today}:reminder", "inspection_reminder", 0
    ref = {"day": today.isoformat()}
    return [Reminder(key, kind, zh, en, article, ref=ref, item=f"inspection:{today}", stage=stage)]


def _obligation_reminders(
    session: Session, now: datetime, config: ReminderConfig
) -> list[Reminder]:
    local = now.astimezone(config.tz)
    if local.hour < config.obligation_reminder_hour:
        return []
    today, last, since = local.date(), repo.last_completions(session), repo.first_activity(session)
    found = []
    for obligation in COMPLETABLE:
        assert obligation.period is not None
        due = next_due(
            last.get(obligation.id), obligation.period, now=now, tz=config.tz, since=since
        )
        days_left = (due - today).days
        offsets = sorted(obligation.remind_days_before, reverse=True)  # 7, 1, 0: stages in order
        if days_left < 0:
            tag, zh_when, en_when = f"overdue:{today}", f"已于 {due} 逾期", f"overdue since {due}"
            stage = len(offsets)
        elif days_left in offsets:
            tag, stage = f"{days_left}d", offsets.index(days_left)
            zh_when = "今天到期" if days_left == 0 else f"{days_left} 天后到期（{due}）"
            en_when = "due today" if days_left == 0 else f"due in {days_left} days ({due})"
        else:
            continue
        found.append(
            Reminder(
                f"obligation:{obligation.id}:{due}:{tag}",
                "obligation",
                f"⏰ {obligation.title_zh}{zh_when}（{cite(obligation.article, 'zh')}：{obligation.phrase}）。完成后用 /deadlines done {obligation.id} 记录。",
                f"⏰ {obligation.title_en} {en_when} (Art. {obligation.article}). Record it with /deadlines done {obligation.id}.",
                obligation.article,
                ref={"obligation": obligation.id, "due": due.isoformat()},
                item=f"obligation:{obligation.id}:{due}",
                stage=stage,
            )
        )
    return found


def _staff_change_reminders(
    session: Session, now: datetime, config: ReminderConfig
) -> list[Reminder]:
    local = now.astimezone(config.tz)
    if local.hour < config.obligation_reminder_hour:
        return []
    assert STAFF.window is not None
    found = []
    for change in repo.staff_changes_pending_notice(session):
        if change.effective_date < local.date() - STAFF.window:
            continue  # a whole notice period past: the monthly report carries it, nagging won't help
        pending = [
            (zh, en)
            for (zh, en), at in (
                (("市大数据主管部门", "the big data authority"), change.notified_bigdata_at),
                (("相关云租户", "the tenants"), change.notified_tenants_at),
            )
            if at is None
        ]
        name = display(change.name)
        found.append(
            Reminder(
                f"staff:{change.id}:{local.date()}",
                "staff_change",
                f"⏰ 人员变动 #{change.id}（{name}，{change.effective_date} 生效）尚未向{'、'.join(zh for zh, _ in pending)}报备（{cite(STAFF.article, 'zh')}）。",
                f"⏰ Staff change #{change.id} ({name}, effective {change.effective_date}) not yet reported to {' and '.join(en for _, en in pending)} (Art. {STAFF.article}).",
                STAFF.article,
                ref={"staff_change_id": change.id},
                item=f"staff:{change.id}",
            )
        )
    return found


def _holiday_reminders(now: datetime, config: ReminderConfig) -> list[Reminder]:
    local = now.astimezone(config.tz)
    if local.hour < config.obligation_reminder_hour:
        return []
    offsets = sorted(HOLIDAY.remind_days_before, reverse=True)
    horizon = local.date() + timedelta(days=offsets[0])
    found = []
    for day, name_zh, name_en in major_holidays(local.date(), horizon):
        days_left = (day - local.date()).days
        if days_left in offsets:
            found.append(
                Reminder(
                    f"holiday:{day}:{days_left}d",
                    "holiday_duty",
                    f"⏰ {name_zh}（{day}）还有 {days_left} 天：请制定保障方案并安排24小时不间断现场值守（{cite(HOLIDAY.article, 'zh')}）。",
                    f"⏰ {name_en} ({day}) is {days_left} day(s) away: prepare the assurance plan and 24-hour on-site duty (Art. {HOLIDAY.article}).",
                    HOLIDAY.article,
                    ref={"holiday": day.isoformat()},
                    item=f"holiday:{day}",
                    stage=offsets.index(days_left),
                )
            )
    return found


def _audit_head(session: Session, now: datetime, config: ReminderConfig) -> list[Reminder]:
    """Once a day, the chain's head goes outside the store: the anchor `audit verify` checks."""
    local = now.astimezone(config.tz)
    if local.hour < config.obligation_reminder_hour:
        return []
    seq, digest = repo.current_head(session)
    anchor = f"{seq}:{digest}"
    return [
        Reminder(
            f"audit-head:{local.date()}",
            "audit_head",
            f"🔏 审计链头（{local.date()}）：{anchor}\n请保留此消息；核验：compliance-bot audit verify --expect-head {anchor}",
            f"🔏 Audit chain head ({local.date()}): {anchor}\nKeep this message; check with: compliance-bot audit verify --expect-head {anchor}",
            None,
            ref={"seq": seq, "hash": digest},
            item=f"audit-head:{local.date()}",
        )
    ]
