"""Plain text for the documents: user text made safe to store in Word XML, dates and blanks.

Everything a user typed reaches a document through `clean` and then a python-docx run, which
stores it as literal text: nothing is ever parsed as markup, a field code or a formula.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from commands.replies import Lang

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The marker of a field the bot does not know, to be completed by hand before sending.
BLANK = {"zh": "【待填写】", "en": "[to be completed]"}

# C0 and C1 control characters (tab and newline stay: runs turn them into w:tab and w:br),
# surrogates and the two XML non-characters, which lxml refuses outright, and the bidi
# embedding, override and isolate controls, which can make a line read differently from what it
# stores (a trick, never a need, in a report sent to the authorities).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85]")


def clean(text: str) -> str:
    """The text with every line break made "\\n" and every unsafe character removed."""
    return _UNSAFE.sub("", _LINE_BREAKS.sub("\n", text))


def format_time(moment: datetime, tz: ZoneInfo, lang: Lang) -> str:
    """2026年11月24日 09:30 or 2026-11-24 09:30 (UTC+08:00); the offset in Chinese only off +8."""
    local = moment.astimezone(tz)
    offset = local.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    zone = f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    if lang == "zh":
        suffix = "" if offset == timedelta(hours=8) else f"（{zone}）"
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}{suffix}"
    return f"{local:%Y-%m-%d %H:%M} ({zone})"


# Spelled out rather than strftime("%B"), which follows the process locale.
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_date(day: date, lang: Lang) -> str:
    """2026年11月24日 or 24 November 2026."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def format_month(day: date, lang: Lang) -> str:
    """2026年11月 or November 2026."""
    return (
        f"{day.year}年{day.month}月" if lang == "zh" else f"{_MONTHS_EN[day.month - 1]} {day.year}"
    )


def format_duration(span: timedelta, lang: Lang) -> str:
    """2小时 / 2 hours, in minutes when the span is not whole hours (90分钟 / 90 minutes)."""
    minutes = int(span / timedelta(minutes=1))
    count, unit_zh, unit_en = (
        (minutes // 60, "小时", "hour") if minutes % 60 == 0 else (minutes, "分钟", "minute")
    )
    if lang == "zh":
        return f"{count}{unit_zh}"
    return f"{count} {unit_en}{'' if count == 1 else 's'}"


def require_aware(moment: datetime | None, name: str) -> None:
    """A naive time would be placed in the wrong zone silently: refuse it."""
    if moment is not None and moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment!r}")
