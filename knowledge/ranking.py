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
    "zh": (22.055, 12.375, 102.803, 4.631, 0.0, 16.658, 3.794, 2.888),
    "en": (35.85, 22.755, 77.946, -2.184, 5.507, 5.502, 2.472, 7.995),
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
DECISION_WEIGHTS: dict[Lang, tuple[tuple[float, ...], float]] = {
    "zh": ((58.552, 4.418, -0.296, 0.405, 1.153, 0.321, -0.929), -52.156),
    "en": ((74.787, 0.688, 2.534, 0.644, 1.868, 0.33, 0.442), -66.975),
}
DECISION_THRESHOLD: dict[Lang, float] = {"zh": 0.758, "en": 0.833}
