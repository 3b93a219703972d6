"""Fit the ranker and the answer-or-decline model on question files, with cross-validation.

    python -m knowledge.calibrate --questions knowledge/eval_data/dev.tsv \
        --questions knowledge/eval_data/tune2.tsv --cross \
        --index data/calibrate --bare-index data/calibrate-bare \
        --docs knowledge/data --docs ../shared/corpus/distractors [--out FILE]

How: every question is retrieved with the current code, once over an index with our English
renderings and once over one without them (`--bare-index`); each candidate article's signals
(knowledge/retrieve.py) form a row. The ranker's weights maximize, per language, the likelihood
that the expected article scores highest among its question's candidates (a conditional logit,
L2-regularized, fitted by gradient ascent). Then, with those weights, a logistic regression of
"the question is in scope" on the decision signals (knowledge/decide.py) gives the decision
weights; the threshold is the highest probability that still keeps the fitting set's in-scope
questions declined at or under 5 %, read off out-of-fold probabilities (each question scored by
a ranker and decision fitted without it), as an unseen question would be scored.

`--cross` (two or more files): fit on all files but one and print retrieval figures on the one
left out, each in turn — the figures to report, since a set a model was fitted on flatters it.
Then the model is fitted on every file together; `--out` writes it (knowledge/resources/
model.json is what the bot loads) and, with `--cross`, each model that left a file out beside it
(`model.without-dev.json`): `compliance-bot eval --model` gives a fit's full answer figures.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from knowledge.decide import decision_model, in_scope_probability, should_decline, signals
from knowledge.engine import KnowledgeConfig, build_answerer
from knowledge.eval import matches
from knowledge.evalset import Question, read_questions
from knowledge.lang import detect
from knowledge.ranking import DECISION_SIGNALS, FEATURES, Decision, Model
from knowledge.retrieve import Gathered, Retrieval, Retriever
from knowledge.types import Lang

L2 = 0.01
STEPS = 3000
RATE = 0.5
MAX_IN_SCOPE_DECLINED = 0.05
FOLDS = 5
# A "see also" from another document is shown to staff as a rule that applies: at most 1 in 20
# single-document answers may carry one (at 1 in 5, "if we get hacked, how fast do we tell the
# authorities?" cited an unrelated article on re-identifying critical infrastructure).
MAX_SECOND_CITATIONS = 0.05


@dataclass(frozen=True)
class Sample:
    """One question as one retriever gathered it (the signals do not depend on the model)."""

    question: Question
    retriever: Retriever
    gathered: Gathered
    correct: np.ndarray  # per candidate row: is it an expected leading article?
    bare: bool  # retrieved without the English renderings


def fit_conditional_logit(groups: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Weights maximizing sum log softmax(X w)[correct] over groups (X: candidates x features).

    The groups are padded into one array (absent rows masked out of the softmax) so each step
    is a few array operations, not a Python loop over questions: the out-of-fold threshold
    fits the ranker once per fold."""
    stacked = np.concatenate([x for x, _ in groups])
    scale = stacked.std(axis=0) + 1e-9
    width = max(len(x) for x, _ in groups)
    tables = np.zeros((len(groups), width, stacked.shape[1]))
    target = np.zeros((len(groups), width))
    present = np.zeros((len(groups), width), dtype=bool)
    for i, (x, correct) in enumerate(groups):
        tables[i, : len(x)] = x / scale
        target[i, : len(x)] = correct / correct.sum()
        present[i, : len(x)] = True
    w = np.zeros(stacked.shape[1])
    for _ in range(STEPS):
        z = np.where(present, tables @ w, -np.inf)
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        w += RATE * (np.einsum("gc,gcf->f", target - p, tables) / len(groups) - L2 * w)
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


def fit(samples: list[Sample], fitted_on: str) -> Model:
    """The ranker per language, then the decisions over the ranking it gives, each decision's
    threshold read off out-of-fold probabilities (see `out_of_fold`)."""
    rank = fit_ranker(samples)
    ranked = _ranked(samples, Model(rank, {}))
    decisions = fit_decisions(ranked)
    held_out = out_of_fold(samples)
    decisions = {  # a decision model no held-out question reached keeps its in-sample threshold
        name: replace(d, threshold=threshold(held_out[name])) if held_out.get(name) else d
        for name, d in decisions.items()
    }
    gaps = [
        (any(len(a) > 1 for a in s.question.expected), _second_gap(r))
        for s, r in ranked
        if s.question.in_scope and not s.bare
    ]
    return Model(rank, decisions, fitted_on, second_citation_gap(gaps))


def _ranked(samples: list[Sample], ranker: Model) -> list[tuple[Sample, Retrieval]]:
    """Each sample with its ranking by `ranker`, those with any candidate (ranking is the costly
    step of a fit: done once, read by the decisions and the second-citation gap)."""
    ranked = [(s, s.retriever.rank(s.gathered, model=ranker)) for s in samples]
    return [(s, r) for s, r in ranked if r.candidates]


def fit_ranker(samples: list[Sample]) -> dict[Lang, dict[str, float]]:
    rank: dict[Lang, dict[str, float]] = {}
    for lang in ("zh", "en"):
        groups = [
            (s.gathered.table, s.correct)
            for s in samples
            if s.gathered.query.lang == lang and s.question.in_scope and s.correct.any()
        ]
        weights = fit_conditional_logit(groups)
        rank[lang] = {f: round(float(w), 3) for f, w in zip(FEATURES, weights, strict=True)}
    return rank


def fit_decisions(ranked: list[tuple[Sample, Retrieval]]) -> dict[str, Decision]:
    """One logistic regression of "in scope" per decision model, over the ranker's top
    candidates; the threshold here is the in-sample one, which `fit` replaces."""
    by_model: dict[str, list[tuple[bool, dict[str, float]]]] = {}
    for s, r in ranked:
        by_model.setdefault(decision_model(r), []).append((s.question.in_scope, signals(r)))
    decisions = {}
    for name, rows in sorted(by_model.items()):
        x = np.array([[values[n] for n in DECISION_SIGNALS] for _, values in rows])
        y = np.array([float(in_scope) for in_scope, _ in rows])
        weights, bias = fit_logistic(x, y)
        p = 1 / (1 + np.exp(-(x @ weights + bias)))
        decisions[name] = Decision(
            {n: round(float(w), 3) for n, w in zip(DECISION_SIGNALS, weights, strict=True)},
            round(bias, 3),
            threshold(list(zip(y == 1, p, strict=True))),
        )
    return decisions


def out_of_fold(samples: list[Sample]) -> dict[str, list[tuple[bool, float]]]:
    """Per decision model, (in scope, P(in scope)) of every sample as a model fitted without
    its question saw it (FOLDS folds; a question's samples share a fold).

    Why: fitted and judged on the same questions, the decision is surer of them than of any
    new question, so a threshold read off in-sample probabilities declined 7-9 % of unseen
    in-scope questions where it promised 5 %."""
    questions = list(dict.fromkeys(s.question.text for s in samples))
    fold_of = {text: i % FOLDS for i, text in enumerate(questions)}
    result: dict[str, list[tuple[bool, float]]] = {}
    for fold in range(FOLDS):
        train = [s for s in samples if fold_of[s.question.text] != fold]
        ranker = Model(fit_ranker(train), {})
        model = Model(ranker.rank, fit_decisions(_ranked(train, ranker)))
        for s in samples:
            if fold_of[s.question.text] != fold:
                continue
            r = s.retriever.rank(s.gathered, model=model)
            name = decision_model(r) if r.candidates else ""
            if name in model.decisions:
                p = in_scope_probability(r, model)
                result.setdefault(name, []).append((s.question.in_scope, p))
    return result


def threshold(rows: list[tuple[bool, float]]) -> float:
    """The highest probability that still answers all but MAX_IN_SCOPE_DECLINED of the
    in-scope questions."""
    answered = np.sort([p for in_scope, p in rows if in_scope])
    if not len(answered):
        return 0.5
    # Rounded down, so the stored threshold never declines the question it was read off.
    return math.floor(float(answered[int(MAX_IN_SCOPE_DECLINED * len(answered))]) * 1e4) / 1e4


def _second_gap(retrieval: Retrieval) -> float:
    """How far the best article of another document scores below the best article."""
    best = retrieval.candidates[0]
    other = next((c for c in retrieval.candidates[1:] if c.key[0] != best.key[0]), None)
    return best.score - other.score if other else float("inf")


def second_citation_gap(gaps: list[tuple[bool, float]]) -> float:
    """The gap that best separates questions two documents answer (cite both) from the rest
    (cite one): the largest share of two-document questions within it less the share of
    single-document ones (Youden's J: the groups weigh equally, as there are far fewer
    two-document questions), among gaps that give at most MAX_SECOND_CITATIONS of the
    single-document answers a second document (a second citation there is noise to the reader)."""
    multi = [g for is_multi, g in gaps if is_multi]
    single = [g for is_multi, g in gaps if not is_multi]
    if not multi or not single:
        return Model.second_citation_gap

    def share(values: list[float], limit: float) -> float:
        return sum(g <= limit for g in values) / len(values)

    allowed = [
        round(g, 3) for g in multi if g != float("inf") and share(single, g) <= MAX_SECOND_CITATIONS
    ]
    if not allowed:
        return 0.0
    return max(sorted(set(allowed)), key=lambda g: share(multi, g) - share(single, g))


def figures(samples: list[Sample], model: Model) -> dict[str, float]:
    """Retrieval-level figures of a model: right article first and answered, right document,
    in-scope declined and out-of-scope declined (over the index with renderings)."""
    counts = {"right_article": 0, "right_document": 0, "declined": 0, "in_scope": 0}
    oos = oos_declined = 0
    for s in samples:
        if s.bare:
            continue
        r = s.retriever.rank(s.gathered, model=model)
        declined = not r.candidates or should_decline(r, model)
        if not s.question.in_scope:
            oos += 1
            oos_declined += declined
            continue
        counts["in_scope"] += 1
        counts["declined"] += declined
        if not declined:
            top = r.candidates[0].key
            counts["right_article"] += bool(s.correct[s.gathered.keys.index(top)])
            title = s.retriever.documents[top[0]].title
            counts["right_document"] += any(
                matches(t[0], top[0], title) for t in s.question.expected
            )
    n = max(counts.pop("in_scope"), 1)
    result = {k: round(v / n, 3) for k, v in counts.items()}
    result["out_of_scope_declined"] = round(oos_declined / oos, 3) if oos else float("nan")
    return result


def gather(retrievers: list[tuple[Retriever, bool]], questions: list[Question]) -> list[Sample]:
    samples = []
    for q in questions:
        lang = detect(q.text)
        if lang == "other":
            continue
        for retriever, bare in retrievers:
            g = retriever.gather(q.text, lang)
            samples.append(Sample(q, retriever, g, _correct(retriever, q, g), bare))
    return samples


def _correct(retriever: Retriever, question: Question, gathered: Gathered) -> np.ndarray:
    leads = [alternative[0] for alternative in question.expected]
    flags = []
    for doc_id, number in gathered.keys:
        title = retriever.documents[doc_id].title
        flags.append(any(t.article == number and matches(t, doc_id, title) for t in leads))
    return np.array(flags, dtype=float)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge.calibrate", description=__doc__)
    parser.add_argument("--questions", type=Path, action="append", required=True)
    parser.add_argument("--index", type=Path, required=True, help="a Chroma directory to use")
    parser.add_argument("--docs", type=Path, action="append", required=True)
    parser.add_argument(
        "--bare-index",
        type=Path,
        required=True,
        help="a second Chroma directory, indexed without English renderings: the fit sees "
        "every question both ways, so documents without a rendering are served as well",
    )
    parser.add_argument("--cross", action="store_true", help="report each file fitted on others")
    parser.add_argument("--out", type=Path, help="write the model fitted on every file here")
    args = parser.parse_args(argv)
    retrievers = [
        (
            build_answerer(
                KnowledgeConfig(chroma_path=index, docs=tuple(args.docs), renderings=not bare)
            ).retriever,
            bare,
        )
        for index, bare in ((args.index, False), (args.bare_index, True))
    ]
    sets = {
        str(path): gather(retrievers, [q for q in read_questions(path) if q.kind != "unsupported"])
        for path in args.questions
    }
    if args.cross and len(sets) > 1:
        for held_out, samples in sets.items():
            rest = [s for name, other in sets.items() if name != held_out for s in other]
            model = fit(rest, " + ".join(n for n in sets if n != held_out))
            print(f"fitted on {model.fitted_on}; reported on {held_out}: {figures(samples, model)}")
            if args.out:  # for `compliance-bot eval --model` on the set left out
                path = args.out.with_name(f"{args.out.stem}.without-{Path(held_out).stem}.json")
                path.write_text(model.to_json(), encoding="utf-8")
    every = [s for samples in sets.values() for s in samples]
    model = fit(every, " + ".join(sets))
    for name, samples in sets.items():
        print(f"fitted on every file; reported on {name} (tuned): {figures(samples, model)}")
    if args.out:
        args.out.write_text(model.to_json(), encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print(model.to_json())
    return 0


if __name__ == "__main__":
    sys.exit(main())
