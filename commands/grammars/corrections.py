"""The words every command shares for what happens after filing: amend (edit), cancel, history.

`/staff-change amend 3 生效日期=2027-01-05 原因=入职推迟`, `/inspect cancel 5 原因=重复登记`,
`/incident edit 7 严重程度=高 原因=影响扩大`: the record's id, the fields to change as key=value,
and the reason (原因=…, or the words after the fields). The grammar reads; the handler requires
the reason and refuses a correction that changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from commands.errors import UserError
from commands.grammar import join_words, split_fields
from commands.text import Token, display
from commands.values import parse_id

AMEND_WORDS = ("amend", "edit", "correct", "更正", "修改", "修正", "订正")
CANCEL_WORDS = ("cancel", "void", "作废", "撤销", "取消")
HISTORY_WORDS = ("history", "show", "历史", "详情", "查看", "履历")
REASON_KEYS = dict.fromkeys(
    ("reason", "why", "原因", "理由", "更正原因", "作废原因", "撤销原因"), "reason"
)


@dataclass(frozen=True)
class RecordRef:
    """How a command names its records in messages: the id's field, 事件 / incident."""

    field: str
    what_zh: str
    what_en: str


@dataclass(frozen=True)
class Correcting:
    """What a correction line said: which record, the new values by field, and why."""

    record_id: int
    values: dict[str, str]
    reason: str


def record_id(tokens: list[Token], usage: str, ref: RecordRef) -> int:
    """The id that must be the first word after the verb."""
    return parse_id(
        tokens[0].text if tokens else None,
        field=ref.field,
        what_zh=ref.what_zh,
        what_en=ref.what_en,
        usage=usage,
    )


def parse_correction(
    tokens: list[Token],
    keys: Mapping[str, str],
    usage: str,
    ref: RecordRef,
    hints: Mapping[str, Collection[str]] | None = None,
) -> Correcting:
    """`<id> key=value … [原因=…]`; the words after the id are the reason when 原因= is not given."""
    fields = split_fields(tokens, {**keys, **REASON_KEYS}, usage, hints)
    rest = fields.rest
    number = record_id(rest, usage, ref)
    values = dict(fields.values)
    reason = values.pop("reason", None)
    trailing = rest[1:]
    if trailing and reason is not None:
        shown = display(trailing[0].text)
        raise UserError(
            f'无法识别“{shown}”：原因含空格时请把整段原因放在引号中，例如 原因="…"。格式：{usage}',
            f'“{shown}” is not understood: quote a reason that has spaces, e.g. reason="…". Usage: {usage}',
            field="reason",
        )
    if reason is None:
        reason = join_words(trailing)
    return Correcting(number, values, reason)


def show_only(tokens: list[Token], usage: str, ref: RecordRef) -> int:
    """`<id>` and nothing else (history, timeline, draft)."""
    number = record_id(tokens, usage, ref)
    if len(tokens) > 1:
        raise UserError(
            f"只需写编号，多余的“{display(tokens[1].text)}”无法识别。格式：{usage}",
            f"Give the id alone; “{display(tokens[1].text)}” is not understood. Usage: {usage}",
            field=ref.field,
        )
    return number
