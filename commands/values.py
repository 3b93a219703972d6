"""Typed values from words: dates, moments (date and time, optional zone), record ids.

Every value is either read exactly or refused with a message naming its field; nothing is
guessed. Dates: 2026-11-24, 2026/11/24, 2026.11.24, 2026年11月24日. Times: HH:MM or HH:MM:SS,
optionally followed by a zone (+08:00, +0800, or Z against the time: 09:30Z); a time alone means today.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from commands.errors import UserError
from commands.text import display, fold

# A plausible range for anything a compliance record carries; 0001-01-01 is a typo, not a date.
FIRST_YEAR, LAST_YEAR = 2000, 2099
MAX_ID = 2**31 - 1  # PostgreSQL's integer; larger numbers are no record of ours

_DATE = (
    r"(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})|年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日?)"
)
_TIME = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
_ZONE = r"(?P<zone>z|[+-]\d{2}:?\d{2})"
_MOMENT = re.compile(rf"^(?:{_DATE}[ t]+)?{_TIME}(?: ?{_ZONE})?$")
_DATE_ONLY = re.compile(rf"^{_DATE}$")
_DATE_AND_TIME = re.compile(rf"^(?:{_DATE}[ t]+)?{_TIME}$")  # a time, with its date or alone
_TIME_ALONE = re.compile(rf"^{_TIME}(?: ?{_ZONE})?$")
# A zone written as a word of its own must be an offset: a lone "Z" after a time is as likely the
# first word of a reason ("… 09:30 Z组误报") as UTC, so only "09:30Z" reads it as a zone.
_OFFSET_ALONE = re.compile(r"^[+-]\d{2}:?\d{2}$")


def looks_like_time_or_date(word: str) -> bool:
    """Whether a word is written like a date, a time or both (valid or not)."""
    folded = fold(word)
    return bool(_MOMENT.match(folded) or _DATE_ONLY.match(folded))


def continues_moment(value: str, word: str) -> bool:
    """Whether `word` is the time after a date, or the offset after a time (with its date or not)."""
    value, word = fold(value), fold(word)
    return bool(
        (_DATE_ONLY.match(value) and _TIME_ALONE.match(word))
        or (_DATE_AND_TIME.match(value) and _OFFSET_ALONE.match(word))
    )


def parse_date(value: str, *, field: str, usage: str) -> date:
    """A calendar date in any accepted spelling, within the plausible range."""
    match = _DATE_ONLY.match(fold(value))
    parsed = _date(match) if match else None
    if parsed is None:
        raise UserError(
            f"日期“{display(value)}”无效，请写成 YYYY-MM-DD（如 2026-12-31，也可写 2026/12/31 或 2026年12月31日），年份在 {FIRST_YEAR}–{LAST_YEAR} 之间。格式：{usage}",
            f"“{display(value)}” is not a valid date; write YYYY-MM-DD (e.g. 2026-12-31; 2026/12/31 and 2026年12月31日 work too), a year from {FIRST_YEAR} to {LAST_YEAR}. Usage: {usage}",
            field=field,
        )
    return parsed


def parse_moment(value: str, *, tz: ZoneInfo, today: date, field: str, usage: str) -> datetime:
    """An aware moment: date and time (zone optional, the team's by default), or a time today."""
    match = _MOMENT.match(fold(value))
    moment = _moment(match, tz, today) if match else None
    if moment is None:
        raise UserError(
            f"时间“{display(value)}”无效，请写成 YYYY-MM-DD HH:MM（可带秒和时区，如 2026-11-24 09:30:00 +08:00）或今天的 HH:MM。格式：{usage}",
            f"“{display(value)}” is not a valid time; write YYYY-MM-DD HH:MM (seconds and a zone such as +08:00 are optional) or HH:MM for today. Usage: {usage}",
            field=field,
        )
    return moment


def parse_id(value: str | None, *, field: str, what_zh: str, what_en: str, usage: str) -> int:
    """A record id: ASCII digits (full-width ones read as such), optionally after #, in range."""
    folded = fold(value or "").removeprefix("#")
    if not (folded.isascii() and folded.isdigit()) or not 1 <= int(folded) <= MAX_ID:
        shown = f"“{display(value)}”" if value else ""
        raise UserError(
            f"缺少或无效的{what_zh}编号{shown}（请写数字，如 3 或 #3）。格式：{usage}",
            f"Missing or invalid {what_en} id{(' ' + shown) if shown else ''} (write a number such as 3 or #3). Usage: {usage}",
            field=field,
        )
    return int(folded)


def is_id(value: str) -> bool:
    """Whether a word is written like a record id (3, #3, ＃３), in range or not."""
    folded = fold(value).removeprefix("#")
    return folded.isascii() and folded.isdigit()


def _date(match: re.Match[str]) -> date | None:
    year = int(match["y"])
    month = int(match["m"] or match["m2"])
    day = int(match["d"] or match["d2"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _moment(match: re.Match[str], tz: ZoneInfo, today: date) -> datetime | None:
    day = _date(match) if match["y"] else today
    if day is None or match["H"] is None:
        return None
    hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    zone = _zone(match["zone"]) if match["zone"] else tz
    if zone is None:
        return None
    return datetime.combine(day, time(hour, minute, second), tzinfo=zone)


def _zone(text: str) -> timezone | None:
    if text == "z":
        return UTC
    sign = 1 if text[0] == "+" else -1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
