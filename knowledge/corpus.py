"""Find, read and parse the documents to index, each paired with its English rendering.

One bad file never blocks the others: it is skipped with a message naming it and why, and the
rest are indexed. The same text given twice (bundled and again through DOCS_DIR under another
name) is indexed once, under the id of the first one found.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
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
from knowledge.parse import ParseError, parse_any
from knowledge.translation import attach, english_title, parse_translation
from knowledge.types import Document

log = logging.getLogger(__name__)

BUNDLED_DIR = Path(__file__).resolve().parent / "data"
BUNDLED_ID = "chongqing-govcloud-security-measures"
# The default corpus: the Chongqing regulation and the national laws it rests on (its 第一条 cites
# the first three). Chinese laws are not subject to copyright (著作权法 第五条).
BUNDLED_IDS = (
    BUNDLED_ID,
    "cybersecurity-law",
    "data-security-law",
    "cryptography-law",
    "personal-information-protection-law",
    "critical-information-infrastructure-regulations",
)


@dataclass
class Corpus:
    """The documents that parsed, and a message for every file that did not."""

    documents: list[Document] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # file -> why
    skipped_ids: set[str] = field(default_factory=set)  # ids of skipped files (kept if indexed)
    duplicates: dict[str, str] = field(default_factory=dict)  # file -> id it duplicates

    def messages(self) -> list[str]:
        lines = [f"skipped {path}: {why}" for path, why in self.skipped.items()]
        lines += [
            f"{path}: same text as {doc_id}, indexed once"
            for path, doc_id in self.duplicates.items()
        ]
        lines += [f"{d.path}: {warning}" for d in self.documents for warning in d.warnings]
        return lines


def discover(paths: Iterable[Path]) -> tuple[list[Path], dict[str, str]]:
    """Document files under the given files/directories (translations left out), and missing paths."""
    found: list[Path] = []
    missing: dict[str, str] = {}
    for path in paths:
        if not path.exists():
            missing[str(path)] = "no such file or directory"
            continue
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        found += [
            p
            for p in candidates
            if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not is_translation(p)
        ]
    return list(dict.fromkeys(found)), missing


def load_file(path: Path, *, renderings: bool = True) -> Document:
    """Parse one document; an English rendering beside it (<id>.en.md) is attached."""
    text = read_text(path)
    doc_id = document_id(path)
    try:
        document = parse_any(text, doc_id=doc_id, path=str(path))
    except ParseError as exc:
        raise LoadError(f"{path}: {exc}") from exc
    english = path.parent / (document.doc_id + TRANSLATION_SUFFIX)
    if renderings and english.is_file() and document.structure == "articles":
        rendering = english.read_text(encoding="utf-8")
        document = replace(
            document,
            articles=attach(document.articles, parse_translation(rendering)),
            title_en=english_title(rendering),
        )
    return document


def load_corpus(paths: Iterable[Path], *, renderings: bool = True) -> Corpus:
    """Every document under paths that parses; bad files are reported, not fatal."""
    files, missing = discover(paths)
    corpus = Corpus(skipped=dict(missing))
    by_hash: dict[str, str] = {}
    ids: set[str] = set()
    for path in files:
        try:
            document = load_file(path, renderings=renderings)
        except LoadError as exc:
            corpus.skipped[str(path)] = str(exc).removeprefix(f"{path}: ")
            corpus.skipped_ids.add(document_id(path))
            continue
        if document.sha256 in by_hash:
            corpus.duplicates[str(path)] = by_hash[document.sha256]
            continue
        if document.doc_id in ids:
            corpus.skipped[str(path)] = (
                f"another file already has the document id {document.doc_id!r}; rename one"
            )
            continue
        by_hash[document.sha256] = document.doc_id
        ids.add(document.doc_id)
        corpus.documents.append(document)
    for message in corpus.messages():
        log.warning("%s", message)
    return corpus


def load_documents(paths: Iterable[Path], *, renderings: bool = True) -> list[Document]:
    """The documents under paths; raises LoadError when not a single one could be read."""
    corpus = load_corpus(paths, renderings=renderings)
    if not corpus.documents:
        reasons = "; ".join(corpus.messages()) or "expected .txt, .md, .docx or .pdf files"
        raise LoadError(f"no documents found ({reasons})")
    return corpus.documents


@lru_cache(maxsize=1)
def load_bundled() -> Document:
    """The bundled regulation with its English rendering."""
    return load_file(BUNDLED_DIR / f"{BUNDLED_ID}.zh.txt")


@lru_cache(maxsize=1)
def load_bundled_corpus() -> tuple[Document, ...]:
    """The regulation and the five national laws, as shipped."""
    return tuple(load_documents([BUNDLED_DIR]))
