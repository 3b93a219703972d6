"""English for the key fact of a Chinese clause, for documents that have no English rendering.

Only quantities are rendered — time limits, frequencies, fines, dates — because those are what a
rule can carry without a translator, and what staff ask for ("At least six months"). Everything
else is quoted in Chinese, labelled as the original.
"""

from __future__ import annotations

import re

from knowledge.facts import NUM
from knowledge.numerals import chinese_to_int

_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()
_UNITS = {
    "小时": "hour",
    "工作日": "working day",
    "日": "day",
    "天": "day",
    "周": "week",
    "月": "month",
    "个月": "month",
    "季度": "quarter",
    "年": "year",
}
_PERIODS = {
    "日": "day",
    "天": "day",
    "周": "week",
    "月": "month",
    "季度": "quarter",
    "半年": "half-year",
    "年": "year",
}
_RULES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(rf"不(?:少于|低于)每(?P<period>季度|半年|[日天周月年])(?P<n>{NUM})次"),
        "times_per",
    ),
    (
        re.compile(rf"每(?P<period>季度|半年|[日天周月年])至少(?:进行|开展)?(?P<n>{NUM})次"),
        "times_per",
    ),
    (
        re.compile(rf"不(?:少于|低于)(?P<n>{NUM})\s*(?P<unit>个月|小时|工作日|季度|[日天周月年])"),
        "at_least",
    ),
    (
        re.compile(rf"不(?:超过|多于)(?P<n>{NUM})\s*(?P<unit>个月|小时|工作日|季度|[日天周月年])"),
        "at_most",
    ),
    (re.compile(rf"提前(?P<n>{NUM})\s*(?P<unit>个月|小时|工作日|季度|[日天周月年])"), "in_advance"),
    (
        re.compile(rf"(?P<n>{NUM})\s*个?(?P<unit>个月|小时|工作日|季度|[日天周月年])(?:以)?内"),
        "within",
    ),
    (
        re.compile(
            rf"(?P<base>违法所得|采购金额|销售额|营业额)(?P<low>{NUM})倍以上(?P<high>{NUM})倍以下"
        ),
        "fine_multiple",
    ),
    (re.compile(rf"(?P<low>{NUM}万?)元以上(?P<high>{NUM}万?)元以下"), "fine_range"),
    (re.compile(rf"(?P<high>{NUM}万?)元以下"), "fine_max"),
    (re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"), "date"),
    (re.compile(r"每(?P<period>季度|半年|[日天周月年])"), "every"),
]
# What a fine is a multiple of (处违法所得一倍以上十倍以下罚款).
_BASES = {
    "违法所得": "the illegal gains",
    "采购金额": "the purchase amount",
    "销售额": "the sales",
    "营业额": "the turnover",
}
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def english_fact(clause: str) -> str:
    """ "At least six months" for 不少于六个月, "" when the clause has no quantity we render."""
    for pattern, kind in _RULES:
        match = pattern.search(clause)
        if match:
            return _render(kind, match.groupdict())
    return ""


def _render(kind: str, g: dict[str, str]) -> str:
    if kind == "date":
        return f"{_MONTHS[int(g['m']) - 1]} {int(g['d'])}, {g['y']}"
    if kind in ("fine_range", "fine_max"):
        high = _yuan(g["high"])
        return (
            f"A fine of {_yuan(g['low'])} to {high} yuan"
            if kind == "fine_range"
            else f"A fine of up to {high} yuan"
        )
    if kind == "fine_multiple":
        low, high = (_count(chinese_to_int(g[k])) for k in ("low", "high"))
        return f"A fine of {low} to {high} times {_BASES[g['base']]}"
    if kind == "every":
        return f"Every {_PERIODS[g['period']]}"
    n = chinese_to_int(g["n"])
    if kind == "times_per":
        times = {1: "once", 2: "twice"}.get(n, f"{_count(n)} times")
        return f"At least {times} a {_PERIODS[g['period']]}"
    unit = _UNITS[g["unit"]]
    amount = f"{_count(n)} {unit}{'' if n == 1 else 's'}"
    return {
        "at_least": f"At least {amount}",
        "at_most": f"At most {amount}",
        "in_advance": f"{amount[:1].upper()}{amount[1:]} in advance",
        "within": f"Within {amount}",
    }[kind]


def _count(n: int) -> str:
    return _WORDS[n] if n < len(_WORDS) else str(n)


def _yuan(text: str) -> str:
    value = chinese_to_int(text[:-1]) * 10_000 if text.endswith("万") else chinese_to_int(text)
    return f"{value:,}"
