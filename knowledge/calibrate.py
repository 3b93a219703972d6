"""Fit the ranker and the answer-or-decline model on a question file (DEV only), and print them.

    python -m knowledge.calibrate --questions knowledge/eval_data/dev.tsv \
        --index data/calibrate --bare-index data/calibrate-bare \
        --docs knowledge/data --docs ../shared/corpus/distractors

How: every question is retrieved with the current code, once over an index with our English
renderings and once over one without them (`--bare-index`); each candidate article's signals
(knowledge/retrieve.py) form a row. The ranker's weights maximize, per language, the likelihood
that the expected article scores highest among its question's candidates (a conditional logit,
L2-regularized, fitted by gradient ascent). Then, with those weights, a logistic regression of
"the question is in scope" on the decision signals (knowledge/decide.py) gives the decision
weights; the printed threshold is the highest probability that still keeps DEV's in-scope
questions declined at or under 5 %. Paste the printed constants into knowledge/ranking.py.
Never fit on a set you report as untuned.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge import ranking
from knowledge.decide import decision_model, signals
from knowledge.engine import KnowledgeConfig, build_answerer
from knowledge.eval import matches
from knowledge.evalset import Question, read_questions
from knowledge.lang import detect
from knowledge.ranking import DECISION_SIGNALS, FEATURES
from knowledge.retrieve import Retrieval, Retriever
from knowledge.types import Lang

L2 = 0.01
STEPS = 3000
RATE = 0.5
MAX_IN_SCOPE_DECLINED = 0.05


def fit_conditional_logit(groups: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Weights maximizing sum log softmax(X w)[correct] over groups (X: candidates x features)."""
    width = groups[0][0].shape[1]
    scale = np.concatenate([x for x, _ in groups]).std(axis=0) + 1e-9
    w = np.zeros(width)
    for _ in range(STEPS):
        gradient = -L2 * w
        for x, correct in groups:
            z = (x / scale) @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            target = correct / correct.sum()
            gradient += (target - p) @ (x / scale) / len(groups)
        w += RATE * gradient
    return w / scale


def fit_logistic(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    xs = (x - mean) / scale
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-(xs @ w + b)))
        w += RATE * ((y - p) @ xs / len(y) - L2 * w)
        b += RATE * float(np.mean(y - p))
    weights = w / scale
    return weights, b - float(weights @ mean)


def _correct(retriever: Retriever, question: Question, retrieval: Retrieval) -> np.ndarray:
    leads = [alternative[0] for alternative in question.expected]
    flags = []
    for c in retrieval.candidates:
        title = retriever.documents[c.key[0]].title
        flags.append(any(t.article == c.key[1] and matches(t, c.key[0], title) for t in leads))
    return np.array(flags, dtype=float)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge.calibrate", description=__doc__)
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True, help="a Chroma directory to use")
    parser.add_argument("--docs", type=Path, action="append", required=True)
    parser.add_argument(
        "--bare-index",
        type=Path,
        required=True,
        help="a second Chroma directory, indexed without English renderings: the fit sees "
        "every question both ways, so documents without a rendering are served as well",
    )
    args = parser.parse_args(argv)
    retrievers = [
        build_answerer(
            KnowledgeConfig(chroma_path=index, docs=tuple(args.docs), renderings=renderings)
        ).retriever
        for index, renderings in ((args.index, True), (args.bare_index, False))
    ]
    questions = [q for q in read_questions(args.questions) if q.kind != "unsupported"]
    rows: dict[Lang, list[tuple[Question, Retriever]]] = {"zh": [], "en": []}
    for q in questions:
        lang = detect(q.text)
        if lang != "other":
            rows[lang] += [(q, retriever) for retriever in retrievers]
    for lang, pairs in rows.items():
        groups = []
        for q, retriever in pairs:
            r = retriever.retrieve(q.text, lang, k=5)
            if q.in_scope and r.candidates:
                correct = _correct(retriever, q, r)
                if correct.any():
                    table = np.array([[c.features[f] for f in FEATURES] for c in r.candidates])
                    groups.append((table, correct))
        weights = fit_conditional_logit(groups)
        ranking.RANK_WEIGHTS[lang] = tuple(round(float(w), 3) for w in weights)
        print(f"RANK_WEIGHTS[{lang!r}] = {ranking.RANK_WEIGHTS[lang]}  ({len(groups)} questions)")
    models: dict[str, list[tuple[Question, Retrieval]]] = {}
    for lang, pairs in rows.items():
        for q, retriever in pairs:
            r = retriever.retrieve(q.text, lang, k=5)
            models.setdefault(decision_model(r), []).append((q, r))
    for model, rescored in sorted(models.items()):
        x = np.array([[signals(r)[s] for s in DECISION_SIGNALS] for _, r in rescored])
        y = np.array([float(q.in_scope) for q, _ in rescored])
        weights, bias = fit_logistic(x, y)
        p = 1 / (1 + np.exp(-(x @ weights + bias)))
        in_scope = np.sort(p[y == 1])
        threshold = float(in_scope[int(np.floor(MAX_IN_SCOPE_DECLINED * len(in_scope)))]) - 1e-6
        declined_oos = float(np.mean(p[y == 0] < threshold)) if (y == 0).any() else 0.0
        print(
            f"DECISION_WEIGHTS[{model!r}] = ({tuple(round(float(w), 3) for w in weights)}, "
            f"{round(bias, 3)})\nDECISION_THRESHOLD[{model!r}] = {round(threshold, 3)}"
            f"  (DEV: out-of-scope declined {declined_oos:.3f}, n={int((y == 0).sum())})"
        )
        gaps = _second_gaps(rescored)
        print(f"  top-vs-other-document gaps, two-document questions: {gaps[0]}")
        print(f"  ... single-document questions (10/50/90 %): {gaps[1]}")
    return 0


def _second_gaps(found: list[tuple[Question, Retrieval]]) -> tuple[list[float], list[float]]:
    multi: list[float] = []
    single: list[float] = []
    for q, r in found:
        if not q.in_scope or not r.candidates:
            continue
        best = r.candidates[0]
        other = next((c for c in r.candidates[1:] if c.key[0] != best.key[0]), None)
        gap = round(best.score - other.score, 2) if other else 99.0
        (multi if any(len(a) > 1 for a in q.expected) else single).append(gap)
    quantiles = [round(float(np.quantile(single, x)), 2) for x in (0.1, 0.5, 0.9)] if single else []
    return sorted(multi), quantiles


if __name__ == "__main__":
    sys.exit(main())
