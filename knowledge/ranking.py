"""The linear ranker over retrieval signals, and the answer-or-decline model.

Both are fitted on the DEV set only (`python -m knowledge.calibrate`, see its docstring): the
ranker by maximizing the likelihood that the right article scores highest among a question's
candidates (a conditional logit); the decision by logistic regression of "in scope" on the top
candidate's signals. The figures below are what that command printed; refit after changing a
signal.
"""

from __future__ import annotations

import numpy as np

from knowledge.types import Lang

FEATURES = (
    "dense",
    "dense_same",
    "dense_cross",
    "bm25_zh",
    "bm25_en",
    "coverage",
    "local",
    "named",
)

RANK_WEIGHTS: dict[Lang, tuple[float, ...]] = {
    "zh": (37.491, 28.953, 70.433, 4.007, 0.0, 15.907, 3.455, 2.903),
    "en": (37.819, 13.578, 113.474, 0.451, 4.784, 5.567, 2.492, 9.255),
}


def rank_score(lang: Lang, table: np.ndarray) -> np.ndarray:
    """One score per candidate row (columns in FEATURES order); higher ranks first."""
    return table @ np.asarray(RANK_WEIGHTS[lang])


DECISION_SIGNALS = (
    "similarity",
    "coverage",
    "known_coverage",
    "terms_found",
    "named",
    "margin",
    "top_bm25_zh",
)
# (weights in DECISION_SIGNALS order, bias) per language.
DECISION_WEIGHTS: dict[str, tuple[tuple[float, ...], float]] = {
    "zh": ((58.51, 4.346, -0.25, 0.484, 1.205, 0.289, 0.471), -53.338),
    "en": ((77.464, 0.96, 1.951, 0.67, 1.862, 0.364, -0.313), -68.598),
    "en-cross": ((2.328, 0.442, 0.442, 1.381, 2.077, 0.278, -0.427), -2.133),
}
DECISION_THRESHOLD: dict[str, float] = {"zh": 0.706, "en": 0.849, "en-cross": 0.485}
