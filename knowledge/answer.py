"""Grounded answers: extractive by default, optionally phrased by an LLM that must cite what it used."""

from __future__ import annotations

import logging
from collections.abc import Callable

from knowledge.compose import compose, decline_text, unsupported_text
from knowledge.decide import should_decline
from knowledge.lang import detect
from knowledge.passages import best_passage
from knowledge.retrieve import Candidate, Retrieval, Retriever
from knowledge.types import Answer, Article, Citation, Lang

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
Phraser = Callable[[Answer, list[Article]], Answer | None]


class EmptyQuestion(ValueError):
    """Nothing to answer."""


class Answerer:
    """Question in, cited Answer out, in the asker's language."""

    def __init__(self, retriever: Retriever, phraser: Phraser | None = None) -> None:
        self.retriever = retriever
        self._phraser = phraser

    def answer(self, question: str, lang: Lang | None = None) -> Answer:
        """`lang` is the reply language (the Slack edge may know it); retrieval reads the
        question in the language it is written in."""
        question = " ".join(question.split())[:MAX_QUESTION_CHARS]
        if not question:
            raise EmptyQuestion("empty question")
        written_in = detect(question)
        if written_in == "other":
            return Answer(
                question,
                lang or "en",
                unsupported_text(),
                abstained=True,
                unsupported_language=True,
            )
        reply_lang: Lang = lang or written_in
        retrieval = self.retriever.retrieve(question, written_in)
        if should_decline(retrieval, self.retriever.model):
            titles = [(d.title, d.title_en) for d in self.retriever.documents.values()]
            return Answer(
                question,
                reply_lang,
                decline_text(reply_lang, titles),
                abstained=True,
                hits=retrieval.hits,
            )
        extractive = self._extractive(question, reply_lang, retrieval)
        if self._phraser is None:
            return extractive
        articles = [self.retriever.articles[(h.doc_id, h.article)] for h in retrieval.hits]
        return self._phraser(extractive, articles) or extractive

    def _extractive(self, question: str, lang: Lang, retrieval: Retrieval) -> Answer:
        chosen = cited_candidates(
            retrieval,
            self.retriever.model.second_citation_gap,
            frozenset(self.retriever.local_documents),
        )
        read = retrieval.question or question  # typos corrected, as retrieval read it
        citations = tuple(self._citation(read, retrieval, c) for c in chosen)
        return Answer(
            question, lang, compose(lang, read, citations), citations, hits=retrieval.hits
        )

    def _citation(self, question: str, retrieval: Retrieval, candidate: Candidate) -> Citation:
        doc_id, number = candidate.key
        article = self.retriever.articles[candidate.key]
        document = self.retriever.documents[doc_id]
        passage = best_passage(
            article,
            question,
            retrieval.lang,
            retrieval.passages.get(candidate.key, []),
            self.retriever.lexical["zh"].idf,
            topic=retrieval.topic or question,
        )
        paragraphs = document.structure == "paragraphs"
        return Citation(
            doc_id,
            document.title,
            number,
            article.label,
            passage.start,
            passage.end,
            document.text[passage.start : passage.end],
            passage.english,
            document.title_en,
            f"Para. {number}" if paragraphs else f"Art. {number}",
        )


def cited_candidates(
    retrieval: Retrieval, gap: float, local: frozenset[str] = frozenset()
) -> list[Candidate]:
    """The best article; then, for each other document the question names ("办法和网络安全法
    分别怎么规定", "under the CSL too?"), that document's best article, since the asker asked
    what it says; otherwise the best one of another document when it ranks within `gap`.

    When two documents are cited, a `local` one (the Chongqing regulation) leads: the more
    specific local rule before the national law it rests on (the 2-hour rule before "及时报告"),
    unless the question names only national laws: then the one it opens with leads.
    """
    best = retrieval.candidates[0]
    asked_for = retrieval.named_documents - {best.key[0]}
    if asked_for:
        best_of: dict[str, Candidate] = {}
        for candidate in retrieval.candidates:  # best first: the first of each document
            best_of.setdefault(candidate.key[0], candidate)
        named = [best_of[doc_id] for doc_id in sorted(asked_for) if doc_id in best_of]
        chosen = [best, *sorted(named, key=lambda c: -c.score)[:MAX_NAMED_CITATIONS]]
    else:
        other = next((c for c in retrieval.candidates[1:] if c.key[0] != best.key[0]), None)
        chosen = [best] if other is None or best.score - other.score > gap else [best, other]
    if retrieval.named_documents and not retrieval.named_documents & local:
        setting = retrieval.set_locally & local
        if not setting:
            # "what does the CSL say": the law asked about leads, not the local rule; where the
            # question opens with its name, even over an article the ranker put first.
            return sorted(chosen, key=lambda c: c.key[0] not in retrieval.subject_documents)
        # Asked on the local platform ("服务商退出时数据怎么处置？数据安全法怎么说"): the local rule
        # leads when cited, and is cited when one of its articles ranks near the top and the
        # question asks something before it names the law (Retriever._subject); not for "an
        # agency outsources to a cloud vendor, what does the DSL require".
        near = retrieval.candidates[:LOCAL_DEPTH]
        own = next((c for c in near if c.key[0] in setting), None)
        if own is not None and own not in chosen and not retrieval.subject_documents:
            chosen = [own, *chosen][: 1 + MAX_NAMED_CITATIONS]
    return sorted(chosen, key=lambda c: c.key[0] not in local)  # stable: the ranker's order


MAX_NAMED_CITATIONS = 2  # beside the lead: a question naming every law gets the two best
LOCAL_DEPTH = 3  # "near the top": within the three best-ranked articles
