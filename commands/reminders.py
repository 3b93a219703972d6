"""What reminders are due at a moment, from the store and the rule table.

Each reminder has a stable key. Delivery claims the key in the same transaction as the post
(`claim_delivery`), so restarts and several replicas post each reminder exactly once, and a failed
post rolls the claim back to be retried on the next tick.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from commands.grammar import format_local
from commands.holidays_cn import major_holidays
from commands.incidents import AUTHORITIES, AUTHORITY_EN, AUTHORITY_ZH
from commands.obligations import COMPLETABLE
from commands.periods import next_due
from commands.replies import cite
from commands.store import repo
from commands.store.models import ReminderDelivery

__all__ = ["Reminder", "ReminderConfig", "claim_delivery", "due_reminders"]

claim_delivery = repo.claim_delivery

# Art. 30 gives 2 hours: remind at +60, +90 and +110 minutes, then alert once at +120.
INCIDENT_STEPS = (60, 90, 110, 120)


@dataclass(frozen=True)
class ReminderConfig:
    tz: ZoneInfo
    inspection_reminder_hour: int = 10
    inspection_alert_hour: int = 22
    obligation_reminder_hour: int = 9


@dataclass(frozen=True)
class Reminder:
    key: str
    kind: str
    text_zh: str
    text_en: str
    article: int
    audience: str = "alert_channel"
    ref: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return self.text_zh if lang == "zh" else self.text_en


def due_reminders(session: Session, *, now: datetime, config: ReminderConfig) -> list[Reminder]:
    """Every reminder due at `now` that has not been delivered yet."""
    found = [
        *_incident_reminders(session, now, config.tz),
        *_inspection_reminders(session, now, config),
        *_obligation_reminders(session, now, config),
        *_staff_change_reminders(session, now, config),
        *_holiday_reminders(now, config),
    ]
    if not found:
        return []
    delivered = set(
        session.execute(
            select(ReminderDelivery.key).where(ReminderDelivery.key.in_([r.key for r in found]))
        ).scalars()
    )
    return [r for r in found if r.key not in delivered]


def _incident_reminders(session: Session, now: datetime, tz: ZoneInfo) -> list[Reminder]:
    found = []
    for incident, reports in repo.open_incidents_with_reports(session):
        missing = [a for a in AUTHORITIES if a not in reports]
        elapsed = (now - incident.discovered_at).total_seconds() / 60
        reached = [step for step in INCIDENT_STEPS if elapsed >= step]
        if not missing or not reached:
            continue
        step = reached[-1]  # only the latest step: after a restart, stale earlier ones are moot
        deadline = format_local(incident.deadline, tz)
        who_zh = "、".join(AUTHORITY_ZH[a] for a in missing)
        who_en = ", ".join(AUTHORITY_EN[a] for a in missing)
        if step == 120:
            zh = f"🚨 事件 #{incident.id} 已超过第三十条规定的2小时报告时限（{deadline}），仍未向{who_zh}报告：{incident.summary}"
            en = f"🚨 Incident #{incident.id} is past the 2-hour reporting deadline of Art. 30 ({deadline}); still not reported to {who_en}: {incident.summary}"
        else:
            left = 120 - step
            zh = f"⏰ 事件 #{incident.id} 距第三十条报告时限还有 {left} 分钟（{deadline}），尚未向{who_zh}报告：{incident.summary}"
            en = f"⏰ Incident #{incident.id}: {left} minutes left to report under Art. 30 (by {deadline}); not yet reported to {who_en}: {incident.summary}"
        found.append(
            Reminder(
                f"incident:{incident.id}:+{step}",
                "incident_overdue" if step == 120 else "incident_reminder",
                zh,
                en,
                30,
                ref={"incident_id": incident.id},
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
    if local.hour >= config.inspection_alert_hour:
        return [
            Reminder(
                f"inspection:{today}:missed",
                "inspection_missed",
                f"🚨 {today} 仍未记录安全巡检，第二十三条要求每日巡检。请用 /inspect ok 或 /inspect issue 记录。",
                f"🚨 No security inspection logged for {today}; Art. 23 requires one every day. Log it with /inspect ok or /inspect issue.",
                23,
                ref={"day": today.isoformat()},
            )
        ]
    return [
        Reminder(
            f"inspection:{today}:reminder",
            "inspection_reminder",
            f"⏰ 今日（{today}）尚未记录安全巡检（第二十三条）。完成后请用 /inspect ok 记录。",
            f"⏰ Today's ({today}) security inspection is not logged yet (Art. 23). Log it with /inspect ok.",
            23,
            ref={"day": today.isoformat()},
        )
    ]


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
        if days_left < 0:
            tag, zh_when, en_when = f"overdue:{today}", f"已于 {due} 逾期", f"overdue since {due}"
        elif days_left in obligation.remind_days_before:
            tag = f"{days_left}d"
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
            )
        )
    return found


def _staff_change_reminders(
    session: Session, now: datetime, config: ReminderConfig
) -> list[Reminder]:
    local = now.astimezone(config.tz)
    if local.hour < config.obligation_reminder_hour:
        return []
    found = []
    for change in repo.staff_changes_pending_notice(session):
        if change.effective_date < local.date() - timedelta(days=30):
            continue  # long past: the monthly report carries it, daily nagging would not help
        missing_zh = "、".join(
            p
            for p, at in (
                ("市大数据主管部门", change.notified_bigdata_at),
                ("相关云租户", change.notified_tenants_at),
            )
            if at is None
        )
        missing_en = " and ".join(
            p
            for p, at in (
                ("the big data authority", change.notified_bigdata_at),
                ("the tenants", change.notified_tenants_at),
            )
            if at is None
        )
        found.append(
            Reminder(
                f"staff:{change.id}:{local.date()}",
                "staff_change",
                f"⏰ 人员变动 #{change.id}（{change.name}，{change.effective_date} 生效）尚未向{missing_zh}报备（第十九条）。",
                f"⏰ Staff change #{change.id} ({change.name}, effective {change.effective_date}) not yet reported to {missing_en} (Art. 19).",
                19,
                ref={"staff_change_id": change.id},
            )
        )
    return found


def _holiday_reminders(now: datetime, config: ReminderConfig) -> list[Reminder]:
    local = now.astimezone(config.tz)
    if local.hour < config.obligation_reminder_hour:
        return []
    found = []
    for day, name_zh, name_en in major_holidays(local.date(), local.date() + timedelta(days=7)):
        days_left = (day - local.date()).days
        if days_left in (7, 1):
            found.append(
                Reminder(
                    f"holiday:{day}:{days_left}d",
                    "holiday_duty",
                    f"⏰ {name_zh}（{day}）还有 {days_left} 天：请制定保障方案并安排24小时不间断现场值守（第二十七条）。",
                    f"⏰ {name_en} ({day}) is {days_left} day(s) away: prepare the assurance plan and 24-hour on-site duty (Art. 27).",
                    27,
                    ref={"holiday": day.isoformat()},
                )
            )
    return found
