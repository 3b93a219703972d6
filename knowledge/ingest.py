"""Ingest: parse every document first, then bring the index in line with them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from knowledge.corpus import BUNDLED_DIR, load_corpus
from knowledge.index import ArticleIndex, Progress, SyncReport
from knowledge.loaders import LoadError


def ingest(
    index: ArticleIndex,
    paths: Sequence[Path] = (BUNDLED_DIR,),
    *,
    renderings: bool = True,
    progress: Progress | None = None,
) -> SyncReport:
    """Index exactly the documents under `paths` that can be read.

    A file that cannot be read or parsed is skipped and named in the report's notes; if it was
    indexed before, its previous version stays. Only when no file at all can be read does this
    raise LoadError, before the index is touched.
    """
    corpus = load_corpus(paths, renderings=renderings)
    if not corpus.documents:
        reasons = "; ".join(corpus.messages()) or "expected .txt, .md, .docx or .pdf files"
        raise LoadError(f"no documents found ({reasons})")
    report = index.sync(corpus.documents, keep=corpus.skipped_ids, progress=progress)
    report.notes = corpus.messages()
    return report


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
