"""A background of everyday questions (resources/background.txt) the decision compares against.

A question much closer to small talk ("会议室怎么订", "VPN won't connect") than to any indexed
article is declined even when it shares words with a statute. The vectors are embedded as
questions (e5's "query:" side) and ship with the package like the corpus's.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.embeddings import embedding_name
from knowledge.vectors import VECTORS_DIR, load_shipped, write_shipped

BACKGROUND = Path(__file__).resolve().parent / "resources" / "background.txt"
QUERY_SIDE = "/query"  # shipped vectors of questions are keyed apart from passages


def background_texts(path: Path = BACKGROUND) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


class Background:
    def __init__(self, embeddings: Embeddings, path: Path = BACKGROUND) -> None:
        self._embeddings = embeddings
        self._texts = background_texts(path)

    @cached_property
    def _matrix(self) -> np.ndarray:
        model = embedding_name(self._embeddings) + QUERY_SIDE
        shipped = load_shipped(model, self._texts)
        if shipped is not None:
            return shipped
        return np.asarray([self._embeddings.embed_query(t) for t in self._texts], dtype=np.float32)

    def similarity(self, vector: list[float]) -> float:
        """The question's best cosine similarity to any background question."""
        if not self._texts:
            return 0.0
        return float((self._matrix @ np.asarray(vector, dtype=np.float32)).max())


def write_background_vectors(embeddings: Embeddings, folder: Path = VECTORS_DIR) -> Path:
    texts = background_texts()
    vectors = [embeddings.embed_query(t) for t in texts]
    return write_shipped(embedding_name(embeddings) + QUERY_SIDE, texts, vectors, folder)
