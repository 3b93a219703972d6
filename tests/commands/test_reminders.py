"""Reminders fall due at the right moments and each is claimed once."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from commands.dispatch import run_command
from commands.obligations import BY_ID
from commands.reminders import ReminderConfig, claim_reminder, due_reminders, enqueue_due
from commands.store import Store, repo
from commands.store.models import OutboxMessage

RULE = BY_ID["incident-report"]
assert RULE.window is not None
STEPS = [int(step.total_seconds() // 60) for step in (*RULE.reminder_offsets, RULE.window)]

TZ = ZoneInfo("Asia/Shanghai")
CONFIG = ReminderConfig(
    tz=TZ, inspection_reminder_hour=10, inspection_alert_hour=22, obligation_reminder_hour=9
)


def due(store: Store, now: datetime, deliver: bool = True) -> list[str]:
    with store.session() as session:
        found = due_reminders(session, now=now, config=CONFIG)
        if deliver:
            for reminder in found:
                assert claim_reminder(session, reminder, now=now)
    return [r.key for r in found]


def file(store: Store, command: str, text: str, now: datetime) -> None:
    run_command(store, command, text, user="U1", lang="zh", now=now, tz=TZ)


def test_incident_reminders_at_60_90_110_and_overdue_at_120(store: Store) -> None:
    start = datetime(2026, 11, 24, 8, 0, tzinfo=TZ)  # before the inspection and obligation hours
    file(store, "incident", "病毒", start)
    fired = {}
    for minute in range(0, 181):
        for key in due(store, start + timedelta(minutes=minute)):
            fired[key] = minute
    incident_keys = {k: m for k, m in fired.items() if k.startswith("incident:")}
    assert STEPS == [60, 90, 110, 120]  # Art. 30's 2 hours, as the rule table has it
    assert incident_keys == {f"incident:1:+{m}": m for m in STEPS}


def test_incident_reminders_stop_once_every_authority_is_reported(store: Store) -> None:
    start = datetime(2026, 11, 24, 8, 0, tzinfo=TZ)
    file(store, "incident", "病毒", start)
    for authority in ("网信", "公安", "大数据"):
        file(store, "incident", f"reported 1 {authority}", start + timedelta(minutes=30))
    assert [k for k in due(store, start + timedelta(minutes=150)) if k.startswith("incident")] == []


def test_the_overdue_alert_text_names_what_is_missing(store: Store) -> None:
    start = datetime(2026, 11, 24, 8, 0, tzinfo=TZ)
    file(store, "incident", "病毒", start)
    file(store, "incident", "reported 1 网信", start + timedelta(minutes=10))
    with store.session() as session:
        alert = next(
            r
            for r in due_reminders(session, now=start + timedelta(minutes=121), config=CONFIG)
            if r.key.startswith("incident")
        )
    assert alert.kind == "incident_overdue" and alert.article == 30
    assert "公安、大数据" in alert.text_zh and "网信" not in alert.text_zh.split("仍未向")[1]
    assert "Art. 30" in alert.text_en


def test_daily_inspection_reminder_then_alert_unless_logged(store: Store) -> None:
    day = datetime(2026, 11, 24, 0, 0, tzinfo=TZ)
    assert [
        k for k in due(store, day + timedelta(hours=9, minutes=59)) if k.startswith("inspection")
    ] == []
    assert [k for k in due(store, day + timedelta(hours=10)) if k.startswith("inspection")] == [
        "inspection:2026-11-24:reminder"
    ]
    assert [k for k in due(store, day + timedelta(hours=15)) if k.startswith("inspection")] == []
    assert [k for k in due(store, day + timedelta(hours=22)) if k.startswith("inspection")] == [
        "inspection:2026-11-24:missed"
    ]
    next_day = day + timedelta(days=1, hours=11)
    file(store, "inspect", "ok", next_day)
    assert [
        k for k in due(store, next_day + timedelta(hours=11)) if k.startswith("inspection")
    ] == []


def test_obligation_reminders_seven_days_one_day_on_the_day_and_daily_when_overdue(
    store: Store,
) -> None:
    fired: list[str] = []
    start = datetime(2026, 11, 20, 9, 30, tzinfo=TZ)
    file(
        store, "inspect", "ok", start
    )  # the team starts using the bot in November: November's scan counts
    for day in range(0, 14):
        fired += [
            k
            for k in due(store, start + timedelta(days=day))
            if k.startswith("obligation:vuln-scan")
        ]
    assert fired == [
        "obligation:vuln-scan:2026-11-30:7d",
        "obligation:vuln-scan:2026-11-30:1d",
        "obligation:vuln-scan:2026-11-30:0d",
        "obligation:vuln-scan:2026-11-30:overdue:2026-12-01",
        "obligation:vuln-scan:2026-11-30:overdue:2026-12-02",
        "obligation:vuln-scan:2026-11-30:overdue:2026-12-03",
    ]


def test_staff_change_notice_reminders_repeat_daily_until_notified(store: Store) -> None:
    now = datetime(2026, 11, 24, 9, 30, tzinfo=TZ)
    file(store, "staff-change", "离岗 张三 安全运维 2026-12-31", now)
    assert "staff:1:2026-11-24" in due(store, now)
    assert "staff:1:2026-11-25" in due(store, now + timedelta(days=1))
    file(store, "staff-change", "notified 1 大数据", now)
    file(store, "staff-change", "notified 1 tenants", now)
    assert not [k for k in due(store, now + timedelta(days=2)) if k.startswith("staff")]


def test_holiday_duty_plan_reminders_before_national_day(store: Store) -> None:
    keys = due(store, datetime(2027, 9, 24, 9, 5, tzinfo=TZ)) + due(
        store, datetime(2027, 9, 30, 9, 5, tzinfo=TZ)
    )
    assert "holiday:2027-10-01:7d" in keys and "holiday:2027-10-01:1d" in keys


def test_a_store_with_no_activity_counts_duties_from_today(store: Store) -> None:
    keys = due(store, datetime(2026, 12, 1, 9, 30, tzinfo=TZ))
    assert not [k for k in keys if "overdue" in k]


def test_nothing_is_due_twice(store: Store) -> None:
    now = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
    assert due(store, now)
    assert due(store, now) == []


def test_a_stage_never_fires_after_a_later_one_even_with_the_clock_moved_back(store: Store) -> None:
    start = datetime(2026, 11, 24, 6, 0, tzinfo=TZ)
    file(store, "incident", "病毒", start)
    assert "incident:1:+120" in due(store, start + timedelta(minutes=125))
    for minute in (65, 95, 115, 121):  # the clock goes back after the overdue alert
        assert not [
            k for k in due(store, start + timedelta(minutes=minute)) if k.startswith("incident")
        ]
    day = datetime(2026, 11, 30, 9, 30, tzinfo=TZ)
    file(store, "inspect", "ok", datetime(2026, 11, 20, 9, 30, tzinfo=TZ))
    assert "obligation:vuln-scan:2026-11-30:0d" in due(store, day)
    assert not [
        k for k in due(store, day - timedelta(days=7)) if k.startswith("obligation:vuln-scan")
    ]
    night = datetime(2026, 12, 2, 22, 30, tzinfo=TZ)
    assert "inspection:2026-12-02:missed" in due(store, night)
    assert not [k for k in due(store, night.replace(hour=11)) if k.startswith("inspection")]


def test_the_audit_head_is_posted_once_a_day(store: Store) -> None:
    now = datetime(2026, 11, 24, 9, 30, tzinfo=TZ)
    file(store, "incident", "病毒", now - timedelta(hours=3))
    with store.session() as session:
        head = next(
            r for r in due_reminders(session, now=now, config=CONFIG) if r.kind == "audit_head"
        )
        seq, digest = repo.current_head(session)
    assert head.key == "audit-head:2026-11-24" and f"{seq}:{digest}" in head.text_zh
    assert f"--expect-head {seq}:{digest}" in head.text_en
    assert "audit-head:2026-11-24" in due(store, now)
    assert not [k for k in due(store, now + timedelta(hours=5)) if k.startswith("audit-head")]
    assert "audit-head:2026-11-25" in due(store, now + timedelta(days=1))


def _outbox(store: Store) -> list[tuple[str, str, dict[str, object]]]:
    with store.session() as session:
        rows = session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
        return [(row.key, row.channel, dict(row.payload)) for row in rows]


def test_a_tick_enqueues_each_due_reminder_once_with_its_text(store: Store) -> None:
    start = datetime(2026, 11, 24, 6, 0, tzinfo=TZ)
    for summary in ("病毒", "篡改", "泄露"):
        file(store, "incident", summary, start)
    at = start + timedelta(minutes=61)
    with store.session() as session:
        expected = due_reminders(session, now=at, config=CONFIG)
    enqueued = enqueue_due(store, now=at, config=CONFIG, channel="CALERT")
    assert [r.key for r in enqueued] == [r.key for r in expected]
    assert {f"incident:{i}:+60" for i in (1, 2, 3)} <= {r.key for r in enqueued}
    assert _outbox(store) == [
        (r.key, "CALERT", {"text_zh": r.text_zh, "text_en": r.text_en}) for r in expected
    ]
    assert enqueue_due(store, now=at, config=CONFIG, channel="CALERT") == []
    assert len(_outbox(store)) == len(expected)


def test_two_replicas_ticking_at_once_enqueue_each_reminder_once(db_url: str) -> None:
    replicas = [Store.open(db_url) for _ in range(2)]
    start = datetime(2026, 11, 24, 6, 0, tzinfo=TZ)
    for i in range(40):
        file(replicas[0], "incident", f"事件 {i}", start)
    at = start + timedelta(minutes=61)
    barrier = threading.Barrier(2)
    results: list[list[str]] = []

    def tick(store: Store) -> None:
        barrier.wait()
        results.append([r.key for r in enqueue_due(store, now=at, config=CONFIG, channel="C")])

    threads = [threading.Thread(target=tick, args=(r,)) for r in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    keys = [key for result in results for key in result]
    assert len(results) == 2 and len(keys) == len(set(keys))
    assert {f"incident:{i}:+60" for i in range(1, 41)} <= set(keys)
    assert sorted(key for key, _, _ in _outbox(replicas[0])) == sorted(keys)
    for replica in replicas:
        replica.dispose()
