"""Exact nearest-unit search over an in-memory matrix of one language's unit vectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from knowledge.types import Lang
from knowledge.units import Unit


@dataclass(frozen=True)
class UnitMatch:
    doc_id: str
    article: int
    paragraph: int  # 0: the whole article
    sentence: int  # 0: the whole paragraph
    similarity: float
    lang: Lang = "zh"  # sentence numbers count that language's sentences


@dataclass(frozen=True)
class UnitMatrix:
    """One language's unit vectors (rows normalized) and what each row is."""

    vectors: np.ndarray
    rows: list[tuple[str, int, int, int]]  # (doc_id, article, paragraph, sentence)
    lang: Lang

    @classmethod
    def read(cls, collection: Any, lang: Lang) -> UnitMatrix:
        stored = collection.get(include=["embeddings", "metadatas"])
        metas = stored["metadatas"] or []
        if not metas:
            return cls(np.zeros((0, 0), dtype=np.float32), [], lang)
        vectors = np.asarray(stored["embeddings"], dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.where(norms == 0, 1.0, norms)
        rows = [
            (str(m["doc_id"]), int(m["article"]), int(m["paragraph"]), int(m["sentence"]))
            for m in metas
        ]
        return cls(vectors, rows, lang)

    @classmethod
    def of_units(cls, unit_list: list[Unit], vectors: np.ndarray, lang: Lang) -> UnitMatrix:
        """The matrix of units in hand, row i being unit i's vector."""
        if not unit_list:
            return cls(np.zeros((0, 0), dtype=np.float32), [], lang)
        vectors = np.array(vectors, dtype=np.float32)  # a copy: normalized in place below
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.where(norms == 0, 1.0, norms)
        rows = [(u.doc_id, u.article, u.paragraph, u.sentence) for u in unit_list]
        return cls(vectors, rows, lang)

    def nearest(self, vector: list[float], limit: int) -> list[UnitMatch]:
        if not self.rows or limit <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32)
        query /= float(np.linalg.norm(query)) or 1.0
        # einsum, not `@`: a matrix-vector product through multithreaded BLAS runs ten times
        # slower on a busy two-core machine; this stays near a millisecond.
        similarities = np.einsum("ij,j->i", self.vectors, query)
        count = min(limit, len(self.rows))
        best = np.argpartition(-similarities, count - 1)[:count]
        best = best[np.argsort(-similarities[best], kind="stable")]
        matches = []
        for i in best:
            doc_id, article, paragraph, sentence = self.rows[i]
            similarity = float(similarities[i])
            matches.append(UnitMatch(doc_id, article, paragraph, sentence, similarity, self.lang))
        return matches
