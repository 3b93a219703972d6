"""Coverage: how much of a question's topic an article, or a whole document, contains.

The asker's own words count (Chinese character bigrams, or English stems against our rendering),
IDF-weighted so a rare statutory word outweighs a common one; a thesaurus phrase counts as found
when one of its statutory terms is in the text. Both the ranker and the answer-or-decline
decision read it (knowledge/retrieve.py, knowledge/decide.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from knowledge.lexical import ArticleKey, LexicalIndex, en_tokens, zh_bigrams
from knowledge.query import Query
from knowledge.types import Article, Document, Lang


class Coverage:
    """Coverage of questions over one set of indexed articles."""

    def __init__(
        self,
        lexical: Mapping[Lang, LexicalIndex],
        articles: Mapping[ArticleKey, Article],
        documents: Mapping[str, Document],
    ) -> None:
        self.lexical = lexical
        self.articles = articles
        self.documents = documents
        self._doc_terms = {lang: index.terms_by_document() for lang, index in lexical.items()}
        # The last question's unknown-word count: an English question's coverage of each of its
        # candidate articles reads it (about 200 times a question). One tuple, so that a thread
        # reads a question and its own count together.
        self._unknown: tuple[Query, int] | None = None

    def terms_found(self, query: Query, key: ArticleKey) -> int:
        text = self.articles[key].text
        return sum(any(t in text for t in e.zh) for e in query.expansion.entries)

    def article(self, query: Query, key: ArticleKey, *, known_only: bool = False) -> float:
        """IDF-weighted share of the question's topic words found in the article (0..1).

        The asker's own words count (Chinese bigrams, or English stems against our rendering);
        a thesaurus phrase counts as found when one of its statutory terms is in the article. An
        English question on an article without a rendering counts the glossary phrases found.
        """
        zh, en = self.lexical["zh"], self.lexical["en"]
        return self._share_of(
            query,
            self.articles[key].text,
            zh.terms[zh.position[key]] if key in zh.position else frozenset(),
            en.terms[en.position[key]] if key in en.position else None,
            known_only,
        )

    def words(self, query: Query, key: ArticleKey) -> float:
        """IDF-weighted share of a Chinese question's content words (knowledge/words.py) that the
        article uses, a thesaurus phrase counting as used when one of its statutory terms is in
        the article. An English question's words are its stems: the same as `article`."""
        if query.lang != "zh":
            return self.article(query, key)
        zh = self.lexical["zh"]
        weights = {w: zh.word_idf(w) for w in query.zh_words}
        if not weights:
            return 0.0
        text = self.articles[key].text
        rescued = {
            w
            for w in weights
            for e in query.expansion.entries
            if _overlaps(w, e.phrase) and any(t in text for t in e.zh)
        }
        found = sum(v for w, v in weights.items() if w in rescued or key in zh.containing(w))
        return found / sum(weights.values())

    def unknown_words(self, query: Query) -> int:
        """How many of the question's content words no indexed article uses and no thesaurus
        phrase reads: "婚假", "增值税", "k8s" — the subject of a question nothing here covers."""
        last = self._unknown
        if last is not None and last[0] is query:
            return last[1]
        count = self._count_unknown(query)
        self._unknown = (query, count)
        return count

    def _count_unknown(self, query: Query) -> int:
        phrases = [e.phrase for e in query.expansion.entries]
        if query.lang == "zh":
            zh = self.lexical["zh"]
            return sum(
                1
                for w in query.zh_words
                if not zh.containing(w) and not any(_overlaps(w, p) for p in phrases)
            )
        en = self.lexical["en"]
        read = {t for p in phrases for t in en_tokens(p.rstrip("*"))}
        stems = dict.fromkeys(t for t in query.en_own if "_" not in t)
        return sum(1 for t in stems if not en.knows(t) and t not in read)

    def document(self, query: Query, doc_id: str) -> float:
        """The same share over the whole document: a document that answers the question uses
        most of its words somewhere; one that shares a single generic word with it does not."""
        return self._share_of(
            query,
            self.documents[doc_id].text,
            self._doc_terms["zh"].get(doc_id, frozenset()),
            self._doc_terms["en"].get(doc_id),
        )

    def _share_of(
        self,
        query: Query,
        text: str,
        zh_terms: frozenset[str],
        en_terms: frozenset[str] | None,
        known_only: bool = False,
    ) -> float:
        found_phrases = [e for e in query.expansion.entries if any(t in text for t in e.zh)]
        if query.lang == "zh":
            rescued = {b for e in found_phrases for b in zh_bigrams(e.phrase)}
            return _share(self.lexical["zh"], zh_terms, query.zh_own, rescued, known_only)
        entries = query.expansion.entries
        en = self.lexical["en"]
        # The glossary phrases found, out of the phrases and the words no phrase reads and no
        # article uses: "tell me a joke" is not covered by the one phrase it has ("tell").
        unread = self.unknown_words(query)
        glossary = len(found_phrases) / (len(entries) + unread) if entries else 0.0
        if en_terms is None:  # no English rendering: the glossary phrases found
            return glossary
        rescued = {
            t
            for e in entries
            if any(w in en_terms for w in en_tokens(" ".join(e.en)))
            for t in en_tokens(e.phrase.rstrip("*"))
        }
        own = tuple(t for t in query.en_own if "_" not in t)
        return max(_share(en, en_terms, own, rescued, known_only), glossary)


def _overlaps(word: str, phrase: str) -> bool:
    return word in phrase or phrase in word


def _share(
    index: LexicalIndex,
    terms: frozenset[str],
    own: Sequence[str],
    rescued: set[str],
    known_only: bool = False,
) -> float:
    """IDF-weighted share of `own` terms in the article (or rescued by the thesaurus).
    `known_only` leaves out terms no indexed article uses (chat filler, or an off-topic word)."""
    weights = {
        t: index.idf(t)
        for t in dict.fromkeys(own)
        if not known_only or index.knows(t) or t in rescued
    }
    if not weights:
        return 0.0
    found = sum(w for t, w in weights.items() if t in terms or t in rescued)
    return found / sum(weights.values())
