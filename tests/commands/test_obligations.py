"""The rule table stays true to the regulation; calendar periods and holidays compute due dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from commands.holidays_cn import major_holidays
from commands.obligations import BY_ID, OBLIGATIONS
from commands.periods import next_due, period_end, period_start
from knowledge.corpus import load_bundled

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("obligation", OBLIGATIONS, ids=lambda o: o.id)
def test_every_rule_quotes_its_article_verbatim(obligation) -> None:  # type: ignore[no-untyped-def]
    assert obligation.phrase in load_bundled().article(obligation.article).text


def test_the_table_covers_every_time_bound_duty_the_issue_names() -> None:
    expected = {
        "tenant-change-report": (8, timedelta(days=2)),
        "staff-change-notice": (19, timedelta(days=30)),
        "incident-report": (30, timedelta(hours=2)),
        "data-destruction": (35, timedelta(days=7)),
    }
    for rule_id, (article, window) in expected.items():
        assert (BY_ID[rule_id].article, BY_ID[rule_id].window) == (article, window)
    periods = {o.id: o.period for o in OBLIGATIONS if o.period}
    assert periods == {
        "vuln-scan": "monthly",
        "pentest": "quarterly",
        "risk-assessment": "yearly",
        "daily-inspection": "daily",
        "emergency-drill": "yearly",
        "authority-inspection": "quarterly",
        "tenant-report": "monthly",
    }
    assert {o.id for o in OBLIGATIONS if o.kind == "retention"} == {
        "network-log-retention",
        "exit-log-retention",
    }
    assert "DDOS拒绝服务" in BY_ID["emergency-drill"].detail_zh


@pytest.mark.parametrize(
    ("day", "period", "start", "end"),
    [
        (date(2026, 11, 24), "monthly", date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 2, 10), "monthly", date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 11, 24), "quarterly", date(2026, 10, 1), date(2026, 12, 31)),
        (date(2026, 2, 10), "quarterly", date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 11, 24), "yearly", date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 11, 24), "daily", date(2026, 11, 24), date(2026, 11, 24)),
    ],
)
def test_calendar_periods(day: date, period, start: date, end: date) -> None:  # type: ignore[no-untyped-def]
    assert (period_start(day, period), period_end(day, period)) == (start, end)


def test_next_due_follows_the_last_completion_and_the_calendar() -> None:
    now = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)
    assert next_due(None, "monthly", now=now, tz=TZ) == date(2026, 11, 30)
    assert next_due(datetime(2026, 11, 2, tzinfo=TZ), "monthly", now=now, tz=TZ) == date(
        2026, 12, 31
    )
    # Done in September: October was missed, so the scan has been overdue since 31 October.
    assert next_due(datetime(2026, 9, 30, tzinfo=TZ), "monthly", now=now, tz=TZ) == date(
        2026, 10, 31
    )
    assert next_due(datetime(2026, 8, 1, tzinfo=TZ), "quarterly", now=now, tz=TZ) == date(
        2026, 12, 31
    )
    # 23:30 UTC on 31 Oct is already 1 November in Chongqing.
    late_utc = datetime(2026, 10, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert next_due(late_utc, "monthly", now=now, tz=TZ) == date(2026, 12, 31)


def test_major_chinese_holidays_come_from_the_holidays_calendar() -> None:
    found = {name: day for day, name, _ in major_holidays(date(2027, 1, 1), date(2027, 12, 31))}
    assert found["国庆节"] == date(2027, 10, 1)
    assert found["劳动节"] == date(2027, 5, 1)
    assert set(found) == {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}


def test_a_holiday_already_under_way_does_not_count_as_starting() -> None:
    assert major_holidays(date(2026, 10, 2), date(2026, 10, 8)) == []
