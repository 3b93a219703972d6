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
    "states_quantity",
)

RANK_WEIGHTS: dict[Lang, tuple[float, ...]] = {
    "zh": (32.289, 25.943, 54.225, 4.692, 0.0, 14.853, 3.246, 2.553, 3.618),
    "en": (41.043, 18.113, 99.412, 1.084, 5.416, 4.598, 2.373, 8.926, 3.585),
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
    "zh": ((34.68, 25.579, 3.563, 0.031, 0.366, 1.012, 0.287, 0.489), -32.341),
    "en": ((49.974, 28.963, 0.273, 2.062, 0.597, 1.785, 0.31, 0.085), -44.994),
    "en-cross": ((-35.396, 43.263, -0.157, -0.157, 1.152, 1.619, 0.463, 0.677), 30.147),
}
DECISION_THRESHOLD: dict[str, float] = {"zh": 0.79, "en": 0.849, "en-cross": 0.68}
