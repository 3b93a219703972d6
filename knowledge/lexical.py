"""BM25 over jieba tokens (Chinese text) or word stems (our English rendering)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from rank_bm25 import BM25Okapi

from knowledge.tokenize import en_tokens, zh_tokens
from knowledge.types import Article, Lang

ArticleKey = tuple[str, int]  # (doc_id, article number)

TOKENIZERS: dict[Lang, Callable[[str], list[str]]] = {"zh": zh_tokens, "en": en_tokens}


class LexicalIndex:
    """BM25 and term statistics over one language's article texts."""

    def __init__(self, articles: Sequence[Article], lang: Lang) -> None:
        self.lang = lang
        self.tokenize = TOKENIZERS[lang]
        texts = [(a.text if lang == "zh" else a.translation) for a in articles]
        kept = [(a, t) for a, t in zip(articles, texts, strict=True) if t]
        self.keys: list[ArticleKey] = [(a.doc_id, a.number) for a, _ in kept]
        token_lists = [self.tokenize(text) for _, text in kept]
        self._terms = [set(tokens) for tokens in token_lists]
        self._bm25 = BM25Okapi(token_lists) if token_lists else None
        document_frequency: dict[str, int] = {}
        for terms in self._terms:
            for term in terms:
                document_frequency[term] = document_frequency.get(term, 0) + 1
        self._df = document_frequency
        self._position = {key: i for i, key in enumerate(self.keys)}

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every article in `keys` order."""
        if self._bm25 is None or not tokens:
            return np.zeros(len(self.keys))
        return np.asarray(self._bm25.get_scores(tokens), dtype=float)

    def coverage(self, terms: dict[str, frozenset[str]], key: ArticleKey) -> float:
        """IDF-weighted share of the question's terms that the article contains (0..1).

        A term counts as present when it or one of its synonyms is. Rare terms weigh most; a term
        the corpus never uses weighs most of all, so a question about something the regulation
        never mentions ("报销", "cafeteria") scores low. Phrase pairs are left out: a missing
        phrase is not a missing topic.
        """
        words = {t: alternatives for t, alternatives in terms.items() if "_" not in t}
        if not words or key not in self._position:
            return 0.0
        article_terms = self._terms[self._position[key]]
        weights = {t: max(self._idf(a) for a in alternatives) for t, alternatives in words.items()}
        found = sum(w for t, w in weights.items() if words[t] & article_terms)
        return found / sum(weights.values())

    def _idf(self, term: str) -> float:
        n = len(self.keys)
        return math.log((n + 1) / (self._df.get(term, 0) + 0.5))
