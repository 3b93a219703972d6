"""Score the answer path on evaluation questions, as users see the answers.

The answerer is passed in (`compliance-bot eval` builds it from the settings), so this module
never imports the Slack edge. Figures, for in-scope questions unless named otherwise:
- right_article: the answer's first citation is the expected document and article (the leading
  item of an `&` group); right_document: the expected document, whatever the article;
- wrong_document: answered from a document none of the alternatives names;
- key_fact: the answer's first paragraph matches the question's key-fact pattern (over the
  questions that have one; a declined answer fails it);
- all_cited: for questions two documents answer together, every item is cited;
- declined: in scope but declined (should be low); out-of-scope declined (should be high);
  unsupported languages answered with the "languages we answer in" reply.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from knowledge.evalset import Question, Target
from knowledge.types import Answer, Citation, Hit, short_title

AnswerFn = Callable[[str], Answer]


@dataclass
class Outcome:
    """One question's result."""

    question: Question
    answer: Answer
    latency_ms: float
    rank: int | None = None  # of the first expected article among the ranked hits
    right_article: bool = False
    right_document: bool = False
    wrong_document: bool = False
    key_fact: bool | None = None  # None: the question has no key-fact pattern
    all_cited: bool | None = None  # None: not a question two documents answer together
    correct: bool = False  # what the question asked for (answer right, decline, language reply)


@dataclass
class Tally:
    """Counts over a set of outcomes; `rates()` turns them into the report's figures."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, value: bool | None) -> None:
        if value is None:
            return
        self.counts[f"{key}_n"] = self.counts.get(f"{key}_n", 0) + 1
        self.counts[key] = self.counts.get(key, 0) + int(value)


def matches(target: Target, doc_id: str, doc_title: str) -> bool:
    """A label names a document by id, full title or everyday short title."""
    return target.doc in (doc_id, doc_title, short_title(doc_title))


def score(question: Question, answer: Answer, latency_ms: float) -> Outcome:
    outcome = Outcome(question, answer, latency_ms)
    if question.kind == "unsupported":
        outcome.correct = answer.unsupported_language
        return outcome
    declined = answer.abstained
    if question.kind == "none":
        outcome.correct = declined and not answer.unsupported_language
        return outcome
    leads = [alternative[0] for alternative in question.expected]
    first = answer.citations[0] if answer.citations and not declined else None
    if first is not None:
        outcome.right_article = any(_is(t, first) for t in leads)
        outcome.right_document = any(matches(t, first.doc_id, first.doc_title) for t in leads)
        every = [t for alternative in question.expected for t in alternative]
        outcome.wrong_document = not any(matches(t, first.doc_id, first.doc_title) for t in every)
    outcome.rank = _rank(leads, [] if declined else list(answer.hits))
    if question.key_fact is not None:
        outcome.key_fact = first is not None and bool(
            question.key_fact.search(first_paragraph(answer.text))
        )
    if any(len(alternative) > 1 for alternative in question.expected):
        cited = [] if declined else list(answer.citations)
        outcome.all_cited = any(
            all(any(_is(t, c) for c in cited) for t in alternative)
            for alternative in question.expected
        )
    outcome.correct = outcome.right_article
    return outcome


def first_paragraph(text: str) -> str:
    return text.strip().split("\n\n", 1)[0]


def evaluate(answer: AnswerFn, questions: Sequence[Question]) -> list[Outcome]:
    """Run every question through the answer path, timing each answer."""
    outcomes = []
    for question in questions:
        started = time.perf_counter()
        reply = answer(question.text)
        outcomes.append(score(question, reply, (time.perf_counter() - started) * 1000))
    return outcomes


def summarize(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """The report: overall, per language and per group figures, latency, and the misses."""
    report: dict[str, Any] = {"n": len(outcomes), **_figures(outcomes)}
    report["by_lang"] = {
        lang: _figures([o for o in outcomes if o.question.lang == lang])
        for lang in sorted({o.question.lang for o in outcomes})
    }
    groups = sorted({g for o in outcomes for g in o.question.groups})
    report["by_group"] = {
        g: _figures([o for o in outcomes if g in o.question.groups]) for g in groups
    }
    latencies = [o.latency_ms for o in outcomes]
    report["latency_ms"] = {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}
    report["misses"] = [_miss(o) for o in outcomes if not o.correct or o.key_fact is False]
    return report


def _figures(outcomes: Iterable[Outcome]) -> dict[str, Any]:
    tally = Tally()
    ranks: list[int | None] = []
    for o in outcomes:
        kind = o.question.kind
        if kind == "answer":
            tally.add("right_article", o.right_article)
            tally.add("right_document", o.right_document)
            tally.add("wrong_document", o.wrong_document)
            tally.add("declined", o.answer.abstained)
            tally.add("key_fact", o.key_fact)
            tally.add("all_cited", o.all_cited)
            ranks.append(o.rank)
        elif kind == "none":
            tally.add("out_of_scope_declined", o.correct)
        else:
            tally.add("unsupported_handled", o.correct)
    figures: dict[str, Any] = {"in_scope": len(ranks)}
    for key in (
        "right_article",
        "right_document",
        "wrong_document",
        "declined",
        "key_fact",
        "all_cited",
        "out_of_scope_declined",
        "unsupported_handled",
    ):
        n = tally.counts.get(f"{key}_n", 0)
        if n:
            figures[key] = round(tally.counts[key] / n, 3)
            if key in ("key_fact", "all_cited", "out_of_scope_declined", "unsupported_handled"):
                figures[f"{key}_n"] = n
    if ranks:
        figures["recall_at_1"] = round(sum(r == 1 for r in ranks) / len(ranks), 3)
        figures["recall_at_3"] = round(sum(r is not None and r <= 3 for r in ranks) / len(ranks), 3)
        figures["mrr"] = round(sum(1 / r for r in ranks if r) / len(ranks), 3)
    return figures


def _is(target: Target, cited: Citation | Hit) -> bool:
    return cited.article == target.article and matches(target, cited.doc_id, cited.doc_title)


def _rank(leads: list[Target], hits: list[Hit]) -> int | None:
    return next((i for i, h in enumerate(hits, start=1) if any(_is(t, h) for t in leads)), None)


def _miss(o: Outcome) -> dict[str, Any]:
    q, a = o.question, o.answer
    expected = q.kind if q.kind != "answer" else _format_expected(q)
    got = (
        "unsupported"
        if a.unsupported_language
        else "declined"
        if a.abstained
        else [f"{short_title(c.doc_title)}:{c.article}" for c in a.citations]
    )
    miss: dict[str, Any] = {"question": q.text, "expected": expected, "got": got}
    if o.key_fact is False and o.right_article:
        miss["lead"] = first_paragraph(a.text)[:160]
    miss["source"] = q.source
    return miss


def _format_expected(q: Question) -> str:
    return ";".join("&".join(f"{t.doc}:{t.article}" for t in alt) for alt in q.expected)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index], 2)


def format_report(name: str, report: dict[str, Any], *, misses: bool = True) -> str:
    """A plain-text table of one question file's report."""
    lines = [f"== {name}: {report['n']} questions"]
    lines.append("   " + _line("all", report))
    for lang, figures in report["by_lang"].items():
        lines.append("   " + _line(f"lang={lang}", figures))
    for group, figures in report["by_group"].items():
        lines.append("   " + _line(f"group={group}", figures))
    lines.append(
        f"   latency ms p50 {report['latency_ms']['p50']} p95 {report['latency_ms']['p95']}"
    )
    if misses:
        lines += [f"   miss: {m}" for m in report["misses"]]
    return "\n".join(lines)


_SHORT = {
    "right_article": "article",
    "right_document": "doc",
    "wrong_document": "wrong-doc",
    "declined": "declined",
    "key_fact": "key-fact",
    "all_cited": "both-cited",
    "out_of_scope_declined": "oos-declined",
    "unsupported_handled": "lang-reply",
}


def _line(label: str, figures: dict[str, Any]) -> str:
    parts = [f"{label:<22} in-scope {figures.get('in_scope', 0):>3}"]
    if "recall_at_1" in figures:
        parts.append(f"r@1 {figures['recall_at_1']:.3f} r@3 {figures['recall_at_3']:.3f}")
    for key, short in _SHORT.items():
        if key in figures:
            n = figures.get(f"{key}_n")
            parts.append(f"{short} {figures[key]:.3f}" + (f" (n={n})" if n else ""))
    return "  ".join(parts)
