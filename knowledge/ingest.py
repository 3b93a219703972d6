"""Ingest: parse every document first, then bring the index in line with them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from knowledge.corpus import BUNDLED_DIR, load_documents
from knowledge.index import ArticleIndex, SyncReport


def ingest(index: ArticleIndex, paths: Sequence[Path] = (BUNDLED_DIR,)) -> SyncReport:
    """Index exactly the documents under `paths`.

    Any unreadable, empty or malformed file raises LoadError naming it before the index is
    touched, so a bad file never leaves a half-updated index behind.
    """
    documents = load_documents(paths)
    return index.sync(documents)


def describe(report: SyncReport) -> str:
    parts = [
        f"{label}: {', '.join(ids)}"
        for label, ids in (
            ("added", report.added),
            ("replaced", report.replaced),
            ("unchanged", report.unchanged),
            ("removed", report.removed),
        )
        if ids
    ]
    return "; ".join(parts) or "nothing to index"
