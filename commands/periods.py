"""Calendar periods in the team's time zone: a monthly duty is due by the end of its calendar month."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from commands.obligations import Period


def period_start(day: date, period: Period) -> date:
    """The first day of the calendar period containing `day`."""
    if period == "daily":
        return day
    if period == "monthly":
        return day.replace(day=1)
    if period == "quarterly":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def next_period_start(day: date, period: Period) -> date:
    """The first day of the period after the one containing `day`."""
    start = period_start(day, period)
    if period == "daily":
        return start + timedelta(days=1)
    months = {"monthly": 1, "quarterly": 3, "yearly": 12}[period]
    month_index = start.year * 12 + start.month - 1 + months
    return date(month_index // 12, month_index % 12 + 1, 1)


def period_end(day: date, period: Period) -> date:
    """The last day of the period containing `day`."""
    return next_period_start(day, period) - timedelta(days=1)


def next_due(
    last_done: datetime | None,
    period: Period,
    *,
    now: datetime,
    tz: ZoneInfo,
    since: datetime | None = None,
) -> date:
    """The last day by which the duty must next be done.

    Done in period P: the end of the period after P. Never done: the end of the period in which
    tracking began (`since`, the store's first activity; today when there is none). A date
    before today means the duty is overdue.
    """
    if last_done is None:
        start = (since or now).astimezone(tz).date()
        return period_end(start, period)
    return period_end(next_period_start(last_done.astimezone(tz).date(), period), period)


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a calendar day in the team's zone, as aware datetimes."""
    start = datetime(day.year, day.month, day.day, tzinfo=tz)
    return start, start + timedelta(days=1)
