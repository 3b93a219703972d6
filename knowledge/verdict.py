"""A yes or a no for a yes-no question, read off the modal verb of the sentence that answers it.

"打完补丁要不要做兼容性测试" is answered by "…并开展相关有效性、兼容性测试" under 应当: yes.
"密码管理部门能要我们的源代码吗" by "…不得要求…披露源代码": no. The asker reads the verdict first
and the quote beneath it says why.

A verdict is given only where the sentence settles it, since a wrong "yes" is worse than none:
- a duty (应当, 必须) answers whether something must be done, never whether it may be;
- a prohibition (不得, 禁止, 未经…) answers whether it may be done, never whether it must;
- a permission (可以) says nothing here: "商用密码能保护国家秘密吗" meets "可以依法使用商用密码
  保护网络与信息安全", a permission for something else;
- the sentence must name who the question names (a party, an authority): the provider's duty to
  run penetration tests says nothing of whether the tenants must, and "在2个小时内向网信部门、
  公安部门…报告" nothing of whether 国安 must be told;
- and it must hold most of what the question asks about: "演练要覆盖内部人员威胁吗" is not
  settled by a duty to drill for natural disasters, fires and DDoS.
"""

from __future__ import annotations

import re
from typing import Literal

from knowledge.cues import asks_permission, states_prohibition
from knowledge.lexical import en_tokens
from knowledge.thesaurus import Expansion
from knowledge.types import Lang
from knowledge.words import content_words

Verdict = Literal["yes", "no", ""]

# Whether something must be done: "要不要", "需不需要…", "必须…吗", "do we have to", "is X required".
_ASKS_DUTY: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(
        r"要不要|需不需要|用不用|得不得|是否(?:需要|必须|应当|要)|是不是(?:要|得|必须|需要)|"
        # 要 alone, not in 重要/主要/只要: "重要数据算个人信息吗" asks no duty.
        r"有没有义务|(?:需要|必须|应当|应该|得|(?<![重主只])要).{0,24}[吗么嘛]"
    ),
    "en": re.compile(
        # The question (or its clause after a comma) opens with its auxiliary: "after we
        # terminate, does the provider have to …".
        r"(?:^|[,;:\u2013-]\s*)(?:do|does|did|is|are|must|should|will)\b.*\b(?:have to|"
        r"has to|need to|needs to|needed|required|require|requires|supposed to|obliged|"
        r"obligated|mandatory|compulsory|must)\b",
        re.I,
    ),
}
# A question about something else than whether: who, what, when, how long …
_ASKS_OTHER: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(r"谁|什么|啥|哪|多久|多长|多少|几|怎么|怎样|如何|为什么|为啥|咋"),
    "en": re.compile(r"\b(?:who|whom|what|which|when|where|how|why)\b", re.I),
}
_STATES_DUTY = re.compile(r"应当|必须")
_WORDS: dict[Lang, dict[Verdict, str]] = {
    "zh": {"yes": "需要。", "no": "不可以。", "": ""},
    "en": {"yes": "Yes.", "no": "No.", "": ""},
}


# Who a statutory term names: 运营者, 处理者, 政务云服务商, 云租户, 网信部门, 公安机关, 受托方 …
_ACTOR = re.compile(r"(?:者|商|租户|部门|机关|机构|单位|人|方)$")
# Share of the question's topic words the quoted sentence must hold.
MIN_COVERAGE = 0.75


def verdict(
    question: str, lang: Lang, sentence: str, english: str, expansion: Expansion
) -> Verdict:
    """ "yes", "no" or "" for a (normalized) question answered by `sentence` (the Chinese source;
    `english` is its rendering, "" if none)."""
    if _ASKS_OTHER[lang].search(question):
        return ""
    if (
        not _names_its_actors(sentence, expansion)
        or _coverage(question, lang, sentence, english, expansion) < MIN_COVERAGE
    ):
        return ""
    banned = states_prohibition(sentence)
    if asks_permission(question):
        return "no" if banned else ""
    if _ASKS_DUTY[lang].search(question) and _STATES_DUTY.search(sentence) and not banned:
        return "yes"
    return ""


def verdict_words(found: Verdict, lang: Lang) -> str:
    """How the lead opens for a verdict, in the answer's language ("" for none)."""
    return _WORDS[lang][found]


def _names_its_actors(sentence: str, expansion: Expansion) -> bool:
    """Does the sentence name every party or authority the question names?"""
    return all(
        any(t in sentence for t in e.zh)
        for e in expansion.entries
        if any(_ACTOR.search(t) for t in e.zh)
    )


def _coverage(
    question: str, lang: Lang, sentence: str, english: str, expansion: Expansion
) -> float:
    """Share of the question's topic words (jieba's content words, or English stems) the
    sentence holds, a Chinese word by its characters; a word read by a thesaurus phrase counts
    when the phrase's statutory term is in the sentence ("关基" when it says 关键信息基础设施)."""
    rescued = [e.phrase for e in expansion.entries if any(t in sentence for t in e.zh)]
    if lang == "zh":
        words = content_words(question)
        # A word's characters all in the sentence count too: 收费 is said 收取费用 there.
        found = [
            w
            for w in words
            if all(c in sentence for c in w) or any(w in p or p in w for p in rescued)
        ]
    else:
        words = tuple(t for t in dict.fromkeys(en_tokens(question)) if "_" not in t)
        present = set(en_tokens(english))
        read = {t for p in rescued for t in en_tokens(p.rstrip("*"))}
        found = [w for w in words if w in present or w in read]
    return len(found) / len(words) if words else 0.0
