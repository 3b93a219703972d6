"""Answer or decline: declining is right only when no indexed document covers the question.

A logistic model over the top candidates' signals, fitted on the DEV set (see knowledge/ranking.py
and knowledge/calibrate.py): P(in scope) = sigmoid(w · signals + b). It reads coverage through
the thesaurus, so chat wording that shares few words with statute text is not punished for it.
"""

from __future__ import annotations

import math

import numpy as np

from knowledge.ranking import DECISION_SIGNALS, DECISION_THRESHOLD, DECISION_WEIGHTS
from knowledge.retrieve import Retrieval


def signals(retrieval: Retrieval) -> dict[str, float]:
    """What the decision reads: similarity, coverage and how clearly the top article wins."""
    scores = [c.score for c in retrieval.candidates[:2]]
    return {
        "similarity": retrieval.top_similarity,
        "above_background": retrieval.top_similarity - retrieval.background,
        "coverage": retrieval.coverage,
        "known_coverage": retrieval.known_coverage,
        "terms_found": float(min(retrieval.terms_found, 3)),
        "named": float(retrieval.named),
        "margin": scores[0] - scores[1] if len(scores) == 2 else 1.0,
        "top_bm25_zh": retrieval.candidates[0].features["bm25_zh"] if retrieval.candidates else 0.0,
    }


def in_scope_probability(retrieval: Retrieval) -> float:
    if not retrieval.candidates:
        return 0.0
    values = signals(retrieval)
    weights, bias = DECISION_WEIGHTS[decision_model(retrieval)]
    z = float(np.dot(weights, [values[s] for s in DECISION_SIGNALS])) + bias
    return 1.0 / (1.0 + math.exp(-z))


def decision_model(retrieval: Retrieval) -> str:
    """ "zh", "en", or "en-cross" (an English question on an article with no rendering)."""
    return "en-cross" if retrieval.cross_lingual else retrieval.lang


def should_decline(retrieval: Retrieval) -> bool:
    return in_scope_probability(retrieval) < DECISION_THRESHOLD[decision_model(retrieval)]
