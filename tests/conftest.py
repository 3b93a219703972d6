"""Fixtures shared by every test area."""

from __future__ import annotations

import pytest

from knowledge.answer import Answerer
from knowledge.engine import KnowledgeConfig, build_answerer


@pytest.fixture(scope="session")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    """The bundled regulation indexed once for the whole session, as `make run` would."""
    return build_answerer(KnowledgeConfig(chroma_path=tmp_path_factory.mktemp("chroma")))
