"""Major Chinese holidays (Art. 27 asks for a 24-hour on-site duty plan for each)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays

# The first day of each named holiday counts; make-up working days ("Day off …") are not holidays.
_MAJOR = (
    "New Year's Day",
    "Chinese New Year",
    "Tomb-Sweeping Day",
    "Labor Day",
    "Dragon Boat Festival",
    "Mid-Autumn Festival",
    "National Day",
)
_ZH = {
    "New Year's Day": "元旦",
    "Chinese New Year": "春节",
    "Tomb-Sweeping Day": "清明节",
    "Labor Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-Autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def major_holidays(start: date, end: date) -> list[tuple[date, str, str]]:
    """(first day, Chinese name, English name) of each major holiday starting in [start, end]."""
    calendar = holidays.country_holidays(
        "CN", years=range(start.year, end.year + 1), language="en_US"
    )
    found: list[tuple[date, str, str]] = []
    previous: tuple[str, date] | None = None
    for day, names in sorted(calendar.items()):
        name = next((m for m in _MAJOR if any(n.startswith(m) for n in names.split("; "))), None)
        if name is None:
            continue
        continues = (
            previous is not None and previous[0] == name and day - previous[1] < timedelta(days=10)
        )
        previous = (name, day)
        if not continues and start <= day <= end:
            found.append((day, _ZH[name], name))
    return found
