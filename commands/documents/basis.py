"""The regulation's own words behind each document, cut from the bundled text, never retyped.

A document quotes the paragraph of the article that holds the rule's phrase from the rule table
(`commands.obligations`), so the quote and the rule cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from commands.obligations import BY_ID
from commands.replies import Lang, cite
from knowledge.corpus import load_bundled


@dataclass(frozen=True)
class Basis:
    """Where a document's duty comes from: regulation title, article and the paragraph quoted."""

    regulation: str
    article: str  # 第三十条 / Art. 30
    quote: str


def basis(obligation_id: str, lang: Lang) -> Basis:
    """The paragraph of the obligation's article that contains its phrase, in `lang`."""
    obligation = BY_ID[obligation_id]
    document = load_bundled()
    article = document.article(obligation.article)
    index = next(
        i for i, paragraph in enumerate(article.paragraphs) if obligation.phrase in paragraph.text
    )
    if lang == "zh":
        return Basis(document.title, cite(article.number, lang), article.paragraphs[index].text)
    english = article.translation.split("\n")
    # The English rendering follows the original paragraph by paragraph; when it does not
    # (a rendering edited out of step), the whole article is quoted rather than a wrong paragraph.
    quote = english[index] if len(english) == len(article.paragraphs) else article.translation
    return Basis(document.title_en, cite(article.number, lang), quote)
