"""BM25 over articles (bm25s): Chinese character bigrams, or English word stems.

Chinese is matched by character bigrams rather than words: a one-character typo (漏洞扫瞄) keeps
most of a term's bigrams, and nothing depends on how jieba happens to segment chat wording. The
query side drops question words (多久, 什么, how, often) so only the topic is matched.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from knowledge.normalize import to_simplified
from knowledge.types import Article, Lang

ArticleKey = tuple[str, int]  # (doc_id, article number)

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+")
# Question words and chat filler: they say what kind of answer is wanted, not what about.
_ZH_STOP = re.compile(
    "多长时间|多少天|多少钱|多长|多久|多少|几个|几次|几天|几家|什么时候|什么|怎么办|怎么样|怎么|怎样|如何|"
    "哪些|哪个|哪里|哪儿|是否|是不是|能不能|可不可以|要不要|需不需要|有没有|需要|可以|应该|必须|"
    "请问|一下|我们|你们|他们|咱们|大家|这个|那个|这些|那些|还是|或者|以及|到底|最晚|最少|最多|至少|"
    "一般|一定|的话|要求|规定|"
    # Single characters only where they never start or end a statutory term.
    "的|了|吗|呢|吧|啊|呀|嘛|么|啥|咋|谁|哪"
)
_EN_STOP = frozenset(
    """a an the of to in on for and or is are be been being must we our ours us do does did doing
    what which who whom whose how when where why it its this that these those with by as at from
    any all can could shall should will would may might i me my you your they them their there
    than then so if not no into about after before need needs needed has have having had was were
    often done happen happens someone somebody anyone get gets got make makes much many long far
    fast quickly soon just also still ever really actually please ok okay like one ones under
    between within without up down out off over again very too some such own same only both each
    few more most other"""
    # Chat framing no statute rendering uses: it says what the asker wants, not what about, and
    # counted as a word nothing indexed covers it made in-scope English questions look unanswerable.
    """ say says said ask asks asked want wants wanted supposed allowed allow go goes going gonna
    wanna anything everything something nothing else next until per enough onto t don doesn didn
    isn aren won deadline deadlines frequency max maximum count counts exactly even via hey hi
    thanks anyway okay stuff thing things guys s lol btw pls plz whats seriously basically
    literally""".split()
)


def question_word_spans(text: str) -> list[tuple[int, int]]:
    """Where the question words and chat filler are in `text` (start, end)."""
    return [m.span() for m in _ZH_STOP.finditer(text)]


def is_question_word(word: str) -> bool:
    """Is this whole word a question word or chat filler (是不是, 多久, 需要)?"""
    return _ZH_STOP.fullmatch(word) is not None


def zh_bigrams(text: str) -> list[str]:
    """Character bigrams of each Chinese run (a lone character stands as itself), plus ASCII words."""
    tokens: list[str] = []
    for run in _CJK_RUN.findall(to_simplified(text).lower()):
        if not "\u4e00" <= run[0] <= "\u9fff" or len(run) == 1:
            tokens.append(run)
        else:
            tokens += [run[i : i + 2] for i in range(len(run) - 1)]
    return tokens


def zh_query_bigrams(question: str) -> list[str]:
    """The bigrams of a question with its question words and filler cut out first."""
    return [t for t in zh_bigrams(_ZH_STOP.sub(" ", question)) if len(t) > 1 or t.isascii()]


def en_tokens(text: str) -> list[str]:
    """Snowball stems with stop words dropped, plus adjacent-stem pairs so phrases
    ("security inspection", "access control") outrank the same words scattered."""
    # "cybersecurity incident" should meet "security incident" the way 网络安全事件 meets 安全事件.
    words = _WORD.findall(text.lower().replace("cyber", "cyber "))
    stems = [_stem(w) for w in words if w not in _EN_STOP]
    return stems + [f"{a}_{b}" for a, b in itertools.pairwise(stems)]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Snowball is pure Python (~0.15 ms a word); the vocabulary is small, so remember it."""
    return str(_stemmer().stemWord(word))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


TOKENIZERS: dict[Lang, Callable[[str], list[str]]] = {"zh": zh_bigrams, "en": en_tokens}


class LexicalIndex:
    """BM25 and term statistics over one language's texts, each keyed by its article."""

    @classmethod
    def of_articles(cls, articles: Sequence[Article], lang: Lang) -> LexicalIndex:
        """Whole articles (our renderings for English); articles without text left out."""
        texts = [(a.text if lang == "zh" else a.translation) for a in articles]
        return cls([(a.doc_id, a.number) for a in articles], texts, lang)

    def __init__(self, keys: Sequence[ArticleKey], texts: Sequence[str], lang: Lang) -> None:
        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each build at DEBUG
        self.lang = lang
        self.tokenize = TOKENIZERS[lang]
        kept = [(k, t) for k, t in zip(keys, texts, strict=True) if t]
        self.keys: list[ArticleKey] = [k for k, _ in kept]
        self.position = {key: i for i, key in enumerate(self.keys)}
        token_lists = [self.tokenize(text) for _, text in kept]
        self.terms = [frozenset(tokens) for tokens in token_lists]
        self._bm25: Any = None
        if token_lists:
            self._bm25 = bm25s.BM25()
            self._bm25.index(token_lists, show_progress=False)
        frequency: dict[str, int] = {}
        for terms in self.terms:
            for term in terms:
                frequency[term] = frequency.get(term, 0) + 1
        self._df = frequency
        self._postings: dict[str, list[int]] | None = None
        self._containing: dict[str, frozenset[ArticleKey]] = {}

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every article in `keys` order (unknown tokens score nothing)."""
        if self._bm25 is None or not tokens:
            return np.zeros(len(self.keys))
        known = [t for t in tokens if t in self._df]
        if not known:
            return np.zeros(len(self.keys))
        return np.asarray(self._bm25.get_scores(known), dtype=float)

    def terms_by_document(self) -> dict[str, frozenset[str]]:
        """Every term each document uses in any of its articles."""
        found: dict[str, set[str]] = {}
        for (doc_id, _), terms in zip(self.keys, self.terms, strict=True):
            found.setdefault(doc_id, set()).update(terms)
        return {doc_id: frozenset(terms) for doc_id, terms in found.items()}

    def containing(self, word: str) -> frozenset[ArticleKey]:
        """Chinese index: the articles that use `word` — every one of its bigrams (or, for a Latin
        word, the word itself) among the article's terms. Read through postings built on first
        use, so a word costs a few set intersections, not a scan of every article."""
        if word not in self._containing:
            if self._postings is None:
                postings: dict[str, list[int]] = {}
                for position, terms in enumerate(self.terms):
                    for term in terms:
                        postings.setdefault(term, []).append(position)
                self._postings = postings
            tokens = zh_bigrams(word)
            found: set[int] | None = None
            for token in tokens:
                positions = set(self._postings.get(token, ()))
                found = positions if found is None else found & positions
                if not found:
                    break
            self._containing[word] = frozenset(self.keys[i] for i in found or ())
        return self._containing[word]

    def word_idf(self, word: str) -> float:
        """`idf` of a whole word, counted by the articles that contain it."""
        return self._idf(len(self.containing(word)))

    def document_frequency(self, term: str) -> int:
        """How many articles use the term."""
        return self._df.get(term, 0)

    def characters(self) -> frozenset[str]:
        """Every Chinese character the articles' bigrams use."""
        return frozenset(c for term in self._df for c in term if "\u4e00" <= c <= "\u9fff")

    def knows(self, term: str) -> bool:
        return term in self._df

    def idf(self, term: str) -> float:
        """Rare terms weigh most; a term no article uses weighs most of all."""
        return self._idf(self._df.get(term, 0))

    def _idf(self, document_frequency: int) -> float:
        return math.log((len(self.keys) + 1) / (document_frequency + 0.5))
