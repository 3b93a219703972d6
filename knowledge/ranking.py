"""The fitted model: the linear ranker over retrieval signals and the answer-or-decline decision.

Both are fitted by `python -m knowledge.calibrate` (see its docstring) and stored in
knowledge/resources/model.json, weights keyed by signal name, so the figures travel with the
fit that produced them and an evaluation can load another fit (`compliance-bot eval --model`)
to report a set the model was not fitted on. The ranker maximizes the likelihood that the right
article scores highest among a question's candidates (a conditional logit); the decision is a
logistic regression of "in scope" on the decision signals, one per language plus one for
English questions whose best article has no rendering ("en-cross"), each threshold keeping the
fitting set's in-scope questions declined at or under 5 % when each is scored
by a fit that did not see it (out of fold).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.types import Lang

MODEL_FILE = Path(__file__).resolve().parent / "resources" / "model.json"

# Ranker signals, one column each in the candidate table built by knowledge/retrieve.py.
FEATURES = (
    "dense",
    "dense_same",
    "dense_cross",
    "bm25_zh",
    "bm25_en",
    "coverage",
    "word_coverage",
    "local",
    "named",
    "states_quantity",
    "states_date",
    "states_fine",
    "states_definition",
    "states_prohibition",
    "states_list",
    "states_purpose",
    "names_recipients",
    "allocates_responsibility",
    "local_unasked",
    "penalty_unasked",
    "punishes_matched",
    "doc_dense",
    "doc_coverage",
    "dense_rank",
    "lexical_rank",
)

# What the answer-or-decline decision reads (knowledge/decide.py computes them).
DECISION_SIGNALS = (
    "similarity",
    "above_background",
    "coverage",
    "known_coverage",
    "terms_found",
    "named",
    "margin",
    "top_bm25_zh",
    "doc_coverage",
    "agreement",
    "doc_dense",
    "word_coverage",
    "unknown_words",
    "quantity_missing",
    "fine_missing",
    "lookup",
    "other_law",
    "date_given",
)

DECISION_MODELS = ("zh", "en", "en-cross")


@dataclass(frozen=True)
class Decision:
    """P(in scope) = sigmoid(weights · signals + bias); answer when it reaches `threshold`."""

    weights: Mapping[str, float]
    bias: float
    threshold: float

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.bias + sum(w * values.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


@dataclass(frozen=True)
class Model:
    """Ranker weights per question language, and one decision per decision model."""

    rank: Mapping[Lang, Mapping[str, float]]
    decisions: Mapping[str, Decision]
    fitted_on: str = ""  # the question file(s) the fit saw, so a report can say what is untuned
    # Another document's best article is cited beside the first when it scores this close
    # (ranker score units, so it is fitted with the ranker).
    second_citation_gap: float = 3.0

    def rank_score(self, lang: Lang, table: np.ndarray) -> np.ndarray:
        """One score per candidate row (columns in FEATURES order); higher ranks first."""
        weights = self.rank[lang]
        return table @ np.array([weights.get(f, 0.0) for f in FEATURES])

    def to_json(self) -> str:
        data = {
            "fitted_on": self.fitted_on,
            "second_citation_gap": self.second_citation_gap,
            "rank": {lang: dict(w) for lang, w in self.rank.items()},
            "decisions": {
                name: {"weights": dict(d.weights), "bias": d.bias, "threshold": d.threshold}
                for name, d in self.decisions.items()
            },
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def parse_model(text: str) -> Model:
    """A model from its JSON; an unknown signal name is an error (a stale or mistyped fit)."""
    data = json.loads(text)
    rank: dict[Lang, dict[str, float]] = {}
    for lang in ("zh", "en"):
        rank[lang] = _weights(data["rank"][lang], FEATURES)
    decisions = {
        name: Decision(
            _weights(d["weights"], DECISION_SIGNALS), float(d["bias"]), float(d["threshold"])
        )
        for name, d in data["decisions"].items()
    }
    missing = set(DECISION_MODELS) - set(decisions)
    if missing:
        raise ValueError(f"model has no decision for {sorted(missing)}")
    gap = float(data.get("second_citation_gap", Model.second_citation_gap))
    return Model(rank, decisions, str(data.get("fitted_on", "")), gap)


def _weights(raw: Mapping[str, float], known: tuple[str, ...]) -> dict[str, float]:
    unknown = set(raw) - set(known)
    if unknown:
        raise ValueError(f"model names unknown signals {sorted(unknown)}")
    return {name: float(w) for name, w in raw.items()}


def load_model(path: Path = MODEL_FILE) -> Model:
    return parse_model(path.read_text(encoding="utf-8"))
