"""Answer or decline: declining is right only when no indexed document covers the question.

A logistic model over the top candidates' signals, fitted by knowledge/calibrate.py and stored
with the ranker (knowledge/ranking.py): P(in scope) = sigmoid(w · signals + b). It reads
coverage through the thesaurus, so chat wording that shares few words with statute text is not
punished for it, and document-level coverage, so a distractor that shares one generic word with
an out-of-scope question does not make it look answerable.
"""

from __future__ import annotations

from knowledge.ranking import Model
from knowledge.retrieve import Retrieval


def signals(retrieval: Retrieval) -> dict[str, float]:
    """What the decision reads: similarity, coverage and how clearly the top article wins."""
    scores = [c.score for c in retrieval.candidates[:2]]
    top = retrieval.candidates[0].features if retrieval.candidates else {}
    return {
        "similarity": retrieval.top_similarity,
        "above_background": retrieval.top_similarity - retrieval.background,
        "coverage": retrieval.coverage,
        "known_coverage": retrieval.known_coverage,
        "terms_found": float(min(retrieval.terms_found, 3)),
        "named": float(retrieval.named),
        "margin": scores[0] - scores[1] if len(scores) == 2 else 1.0,
        "top_bm25_zh": top.get("bm25_zh", 0.0),
        "doc_coverage": top.get("doc_coverage", 0.0),
        "agreement": _agreement(top),
        "doc_dense": top.get("doc_dense", 0.0),
        "word_coverage": retrieval.word_coverage,
        # Capped: past three unknown words the question is plainly about something else.
        "unknown_words": float(min(retrieval.unknown_words, 3)),
        # A question that wants a number ("等保测评多少钱", "值班电话多少") whose best article
        # states none is most often one the documents do not answer.
        "quantity_missing": float(retrieval.asks_quantity and not top.get("states_quantity")),
        # "云商违反这个办法要罚多少钱": a sanction asked, and the best article sets none (the
        # Chongqing measures set no fines; a law's duty article is not its penalty article).
        "fine_missing": float(retrieval.asks_penalty and not top.get("states_fine")),
        # Directories and other laws (knowledge/elsewhere.py): "值班电话多少", "GDPR最高罚多少".
        "lookup": float(retrieval.asks_lookup),
        "other_law": float(retrieval.names_other_law),
        # "when did PIPL take effect": a date asked, and the top article is the commencement
        # clause that states it. Short as such questions are, their similarity runs low.
        "date_given": top.get("states_date", 0.0),
    }


def _agreement(top: dict[str, float]) -> float:
    """Half for each side that ranks the chosen article first on its own: the dense side (its
    similarity is the best) and the lexical side (its BM25 is the best in either language).
    Both agreeing is strong evidence the question is about that article."""
    if not top:
        return 0.0
    dense = top["dense"] >= -1e-9
    lexical = max(top["bm25_zh"], top["bm25_en"]) >= 1.0 - 1e-9
    return (float(dense) + float(lexical)) / 2


def in_scope_probability(retrieval: Retrieval, model: Model) -> float:
    if not retrieval.candidates:
        return 0.0
    return model.decisions[decision_model(retrieval)].probability(signals(retrieval))


def decision_model(retrieval: Retrieval) -> str:
    """ "zh", "en", or "en-cross" (an English question on an article with no rendering)."""
    return "en-cross" if retrieval.cross_lingual else retrieval.lang


def should_decline(retrieval: Retrieval, model: Model) -> bool:
    threshold = model.decisions[decision_model(retrieval)].threshold
    return in_scope_probability(retrieval, model) < threshold
