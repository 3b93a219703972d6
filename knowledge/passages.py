"""Pick the sentence(s) of an article that answer a question, and cut them out by offsets.

The lead must answer this question: the clause that holds its subject (the penetration-test
clause, not the vulnerability-scan one beside it), a list with its items, and a short sentence
with the one before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from knowledge.cues import (
    allocates_to_a_party,
    asks_for_definition,
    asks_for_fine,
    asks_for_list,
    asks_for_recipient,
    asks_permission,
    asks_who_is_responsible,
    names_recipient,
    states_fine,
    states_prohibition,
)
from knowledge.facts import (
    PERSONS_LIABLE,
    asks_about_persons,
    asks_for_maximum,
    asks_for_quantity,
    has_fact,
    largest_amount,
)
from knowledge.index import UnitMatch
from knowledge.lexical import en_tokens, zh_bigrams, zh_query_bigrams
from knowledge.normalize import normalize_question
from knowledge.sentences import Sentence, en_sentences, leans_on_previous, zh_sentences
from knowledge.thesaurus import expand
from knowledge.types import Article, Lang

_FACT_BONUS = 0.05  # a quantity question prefers the sentence that states the number
_OVERLAP_WEIGHT = 0.06  # share of the question's topic terms in the sentence
_SHORT_QUOTE = 14  # characters: a quote this short reads better with the sentence before it
# A list's lead-in: "…下列义务：" or "…：（一）…" — the items must come with it.
_LIST_LEAD = re.compile(r"[：:]\s*$|[：:]\s*[（(]一[）)]|下列")
_MAX_LIST_CHARS = 900
_LIST_BONUS = 0.04
# The rule before its exception: "法律、行政法规另有规定的，从其规定" rarely answers the question.
_PROVISO = re.compile(r"从其规定|除外|另有规定|但是")
_PROVISO_PENALTY = 0.02
# "能不能卖掉？" / "can we sell it?" is answered by the permission or the prohibition.
_MODAL_BONUS = 0.02
# "报给谁" / "who do we file it with" is answered by the sentence that names where it goes
# ("并向市网信部门、市公安部门…报备"), not by the duty before it.
_RECIPIENT_BONUS = 0.06
# "数据指什么" / "what does 'data' mean" is answered by the sentence defining the asked term,
# not the one beside it defining another ("数据安全，是指…"); the longest asked term wins.
_DEFINES = {
    "zh": re.compile(
        r"^(?:[（(][一二三四五六七八九十]+[）)])?(?:本[法条例办规定]{1,3}所称的?)?([^，。；：]{1,20}?)，?是指"
    ),
    "en": re.compile(
        r"^\W*(?:\(\d+\)\s*)?[\"“]([^\"”]{1,60})[\"”](?:\s+as referred to in this \w+)?\s+"
        r"(?:means|refers to)\b",
        re.I,
    ),
}
_DEFINITION_BONUS = 0.08
# "泄露了得干啥" / "what must we do if …" is answered by the duty that responds to the event
# ("在发生…的情况时，应当立即采取补救措施"), not the prohibition beside it ("不得泄露").
_ASKS_ACTION = re.compile(
    r"(?:得|要|该|需要|应该|应当)?(?:干啥|做啥|做什么|干什么|怎么做|怎么办|咋办|咋整|怎么处理|如何处理|"
    r"如何应对|采取什么|采取哪些)|\bwhat (?:do|must|should|shall) (?:we|i|they|you|operators?|"
    r"the \w+) do\b|\bwhat (?:happens|steps|actions?)\b|\bhow (?:do|must|should) (?:we|i) "
    r"(?:respond|handle|deal)",
    re.I,
)
_STATES_RESPONSE = re.compile(r"应当(?:立即|及时|迅速)|立即采取|补救措施|(?:情况|事件)时")
_RESPONSE_BONUS = 0.03
# "进机房要走啥手续" / "what's the process" is answered by the sentence that states the
# formality (书面授权，并登记形成台账), not the general duty before it.
_ASKS_PROCEDURE = re.compile(
    r"手续|流程|程序|步骤|审批|\bprocess\b|\bprocedure|\bsteps?\b|\bpaperwork\b|"
    r"\bpaper trail\b|\bapproval\b|\bsign[- ]?off\b|"
    # "an engineer needs to touch a server, what's required / what do we need to do"
    r"\bwhat(?:'s| is) required\b|\bwhat do (?:we|i) need(?: to do)?\b",
    re.I,
)
_STATES_PROCEDURE = re.compile(r"授权|登记|审批|批准|备案|报备|台账|书面|签订|审查")
_PROCEDURE_BONUS = 0.05
_PERSONS_PENALTY = 0.02  # the responsible persons' fine, when the question is the organization's
_MAXIMUM_BONUS = 0.1  # "最高罚多少": the sentence with the article's largest fine
_ITEM = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")  # （一）… : a list item's own paragraph


@dataclass(frozen=True)
class Passage:
    """A contiguous span of the Chinese source plus its English rendering."""

    start: int
    end: int
    english: str


def best_passage(
    article: Article,
    question: str,
    lang: Lang,
    matches: list[UnitMatch],
    idf: Callable[[str], float] = lambda _: 1.0,
    *,
    topic: str = "",
) -> Passage:
    """The sentence(s) of the article that best answer the question (`idf` weighs the question's
    Chinese bigrams: a rare word shared with a sentence says more than a common one). `topic` is
    the question without the documents' names it uses: "数据安全法里的数据指什么" asks about 数据."""
    zh = zh_sentences(article)
    if not zh:
        return Passage(article.start, article.end, article.translation)
    english = _english_by_paragraph(article)
    aligned = {
        p: sentences
        for p, sentences in english.items()
        if len(sentences) == sum(1 for s in zh if s.paragraph == p)
    }
    scores = _scores(zh, aligned, question, lang, matches, idf, topic or question)
    best = max(range(len(zh)), key=lambda i: scores[i])
    text = normalize_question(question)
    chosen = _extend(zh, best, asks_for_quantity(text, lang))
    if asks_who_is_responsible(text, lang):
        chosen = _with_other_parties(zh, chosen)
    return Passage(zh[chosen[0]].start, zh[chosen[-1]].end, _english(zh, chosen, english, aligned))


def _scores(
    zh: list[Sentence],
    aligned: dict[int, list[str]],
    question: str,
    lang: Lang,
    matches: list[UnitMatch],
    idf: Callable[[str], float],
    topic: str,
) -> list[float]:
    similarity: dict[tuple[str, int, int], float] = {}
    for m in matches:
        key = (m.lang, m.paragraph, m.sentence)
        similarity[key] = max(similarity.get(key, 0.0), m.similarity)
    text = normalize_question(question)
    expansion = expand(text)
    zh_terms = set(zh_query_bigrams(text) if lang == "zh" else [])
    zh_terms |= {b for term in expansion.zh for b in zh_bigrams(term)}
    en_terms = set(en_tokens(text + " " + " ".join(expansion.en))) if lang == "en" else set()
    wants_number = asks_for_quantity(text, lang)
    wants_fine = asks_for_fine(text, lang)
    wants_list = asks_for_list(text, lang)
    wants_permission = asks_permission(text)
    wants_recipient = asks_for_recipient(text)
    wants_action = bool(_ASKS_ACTION.search(text))
    wants_procedure = bool(_ASKS_PROCEDURE.search(text))
    about_persons = asks_about_persons(text)
    amounts = [largest_amount(s.text) for s in zh] if asks_for_maximum(text) else []
    top_amount = max(amounts, default=0.0)
    position = {}
    counter: dict[int, int] = {}
    for i, s in enumerate(zh):
        counter[s.paragraph] = counter.get(s.paragraph, 0) + 1
        position[i] = counter[s.paragraph]
    # Each sentence's English rendering, where its paragraph's sentences align one to one.
    en_of = [
        aligned[s.paragraph][position[i] - 1] if s.paragraph in aligned else ""
        for i, s in enumerate(zh)
    ]
    defined = (
        _asked_terms(
            [s.text for s in zh] if lang == "zh" else en_of, normalize_question(topic), lang
        )
        if asks_for_definition(text, lang)
        else {}
    )
    longest = max(defined.values(), default=0)
    # Each sentence's words, read once: a sentence's own and, for the one leaning on it, its.
    zh_sets = [set(zh_bigrams(s.text)) for s in zh]
    en_sets = [set(en_tokens(e)) if en_terms and e else set() for e in en_of]
    scores = []
    overlaps: list[float] = []
    own: list[float] = []  # each sentence's overlap with the question on its own words
    for i, s in enumerate(zh):
        p, j = s.paragraph, position[i]
        english = aligned.get(p, [])
        en_sentence = en_of[i]
        base = max(
            similarity.get(("zh", p, j), 0.0),
            similarity.get(("en", p, j), 0.0) if english else 0.0,
            similarity.get(("zh", p, 0), 0.0) - 0.01,
            similarity.get(("en", p, 0), 0.0) - 0.01,
            similarity.get(("zh", 0, 0), 0.0) - 0.02,
        )
        overlap = _sentence_overlap(zh_terms, en_terms, zh_sets[i], en_sets[i], idf)
        own.append(overlap)
        if i > 0 and zh[i - 1].paragraph == p and leans_on_previous(s.text, "zh"):
            # It is quoted with the sentence it leans on (_extend), and answers with it: "服务商
            # 退出了日志还要留吗" asks the condition of one (退出服务时) and the duty of the next.
            # It is credited with the two only when it adds a word of the question: otherwise
            # the sentence it leans on answers alone ("what must it ensure regarding the
            # availability of returned data" is not answered by the log-retention clause after it).
            together = _sentence_overlap(
                zh_terms,
                en_terms,
                zh_sets[i] | zh_sets[i - 1],
                en_sets[i] | en_sets[i - 1] if en_sets[i] else en_sets[i],
                idf,
            )
            if together > own[i - 1] + 1e-9:
                overlap = max(overlap, together)
        # "没设安全管理机构罚多少" wants the sanction's amount, not item (八)'s "每年至少一次".
        fact = wants_number and (has_fact(s.text, "zh") or has_fact(en_sentence, "en"))
        fact = fact and (not wants_fine or states_fine(s.text))
        overlaps.append(overlap)
        if fact and i > 0 and zh[i - 1].paragraph == p and zh[i - 1].text.endswith("；"):
            # A clause after "；" shares its sentence's condition: "未按照要求开展商用密码应用
            # 安全性评估的，…给予警告；拒不改正…处十万元以上一百万元以下罚款" answers 没做密评罚多少.
            overlap = max(overlap, overlaps[i - 1])
            overlaps[i] = overlap
        listed = wants_list and bool(_LIST_LEAD.search(s.text))
        proviso = bool(_PROVISO.search(s.text))
        modal = wants_permission and states_prohibition(s.text)
        recipient = wants_recipient and names_recipient(s.text)
        response = wants_action and bool(_STATES_RESPONSE.search(s.text))
        formality = wants_procedure and bool(_STATES_PROCEDURE.search(s.text))
        persons = _persons_only(s.text) and not about_persons
        largest = top_amount > 0 and amounts[i] == top_amount
        scores.append(
            base
            + _OVERLAP_WEIGHT * overlap
            + (_FACT_BONUS if fact else 0.0)
            + (_LIST_BONUS if listed else 0.0)
            + (_MODAL_BONUS if modal else 0.0)
            + (_RECIPIENT_BONUS if recipient else 0.0)
            + (_RESPONSE_BONUS if response else 0.0)
            + (_PROCEDURE_BONUS if formality else 0.0)
            - (_PROVISO_PENALTY if proviso else 0.0)
            - (_PERSONS_PENALTY if persons else 0.0)
            + (_MAXIMUM_BONUS if largest else 0.0)
            + (_DEFINITION_BONUS if longest and defined.get(i) == longest else 0.0)
        )
    return scores


def _asked_terms(sentences: list[str], question: str, lang: Lang) -> dict[int, int]:
    """Sentences (in the question's language) defining a term the question uses: index -> the
    term's length."""
    found = {}
    lowered = question.lower()
    for i, text in enumerate(sentences):
        match = _DEFINES[lang].search(text.strip())
        term = match.group(1).strip().lower() if match else ""
        if term and (
            term in lowered if lang == "zh" else re.search(rf"\b{re.escape(term)}\b", lowered)
        ):
            found[i] = len(term)
    return found


def _persons_only(text: str) -> bool:
    """Is the fine the sentence states the responsible persons' alone? "处十万元以上…罚款，对直接
    负责的主管人员处一万元…" states the organization's first, and answers 罚多少."""
    found = PERSONS_LIABLE.search(text)
    return found is not None and "罚款" not in text[: found.start()]


def _sentence_overlap(
    zh_terms: set[str],
    en_terms: set[str],
    zh_words: set[str],
    en_words: set[str],
    idf: Callable[[str], float],
) -> float:
    """The question's share in a sentence: IDF-weighted Chinese bigrams or the English stems of
    its rendering, whichever is higher, averaged with the English share where there is one. For
    an English question the Chinese side holds only the thesaurus's terms ("separate consent" ->
    单独同意), which are strong but tie every sentence that names the same party (政务云服务商);
    its own words break the tie ("availability" is in one sentence of the two)."""
    overlap = _weighted_overlap(zh_terms, zh_words, idf)
    if not en_words:
        return overlap
    english = _overlap(en_terms, en_words)
    return (max(overlap, english) + english) / 2


def _overlap(question: set[str], sentence: set[str]) -> float:
    return len(question & sentence) / len(question) if question else 0.0


def _weighted_overlap(question: set[str], sentence: set[str], idf: Callable[[str], float]) -> float:
    weights = {t: idf(t) for t in question}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in sentence) / total if total else 0.0


def _extend(zh: list[Sentence], best: int, wants_number: bool) -> list[int]:
    """The chosen sentence, with a list's items after its lead-in, the predecessor of a short one
    or of one that leans on it for its subject and condition (应当继续保留…), or
    — for a how-long/how-often question — the neighbour that states the number
    ("…进行检查。" + "检查频率不低于每季度1次。")."""
    chosen = [best]
    sentence = zh[best]
    if wants_number and not has_fact(sentence.text, "zh"):
        for neighbour in (best + 1, best - 1):
            if (
                0 <= neighbour < len(zh)
                and zh[neighbour].paragraph == sentence.paragraph
                and has_fact(zh[neighbour].text, "zh")
            ):
                return sorted([best, neighbour])
        lead_in = _lead_in(zh, best)
        if lead_in is not None and has_fact(zh[lead_in].text, "zh"):
            # "关基没设专门安全管理机构罚多少": item (四) names the breach, its lead-in the fine
            # ("有下列情形之一的，…处10万元以上100万元以下罚款：").
            return list(range(lead_in, best + 1))
    if _LIST_LEAD.search(sentence.text):
        # The items follow in the same paragraph, or (in the national laws) one per paragraph.
        end = best
        while end + 1 < len(zh) and zh[end + 1].end - sentence.start <= _MAX_LIST_CHARS:
            following = zh[end + 1]
            same = following.paragraph == zh[end].paragraph
            item = following.paragraph != zh[end].paragraph and _ITEM.match(following.text)
            if not (same or item):
                break
            end += 1
        chosen = list(range(best, end + 1))
    elif (
        (len(sentence.text) < _SHORT_QUOTE or leans_on_previous(sentence.text, "zh"))
        and best > 0
        and zh[best - 1].paragraph == sentence.paragraph
    ):
        chosen = [best - 1, best]
    return chosen


def _with_other_parties(zh: list[Sentence], chosen: list[int]) -> list[int]:
    """A who-is-responsible question is answered by every party's share: "云租户负责…；政务云
    服务商负责…" is one sentence to the reader, which the "；" split in two."""

    def joined(a: int, b: int) -> bool:  # sentence b follows a after "；", both giving shares
        return (
            a >= 0
            and b < len(zh)
            and zh[a].text.endswith("；")
            and zh[a].paragraph == zh[b].paragraph
            and allocates_to_a_party(zh[a].text)
            and allocates_to_a_party(zh[b].text)
        )

    first, last = chosen[0], chosen[-1]
    while joined(first - 1, first):
        first -= 1
    while joined(last, last + 1):
        last += 1
    return [*range(first, chosen[0]), *chosen, *range(chosen[-1] + 1, last + 1)]


def _lead_in(zh: list[Sentence], item: int) -> int | None:
    """The lead-in of the list that sentence `item` is an item of (one item per paragraph, as the
    national laws print them), when the span from it to the item stays quotable."""
    if not _ITEM.match(zh[item].text):
        return None
    k = item - 1
    while k >= 0 and _ITEM.match(zh[k].text):
        k -= 1
    if k < 0 or not _LIST_LEAD.search(zh[k].text) or zh[k].paragraph == zh[item].paragraph:
        return None
    return k if zh[item].end - zh[k].start <= _MAX_LIST_CHARS else None


def _english_by_paragraph(article: Article) -> dict[int, list[str]]:
    if not article.translation:
        return {}
    return {i: en_sentences(p) for i, p in enumerate(article.translation.split("\n"), start=1)}


def _english(
    zh: list[Sentence],
    chosen: list[int],
    english: dict[int, list[str]],
    aligned: dict[int, list[str]],
) -> str:
    """The rendering of the chosen sentences (a whole paragraph where sentences do not align)."""
    if not english:
        return ""
    parts = []
    for paragraph in dict.fromkeys(zh[i].paragraph for i in chosen):
        if paragraph not in aligned:
            parts += english.get(paragraph, [])
            continue
        first = sum(1 for s in zh if s.paragraph == paragraph and s.start < zh[chosen[0]].start)
        count = sum(1 for i in chosen if zh[i].paragraph == paragraph)
        parts += aligned[paragraph][first : first + count]
    return " ".join(parts)
