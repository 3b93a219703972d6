"""The answer engine's configuration from the bot's settings (its own module, so `compliance-bot
ask` and `eval` need not import the Slack and store side that bot.services brings)."""

from __future__ import annotations

from bot.settings import Settings
from knowledge.corpus import BUNDLED_DIR
from knowledge.engine import KnowledgeConfig


def knowledge_config(settings: Settings) -> KnowledgeConfig:
    docs = (BUNDLED_DIR, settings.docs_dir) if settings.docs_dir else (BUNDLED_DIR,)
    return KnowledgeConfig(
        chroma_path=settings.resolved_chroma_path,
        chroma_host=settings.chroma_host,
        chroma_port=settings.chroma_port,
        embedding_backend=settings.embedding_backend,
        embedding_model=settings.embedding_model,
        docs=docs,
        llm_base_url=settings.llm_base_url,
        llm_model=settings.llm_model,
        llm_api_key=settings.llm_api_key.get_secret_value(),
        llm_timeout_s=settings.llm_timeout_s,
    )
