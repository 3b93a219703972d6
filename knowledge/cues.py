"""Question-type cues: what kind of answer a question wants, and whether an article gives it.

A "when does it take effect" question is answered by the article that states a date (a law's
last article, "本法自2017年6月1日起施行"), a "how much is the fine" one by an article that sets
a fine, a "what does X mean" one by the article that defines X, a "may we" one by the article
that forbids or permits it. The ranker reads each pair as a signal beside the general "states a
quantity" one (knowledge/facts.py), so a neighbouring article on the same topic that lacks the
fact ranks below the one that has it. The patterns name kinds of answers, never particular
questions."""

from __future__ import annotations

import re

from knowledge.types import Lang

_ASKS_DATE: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(r"生效|施行|开始执行|开始实施|实施日期|哪天|哪一天|几号|几月几日|日期|哪年"),
    "en": re.compile(
        r"\b(?:take|took|takes|taking|come|came|comes) (?:into )?(?:effect|force)\b"
        r"|\beffective (?:date|from|since|on)\b|\bin force\b|\bwhat date\b|\bwhich date\b"
        r"|\bwhen did\b.*\b(?:start|begin|apply|effect)",
        re.I,
    ),
}
_ASKS_FINE: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(r"罚|处分|法律责任|追责|吊销|责令"),
    "en": re.compile(r"\bfine[sd]?\b|\bpenalt|\bpunish|\bsanction|\bliabilit|\bliable\b", re.I),
}
# "网络运营者是指啥", "what counts as sensitive personal information": the answer is the article
# that defines the term (网络安全法 第七十六条), not one that merely uses it.
_ASKS_DEFINITION: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(
        r"定义|含义|是指|指的是|指什么|指啥|什么是|啥是|是什么意思|啥意思|什么意思|概念|所称|"
        r"算不算|属不属于|算是.{0,12}吗"
    ),
    "en": re.compile(
        r"\bdefin|\bmeaning of\b|\bwhat (?:does|do|is meant by)\b.{0,60}\bmean\b|\bcounts? as\b|"
        r"\bqualif(?:y|ies) as\b|\bconsidered (?:to be )?(?:a|an)\b|\bwhat is meant by\b",
        re.I,
    ),
}
# 本法所称网络运营者，是指…; 本条例所称关键信息基础设施，是指…; 下列用语的含义
_STATES_DEFINITION = re.compile(r"是指|本[法条例办规定]{1,3}所称|用语的含义")
# "能不能卖掉？" / "can we sell it?" / "关基检查能收费吗" is answered by the permission or the
# prohibition ("不得收取费用"), not by the article beside it that punishes breaking it.
_ASKS_PERMISSION = re.compile(
    r"能不能|可不可以|能否|可否|允许|可以.{0,12}吗|能.{0,12}吗|合规吗|违法吗|犯法吗|"
    r"\b(?:can|may|could) (?:we|i|they|you|the|a|an|our|it)\b|\ballowed\b|"
    r"\b(?:is|are) (?:it|that|this|they) (?:legal|lawful|ok)\b",
    re.I,
)
# In the Chinese source or an English rendering (the lead is chosen from either).
_STATES_PROHIBITION = re.compile(
    r"不得|不予|禁止|严禁|不能|未经|may not|shall not|must not|prohibited"
)
# 自2017年6月1日起施行, 自印发之日起执行, 自公布之日起施行
_STATES_DATE = re.compile(r"自[^。；，]{0,20}?起\s*(?:施行|执行|生效)")
_STATES_FINE = re.compile(r"罚款|没收违法所得|吊销|处分")


def asks_for_date(question: str, lang: Lang) -> bool:
    """Does the question ask when a document takes effect (or another date it sets)?"""
    return bool(_ASKS_DATE[lang].search(question))


def asks_for_fine(question: str, lang: Lang) -> bool:
    """Does the question ask about a fine, a sanction or legal liability?"""
    return bool(_ASKS_FINE[lang].search(question))


def asks_for_definition(question: str, lang: Lang) -> bool:
    """Does the question ask what a term means or whether something falls under it?"""
    return bool(_ASKS_DEFINITION[lang].search(question))


def states_definition(article_text: str) -> bool:
    """Does the article (Chinese source text) define a term?"""
    return bool(_STATES_DEFINITION.search(article_text))


def asks_permission(question: str) -> bool:
    """Does the question ask whether something may be done (or is allowed, legal)?"""
    return bool(_ASKS_PERMISSION.search(question))


def states_prohibition(text: str) -> bool:
    """Does the text forbid something, or make it depend on consent (未经…不得)?"""
    return bool(_STATES_PROHIBITION.search(text))


def states_date(article_text: str) -> bool:
    """Does the article (Chinese source text) set the date the document takes effect?"""
    return bool(_STATES_DATE.search(article_text))


def states_fine(article_text: str) -> bool:
    """Does the article set a fine or another sanction?"""
    return bool(_STATES_FINE.search(article_text))
