"""The linear ranker over retrieval signals, and the answer-or-decline model.

Both are fitted on the DEV set only (`python -m knowledge.calibrate`, see its docstring), with
the six documents and the 20 distractor regulations indexed, each question retrieved both with
and without our English renderings: the ranker by maximizing the likelihood that the right
article scores highest among a question's candidates (a conditional logit); the decision by
logistic regression of "in scope" on the signals, one model per language plus one for English
questions whose best article has no rendering ("en-cross"), each threshold keeping DEV's
in-scope questions declined at or under 5 %. The figures below are what that command printed;
refit after changing a signal.
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
    "zh": (37.52, 28.941, 70.291, 4.008, 0.0, 15.906, 3.455, 2.904),
    "en": (37.822, 13.575, 113.46, 0.45, 4.782, 5.567, 2.492, 9.258),
}


def rank_score(lang: Lang, table: np.ndarray) -> np.ndarray:
    """One score per candidate row (columns in FEATURES order); higher ranks first."""
    return table @ np.asarray(RANK_WEIGHTS[lang])


DECISION_SIGNALS = (
    "similarity",
    "above_background",
    "coverage",
    "known_coverage",
    "terms_found",
    "named",
    "margin",
    "top_bm25_zh",
)
# (weights in DECISION_SIGNALS order, bias) per language.
DECISION_WEIGHTS: dict[str, tuple[tuple[float, ...], float]] = {
    "zh": ((34.235, 27.188, 3.563, -0.407, 0.432, 0.93, 0.281, 0.146), -31.434),
    "en": ((52.003, 28.124, 0.288, 2.345, 0.587, 1.482, 0.358, 0.026), -47.033),
    "en-cross": ((-35.425, 43.176, -0.004, -0.004, 1.143, 1.644, 0.44, 0.348), 30.206),
}
DECISION_THRESHOLD: dict[str, float] = {"zh": 0.748, "en": 0.844, "en-cross": 0.69}
