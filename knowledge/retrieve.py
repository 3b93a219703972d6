"""Hybrid retrieval over every indexed document, in either language.

Each candidate article gets a few signals, and a linear model fitted on the DEV set
(knowledge/ranking.py) ranks them:
- dense similarity of the question to the article's paragraphs and sentences, both in the
  question's language and across languages (multilingual-e5 reads an English question against
  Chinese text, so an English question reaches a document that has no English rendering);
- BM25 over Chinese character bigrams, fed by the question itself (Simplified), the thesaurus'
  statutory terms for its chat words, and — for English questions — the glossary's Chinese terms;
- BM25 over our English renderings for English questions;
- coverage: the IDF-weighted share of the question's topic words that the article contains, by
  character bigrams and by whole words (jieba's content words, knowledge/words.py);
- whether the document is a local rule (the Chongqing regulation before a national law);
- document-level evidence: how well the document's best few articles match (a document several of
  whose articles match is more likely the one asked about) and how much of the question the whole
  document covers (a distractor whose only match is one generic word covers little).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.background import Background
from knowledge.coverage import Coverage
from knowledge.cues import (
    allocates_responsibility,
    asks_about_penalty,
    asks_for_date,
    asks_for_definition,
    asks_for_fine,
    asks_for_list,
    asks_for_purpose,
    asks_for_recipient,
    asks_nationally,
    asks_permission,
    asks_who_is_responsible,
    cited_articles,
    names_recipients_by_name,
    states_date,
    states_definition,
    states_fine,
    states_list,
    states_prohibition,
    states_purpose,
)
from knowledge.elsewhere import Lookups, OtherLaws
from knowledge.facts import asks_for_quantity, has_fact
from knowledge.framing import Framing
from knowledge.index import ArticleIndex, UnitMatch
from knowledge.lexical import ArticleKey, LexicalIndex
from knowledge.normalize import normalize_question
from knowledge.query import Query, asks, clauses, dense_text, document_names, read_query
from knowledge.ranking import FEATURES, Model, load_model
from knowledge.sentences import leans_on_previous
from knowledge.spelling import Speller, english_vocabulary
from knowledge.thesaurus import Expansion, expand
from knowledge.types import Article, Document, Hit, Lang, is_local
from knowledge.units import paragraph_sentences

LEANING_DISCOUNT = 0.02  # cosine similarity taken off a sentence that leans on the one before
UNIT_CANDIDATES = 60  # nearest units fetched per language; pooled per article
LEXICAL_CANDIDATES = 15  # best BM25 articles added to the dense ones
COVERAGE_DEPTH = 3  # the decision reads coverage over the top few articles, not only the first
DOC_DEPTH = 3  # a document's dense evidence: the mean of its best few articles


@dataclass(frozen=True)
class Candidate:
    key: ArticleKey
    features: dict[str, float]
    score: float


@dataclass(frozen=True)
class Retrieval:
    """Ranked articles plus the signals the answer-or-decline decision reads."""

    lang: Lang
    hits: tuple[Hit, ...]
    candidates: tuple[Candidate, ...]
    coverage: float  # best coverage among the top articles
    # Best dense similarity in the question's language; for an English question whose best
    # article has no rendering, its similarity to the Chinese original (cross_lingual), which runs
    # lower and is read by a decision model of its own.
    top_similarity: float = 0.0
    known_coverage: float = 0.0  # coverage counting only words some indexed article uses
    terms_found: int = 0  # thesaurus phrases whose statutory terms a top article contains
    named: bool = False  # the question names an indexed document
    cross_lingual: bool = False
    background: float = 0.0  # similarity to everyday small talk (knowledge/background.py)
    word_coverage: float = 0.0  # best share of the question's content words in a top article
    unknown_words: int = 0  # content words no indexed article uses (knowledge/coverage.py)
    named_documents: frozenset[str] = frozenset()  # the documents the question names
    # Those it asks about (Retriever._subject): "网络安全法规定日志留多久", not "…几小时内报？
    # 数安法还要求告知谁", where the law comes with a second question.
    subject_documents: frozenset[str] = frozenset()
    asks_quantity: bool = False  # "how long", "几天", "多少钱": the question wants a number
    asks_penalty: bool = False  # "罚多少", "what's the penalty": the question wants a sanction
    # The question as retrieval read it (normalized, typos corrected): the lead and the quoted
    # sentences are chosen by it too, so "pentset frequency" leads with the penetration-test clause.
    question: str = ""
    topic: str = ""  # the question without the names of documents it names ("数据安全法里…")
    asks_lookup: bool = False  # a phone number, a form, a price: no statute's content
    names_other_law: bool = False  # it names a law no indexed document is or cites (and no other)
    passages: dict[ArticleKey, list[UnitMatch]] = field(default_factory=dict)
    # Local documents whose setting it is asked in (政务云, 云商, 租户: knowledge/framing.py)
    set_locally: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Gives:
    """The kinds of answer an article gives (knowledge/cues.py, knowledge/facts.py), read once
    per article: the ranker asks them of every candidate of every question."""

    quantity: bool  # a deadline, period, count or fine (第三十条's 2 hours, not "promptly")
    date: bool  # the date the document takes effect
    fine: bool
    definition: bool
    prohibition: bool
    enumerates: bool  # items （一）（二）…
    purpose: bool  # 为了…，根据…，制定本法
    recipients: bool  # 向网信部门、公安部门…报告
    allocation: bool  # 云租户负责…；政务云服务商负责…
    cites: frozenset[int]  # the articles of its document it names (本法第二十一条)

    @classmethod
    def of(cls, text: str) -> Gives:
        return cls(
            has_fact(text, "zh"),
            states_date(text),
            states_fine(text),
            states_definition(text),
            states_prohibition(text),
            states_list(text),
            states_purpose(text),
            names_recipients_by_name(text),
            allocates_responsibility(text),
            cited_articles(text),
        )


@dataclass(frozen=True)
class Gathered:
    """A question's candidate articles and their signals, before the model ranks them."""

    query: Query
    keys: list[ArticleKey]
    table: np.ndarray  # one row per key, columns in FEATURES order
    passages: dict[ArticleKey, list[UnitMatch]]
    dense_same: dict[ArticleKey, float]
    dense_cross: dict[ArticleKey, float]
    background: float
    named: frozenset[str] = frozenset()  # the documents the question names
    subject: frozenset[str] = frozenset()  # those it asks about (Retriever._subject)
    set_locally: frozenset[str] = frozenset()  # local documents whose setting it uses (framing)


class Retriever:
    """Ranks the indexed articles for a question."""

    def __init__(
        self,
        index: ArticleIndex,
        embeddings: Embeddings,
        documents: Sequence[Document],
        model: Model | None = None,
    ) -> None:
        self.model = model or load_model()
        self._index = index
        self._embeddings = embeddings
        self.documents = {d.doc_id: d for d in documents}
        self.articles: dict[ArticleKey, Article] = {
            (d.doc_id, a.number): a for d in documents for a in d.articles
        }
        every = list(self.articles.values())
        self.lexical: dict[Lang, LexicalIndex] = {
            "zh": LexicalIndex.of_articles(every, "zh"),
            "en": LexicalIndex.of_articles(every, "en"),
        }
        self.coverage = Coverage(self.lexical, self.articles, self.documents)
        self.speller = Speller(self.lexical["zh"], english_vocabulary(every))

        self.local_documents = {d.doc_id for d in documents if is_local(d.title)}
        self._other_laws = OtherLaws(documents)
        self._framing = Framing(documents)
        self._lookups = Lookups(documents)
        self._names = {d.doc_id: document_names(d) for d in documents}
        self._background = Background(embeddings)
        self._gives: dict[ArticleKey, Gives] = {}  # filled on first use: start-up stays lean
        self._leaning: dict[tuple[str, int, Lang], frozenset[tuple[int, int]]] = {}
        self._dated = [key for key, article in self.articles.items() if states_date(article.text)]

    def retrieve(self, question: str, lang: Lang, *, k: int = 5) -> Retrieval:
        return self.rank(self.gather(question, lang), k=k)

    def gather(self, question: str, lang: Lang) -> Gathered:
        """Every candidate article's signals; what does not depend on the fitted model."""
        corrected = self.speller.correct(normalize_question(question), lang)
        query = read_query(corrected, lang)
        named = frozenset(self.named_documents(query))
        subject: frozenset[str] = frozenset()
        if named:  # the names point at documents; the rest of the question is the topic
            subject = self._subject(corrected, lang)
            query = read_query(corrected, lang, [n for d in named for n in self._names[d]])
        vector = self._embeddings.embed_query(dense_text(query))
        passages, dense_same, dense_cross = self._dense(query, vector)
        bm25 = {lang_: self._bm25(query, lang_) for lang_ in ("zh", "en")}
        keys = self._candidate_keys(dense_same, dense_cross, bm25)
        set_locally = self._framing.local_documents(query.text, query.expansion)
        if asks_for_date(query.text, lang):
            # A law's commencement article ("本条例自2021年9月1日起施行") is a few words that
            # neither side retrieves for "关基条例从啥时候开始施行": it is always a candidate.
            keys += [k for k in self._dated if (not named or k[0] in named) and k not in keys]
        table = (
            self._features(query, keys, dense_same, dense_cross, bm25, named, set_locally)
            if keys
            else np.zeros((0, len(FEATURES)))
        )
        return Gathered(
            query,
            keys,
            table,
            passages,
            dense_same,
            dense_cross,
            self._background.similarity(vector),
            named,
            subject,
            set_locally,
        )

    def rank(self, gathered: Gathered, *, k: int = 5, model: Model | None = None) -> Retrieval:
        """Rank the gathered candidates with the model (the retriever's own by default)."""
        query, keys, table = gathered.query, gathered.keys, gathered.table
        lang = query.lang
        if not keys:
            return Retrieval(lang, (), (), 0.0, 0.0, passages=gathered.passages)
        scores = (model or self.model).rank_score(lang, table)
        order = np.argsort(-scores, kind="stable")
        candidates = tuple(
            Candidate(
                keys[i], {f: float(table[i, j]) for j, f in enumerate(FEATURES)}, float(scores[i])
            )
            for i in order
        )
        hits = tuple(self._hit(c) for c in candidates[:k])
        top = candidates[:COVERAGE_DEPTH]
        coverage = max(c.features["coverage"] for c in top)
        cross_lingual = lang == "en" and candidates[0].key not in self.lexical["en"].position
        measured = gathered.dense_cross if cross_lingual else gathered.dense_same
        similarity = max(measured.values(), default=0.0)
        known = max(self.coverage.article(query, c.key, known_only=True) for c in top)
        found = max(self.coverage.terms_found(query, c.key) for c in top)
        named = gathered.named
        return Retrieval(
            lang,
            hits,
            candidates,
            coverage,
            similarity,
            known,
            found,
            bool(named),
            cross_lingual,
            gathered.background,
            word_coverage=max(c.features["word_coverage"] for c in top),
            unknown_words=self.coverage.unknown_words(query),
            named_documents=named,
            subject_documents=gathered.subject,
            asks_quantity=asks_for_quantity(query.text, lang),
            asks_penalty=asks_about_penalty(query.text, lang),
            question=query.text,
            topic=query.topic,
            asks_lookup=self._lookups.asked(query.text, lang),
            names_other_law=not named and self._other_laws.named(query.text),
            passages=gathered.passages,
            set_locally=gathered.set_locally,
        )

    def _dense(
        self, query: Query, vector: list[float]
    ) -> tuple[dict[ArticleKey, list[UnitMatch]], dict[ArticleKey, float], dict[ArticleKey, float]]:
        """Unit matches grouped by article (best first), and each article's best similarity
        in the question's language and in the other one."""
        other: Lang = "en" if query.lang == "zh" else "zh"
        same = self._index.search(query.lang, vector, limit=UNIT_CANDIDATES)
        cross = self._index.search(other, vector, limit=UNIT_CANDIDATES)
        passages: dict[ArticleKey, list[UnitMatch]] = {}
        for match in sorted(same + cross, key=lambda m: -m.similarity):
            passages.setdefault((match.doc_id, match.article), []).append(match)
        # The article's evidence discounts a leaning sentence; the passage that quotes it, once
        # the article is chosen, reads it with its condition (passages._extend) and is not.
        return passages, _best(self._discounted(same)), _best(self._discounted(cross))

    def _discounted(self, matches: list[UnitMatch]) -> list[UnitMatch]:
        """A sentence that leans on the one before (knowledge/sentences.py) matches a question
        without the condition it borrows: "日志留多久" is closer to 第三十五条's short "应当继续
        保留相关网络日志不少于6个月" (when the provider exits) than to 第二十一条's general rule."""
        return [
            replace(m, similarity=m.similarity - LEANING_DISCOUNT) if self._leans(m) else m
            for m in matches
        ]

    def _leans(self, match: UnitMatch) -> bool:
        if match.sentence < 2:
            return False
        key = (match.doc_id, match.article, match.lang)
        if key not in self._leaning:
            article = self.articles.get((match.doc_id, match.article))
            self._leaning[key] = _leaning_sentences(article, match.lang) if article else frozenset()
        return (match.paragraph, match.sentence) in self._leaning[key]

    def _bm25(self, query: Query, lang: Lang) -> dict[ArticleKey, float]:
        index = self.lexical[lang]
        own, added = (
            (query.zh_own, query.zh_added) if lang == "zh" else (query.en_own, query.en_added)
        )
        if not own and not added:
            return {}
        scores = index.scores(own) + ADDED_WEIGHT * index.scores(added)
        return {key: float(s) for key, s in zip(index.keys, scores, strict=True) if s > 0}

    def _candidate_keys(
        self,
        dense_same: dict[ArticleKey, float],
        dense_cross: dict[ArticleKey, float],
        bm25: dict[str, dict[ArticleKey, float]],
    ) -> list[ArticleKey]:
        keys = list(dict.fromkeys([*dense_same, *dense_cross]))
        for scores in (bm25["zh"], bm25["en"]):
            keys += heapq.nlargest(LEXICAL_CANDIDATES, scores, key=scores.__getitem__)
        return [k for k in dict.fromkeys(keys) if k in self.articles]

    def _features(
        self,
        query: Query,
        keys: list[ArticleKey],
        dense_same: dict[ArticleKey, float],
        dense_cross: dict[ArticleKey, float],
        bm25: dict[str, dict[ArticleKey, float]],
        named: frozenset[str],
        set_locally: frozenset[str],
    ) -> np.ndarray:
        wants_quantity = asks_for_quantity(query.text, query.lang)
        wants_date = asks_for_date(query.text, query.lang)
        wants_fine = asks_for_fine(query.text, query.lang)
        wants_definition = asks_for_definition(query.text, query.lang)
        wants_permission = asks_permission(query.text)
        wants_list = asks_for_list(query.text, query.lang)
        wants_purpose = asks_for_purpose(query.text, query.lang)
        wants_recipient = asks_for_recipient(query.text)
        wants_responsible = asks_who_is_responsible(query.text, query.lang)
        # Asked nationally and not about the local platform ("全国…谁统筹", not "政务云…全国"):
        # the local rule's 市 authorities do not answer it.
        national = asks_nationally(query.text, query.lang) and not set_locally
        top_same = max(dense_same.values(), default=0.0)
        top_cross = max(dense_cross.values(), default=0.0)
        top_any = max(top_same, top_cross)
        floor = min([*dense_same.values(), *dense_cross.values()], default=0.0)
        doc_dense = _document_dense(keys, dense_same, dense_cross, floor)
        doc_coverage = {doc_id: self.coverage.document(query, doc_id) for doc_id, _ in keys}
        # Each candidate's coverage, read once: a liability article reads that of the duties it
        # punishes (punishes_matched), which are most often candidates themselves.
        coverage = {key: self.coverage.article(query, key) for key in keys}
        # Each lexical score relative to that language's best article (computed once: with a
        # hundred documents indexed a few thousand articles score above zero).
        top_zh = max(bm25["zh"].values(), default=0.0) or 1.0
        top_en = max(bm25["en"].values(), default=0.0) or 1.0
        dense_rank = _ranks(keys, lambda k: max(dense_same.get(k, 0.0), dense_cross.get(k, 0.0)))
        lexical_rank = _ranks(
            keys,
            lambda k: max(bm25["zh"].get(k, 0.0) / top_zh, bm25["en"].get(k, 0.0) / top_en),
        )
        rows = []
        for key in keys:
            gives = self._article_gives(key)
            # "When does the 网络安全法 take effect": another document's date does not answer it.
            cued = not named or key[0] in named
            same = dense_same.get(key, 0.0)
            cross = dense_cross.get(key, 0.0)
            best = max(same, cross) or floor
            row = {
                "dense": best - top_any,
                "dense_same": (same or floor) - (top_same or top_any),
                "dense_cross": (cross or floor) - (top_cross or top_any),
                "bm25_zh": bm25["zh"].get(key, 0.0) / top_zh,
                "bm25_en": bm25["en"].get(key, 0.0) / top_en,
                "coverage": coverage[key],
                "word_coverage": self.coverage.words(query, key),
                "local": float(key[0] in self.local_documents),
                "named": float(key[0] in named),
                "states_quantity": float(wants_quantity and gives.quantity),
                "states_date": float(wants_date and cued and gives.date),
                "states_fine": float(wants_fine and cued and gives.fine),
                "states_prohibition": float(wants_permission and gives.prohibition),
                "states_definition": float(wants_definition and cued and gives.definition),
                "states_list": float(wants_list and gives.enumerates),
                "states_purpose": float(wants_purpose and cued and gives.purpose),
                "names_recipients": float(wants_recipient and gives.recipients),
                "allocates_responsibility": float(wants_responsible and gives.allocation),
                "local_unasked": float(national and key[0] in self.local_documents),
                # A liability article restates the duties it punishes ("违反本条例第十七条…"), so
                # it matches a question about the duty; it answers only one about consequences.
                "penalty_unasked": float(gives.fine and not wants_fine),
                # A sanction asked: how well the duties a liability article punishes, named by
                # number, match the question ("不落实等保义务罚多少": 第五十九条 via 第二十一条).
                "punishes_matched": self._punished_coverage(query, key, gives, coverage)
                if wants_fine and gives.fine
                else 0.0,
                "doc_dense": doc_dense[key[0]] - top_any,
                "doc_coverage": doc_coverage[key[0]],
                "dense_rank": 1.0 / dense_rank[key],
                "lexical_rank": 1.0 / lexical_rank[key],
            }
            rows.append([row[f] for f in FEATURES])
        return np.array(rows, dtype=float)

    def _punished_coverage(
        self, query: Query, key: ArticleKey, gives: Gives, coverage: dict[ArticleKey, float]
    ) -> float:
        cited = [(key[0], n) for n in gives.cites if (key[0], n) in self.articles]
        return max(
            (coverage[k] if k in coverage else self.coverage.article(query, k) for k in cited),
            default=0.0,
        )

    def _article_gives(self, key: ArticleKey) -> Gives:
        if key not in self._gives:
            self._gives[key] = Gives.of(self.articles[key].text)
        return self._gives[key]

    def _subject(self, question: str, lang: Lang) -> frozenset[str]:
        """The documents the question asks about: those named by its first clause that names
        any, unless a clause before it already asked something ("…几个钟头内要报？数安法还要求
        告知谁" asks first about the local rule; "an agency outsources …, what does the DSL say"
        opens with context, then asks about the DSL)."""
        for clause in clauses(question):
            found = self._named_in(clause, expand(clause))
            if found:
                return frozenset(found)
            if asks(clause, lang):
                break
        return frozenset()

    def named_documents(self, query: Query) -> set[str]:
        """Documents the question names ("按网络安全法", "under the CSL", "个保法")."""
        return self._named_in(query.text, query.expansion)

    def _named_in(self, text: str, expansion: Expansion) -> set[str]:
        """Documents named in `text`, by name or by a thesaurus alias (`expansion`, its own)."""
        said = text.lower()
        statutory = set(expansion.zh) | set(expansion.en)
        return {
            doc_id
            for doc_id, names in self._names.items()
            if any(name in said or name in statutory for name in names)
        }

    def _hit(self, candidate: Candidate) -> Hit:
        doc_id, number = candidate.key
        article = self.articles[candidate.key]
        title = self.documents[doc_id].title
        f = candidate.features
        return Hit(
            doc_id,
            title,
            number,
            article.start,
            article.end,
            candidate.score,
            f["dense"],
            f["bm25_zh"],
        )


ADDED_WEIGHT = 0.5  # a thesaurus term is evidence, but less than the asker's own words


def _ranks(keys: list[ArticleKey], value: Callable[[ArticleKey], float]) -> dict[ArticleKey, int]:
    """Each key's rank by `value` (1 = best). Ranks are on one scale for every question, where
    similarities and BM25 scores are not: a signal that generalizes across wordings."""
    order = sorted(keys, key=lambda k: -value(k))
    return {key: position for position, key in enumerate(order, start=1)}


def _document_dense(
    keys: list[ArticleKey],
    dense_same: dict[ArticleKey, float],
    dense_cross: dict[ArticleKey, float],
    floor: float,
) -> dict[str, float]:
    """Per document, the mean dense similarity of its best DOC_DEPTH candidate articles
    (missing ones count as the floor): several matching articles outweigh one."""
    by_doc: dict[str, list[float]] = {}
    for key in keys:
        best = max(dense_same.get(key, 0.0), dense_cross.get(key, 0.0)) or floor
        by_doc.setdefault(key[0], []).append(best)
    return {
        doc_id: sum((sorted(values, reverse=True) + [floor] * DOC_DEPTH)[:DOC_DEPTH]) / DOC_DEPTH
        for doc_id, values in by_doc.items()
    }


def _leaning_sentences(article: Article, lang: Lang) -> frozenset[tuple[int, int]]:
    """(paragraph, sentence) of each sentence after a paragraph's first that leans on the one
    before it, numbered as the units are (knowledge/units.py)."""
    return frozenset(
        (paragraph, j)
        for paragraph, sentences in paragraph_sentences(article, lang).items()
        for j, text in enumerate(sentences, start=1)
        if j > 1 and leans_on_previous(text, lang)
    )


def _best(matches: list[UnitMatch]) -> dict[ArticleKey, float]:
    best: dict[ArticleKey, float] = {}
    for m in matches:
        key = (m.doc_id, m.article)
        best[key] = max(best.get(key, 0.0), m.similarity)
    return best
