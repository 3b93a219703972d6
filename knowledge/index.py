"""The Chroma index: a local directory by default, a Chroma server when CHROMA_HOST is set.

Collections: `documents` (one record per document: its source text, translation and content hash,
so every replica can rebuild the parsed corpus from Chroma alone) and `units-zh` / `units-en`
(embedded article, paragraph and sentence units). Embeddings are always computed by us and passed
in: the collections have no embedding function, so Chroma's default (a downloaded model) can never run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Set
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from knowledge.embeddings import embedding_name
from knowledge.parse import parse_any
from knowledge.translation import attach
from knowledge.types import Document, Lang
from knowledge.unit_matrix import UnitMatch, UnitMatrix
from knowledge.units import Unit, units
from knowledge.vectors import load_shipped

DOCUMENTS = "documents"
UNITS: dict[Lang, str] = {"zh": "units-zh", "en": "units-en"}
_BATCH = 256
Progress = Callable[[str, int, int], None]  # (document id, units embedded, units in the document)


@dataclass
class SyncReport:
    """What an ingest changed."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # files skipped or deduplicated, parser warnings


def open_client(*, path: Path | None = None, host: str = "", port: int = 8000) -> Any:
    """A Chroma client with telemetry off: an HTTP client when host is given, else a local directory."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if host:
        return chromadb.HttpClient(host=host, port=port, settings=settings)
    if path is None:
        raise ValueError("a local Chroma index needs a path")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class ArticleIndex:
    """Documents and their embedded units in Chroma."""

    def __init__(
        self, client: Any, embeddings: Embeddings, *, cache_dir: Path | None = None
    ) -> None:
        """`cache_dir` (a local index's directory) keeps a copy of the unit vectors as numpy
        files, read at start-up in milliseconds where reading them back from Chroma takes
        seconds; the copy is keyed by the indexed documents' fingerprints, so it never goes stale."""
        self._cache_dir = cache_dir
        self._client = client
        self.embeddings = embeddings
        self._model = embedding_name(embeddings)
        self._documents = self._collection(DOCUMENTS)
        self._units = {lang: self._collection(name) for lang, name in UNITS.items()}
        self._matrices: dict[Lang, UnitMatrix] = {}

    def _collection(self, name: str) -> Any:
        return self._client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    def fingerprint(self, document: Document) -> str:
        """Content hash of what gets indexed: source, translation and the embedding model."""
        digest = hashlib.sha256(document.text.encode("utf-8"))
        digest.update(_translations_json(document).encode("utf-8"))
        digest.update(document.title_en.encode("utf-8"))
        digest.update(self._model.encode("utf-8"))
        return digest.hexdigest()

    def stored_fingerprints(self) -> dict[str, str]:
        stored = self._documents.get(include=["metadatas"])
        return {
            i: str(m["fingerprint"])
            for i, m in zip(stored["ids"], stored["metadatas"], strict=True)
        }

    def is_current(self, documents: list[Document], *, keep: Set[str] = frozenset()) -> bool:
        """True when the index holds exactly these documents (plus kept ones), with this model."""
        stored = {k: v for k, v in self.stored_fingerprints().items() if k not in keep}
        return stored == {d.doc_id: self.fingerprint(d) for d in documents}

    def sync(
        self,
        documents: list[Document],
        *,
        keep: Set[str] = frozenset(),
        progress: Progress | None = None,
    ) -> SyncReport:
        """Make the index hold exactly `documents`: skip unchanged, replace changed, delete removed.

        Ids in `keep` (files that exist but could not be read this time) keep their indexed
        version rather than vanish from the answers.
        """
        report = SyncReport()
        self._matrices.clear()
        stored = self.stored_fingerprints()
        # A fresh index (the first start after install): the search matrix is built from the
        # vectors in hand rather than read back from Chroma, which takes seconds.
        fresh = not stored
        # Units no registry entry accounts for: an ingest stopped between a document's units
        # and its registry entry. A fresh index without any (the first start) skips the deletes
        # that clear them, 90 ms of start-up.
        leftovers = not fresh or any(c.count() for c in self._units.values())
        added: dict[Lang, list[tuple[list[Unit], np.ndarray]]] = {lang: [] for lang in UNITS}
        wanted = {d.doc_id: d for d in documents}
        for doc_id in sorted(set(stored) - set(wanted) - set(keep)):
            self._delete(doc_id)
            report.removed.append(doc_id)
        for doc_id, document in wanted.items():
            fingerprint = self.fingerprint(document)
            if stored.get(doc_id) == fingerprint:
                report.unchanged.append(doc_id)
                continue
            # Embed everything first: a failure here leaves the old entry untouched.
            prepared = self._embed(document, progress)
            if doc_id in stored:
                report.replaced.append(doc_id)
            else:
                report.added.append(doc_id)
            if doc_id in stored or leftovers:
                # Also for a new document: Chroma's add keeps an existing id's old vector.
                self._delete(doc_id)
            for lang, (unit_list, vectors) in prepared.items():
                if unit_list:  # a document without an English rendering has no English units
                    self._add_units(lang, unit_list, vectors)
                    added[lang].append((unit_list, vectors))
            self._documents.upsert(
                ids=[doc_id],
                documents=[document.text],
                embeddings=[[1.0, 0.0]],  # the registry is never searched; a constant stands in
                metadatas=[_document_metadata(document, fingerprint)],
            )
        if fresh:
            for lang, parts in added.items():
                unit_list = [u for part_units, _ in parts for u in part_units]
                vectors = np.concatenate([v for _, v in parts]) if parts else np.zeros((0, 0))
                matrix = UnitMatrix.of_units(unit_list, vectors, lang)
                self._matrices[lang] = self._keep_matrix(lang, matrix)
        return report

    def load_documents(self) -> list[Document]:
        """The indexed documents, re-parsed from their stored source text (cheap: no embedding)."""
        stored = self._documents.get(include=["documents", "metadatas"])
        documents = []
        for text, meta in zip(stored["documents"], stored["metadatas"], strict=True):
            document = parse_any(text, doc_id=str(meta["doc_id"]), path=str(meta["path"]))
            rendered = {int(k): tuple(v) for k, v in json.loads(str(meta["translation"])).items()}
            title_en = str(meta.get("title_en", ""))
            documents.append(
                replace(document, articles=attach(document.articles, rendered), title_en=title_en)
            )
        return sorted(documents, key=lambda d: d.doc_id)

    def search(self, lang: Lang, vector: list[float], *, limit: int) -> list[UnitMatch]:
        """Nearest units in one language, best first, as cosine similarities.

        Exact search over an in-memory matrix of every unit vector, read from Chroma once per
        process (sync() refreshes it): a few thousand units take one matrix product, well under
        a millisecond, where a Chroma query per question costs several.
        """
        matrix = self._matrices.get(lang)
        if matrix is None:
            matrix = self._matrices[lang] = self._read_matrix(lang)
        return matrix.nearest(vector, limit)

    def _read_matrix(self, lang: Lang) -> UnitMatrix:
        path = self._matrix_path(lang)
        if path is not None and path.is_file():
            with np.load(path) as data:
                rows = [(str(d), int(a), int(p), int(s)) for d, a, p, s in data["rows"].tolist()]
                return UnitMatrix(data["vectors"], rows, lang)
        return self._keep_matrix(lang, UnitMatrix.read(self._units[lang], lang))

    def _matrix_path(self, lang: Lang) -> Path | None:
        """The numpy copy's file for the documents indexed now (None: no local directory)."""
        if self._cache_dir is None:
            return None
        state = json.dumps(sorted(self.stored_fingerprints().items()))
        key = hashlib.sha256(f"{lang}\0{state}".encode()).hexdigest()[:24]
        return self._cache_dir / f"unit-vectors-{lang}-{key}.npz"

    def _keep_matrix(self, lang: Lang, matrix: UnitMatrix) -> UnitMatrix:
        """Write the numpy copy (replacing stale ones) and return the matrix."""
        path = self._matrix_path(lang)
        if path is None:
            return matrix
        for stale in path.parent.glob(f"unit-vectors-{lang}-*.npz"):
            stale.unlink(missing_ok=True)
        rows = np.array(matrix.rows, dtype=object).reshape(len(matrix.rows), 4).astype(str)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, vectors=matrix.vectors, rows=rows)
        tmp.replace(path)  # whole or absent: a reader never sees half a file
        return matrix

    def _embed(
        self, document: Document, progress: Progress | None
    ) -> dict[Lang, tuple[list[Unit], np.ndarray]]:
        """Both languages' units and vectors, reporting progress in units over the document.

        Vectors stay numpy arrays all the way into Chroma: handed lists of floats, Chroma's
        add spends a third longer converting them, with the interpreter lock held (measured)."""
        unit_lists = {lang: units(document, lang) for lang in UNITS}
        total = sum(len(u) for u in unit_lists.values())
        done = 0
        prepared = {}
        for lang, unit_list in unit_lists.items():
            shipped = load_shipped(self._model, [u.text for u in unit_list])
            if shipped is not None:  # the package's own vectors for exactly these texts
                done += len(unit_list)
                if progress:
                    progress(document.doc_id, done, total)
                prepared[lang] = (unit_list, shipped)
                continue
            vectors: list[list[float]] = []
            for start in range(0, len(unit_list), _BATCH):
                batch = [u.text for u in unit_list[start : start + _BATCH]]
                vectors += self.embeddings.embed_documents(batch)
                done += len(batch)
                if progress:
                    progress(document.doc_id, done, total)
            prepared[lang] = (unit_list, np.asarray(vectors, dtype=np.float32))
        return prepared

    def _add_units(self, lang: Lang, unit_list: list[Unit], vectors: np.ndarray) -> None:
        for start in range(0, len(unit_list), _BATCH):
            batch = unit_list[start : start + _BATCH]
            self._units[lang].add(
                ids=[u.id for u in batch],
                embeddings=vectors[start : start + _BATCH],
                metadatas=[
                    {
                        "doc_id": u.doc_id,
                        "article": u.article,
                        "paragraph": u.paragraph,
                        "sentence": u.sentence,
                    }
                    for u in batch
                ],
            )

    def _delete(self, doc_id: str) -> None:
        for collection in self._units.values():
            collection.delete(where={"doc_id": doc_id})
        self._documents.delete(ids=[doc_id])


def _translations_json(document: Document) -> str:
    rendered = {a.number: a.translation.split("\n") for a in document.articles if a.translation}
    return json.dumps(rendered, ensure_ascii=False, sort_keys=True)


def _document_metadata(document: Document, fingerprint: str) -> dict[str, str]:
    return {
        "doc_id": document.doc_id,
        "title": document.title,
        "title_en": document.title_en,
        "path": document.path,
        "sha256": document.sha256,
        "fingerprint": fingerprint,
        "translation": _translations_json(document),
    }
