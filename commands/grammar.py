"""Shared pieces of the filing grammars: the input check, verbs, key=value fields, "did you mean".

Tolerant where the meaning is certain (full-width signs, spaces around `=`, Chinese or English
keys, Traditional characters), loud where it is not: an unknown key, a key given twice, a bare
key with no sign, a verb that is almost one — each is an error naming the word, never ignored.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from commands.errors import UserError
from commands.replies import Lang
from commands.text import Token, check_characters, display, fold, is_blank, tokenize
from commands.values import continues_moment, looks_like_time_or_date

MAX_TEXT = 500  # characters a filing may carry; longer text is a paste accident, not a finding
MAX_FIELD = 100
HELP_WORDS = frozenset({"help", "帮助", "?", "？"})
LIST_WORDS = frozenset({"list", "列表", "清单"})
_SIGNS = ("=", ":")  # after folding: ＝ is =, ： is :


@dataclass(frozen=True)
class Organisation:
    """The reporting unit the documents name (ORG_NAME, ORG_CONTACT); "" when not configured."""

    name: str = ""
    contact: str = ""


NO_ORG = Organisation()


@dataclass(frozen=True)
class Context:
    """Who is filing, in which language, and when (and for which unit, for documents)."""

    user: str
    lang: Lang
    now: datetime
    tz: ZoneInfo
    org: Organisation = NO_ORG

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()


def start(text: str, usage: str) -> list[Token]:
    """The words of a filing, after the length and character checks."""
    check_characters(text)
    if len(text) > MAX_TEXT:
        raise UserError(
            f"内容过长（{len(text)} 字符，最多 {MAX_TEXT}）。请精简后重试。格式：{usage}",
            f"Too long ({len(text)} characters, at most {MAX_TEXT}). Please shorten it. Usage: {usage}",
        )
    return tokenize(text)


def is_help(tokens: list[Token]) -> bool:
    return not tokens or (len(tokens) == 1 and fold(tokens[0].text) in HELP_WORDS)


def verb_of(token: Token, verbs: Mapping[str, str]) -> str | None:
    """The action a word names (quoted or not, any spelling in `verbs`), or None."""
    return verbs.get(fold(token.text))


def suggestion(word: str, candidates: Mapping[str, str] | list[str]) -> str | None:
    """The known word a near-miss most likely meant ("report" → "reported", "已上报" → …)."""
    folded = fold(word)
    if not folded or len(folded) > 16:
        return None
    names = list(candidates)
    close = difflib.get_close_matches(folded, names, n=1, cutoff=0.75 if folded.isascii() else 0.6)
    if close:
        return close[0]
    # Chinese variants share the action's characters: 上报了, 已经关闭, 报告完毕 …
    if not folded.isascii():
        sharing = [n for n in names if not n.isascii() and len(set(n) & set(folded)) >= 2]
        if sharing:
            return max(sharing, key=lambda n: len(set(n) & set(folded)))
    if folded.isascii() and len(folded) >= 4:
        # The same stem: closing / close, reporting / reported, lists / list.
        stems = [
            n for n in names if n.isascii() and len(_common_prefix(folded, n)) >= min(4, len(n))
        ]
        if stems:
            return max(stems, key=lambda n: len(_common_prefix(folded, n)))
    return None


def _common_prefix(a: str, b: str) -> str:
    length = 0
    while length < min(len(a), len(b)) and a[length] == b[length]:
        length += 1
    return a[:length]


def did_you_mean(word: str, meant: str, usage: str, *, field: str = "action") -> UserError:
    shown = display(word)
    return UserError(
        f"无法识别“{shown}”。您是想写 “{meant}” 吗？格式：{usage}",
        f"“{shown}” is not an action here. Did you mean “{meant}”? Usage: {usage}",
        field=field,
    )


def unknown_word(word: str, usage: str, *, field: str = "action") -> UserError:
    shown = display(word)
    return UserError(
        f"无法识别“{shown}”。格式：{usage}",
        f"Unknown action “{shown}”. Usage: {usage}",
        field=field,
    )


@dataclass(frozen=True)
class Fields:
    """What a line's key=value words said (by field name) and the words left over, in order."""

    values: dict[str, str]
    rest: list[Token]


def split_fields(
    tokens: list[Token],
    keys: Mapping[str, str],
    usage: str,
    hints: Mapping[str, Collection[str]] | None = None,
) -> Fields:
    """Take `key=value` words out of the line; `keys` maps every accepted spelling to a field.

    Accepted: 发现时间=…, 发现时间：…, 发现时间 = …, at= …, sev =high. With `=` every key must be
    known; with `:` a word is a key when it is a known one, or when what follows is a date or
    time (then it is an unknown key, not prose). A date value takes the time after it along.
    """
    values: dict[str, str] = {}
    rest: list[Token] = []
    i = 0
    while i < len(tokens):
        parsed = _key_at(tokens, i, keys, usage)
        if parsed is None:
            _refuse_bare_key(tokens, i, keys, usage, hints or {})
            rest.append(tokens[i])
            i += 1
            continue
        field, value, i = parsed
        if field in values:
            raise UserError(
                f"“{display(field)}”写了两次，请只写一次。格式：{usage}",
                f"“{display(field)}” is given twice; give it once. Usage: {usage}",
                field=field,
            )
        values[field] = value
    return Fields(values, rest)


def _key_at(
    tokens: list[Token], i: int, keys: Mapping[str, str], usage: str
) -> tuple[str, str, int] | None:
    """(field, value, next index) when a key=value starts at tokens[i], else None."""
    token = tokens[i]
    if token.quoted:
        return None
    folded = fold(token.text)
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if folded in keys and following is not None and not following.quoted:
        after = fold(following.text)
        if after[:1] in _SIGNS:  # 发现时间 = 09:30, 发现时间 =09:30
            rest = following.text.lstrip()[1:]
            if rest:
                return _with_time(tokens, keys[folded], rest, i + 2)
            return _value_after(tokens, keys[folded], i + 2, usage, token.text)
    position = _sign_position(token.text)
    if position is None:
        return None
    raw_key, sign, value = token.text[:position], token.text[position], token.text[position + 1 :]
    key = fold(raw_key)
    if key in keys:
        if value:
            return _with_time(tokens, keys[key], value, i + 1)
        return _value_after(tokens, keys[key], i + 1, usage, raw_key)
    is_colon = fold(sign) == ":"
    next_value = value or (following.text if following else "")
    if is_colon and not looks_like_time_or_date(next_value):
        return None  # prose such as 告警：防火墙异常, a time 09:30, a URL
    if not raw_key:
        return None  # a word that starts with the sign is text
    _refuse_unknown_key(raw_key, keys, usage)
    return None


def _sign_position(text: str) -> int | None:
    """Where the first = or : (either width) of a word is, if it is inside the word."""
    for index, char in enumerate(text):
        if fold(char) in _SIGNS:
            return index
    return None


def _value_after(
    tokens: list[Token], field: str, i: int, usage: str, raw_key: str
) -> tuple[str, str, int]:
    if i >= len(tokens) or not tokens[i].text.strip():
        raise UserError(
            f"“{display(raw_key)}”后面缺少内容。格式：{usage}",
            f"“{display(raw_key)}” has no value after it. Usage: {usage}",
            field=field,
        )
    return _with_time(tokens, field, tokens[i].text, i + 1)


def _with_time(tokens: list[Token], field: str, value: str, i: int) -> tuple[str, str, int]:
    """`at=2026-11-24 09:30 +08:00` arrives as several words: join the time (and zone) on."""
    while i < len(tokens) and not tokens[i].quoted and continues_moment(value, tokens[i].text):
        value, i = f"{value} {tokens[i].text}", i + 1
    return field, value, i


def _refuse_unknown_key(raw_key: str, keys: Mapping[str, str], usage: str) -> None:
    meant = suggestion(raw_key, keys)
    shown = display(raw_key)
    hint_zh = f"您是想写 “{meant}” 吗？" if meant else ""
    hint_en = f" Did you mean “{meant}”?" if meant else ""
    known = "、".join(sorted({k for k in keys if not k.isascii()})) or "（无）"
    known_en = ", ".join(sorted({k for k in keys if k.isascii()})) or "(none)"
    raise UserError(
        f"无法识别字段“{shown}”。{hint_zh}可用字段：{known}。若“=”或“：”属于正文，请把正文放在引号中。格式：{usage}",
        f"Unknown field “{shown}”.{hint_en} Fields: {known_en}. If the = or : belongs to the text, put the text in quotes. Usage: {usage}",
        field=keys.get(meant or "", None),
    )


def _refuse_bare_key(
    tokens: list[Token],
    i: int,
    keys: Mapping[str, str],
    usage: str,
    hints: Mapping[str, Collection[str]],
) -> None:
    """严重程度 高, 严重程度高, sev~high, at 09:30: a key without its sign is not prose to store.

    An English key is taken for prose ("attack at dawn") unless what follows is its value.
    """
    token = tokens[i]
    if token.quoted:
        return
    folded = fold(token.text)
    following = fold(tokens[i + 1].text) if i + 1 < len(tokens) else ""
    bare = folded in keys and bool(following)
    if bare and folded.isascii():
        bare = looks_like_time_or_date(following) or following in hints.get(keys[folded], ())
    glued = next((key for key in keys if _glued(folded, key, hints.get(keys[key], ()))), None)
    if not bare and glued is None:
        return
    key = folded if bare else str(glued)
    raise UserError(
        f"“{display(token.text)}”像是字段“{key}”，请写成 {key}=… 的形式；若它属于正文，请把正文放在引号中。格式：{usage}",
        f"“{display(token.text)}” looks like the field “{key}”: write {key}=…; if it belongs to the text, put the text in quotes. Usage: {usage}",
        field=keys[key],
    )


def _glued(word: str, key: str, values: Collection[str]) -> bool:
    """A key with something stuck to it: 严重程度高 (a Chinese key and anything), sev~high, sevhigh."""
    if len(word) <= len(key) or not word.startswith(key):
        return False
    if not key.isascii():
        return len(key) >= 2
    rest = word[len(key) :]
    if rest in values or looks_like_time_or_date(rest):
        return True  # sevhigh, at09:30
    if rest[0].isalnum():
        return False  # severe, attack: ordinary words
    return len(key) >= 3 or looks_like_time_or_date(rest[1:]) or rest[1:] in values


def check_field(value: str, field: str, name_zh: str, name_en: str) -> str:
    """A free-text field: not blank, not too long; returned exactly as typed."""
    if is_blank(value):
        raise UserError(f"请填写{name_zh}。", f"Please give the {name_en}.", field=field)
    if len(value) > MAX_FIELD:
        raise UserError(
            f"{name_zh}过长（最多 {MAX_FIELD} 字符）。",
            f"The {name_en} is too long (at most {MAX_FIELD} characters).",
            field=field,
        )
    return value


def join_words(tokens: list[Token]) -> str:
    """Free text as typed: the words with single spaces between them (quotes are syntax)."""
    return " ".join(token.text for token in tokens)


def format_local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")
