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

from knowledge.numerals import chinese_to_int
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
# "被治安处罚过的人还能干网安岗位吗" mentions a past penalty as who is asked about; it asks
# whether they may work, not what the penalty is.
_PAST_PENALTY = re.compile(
    r"(?:受过|受到过|被)[^，。？?\s]{0,4}处罚(?:过的?|的)|处罚过|"
    r"\b(?:who|that) (?:was|were|has been|had been|have been) (?:\w+ ){0,2}"
    r"(?:punished|penali[sz]ed|fined|sanctioned)\b",
    re.I,
)
_ASKS_FINE: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(r"罚|处分|法律责任|追责|吊销|责令|违法后果"),
    "en": re.compile(
        r"\bfine[sd]?\b|\bpenalt|\bpunish|\bsanction|\bliabilit|\bliable\b|"
        r"\blegal consequences?\b",
        re.I,
    ),
}
_ASKS_PENALTY: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(r"罚"),
    "en": re.compile(r"\bfine[sd]?\b|\bpenalt|\bpunish|\bsanction", re.I),
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
# In the Chinese source or an English rendering (a lead's clause is chosen from either).
_STATES_FINE = re.compile(r"罚款|没收违法所得|吊销|处分|\bfined?\b|\bconfiscat|\brevok", re.I)
# "个人信息出境有哪几条路", "what factors go into the CII identification rules", "要包括哪些事项":
# the answer is the article that lists them in items (个人信息保护法 第三十八条's （一）…（四）), not
# the article beside it that mentions one of them; and within it, the list's lead-in with its items.
_ASKS_LIST: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(
        r"哪些|哪几|几种|几类|几条路|几个方面|什么情[况形]|啥情况|哪种情[况形]|包括|包含|"
        r"什么条件|啥条件|例外"
    ),
    "en": re.compile(
        r"\bwhich\b|\binclud|\bwhat (?:are|kinds?|types?)\b|"
        r"\bwhat (?:\w+ ){0,2}(?:situations|cases|circumstances|factors|conditions|ways|routes|"
        r"categories|grounds|bases|exceptions)\b|\bin what (?:cases|situations)\b|"
        r"\bwhen (?:is|are|do|does|must)\b.{0,60}\b(?:required|needed|necessary)\b",
        re.I,
    ),
}
# "被勒索了要通知谁", "who do we file the emergency plan with": answered by the article, and within
# it the sentence, that names where the report goes.
_ASKS_RECIPIENT = re.compile(
    r"(?:报|交|给|通知|告诉|找|向)谁|谁(?:那|来)?(?:报|备案)|哪(?:些|个|几个|家)(?:部门|单位|机关)|"
    r"\bwho(?:m)?\b.{0,40}\b(?:to|with|report|file|notify|tell|inform)\b|"
    r"\b(?:report|file|notify|tell|inform)\b.{0,40}\bwho(?:m)?\b|\bwhich (?:authorit|department|agenc)",
    re.I,
)
_NAMES_RECIPIENT = re.compile(
    r"向[^。；]{0,40}?(?:部门|机关|机构|单位|云租户)[^。；]{0,12}?(?:报告|报备|备案|通报|报送)|"
    r"通知[^。；]{0,20}?(?:部门|机关|云租户|个人|用户)"
)
# "全国网络安全工作谁来统筹协调", "which agency supervises CII protection nationally": asked at the
# national level, which a local rule does not govern (its 市网信部门 is not the national one).
_ASKS_NATIONALLY: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(r"全国|国家层面|国家级|国家一级|中央层面|在国内|我国法律|中国法律|国内法律"),
    "en": re.compile(
        r"\bnationally\b|\bnational[- ]level\b|\bnationwide\b|\bcountry-?wide\b|"
        r"\bin china\b|\bchinese law|\bacross china\b|\bat the national\b",
        re.I,
    ),
}
# "这个办法是根据哪几部法律定的", "what is the purpose of the PIPL": every Chinese statute answers
# both in its first article ("为了…，根据《…》，制定本办法"), which shares few words with the question.
_ASKS_PURPOSE: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(
        r"(?:根据|依据)哪(?:几|些)|(?:根据|依据)什么法|上位法|哪几部法|制定依据|立法依据|"
        r"立法目的|立法宗旨|目的是|为什么要?(?:制定|出台|定)|(?:制定|出台).{0,12}(?:目的|为了啥)"
    ),
    "en": re.compile(
        r"\bbased on (?:which|what)\b|\bwhich (?:laws?|statutes?)\b.{0,60}\bbased on\b|"
        r"\blegal basis (?:of|for) (?:the|these|this)\b|\b(?:upper-level|parent|enabling) laws?\b|"
        r"\bpurpose of (?:the|these|this)\b|\bwhy (?:was|were|did)\b.{0,60}\b(?:issue|enact|adopt|"
        r"make|pass)|\bwhat (?:laws?|statutes?) (?:does|do|did)\b.{0,60}\b(?:rest|build|draw|rely)\b",
        re.I,
    ),
}
# "系统被黑了，锅是租户的还是云商的", "who is on the hook, us or the provider", "等保归谁管": the
# answer is the article that shares out responsibility between parties (the Chongqing measures'
# 第六条: 云租户负责…；政务云服务商负责…), not the incident or liability article the rest of the
# question matches. Liability for a breach ("who's liable", 追责) is a sanction (_ASKS_FINE).
_ASKS_RESPONSIBLE: dict[Lang, re.Pattern[str]] = {
    "zh": re.compile(
        r"谁负责|谁来负责|由谁负责|负责.{0,6}(?:谁|哪个|哪家|哪方)|锅|谁背|谁的责任|"
        r"责任(?:算|在|归|是|属于).{0,8}(?:谁|还是)|责任.{0,8}还是|谁的活|归谁|谁来管|谁管|谁牵头"
    ),
    "en": re.compile(
        r"\bwho(?:'s| is| are)? (?:\w+ ){0,2}responsible\b|\bon the hook\b|"
        r"\bwhose (?:job|responsibility|problem)\b|\bshared responsibility\b|"
        r"\bwho (?:handles|owns|takes care of|is in charge|'s in charge|looks after)\b|"
        r"\bresponsib\w* (?:\w+ ){0,4}(?:us or|or us|or the|tenant or|provider or)\b",
        re.I,
    ),
}
# "云租户负责…；政务云服务商负责…": responsibility given to parties, at least twice. Not a person
# in charge (负责人) nor the persons fined (直接负责的主管人员).
_ALLOCATES = re.compile(r"(?<!直接)负责(?!人)")
# A liability article names the duties it punishes by number: "网络运营者不履行本法第二十一条、
# 第二十五条规定的网络安全保护义务的，…处一万元以上十万元以下罚款" (网络安全法 第五十九条).
# "不落实等保义务罚多少" shares its words with 第二十一条, the duty, and only through it with 第五十九条.
_CITES_OWN = re.compile(
    r"本(?:法|条例|办法|规定)((?:第[一二三四五六七八九十百零]+[条款](?:[、和或及至]|或者)*)+)"
)
_ARTICLE_NUMBER = re.compile(r"第([一二三四五六七八九十百零]+)条")
_STATES_PURPOSE = re.compile(r"制定本(?:法|办法|条例|规定|细则)。")
# （一）… (二)…: an article that enumerates items.
_STATES_LIST = re.compile(r"[（(]一[）)]")


def asks_for_date(question: str, lang: Lang) -> bool:
    """Does the question ask when a document takes effect (or another date it sets)?"""
    return bool(_ASKS_DATE[lang].search(question))


def asks_for_fine(question: str, lang: Lang) -> bool:
    """Does the question ask about a fine, a sanction or legal liability?"""
    return bool(_ASKS_FINE[lang].search(_PAST_PENALTY.sub("", question)))


def asks_nationally(question: str, lang: Lang) -> bool:
    """Is the question asked at the national level (全国, nationally, in China)?"""
    return bool(_ASKS_NATIONALLY[lang].search(question))


def asks_for_recipient(question: str) -> bool:
    """Does the question ask whom to report, file or notify to?"""
    return bool(_ASKS_RECIPIENT.search(question))


def names_recipient(text: str) -> bool:
    """Does the (Chinese) text say to whom a report, filing or notice goes?"""
    return bool(_NAMES_RECIPIENT.search(text))


def names_recipients_by_name(text: str) -> bool:
    """Does it name them ("向网信部门、公安部门、大数据主管部门等报告"), rather than only "向有关
    主管部门报告"? The named ones answer "要通知谁"; the generic one only says that one reports."""
    return any(
        "有关" not in found.group() or "、" in found.group()
        for found in _NAMES_RECIPIENT.finditer(text)
    )


def asks_for_purpose(question: str, lang: Lang) -> bool:
    """Does the question ask why a document was made, or on which laws it rests?"""
    return bool(_ASKS_PURPOSE[lang].search(question))


def states_purpose(article_text: str) -> bool:
    """Does the article (Chinese source text) state its document's purpose and basis?"""
    return bool(_STATES_PURPOSE.search(article_text))


def asks_who_is_responsible(question: str, lang: Lang) -> bool:
    """Does the question ask who is responsible for something (which party, which authority)?"""
    return bool(_ASKS_RESPONSIBLE[lang].search(question))


def allocates_responsibility(article_text: str) -> bool:
    """Does the article (Chinese source text) give responsibilities to two parties or more?"""
    return len(_ALLOCATES.findall(article_text)) >= 2


def allocates_to_a_party(text: str) -> bool:
    """Does the (Chinese) text make a party responsible for something (…负责…)?"""
    return _ALLOCATES.search(text) is not None


def cited_articles(article_text: str) -> frozenset[int]:
    """The articles of its own document an article refers to by number (本法第二十一条、第二十五条;
    第四十一条至第四十三条 as a range)."""
    found: set[int] = set()
    for chain in _CITES_OWN.finditer(article_text):
        text = chain.group(1)
        numbers = [(m.end(), chinese_to_int(m.group(1))) for m in _ARTICLE_NUMBER.finditer(text)]
        for (end, number), following in zip(numbers, [*numbers[1:], None], strict=True):
            found.add(number)
            if following is not None and text[end:].startswith("至"):
                found.update(range(number + 1, following[1]))
    return frozenset(found)


def asks_for_list(question: str, lang: Lang) -> bool:
    """Does the question ask for the items of a list (routes, situations, factors, exceptions)?"""
    return bool(_ASKS_LIST[lang].search(question))


def states_list(article_text: str) -> bool:
    """Does the article (Chinese source text) enumerate items （一）（二）…?"""
    return bool(_STATES_LIST.search(article_text))


def asks_about_penalty(question: str, lang: Lang) -> bool:
    """Does it ask about a penalty itself ("罚多少", "what's the fine"), not only who is liable
    ("锅谁背", "who's liable")? An article that sets none does not answer it."""
    said = _PAST_PENALTY.sub("", question)
    return bool(_ASKS_PENALTY[lang].search(said))


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
