"""Pick the sentence(s) of an article that answer a question, and cut them out by offsets."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.facts import asks_for_quantity, has_fact
from knowledge.index import UnitMatch
from knowledge.lexical import TOKENIZERS
from knowledge.sentences import Sentence, zh_sentences
from knowledge.types import Article, Lang
from knowledge.units import paragraph_sentences

_FACT_BONUS = 0.03  # a quantity question prefers the sentence that states the number
_SHORT_QUOTE = 14  # characters: a quote this short reads better with the sentence before it


@dataclass(frozen=True)
class Passage:
    """A contiguous span of the Chinese source plus its English rendering."""

    start: int
    end: int
    english: str


def best_passage(article: Article, question: str, lang: Lang, matches: list[UnitMatch]) -> Passage:
    """The best-matching sentence of the article (paragraph when sentences do not align)."""
    sentences = paragraph_sentences(article, lang)
    similarity = {(m.paragraph, m.sentence): m.similarity for m in matches}
    question_terms = set(TOKENIZERS[lang](question))
    wants_number = asks_for_quantity(question, lang)

    def score(position: tuple[int, int], text: str) -> float:
        paragraph, _ = position
        base = max(similarity.get(position, 0.0), similarity.get((paragraph, 0), 0.0) - 0.01)
        terms = set(TOKENIZERS[lang](text))
        overlap = len(question_terms & terms) / len(question_terms) if question_terms else 0.0
        return (
            base + 0.02 * overlap + (_FACT_BONUS if wants_number and has_fact(text, lang) else 0.0)
        )

    candidates = [
        ((p, j), text) for p, texts in sentences.items() for j, text in enumerate(texts, start=1)
    ]
    if not candidates:  # an English question on an article we have no rendering of
        return _span(article, zh_sentences(article)[:1], "")
    paragraph, index = max(candidates, key=lambda c: score(*c))[0]
    return _aligned(article, paragraph, index)


def _aligned(article: Article, paragraph: int, index: int) -> Passage:
    zh = [s for s in zh_sentences(article) if s.paragraph == paragraph]
    en = paragraph_sentences(article, "en").get(paragraph, [])
    if en and len(en) != len(zh):  # the rendering split differently: fall back to whole paragraphs
        return _span(article, zh, " ".join(en))
    chosen = [index - 1]
    if len(zh[index - 1].text) < _SHORT_QUOTE and index > 1:
        chosen.insert(0, index - 2)
    return _span(article, [zh[i] for i in chosen], " ".join(en[i] for i in chosen) if en else "")


def _span(article: Article, sentences: list[Sentence], english: str) -> Passage:
    if not sentences:
        return Passage(article.start, article.end, article.translation)
    return Passage(sentences[0].start, sentences[-1].end, english)
