"""When to say the regulation does not cover a question instead of quoting a weak match."""

from __future__ import annotations

from knowledge.retrieve import Retrieval
from knowledge.types import Lang

# Two signals, tuned with `python -m knowledge.eval` on the shared questions and our own dev set
# (knowledge/eval_data/dev_questions.tsv):
# - coverage: the IDF-weighted share of the question's words found in one of the top articles;
#   off-topic questions ("明天会下雨吗", "What's for lunch?") share almost none;
# - similarity: the best dense cosine similarity of any article, paragraph or sentence.
# Below LOW similarity nothing counts; between LOW and HIGH a match must also be lexically strong,
# because a couple of shared words ("meeting room" ~ "server rooms") is not a topic.
MIN_COVERAGE: dict[Lang, float] = {"zh": 0.30, "en": 0.30}
LOW_SIMILARITY: dict[Lang, float] = {"zh": 0.865, "en": 0.80}
HIGH_SIMILARITY: dict[Lang, float] = {"zh": 0.865, "en": 0.84}
STRONG_COVERAGE = 0.70


def should_abstain(retrieval: Retrieval) -> bool:
    """True when nothing retrieved is a credible answer."""
    if not retrieval.hits:
        return True
    lang, similarity, coverage = retrieval.lang, retrieval.top_similarity, retrieval.coverage
    if coverage < MIN_COVERAGE[lang] or similarity < LOW_SIMILARITY[lang]:
        return True
    return similarity < HIGH_SIMILARITY[lang] and coverage < STRONG_COVERAGE
