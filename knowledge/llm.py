"""Optional LLM phrasing through LangChain, accepted only when its citations check out.

The model sees only the retrieved articles. A reply that cites nothing, or cites an article that
was not retrieved, is discarded and the extractive answer stands. Quotes are never taken from
the model: citations are rebuilt from source offsets.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from knowledge.numerals import chinese_to_int
from knowledge.types import Answer, Article, Citation

log = logging.getLogger(__name__)

_ZH_CITE = re.compile(r"第([零〇一二两三四五六七八九十百\d]+)条")
_EN_CITE = re.compile(r"\b(?:Art\.|Article)\s*(\d+)", re.I)

SYSTEM = {
    "zh": (
        "你是重庆市电子政务云平台安全合规助手。只能依据下面给出的条款回答，不得编造。"
        "每引用一个条款，用【第X条】标注。若条款不能回答问题，回答“本办法未涉及该问题”。回答简洁，用中文。"
    ),
    "en": (
        "You are the compliance assistant for the Chongqing e-government cloud platform security "
        "measures. Answer only from the articles below; never invent. Cite every article you use "
        "as [Art. N]. If the articles do not answer the question, say the regulation does not cover "
        "it. Answer briefly, in English."
    ),
}


def build_chat_model(*, base_url: str, model: str, api_key: str, timeout_s: float) -> BaseChatModel:
    """An OpenAI-compatible chat model (vLLM, Ollama, hosted Qwen/DeepSeek)."""
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key=api_key,  # type: ignore[arg-type]
        timeout=timeout_s,
        max_retries=1,
        temperature=0,
    )


def phrase_with_llm(
    extractive: Answer, articles: Sequence[Article], *, chat: BaseChatModel
) -> Answer | None:
    """The model's phrasing with verified citations, or None to keep the extractive answer."""
    lang = extractive.language
    try:
        reply = chat.invoke(
            [
                SystemMessage(SYSTEM[lang]),
                HumanMessage(_prompt(extractive.question, lang, articles)),
            ]
        )
    except Exception as exc:  # any transport, timeout or protocol failure falls back to extractive
        log.warning(
            "LLM phrasing failed, keeping the extractive answer: %s", exc.__class__.__name__
        )
        return None
    text = str(reply.content).strip()
    cited = cited_articles(text)
    retrieved = {a.number: a for a in articles}
    if not cited or not cited <= set(retrieved):
        log.warning("LLM reply discarded: cites %s, retrieved %s", sorted(cited), sorted(retrieved))
        return None
    by_article = {c.article: c for c in extractive.citations}
    citations = tuple(
        by_article.get(n) or _whole_article(retrieved[n], extractive) for n in sorted(cited)
    )
    return replace(extractive, text=text, citations=citations, phrased_by="llm")


def cited_articles(text: str) -> set[int]:
    """Article numbers a reply cites: 【第三十条】, 第30条, [Art. 30] or Article 30."""
    found = set()
    for match in _ZH_CITE.finditer(text):
        try:
            found.add(chinese_to_int(match.group(1)))
        except ValueError:
            continue
    found.update(int(m.group(1)) for m in _EN_CITE.finditer(text))
    return found


def _prompt(question: str, lang: str, articles: Sequence[Article]) -> str:
    blocks = []
    for article in articles:
        if lang == "en" and article.translation:
            blocks.append(
                f"[Art. {article.number}] {article.translation}\n(原文 {article.label}) {article.text}"
            )
        else:
            blocks.append(f"【{article.label}】{article.text}")
    heading = "条款：" if lang == "zh" else "Articles:"
    ask = "问题：" if lang == "zh" else "Question:"
    return f"{heading}\n" + "\n\n".join(blocks) + f"\n\n{ask}{question}"


def _whole_article(article: Article, extractive: Answer) -> Citation:
    doc_title = extractive.citations[0].doc_title if extractive.citations else ""
    return Citation(
        article.doc_id,
        doc_title,
        article.number,
        article.label,
        article.start,
        article.end,
        article.text,
        article.translation,
    )
