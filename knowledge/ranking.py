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
    "zh": (19.287, 9.298, 105.505, 4.796, 0.0, 16.479, 3.491, 3.028),
    "en": (29.055, 30.111, 63.517, -1.819, 5.436, 5.476, 2.266, 7.593),
}


def rank_score(lang: Lang, table: np.ndarray) -> np.ndarray:
    """One score per candidate row (columns in FEATURES order); higher ranks first."""
    return table @ np.asarray(RANK_WEIGHTS[lang])


DECISION_SIGNALS = ("similarity", "coverage", "margin", "top_bm25_zh")
# (weights in DECISION_SIGNALS order, bias) per language.
DECISION_WEIGHTS: dict[Lang, tuple[tuple[float, ...], float]] = {
    "zh": ((65.219, 7.039, 0.304, -1.912), -57.383),
    "en": ((88.406, 2.14, 0.286, 0.764), -76.575),
}
DECISION_THRESHOLD: dict[Lang, float] = {"zh": 0.775, "en": 0.753}
