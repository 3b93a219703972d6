"""The pieces of an article that get embedded: the whole article, its paragraphs, its sentences."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.sentences import en_sentences, zh_sentences
from knowledge.types import Article, Document, Lang


@dataclass(frozen=True)
class Unit:
    """One embedded text, pointing back at its place in the article.

    paragraph/sentence are 1-based positions (0 = the whole article or paragraph), the same in
    both languages, because our English rendering keeps the original's paragraph split.
    """

    id: str
    doc_id: str
    article: int
    lang: Lang
    paragraph: int
    sentence: int
    text: str


def units(document: Document, lang: Lang) -> list[Unit]:
    """Paragraph and sentence units (the whole article when it is one paragraph), one language.

    Short questions match a single sentence better than a whole article, so each paragraph and
    sentence is embedded and the retriever keeps each article's best. Whole multi-paragraph
    articles are not embedded: they are the longest texts (a third of ingest time) and dropping
    them changed no figure of the evaluation.
    """
    found: list[Unit] = []
    for article in document.articles:
        seen: set[str] = set()
        for paragraph, sentence, text in _pieces(article, lang):
            if text and text not in seen:
                seen.add(text)
                unit_id = f"{document.doc_id}:{lang}:{article.number}:{paragraph}:{sentence}"
                found.append(
                    Unit(unit_id, document.doc_id, article.number, lang, paragraph, sentence, text)
                )
    return found


def paragraph_sentences(article: Article, lang: Lang) -> dict[int, list[str]]:
    """Sentences of each paragraph, keyed by the 1-based paragraph index."""
    if lang == "zh":
        grouped: dict[int, list[str]] = {}
        for sentence in zh_sentences(article):
            grouped.setdefault(sentence.paragraph, []).append(sentence.text)
        return grouped
    if not article.translation:
        return {}
    return {i: en_sentences(p) for i, p in enumerate(article.translation.split("\n"), start=1)}


def _pieces(article: Article, lang: Lang) -> list[tuple[int, int, str]]:
    body = article.text if lang == "zh" else article.translation
    if not body:
        return []
    paragraphs = [p.text for p in article.paragraphs] if lang == "zh" else body.split("\n")
    pieces = [(0, 0, body)] if len(paragraphs) == 1 else []
    grouped = paragraph_sentences(article, lang)
    for index, paragraph in enumerate(paragraphs, start=1):
        pieces.append((index, 0, paragraph))
        pieces += [(index, j, s) for j, s in enumerate(grouped.get(index, []), start=1)]
    return pieces
