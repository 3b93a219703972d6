"""The key fact of a quoted sentence: the clause with the deadline, period, count or fine the
question is after, chosen by the question's subject when a sentence holds several."""

from __future__ import annotations

import re
from collections.abc import Collection

from knowledge.cues import states_fine
from knowledge.numerals import chinese_to_int
from knowledge.types import Lang

NUM = r"(?:\d+(?:[.,]\d+)?|[零〇一二两三四五六七八九十百千万亿]+)"
_UNIT = r"(?:个)?(?:小时|工作日|日|天|周|个月|月|季度|年)"
_PERIOD = r"(?:日|天|周|月|季度|半年|年)"
# Time limits, frequencies, fines and dates as statutes write them: 在2个小时内, 提前30日,
# 不少于六个月, 不低于每月1次, 每年至少进行一次, 每日, 五万元以上五十万元以下, 2017年6月1日.
_ZH_FACT = re.compile(
    rf"\d{{4}}年\d{{1,2}}月\d{{1,2}}日"
    rf"|{NUM}万?元以上{NUM}万?元以下"
    rf"|{NUM}万?元以下|百分之{NUM}以下"
    rf"|{NUM}倍以上{NUM}倍以下|{NUM}倍以下"
    rf"|不(?:低于|少于|超过|多于)(?:每{_PERIOD})?{NUM}\s*(?:次|{_UNIT})"
    rf"|每{_PERIOD}(?:至少)?(?:进行|开展)?(?:{NUM}次)?"
    rf"|至少(?:进行|开展)?{NUM}次"
    rf"|(?:提前)?{NUM}\s*{_UNIT}(?:以)?内?"
    r"|自印发之日起"
)
_EN_NUMBER = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty|once|twice)"
)
_EN_TEXT = r"(?:[^,;.]|(?<=\d)[,.](?=\d))"  # a clause's text; "10,000" and "2.5" stay whole
_EN_FACT = re.compile(
    rf"(?:within|at least|no (?:less|fewer|more) than|not (?:less|fewer|more) than|up to)\s+"
    rf"(?:{_EN_TEXT}*?\s)?{_EN_NUMBER}\b{_EN_TEXT}*"
    rf"|{_EN_NUMBER} (?:days|hours|months|working days) in advance"
    r"|(?:every|each|once a|once per) (?:day|week|month|quarter|year)"
    r"|\b(?:daily|monthly|quarterly|annually|yearly)\b"
    r"|(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4}",
    re.I,
)
# "哪几类" asks which, not how many: 几 after 哪 is no quantity cue.
_ZH_QUANTITY = re.compile(
    # "分几类" / "有几种" asks for the kinds, which the article lists ("分为核心密码、普通密码和
    # 商用密码"), not for a number it states: a list question (knowledge/cues.py).
    r"多久|多长|多少|(?<!哪)几(?!种|类|个方面|条路)|频率|期限|时限|何时|什么时候|多快|时间|哪天|哪年|"
    r"日期|生效|施行|罚"
)
_EN_QUANTITY = re.compile(
    # "when" asks a time only as the question word ("when must we report", "by when"), not as
    # a conjunction ("do they give back our data when they leave", "When the provider withdraws,
    # what must it ensure"), even at the start: the auxiliary after it tells the two apart.
    r"\bhow (?:long|often|fast|soon|quickly|many|much|frequently)\b|\bdeadline\b"
    r"|\bby when\b|\bwhen(?:'s| (?:must|should|do|does|did|is|are|was|were|will|shall|has|have|"
    r"can|could|would))\b"
    r"|\bfrequency\b|\bfine\b|\bpenalt|\bdate\b|\beffect\b|\bforce\b",
    re.I,
)
_ZH_CLAUSE = re.compile(r"[^，；。：]+[，；。：]?")
_EN_CLAUSE = re.compile(r"(?:[^,;:]|(?<=\d),(?=\d))+[,;:]?")
_ZH_OPENERS = ("并", "且", "原则上", "同时", "还应当", "应当", "在")
# A clause cut from a longer English sentence may open with its link to the one before:
# "and effectively destroy the data within 7 days" leads as "Effectively destroy …".
_EN_OPENERS = re.compile(r"^(?:and also|as well as|and|or|but|while|whereas)\s+(?:shall\s+)?", re.I)
# …and one cut before the next clause may end on its link to it: "… RMB 10 million and, depending
# on the circumstances, …" leads as "… RMB 10 million".
_EN_CLOSERS = re.compile(r"[\s,]+(?:and|or|but|as well as|and also)$", re.I)
_EN_RECIPIENTS = re.compile(
    r"\b(?:report|reported|notify|notified)\b[^.;]*?\bto (the [^.;]+?)(?= within| \d+ days in advance|[.;]|$)"
)


# A penalty article fines the organization first and its responsible persons after; "how much is
# the fine" means the organization's unless the question asks about the persons.
PERSONS_LIABLE = re.compile(
    r"直接负责的主管人员|directly responsible (?:person|personnel|supervisor|executive)", re.I
)
_ASKS_PERSONS = re.compile(
    r"个人(?!信息)|负责人|主管人员|员工|\b(?:person|individual|manager|staff|employee)", re.I
)
# "最高能罚多少" / "what's the maximum fine" wants the article's largest fine, which the laws put
# in a later paragraph ("情节严重的 … 五千万元以下") after the ordinary one.
_ASKS_MAXIMUM = re.compile(
    r"最高|最多|顶格|上限|最重|最大|\b(?:max|maximum|highest|biggest|largest|steepest|worst)\b",
    re.I,
)
_ZH_AMOUNT = re.compile(rf"({NUM})(万|亿)?元")
_EN_AMOUNT = re.compile(r"(?:RMB|CNY|yuan)\s*([\d,.]+)\s*(million|billion)?", re.I)
_EN_SCALE = {"million": 1e6, "billion": 1e9}


def asks_about_persons(question: str) -> bool:
    return bool(_ASKS_PERSONS.search(question))


def asks_for_maximum(question: str) -> bool:
    return bool(_ASKS_MAXIMUM.search(question))


def largest_amount(text: str) -> float:
    """The largest sum of money the text names, in yuan (0 when it names none)."""
    amounts = [0.0]
    for number, scale in _ZH_AMOUNT.findall(text):
        try:
            value = (
                float(number.replace(",", "")) if number[0].isdigit() else chinese_to_int(number)
            )
        except ValueError:
            continue
        amounts.append(value * {"万": 1e4, "亿": 1e8}.get(scale, 1.0))
    for number, scale in _EN_AMOUNT.findall(text):
        try:
            amounts.append(
                float(number.replace(",", "").rstrip(".")) * _EN_SCALE.get(scale.lower(), 1.0)
            )
        except ValueError:
            continue
    return max(amounts)


def asks_for_quantity(question: str, lang: Lang) -> bool:
    """Does the question ask how long, how often, how many, how much or when?"""
    return bool((_ZH_QUANTITY if lang == "zh" else _EN_QUANTITY).search(question))


def has_fact(sentence: str, lang: Lang) -> bool:
    return bool(sentence) and bool((_ZH_FACT if lang == "zh" else _EN_FACT).search(sentence))


def key_clause(
    sentence: str,
    lang: Lang,
    subject: Collection[str],
    tokenize: object,
    *,
    persons: bool = False,
    maximum: bool = False,
    fine: bool = False,
) -> str:
    """The clause of `sentence` that states a fact about the question's subject, or "".

    `subject` holds the question's topic tokens and `tokenize` turns a clause into the same kind
    of tokens, so "how often is a penetration test required" picks the penetration-test clause
    of a sentence that also gives the vulnerability-scan and risk-assessment frequencies.
    `persons` (the question asks about the responsible persons) prefers their fine, otherwise the
    organization's; `maximum` prefers the clause with the largest sum; `fine` (the question asks
    about a sanction) prefers the clause that sets one over a list item's "每年至少一次".
    """
    pattern = _ZH_FACT if lang == "zh" else _EN_FACT
    clauses = _clauses(sentence, lang)
    scored = []
    for i, clause in enumerate(clauses):
        if not pattern.search(clause):
            continue
        tokens = set(tokenize(clause))  # type: ignore[operator]
        overlap = len(tokens & set(subject)) / len(subject) if subject else 0.0
        party = bool(PERSONS_LIABLE.search(clause)) == persons
        largest = largest_amount(clause) if maximum else 0.0
        sanction = not fine or states_fine(clause)
        scored.append((sanction, party, largest, overlap, -i, i))
    if not scored:
        return ""
    best = max(scored)[-1]
    clause = clauses[best]
    if lang == "zh":
        # A condition ("安全团队人员需要变动的，") belongs with the duty that follows it.
        if best > 0 and clauses[best - 1].rstrip("，").endswith("的"):
            clause = clauses[best - 1] + clause
        return _trim_zh(clause)
    clause = _EN_CLOSERS.sub("", _EN_OPENERS.sub("", clause.strip(" ,;:")))
    return _with_recipients(clause, sentence)


def _clauses(sentence: str, lang: Lang) -> list[str]:
    pieces = (_ZH_CLAUSE if lang == "zh" else _EN_CLAUSE).findall(sentence)
    found: list[str] = []
    for piece in pieces:
        # A list of frequencies joined by 、 ("漏洞扫描不低于每月1次、…渗透测试不低于每季度1次")
        # splits into its items when more than one of them states a fact.
        parts = piece.split("、") if lang == "zh" else re.split(r",?\s+and\s+", piece)
        if len(parts) > 1 and sum(bool(has_fact(p, lang)) for p in parts) > 1:
            found += parts
        else:
            found.append(piece)
    return [f for f in found if f.strip()]


def _trim_zh(clause: str) -> str:
    clause = clause.strip().rstrip("，；。：、")
    for opener in _ZH_OPENERS:
        if clause.startswith(opener) and len(clause) > len(opener) + 4:
            clause = clause[len(opener) :]
    return clause


def _with_recipients(clause: str, sentence: str) -> str:
    """ "… within 2 hours" reads better as "within 2 hours, to X, Y and Z" when the sentence
    names who is told."""
    fact = _EN_FACT.search(clause)
    recipients = _EN_RECIPIENTS.search(sentence)
    if not (fact and recipients):
        return clause
    deadline = fact.group().strip()
    if deadline.lower().startswith("within") or deadline.lower().endswith("in advance"):
        return f"{deadline}, to {recipients.group(1)}"
    return clause
