"""Shared pieces of the filing grammars: splitting, dates, times, ids, lengths, bilingual errors."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from commands.errors import UserError
from commands.replies import Lang

MAX_TEXT = 500  # characters a filing may carry; longer text is a paste accident, not a finding
MAX_FIELD = 100


@dataclass(frozen=True)
class Context:
    """Who is filing, in which language, and when."""

    user: str
    lang: Lang
    now: datetime
    tz: ZoneInfo

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()


def split_args(text: str) -> list[str]:
    """Words, with "quoted phrases" (ASCII or Chinese quotes) kept together."""
    normalized = text.replace("“", '"').replace("”", '"').replace("\u3000", " ")
    try:
        return shlex.split(normalized)
    except ValueError:  # an unbalanced quote: fall back to plain words
        return normalized.split()


HELP_WORDS = ("", "help", "帮助")


def verb_and_args(text: str, usage: str) -> tuple[str, list[str]]:
    """The first word (lower-cased, "" when none) and every word, after the length check."""
    check_length(text, usage)
    args = split_args(text)
    return (args[0].lower() if args else ""), args


def check_length(text: str, usage: str) -> None:
    if len(text) > MAX_TEXT:
        raise UserError(
            f"内容过长（{len(text)} 字符，最多 {MAX_TEXT}）。请精简后重试。格式：{usage}",
            f"Too long ({len(text)} characters, at most {MAX_TEXT}). Please shorten it. Usage: {usage}",
        )


def check_field(value: str, name_zh: str, name_en: str) -> str:
    if len(value) > MAX_FIELD:
        raise UserError(
            f"{name_zh}过长（最多 {MAX_FIELD} 字符）。",
            f"The {name_en} is too long (at most {MAX_FIELD} characters).",
        )
    return value


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(value: str, usage: str) -> date:
    """YYYY-MM-DD (2026/12/01 and 2026年12月1日 also read)."""
    match = _DATE.match(value.strip())
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise UserError(
        f"日期“{value}”无效，请写成 YYYY-MM-DD，例如 2026-12-31。格式：{usage}",
        f"“{value}” is not a valid date; write it as YYYY-MM-DD, e.g. 2026-12-31. Usage: {usage}",
    )


def parse_time(value: str, tz: ZoneInfo, today: date, usage: str) -> datetime:
    """ "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM" or "HH:MM" (today) in the team's zone."""
    value = value.strip().replace("T", " ")
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%H:%M"):
        try:
            parsed = datetime.strptime(value, pattern)
        except ValueError:
            continue
        if pattern == "%H:%M":
            parsed = datetime.combine(today, parsed.time())
        return parsed.replace(tzinfo=tz)
    raise UserError(
        f"时间“{value}”无效，请写成 YYYY-MM-DD HH:MM 或 HH:MM。格式：{usage}",
        f"“{value}” is not a valid time; write YYYY-MM-DD HH:MM or HH:MM. Usage: {usage}",
    )


def parse_id(value: str | None, what_zh: str, what_en: str, usage: str) -> int:
    if value is None or not value.lstrip("#").isdigit():
        raise UserError(
            f"缺少或无效的{what_zh}编号{f'“{value}”' if value else ''}。格式：{usage}",
            f"Missing or invalid {what_en} id{f' “{value}”' if value else ''}. Usage: {usage}",
        )
    return int(value.lstrip("#"))


def unknown_verb(verb: str, usage: str) -> UserError:
    return UserError(f"无法识别“{verb}”。格式：{usage}", f"Unknown action “{verb}”. Usage: {usage}")


def format_local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")
