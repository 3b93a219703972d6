"""Evaluate the answer path on a TSV of questions: `python -m knowledge.eval --questions FILE [--json]`.

The TSV has a header `lang question articles`; `articles` is a comma-separated list of article
numbers, or `none` for a question the regulation does not cover.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_START = time.perf_counter()  # cold start counts from process start (as near as Python allows)


@dataclass(frozen=True)
class Question:
    lang: str
    text: str
    articles: frozenset[int]  # empty: out of scope


def read_questions(path: Path) -> list[Question]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    if rows and not {"lang", "question", "articles"} <= set(rows[0]):
        raise SystemExit(f"{path}: header must be 'lang<TAB>question<TAB>articles'")
    questions = []
    for line, row in enumerate(rows, start=2):
        raw = (row["articles"] or "").strip().lower()
        try:
            articles = frozenset() if raw == "none" else frozenset(int(a) for a in raw.split(","))
        except ValueError:
            raise SystemExit(
                f"{path}:{line}: articles must be numbers separated by commas, or 'none'"
            ) from None
        questions.append(Question(row["lang"].strip(), row["question"].strip(), articles))
    return questions


def evaluate(
    answerer: object, questions: Sequence[Question], cold_start_s: float
) -> dict[str, object]:
    """Run every question through the bot's own answer path and score it."""
    from knowledge.answer import Answerer

    assert isinstance(answerer, Answerer)
    by_lang: dict[str, dict[str, float]] = {}
    latencies: list[float] = []
    out_of_scope = abstained = in_scope = false_abstentions = 0
    misses = []
    for question in questions:
        started = time.perf_counter()
        answer = answerer.answer(question.text)
        latencies.append((time.perf_counter() - started) * 1000)
        if not question.articles:
            out_of_scope += 1
            abstained += answer.abstained
            if not answer.abstained:
                misses.append(
                    {
                        "question": question.text,
                        "expected": "none",
                        "got": answer.citations[0].article,
                    }
                )
            continue
        in_scope += 1
        false_abstentions += answer.abstained
        ranked = [] if answer.abstained else [h.article for h in answer.hits]
        stats = by_lang.setdefault(
            question.lang, {"n": 0, "recall_at_1": 0, "recall_at_3": 0, "mrr": 0.0}
        )
        stats["n"] += 1
        rank = next((i for i, a in enumerate(ranked, start=1) if a in question.articles), None)
        stats["recall_at_1"] += rank == 1
        stats["recall_at_3"] += rank is not None and rank <= 3
        stats["mrr"] += 1 / rank if rank else 0.0
        if rank != 1:
            misses.append(
                {
                    "question": question.text,
                    "expected": sorted(question.articles),
                    "got": ranked[:3],
                }
            )
    for stats in by_lang.values():
        for key in ("recall_at_1", "recall_at_3", "mrr"):
            stats[key] = round(stats[key] / stats["n"], 3)
    return {
        "by_lang": by_lang,
        "out_of_scope": {
            "n": out_of_scope,
            "abstained": round(abstained / out_of_scope, 3) if out_of_scope else 0.0,
        },
        "in_scope_false_abstentions": round(false_abstentions / in_scope, 3) if in_scope else 0.0,
        "latency_ms": {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)},
        "cold_start_s": round(cold_start_s, 3),
        "misses": misses,
    }


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return round(ordered[index], 2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge.eval", description=__doc__)
    parser.add_argument(
        "--questions", type=Path, required=True, help="TSV: lang, question, articles"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    questions = read_questions(args.questions)

    from bot.services import knowledge_config
    from bot.settings import Settings
    from knowledge.engine import build_answerer

    answerer = build_answerer(knowledge_config(Settings()))
    answerer.answer(questions[0].text if questions else "第三十条")
    cold_start = time.perf_counter() - _START
    for question in questions[:5]:  # warm-up: latency is measured per answer after it
        answerer.answer(question.text)
    report = evaluate(answerer, questions, cold_start)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        _print_table(report)
    return 0


def _print_table(report: dict[str, object]) -> None:
    for lang, stats in report["by_lang"].items():  # type: ignore[attr-defined]
        print(
            f"{lang}: n={stats['n']} recall@1={stats['recall_at_1']} recall@3={stats['recall_at_3']} mrr={stats['mrr']}"
        )
    print(f"out of scope: {report['out_of_scope']}")
    print(f"in-scope false abstentions: {report['in_scope_false_abstentions']}")
    print(f"latency ms: {report['latency_ms']}  cold start s: {report['cold_start_s']}")
    for miss in report["misses"]:  # type: ignore[attr-defined]
        print(f"  miss: {miss}")


if __name__ == "__main__":
    sys.exit(main())
