"""The filing grammars: tolerant where the meaning is certain, loud where it is not.

Property-based (hypothesis): whatever is typed, a grammar either refuses it (UserError) or
returns the operation whose fields are exactly what was typed — never anything else.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from commands.errors import UserError
from commands.grammar import HELP_WORDS, Context
from commands.grammars import COMMANDS, parse
from commands.grammars import incident as incident_grammar
from commands.grammars import staff_change as staff_grammar
from commands.grammars.corrections import REASON_KEYS
from commands.operations import (
    CancelInspection,
    CancelStaffChange,
    EditIncident,
    FileStaffChange,
    OpenIncident,
    Operation,
    ReportIncident,
    ShowHelp,
)
from commands.text import fold
from tests.commands.grammar_sets import evaluate

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=TZ)
CTX = Context(user="U1", lang="zh", now=NOW, tz=TZ)


def _parse(command: str, text: str) -> Operation | None:
    try:
        return parse(command, text, CTX)
    except UserError:
        return None


@pytest.mark.parametrize(
    "name",
    ["filings_dev.tsv", "filings_holdout.tsv", "filings_holdout2.tsv", "filings_holdout3.tsv"],
)
def test_realistic_filings_are_understood_exactly_or_refused(name: str) -> None:
    outcomes = evaluate(name)
    wrong = [o for o in outcomes if o.verdict == "wrong"]
    missed = [o for o in outcomes if o.verdict == "missed"]
    assert not wrong, wrong  # never stored as something else
    assert not missed, missed


# Words a summary, a name or a role may hold: any script, no quotes, no signs, no spaces.
_WORD = st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("L", "N", "S", "P"),
        exclude_characters="\"'“”‘’「」『』＂=＝:：",
    ),
    min_size=1,
    max_size=8,
)
_SUMMARY_WORDS = st.lists(_WORD, min_size=1, max_size=5)
_SEPARATORS = st.sampled_from(["=", "＝", "：", " = ", "= ", " =", "：", ": "])
_SEVERITY_SPELLINGS = st.sampled_from(sorted(incident_grammar.SEVERITIES))
_SEVERITY_KEYS = st.sampled_from(
    sorted(k for k, v in incident_grammar.OPEN_KEYS.items() if v == "severity")
)
_TIME_KEYS = st.sampled_from(
    sorted(k for k, v in incident_grammar.OPEN_KEYS.items() if v == "discovered_at")
)
_MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2026, 11, 24, 9, 59)
).map(lambda d: d.replace(microsecond=0, tzinfo=TZ))


def _spell_moment(moment: datetime, style: int) -> str:
    day = [
        f"{moment:%Y-%m-%d}",
        f"{moment:%Y/%m/%d}",
        f"{moment.year}年{moment.month}月{moment.day}日",
        f"{moment:%Y.%m.%d}",
    ][style % 4]
    clock = f"{moment:%H:%M:%S}" if style % 3 == 0 else f"{moment:%H:%M}"
    zone = " +08:00" if style % 5 == 0 else ""
    return f"{day} {clock}{zone}"


def _is_plain_word(word: str) -> bool:
    """A word the summary keeps as typed: not itself a date, a verb or a field name."""
    op = _parse("incident", f"{word} x")
    return isinstance(op, OpenIncident) and op.summary == f"{word} x"


@settings(max_examples=300, deadline=None)
@given(
    words=_SUMMARY_WORDS,
    severity=st.none() | st.tuples(_SEVERITY_KEYS, _SEPARATORS, _SEVERITY_SPELLINGS),
    discovered=st.none() | st.tuples(_TIME_KEYS, _SEPARATORS, _MOMENTS, st.integers(0, 59)),
    order=st.permutations(range(3)),
)
@example(words=["HELP"], severity=None, discovered=None, order=[0, 1, 2])
def test_an_incident_records_exactly_what_was_typed(words, severity, discovered, order) -> None:  # type: ignore[no-untyped-def]
    parts = {0: " ".join(words)}
    if severity:
        key, sign, spelling = severity
        parts[1] = f"{key}{sign}{spelling}"
    if discovered:
        key, sign, moment, style = discovered
        parts[2] = f"{key}{sign}{_spell_moment(moment, style)}"
    text = " ".join(parts[i] for i in order if i in parts)
    op = _parse("incident", text)
    if op is None:
        return  # refused: nothing written, always allowed
    if fold(text) in HELP_WORDS:  # "/incident HELP" alone asks for the usage, never files
        assert isinstance(op, ShowHelp), (text, op)
        return
    assert isinstance(op, OpenIncident), (text, op)
    assert op.summary == " ".join(words), text
    assert op.severity == (
        incident_grammar.SEVERITIES[severity[2].casefold()] if severity else "medium"
    )
    if discovered:
        _, _, moment, style = discovered
        typed = moment if style % 3 == 0 else moment.replace(second=0)  # as far as it was spelled
        assert op.discovered_at is not None
        assert op.discovered_at.astimezone(UTC) == typed.astimezone(UTC), text
    else:
        assert op.discovered_at is None


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(_WORD.filter(_is_plain_word), min_size=1, max_size=3),
    spelling=_SEVERITY_SPELLINGS,
    key=_SEVERITY_KEYS,
    damage=st.sampled_from(["~", "-", "_", "==", ";", "。", "，", ""]),
)
@example(words=["病毒"], spelling="高", key="严重程度", damage="")
def test_a_damaged_field_is_refused_never_dropped(words, spelling, key, damage) -> None:  # type: ignore[no-untyped-def]
    """严重程度~高, 严重程度高, sev;high: never a summary holding them and the default severity."""
    text = f"{' '.join(words)} {key}{damage}{spelling}"
    op = _parse("incident", text)
    assert op is None or (
        isinstance(op, OpenIncident)
        and op.severity == incident_grammar.SEVERITIES[spelling.casefold()]
    ), (text, op)


_ID_SPELLINGS = st.integers(1, 2**31 - 1).flatmap(
    lambda n: st.sampled_from(
        [str(n), f"#{n}", str(n).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})]
    ).map(lambda s: (n, s))
)


@settings(max_examples=200, deadline=None)
@given(
    verb=st.sampled_from(sorted(k for k, v in incident_grammar.VERBS.items() if v == "reported")),
    quote=st.sampled_from(["{}", '"{}"', "“{}”"]),
    ident=_ID_SPELLINGS,
    authority=st.sampled_from(sorted(incident_grammar.AUTHORITY_WORDS)),
    at=st.none() | _MOMENTS,
)
def test_a_report_records_exactly_what_was_typed(verb, quote, ident, authority, at) -> None:  # type: ignore[no-untyped-def]
    number, spelled = ident
    text = f"{quote.format(verb)} {spelled} {authority}" + (
        f" 报告时间={at:%Y-%m-%d %H:%M:%S}" if at else ""
    )
    op = _parse("incident", text)
    assert isinstance(op, ReportIncident), text
    assert (op.incident_id, op.authority) == (number, incident_grammar.AUTHORITY_WORDS[authority])
    assert op.reported_at == at


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(sorted(staff_grammar.KINDS)),
    quote=st.sampled_from(["{}", '"{}"', "“{}”", "'{}'"]),
    name=st.lists(_WORD, min_size=1, max_size=2).map(" ".join),
    role=st.lists(_WORD, min_size=1, max_size=2).map(" ".join),
    effective=st.dates(min_value=NOW.date(), max_value=NOW.date() + timedelta(days=900)),
    style=st.integers(0, 2),
)
def test_a_staff_change_records_exactly_what_was_typed(
    kind, quote, name, role, effective, style
) -> None:  # type: ignore[no-untyped-def]
    day = [
        f"{effective:%Y-%m-%d}",
        f"{effective:%Y/%m/%d}",
        f"{effective.year}年{effective.month}月{effective.day}日",
    ][style]
    text = f'{quote.format(kind)} "{name}" “{role}” {day}'
    op = _parse("staff-change", text)
    assert isinstance(op, FileStaffChange), text
    assert (op.kind, op.name, op.role, op.effective_date) == (
        staff_grammar.KINDS[kind],
        name,
        role,
        effective,
    )


_EDIT_VERBS = st.sampled_from(sorted(k for k, v in incident_grammar.VERBS.items() if v == "edit"))
_REASON_KEYS = st.sampled_from(sorted(REASON_KEYS))


@settings(max_examples=300, deadline=None)
@given(
    verb=_EDIT_VERBS,
    ident=_ID_SPELLINGS,
    severity=st.none() | st.tuples(_SEVERITY_KEYS, _SEPARATORS, _SEVERITY_SPELLINGS),
    discovered=st.none() | st.tuples(_TIME_KEYS, _SEPARATORS, _MOMENTS, st.integers(0, 59)),
    summary=st.none() | st.lists(_WORD, min_size=1, max_size=3).map(" ".join),
    reason=st.lists(_WORD, min_size=1, max_size=3).map(" ".join),
    reason_key=st.none() | _REASON_KEYS,
    order=st.permutations(range(4)),
)
def test_an_edit_records_exactly_what_was_typed(  # type: ignore[no-untyped-def]
    verb, ident, severity, discovered, summary, reason, reason_key, order
) -> None:
    number, spelled = ident
    parts = {}
    if severity:
        key, sign, spelling = severity
        parts[0] = f"{key}{sign}{spelling}"
    if discovered:
        key, sign, moment, style = discovered
        parts[1] = f"{key}{sign}{_spell_moment(moment, style)}"
    if summary is not None:
        parts[2] = f'摘要="{summary}"'
    if reason_key:
        parts[3] = f'{reason_key}="{reason}"'
    fields = " ".join(parts[i] for i in order if i in parts)
    text = f"{verb} {spelled} {fields}" + ("" if reason_key else f" {reason}")
    op = _parse("incident", text)
    if op is None:
        return  # refused: nothing written, always allowed
    assert isinstance(op, EditIncident), (text, op)
    assert (op.incident_id, op.reason, op.summary) == (number, reason, summary), text
    assert op.severity == (
        incident_grammar.SEVERITIES[severity[2].casefold()] if severity else None
    )
    if discovered:
        _, _, moment, style = discovered
        typed = moment if style % 3 == 0 else moment.replace(second=0)
        assert op.discovered_at is not None
        assert op.discovered_at.astimezone(UTC) == typed.astimezone(UTC), text
    else:
        assert op.discovered_at is None


@settings(max_examples=200, deadline=None)
@given(
    command=st.sampled_from(["staff-change", "inspect"]),
    verb=st.sampled_from(["cancel", "作废", "撤销", "取消", "“cancel”", "CANCEL"]),
    ident=_ID_SPELLINGS,
    reason=st.lists(_WORD, min_size=1, max_size=4).map(" ".join),
    keyed=st.booleans(),
)
def test_a_cancel_records_exactly_its_id_and_reason(  # type: ignore[no-untyped-def]
    command, verb, ident, reason, keyed
) -> None:
    number, spelled = ident
    text = f'{verb} {spelled} 原因="{reason}"' if keyed else f"{verb} {spelled} {reason}"
    op = _parse(command, text)
    if op is None:
        return
    expected = CancelStaffChange if command == "staff-change" else CancelInspection
    assert isinstance(op, expected), (text, op)
    assert (getattr(op, "change_id", None) or getattr(op, "inspection_id", None)) == number
    assert op.reason == reason, text


@settings(max_examples=400, deadline=None)
@given(command=st.sampled_from(COMMANDS), text=st.text(max_size=120))
def test_any_text_is_parsed_or_refused_never_crashes(command: str, text: str) -> None:
    try:
        op = parse(command, text, CTX)
    except UserError as error:
        assert error.zh and error.en
        return
    assert isinstance(op, Operation)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("report 1 网信", "action"),
        ("closed 1", "action"),
        ("reported 1 卫健委", "authority"),
        ("reported x 网信", "incident_id"),
        ("病毒 发现时间=2026-11-24 25:00", "discovered_at"),
        ("病毒 严重程度=特别高", "severity"),
        ("病毒 严重程度=高 严重程度=低", "severity"),
        ("close 1 2", "incident_id"),
    ],
)
def test_errors_name_the_field_they_are_about(text: str, field: str) -> None:
    with pytest.raises(UserError) as raised:
        parse("incident", text, CTX)
    assert raised.value.field == field
    assert raised.value.zh != raised.value.en


def test_control_characters_are_refused_and_direction_overrides_shown() -> None:
    from commands.text import display

    for text in ("virus\x00found", "virus\x1bfound"):
        with pytest.raises(UserError, match="control character"):
            parse("incident", text, CTX)
    with pytest.raises(UserError, match="not valid UTF-8"):
        parse(
            "incident", "caf\udce9", CTX
        )  # a byte that was not UTF-8, as surrogateescape reads it
    assert display("abc\u202edef") == "abc<U+202E>def"
    assert display("普通文字") == "普通文字"


def test_a_lone_z_after_a_time_is_the_reason_not_utc() -> None:
    # "Z" as its own word is ambiguous; only an offset (+08:00) continues a time.
    op = _parse("incident", "edit 1 发现时间=2026/01/01 00:00 Z")
    assert isinstance(op, EditIncident)
    assert op.reason == "Z"
    assert op.discovered_at is not None and op.discovered_at.utcoffset() == timedelta(hours=8)
    op = _parse("incident", "edit 1 发现时间=2026/01/01 00:00 +00:00 误报")
    assert isinstance(op, EditIncident) and op.reason == "误报"
    assert op.discovered_at is not None and op.discovered_at.utcoffset() == timedelta(0)
