"""Grounded answers: extractive by default, optionally phrased by an LLM that must cite what it used."""

from __future__ import annotations

import logging
from collections.abc import Callable

from knowledge.abstain import should_abstain
from knowledge.facts import key_fact
from knowledge.lang import detect_language
from knowledge.passages import best_passage
from knowledge.retrieve import Retrieval, Retriever
from knowledge.types import Answer, Article, Citation, Lang

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
SECOND_CITATION_RATIO = 0.85  # a runner-up this close to the best article is quoted too

Phraser = Callable[[Answer, list[Article]], Answer | None]


class EmptyQuestion(ValueError):
    """Nothing to answer."""


class Answerer:
    """Question in, cited Answer out, in the asker's language."""

    def __init__(self, retriever: Retriever, phraser: Phraser | None = None) -> None:
        self.retriever = retriever
        self._phraser = phraser

    def answer(self, question: str, lang: Lang | None = None) -> Answer:
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        if not question:
            raise EmptyQuestion("empty question")
        lang = lang or detect_language(question)
        retrieval = self.retriever.retrieve(question, lang)
        if should_abstain(retrieval):
            return Answer(
                question, lang, abstention_text(lang), abstained=True, hits=retrieval.hits
            )
        extractive = self._extractive(question, lang, retrieval)
        if self._phraser is None:
            return extractive
        articles = [self.retriever.articles[(h.doc_id, h.article)] for h in retrieval.hits]
        return self._phraser(extractive, articles) or extractive

    def _extractive(self, question: str, lang: Lang, retrieval: Retrieval) -> Answer:
        best = retrieval.hits[0]
        chosen = [best] + [
            h
            for h in retrieval.hits[1:2]
            if best.score > 0 and h.score >= SECOND_CITATION_RATIO * best.score
        ]
        citations = tuple(
            self._citation(question, lang, retrieval, hit.doc_id, hit.article) for hit in chosen
        )
        text = compose(lang, citations)
        return Answer(question, lang, text, citations, hits=retrieval.hits)

    def _citation(
        self, question: str, lang: Lang, retrieval: Retrieval, doc_id: str, number: int
    ) -> Citation:
        article = self.retriever.articles[(doc_id, number)]
        document = self.retriever.documents[doc_id]
        passage = best_passage(
            article, question, lang, retrieval.passages.get((doc_id, number), [])
        )
        quote = document.text[passage.start : passage.end]
        return Citation(
            doc_id,
            document.title,
            number,
            article.label,
            passage.start,
            passage.end,
            quote,
            passage.english,
            document.title_en,
        )


def compose(lang: Lang, citations: tuple[Citation, ...]) -> str:
    """The answer text: key fact first, then each quote with its citation."""
    first = citations[0]
    if lang == "zh":
        lead = key_fact(first.quote, "zh") or first.quote
        lines = [lead.rstrip("。") + "。"]
        for c in citations:
            lines += ["", f"依据《{c.doc_title}》{c.label}：", f"> {c.quote}"]
        return "\n".join(lines)
    lead_source = first.translation or first.quote
    fact = key_fact(lead_source, "en")
    lines = [_capitalize(fact) + "." if fact else lead_source]
    for c in citations:
        title = c.doc_title_en or c.doc_title
        lines += ["", f"Article {c.article}, {title} (unofficial English translation):"]
        if c.translation:
            lines.append(f"> {c.translation}")
        lines.append(f"> 原文 ({c.label}): {c.quote}")
    return "\n".join(lines)


def abstention_text(lang: Lang) -> str:
    if lang == "zh":
        return "本办法未涉及这个问题：《重庆市电子政务云平台安全管理办法（试行）》中没有找到相关规定。请换个说法，或咨询安全管理团队。"
    return (
        "The regulation does not cover this: nothing in the Chongqing E-Government Cloud Platform "
        "Security Management Measures answers it. Try rephrasing, or ask the security team."
    )


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:].rstrip(".")
