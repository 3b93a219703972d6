"""The key fact of a quoted sentence: the deadline, period or count a question is usually after."""

from __future__ import annotations

import re

from knowledge.types import Lang

# Time limits and frequencies as the regulation writes them: 在2个小时内, 2日内, 提前30日,
# 不低于每月1次, 不少于6个月, 每日, 24小时.
_ZH_FACT = re.compile(
    r"(?:在|于)?(?:提前)?\d+\s*(?:个)?(?:小时|日|天|个月|月|年|家)(?:以)?内?"
    r"|不(?:低于|少于)(?:每(?:日|周|月|季度|年))?\d+\s*(?:次|个月|日|年)"
    r"|每(?:日|周|月|季度|年)"
)
_EN_FACT = re.compile(
    r"(?:within|at least|no (?:less|fewer) than|not less than)[^;.]*?(?:\d+|once|one)[^;.]*"
    r"|\d+ days in advance"
    r"|every (?:day|week|month|quarter|year)[^,;.]*",
    re.I,
)
_ZH_QUANTITY = re.compile(r"多久|多长|多少|几|频率|期限|时限|何时|什么时候|多快|时间")
_EN_QUANTITY = re.compile(
    r"\bhow (?:long|often|fast|soon|quickly|many|much|frequently)\b|\bwhen\b|\bdeadline\b|\bfrequency\b",
    re.I,
)
_ZH_CLAUSE_END = re.compile(r"[，。；！？]")
_EN_RECIPIENTS = re.compile(
    r"\b(?:report|reported|notify|notified)\b[^.;]*?\bto (the [^.;]+?)(?= within| \d+ days in advance|[.;]|$)"
)


def asks_for_quantity(question: str, lang: Lang) -> bool:
    """Does the question ask how long, how often, how many or when?"""
    return bool((_ZH_QUANTITY if lang == "zh" else _EN_QUANTITY).search(question))


def has_fact(sentence: str, lang: Lang) -> bool:
    return bool((_ZH_FACT if lang == "zh" else _EN_FACT).search(sentence))


def key_fact(sentence: str, lang: Lang) -> str:
    """The clause that states the time limit or frequency, or "" when the sentence has none."""
    if lang == "zh":
        match = _ZH_FACT.search(sentence)
        if not match:
            return ""
        # From the number to the end of its clause: "2个小时内向…等报告政务云平台网络安全事件相关情况".
        start = match.start() + (1 if sentence[match.start()] in "在于" else 0)
        end = _ZH_CLAUSE_END.search(sentence, match.end())
        clause = sentence[start : end.start() if end else len(sentence)]
        prefix = sentence[: match.start()]
        # A frequency written after its subject ("漏洞扫描不低于每月1次") needs the subject back.
        if clause.startswith("不") and prefix:
            subject = re.split(r"[，、；：]", prefix)[-1]
            clause = subject.removeprefix("原则上") + clause
        return clause
    match = _EN_FACT.search(sentence)
    if not match:
        return ""
    fact = match.group().strip()
    recipients = _EN_RECIPIENTS.search(sentence)
    if recipients and recipients.group(1) not in fact:
        # "report … to X, Y and Z within 2 hours" leads with "within 2 hours, to X, Y and Z".
        fact = f"{fact}, to {recipients.group(1)}"
    return fact
