"""Find, read and parse the documents to index, each paired with its English rendering."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from knowledge.loaders import (
    SUPPORTED_SUFFIXES,
    TRANSLATION_SUFFIX,
    LoadError,
    document_id,
    is_translation,
    read_text,
)
from knowledge.parse import ParseError, parse_document
from knowledge.translation import attach, english_title, parse_translation
from knowledge.types import Document

BUNDLED_DIR = Path(__file__).resolve().parent / "data"
BUNDLED_ID = "chongqing-govcloud-security-measures"


def discover(paths: Iterable[Path]) -> list[Path]:
    """Document files under the given files/directories, translations left out, sorted."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise LoadError(f"{path}: no such file or directory")
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        found += [
            p
            for p in candidates
            if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not is_translation(p)
        ]
    return sorted(dict.fromkeys(found))


def load_file(path: Path) -> Document:
    """Parse one document; an English rendering beside it (<id>.en.md) is attached."""
    text = read_text(path)
    try:
        document = parse_document(text, doc_id=document_id(path), path=str(path))
    except ParseError as exc:
        raise LoadError(f"{path}: {exc}") from exc
    english = path.parent / (document.doc_id + TRANSLATION_SUFFIX)
    if english.is_file():
        rendering = english.read_text(encoding="utf-8")
        rendered = parse_translation(rendering)
        document = replace(
            document,
            articles=attach(document.articles, rendered),
            title_en=english_title(rendering),
        )
    return document


def load_documents(paths: Iterable[Path]) -> list[Document]:
    """Every document under paths, all parsed before anything is indexed."""
    files = discover(paths)
    if not files:
        raise LoadError("no documents found (expected .txt, .md, .docx or .pdf files)")
    documents = [load_file(path) for path in files]
    ids = [d.doc_id for d in documents]
    if len(set(ids)) != len(ids):
        raise LoadError(
            f"two files share a document id: {sorted({i for i in ids if ids.count(i) > 1})}"
        )
    return documents


@lru_cache(maxsize=1)
def load_bundled() -> Document:
    """The bundled regulation with its English rendering."""
    return load_file(BUNDLED_DIR / f"{BUNDLED_ID}.zh.txt")
