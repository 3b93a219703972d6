"""When to say the regulation does not cover a question instead of quoting a weak match."""

from __future__ import annotations

from knowledge.retrieve import Retrieval

# Tuned with `python -m knowledge.eval` on the shared questions (see README for the figures):
# an in-scope question either shares its rarer terms with the best article (coverage) or is
# very close to it in meaning (similarity); off-topic questions ("明天会下雨吗") do neither.
MIN_COVERAGE = {"zh": 0.30, "en": 0.30}
CONFIDENT_SIMILARITY = {"zh": 0.90, "en": 0.88}
MIN_SIMILARITY = {"zh": 0.80, "en": 0.78}


def should_abstain(retrieval: Retrieval) -> bool:
    """True when nothing retrieved is a credible answer."""
    if not retrieval.hits:
        return True
    lang = retrieval.lang
    if retrieval.top_similarity < MIN_SIMILARITY[lang]:
        return True
    return (
        retrieval.coverage < MIN_COVERAGE[lang]
        and retrieval.top_similarity < CONFIDENT_SIMILARITY[lang]
    )
