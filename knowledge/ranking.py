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
    "zh": (19.839, 8.499, 108.93, 4.881, 0.0, 16.423, 3.518, 3.03),
    "en": (32.967, 20.136, 69.078, -1.72, 5.419, 5.365, 2.242, 7.572),
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
    "zh": ((62.815, 5.393, 0.311, 0.743, 1.152, 0.297, -2.025), -55.458),
    "en": ((79.221, 0.752, 2.508, 0.709, 1.622, 0.333, 0.444), -70.726),
}
DECISION_THRESHOLD: dict[Lang, float] = {"zh": 0.764, "en": 0.839}
