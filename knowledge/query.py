"""A question as retrieval reads it, and how a question may name a document."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from knowledge.lexical import en_tokens, zh_bigrams, zh_query_bigrams
from knowledge.normalize import normalize_question
from knowledge.thesaurus import Expansion, expand
from knowledge.types import Document, Lang, short_title
from knowledge.words import content_words


@dataclass(frozen=True)
class Query:
    """A question as retrieval reads it."""

    text: str  # normalized: Simplified, NFKC, single spaces
    lang: Lang
    expansion: Expansion
    zh_own: tuple[str, ...]  # bigrams the asker typed (English questions: none)
    zh_added: tuple[str, ...]  # bigrams of the thesaurus' statutory terms
    en_own: tuple[str, ...]
    en_added: tuple[str, ...]
    zh_words: tuple[str, ...] = ()  # a Chinese question's content words (knowledge/words.py)
    topic: str = ""  # the text without the names of the documents it names


def read_query(question: str, lang: Lang, names: Collection[str] = ()) -> Query:
    """The question's topic for the lexical side. `names` are names of documents the question
    names ("网络安全法", "the cybersecurity law"): they point at a document, they are not its
    topic — an article that merely cites the law by name (a regulation's 第一条) must not match."""
    text = normalize_question(question)
    expansion = expand(text)
    topic = text
    if names:
        # An alias (网安法, 重庆的办法, CSL) brings the name as its statutory term: drop the
        # term, and the alias from the topic, or "重庆的办法" matches the 第一条 that says 重庆 and 办法.
        aliases = [e for e in expansion.entries if set(e.zh) <= set(names)]
        expansion = Expansion(tuple(e for e in expansion.entries if e not in aliases))
        for alias in aliases:
            topic = _drop(alias.pattern or re.escape(alias.phrase), topic)
    for name in sorted(names, key=len, reverse=True):
        topic = _drop(re.escape(name), topic)
    added_zh = tuple(t for term in expansion.zh for t in zh_bigrams(term))
    if lang == "zh":
        own = tuple(zh_query_bigrams(topic))
        words = content_words(topic.lower())
        return Query(text, lang, expansion, own, added_zh, (), (), words, topic)
    en_added = tuple(en_tokens(" ".join(expansion.en)))
    return Query(text, lang, expansion, (), added_zh, tuple(en_tokens(topic)), en_added, (), topic)


def _drop(pattern: str | re.Pattern[str], text: str) -> str:
    """Blank out `pattern` in `text`, whatever its case (the thesaurus matches lower-cased)."""
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    return re.sub(source, " ", text, flags=re.I)


def dense_text(query: Query) -> str:
    """The question plus the statutory words for its chat words: e5 reads "漏扫" poorly and
    "漏洞扫描" well, and an English question's "hacked" as well as "incident"."""
    extra = query.expansion.zh if query.lang == "zh" else query.expansion.en
    return f"{query.text} {' '.join(extra)}" if extra else query.text


def document_names(document: Document) -> tuple[str, ...]:
    """How a question may name a document: its short title, full title, or English title."""
    names = {short_title(document.title), document.title}
    english = document.title_en.lower().removesuffix(" of the people's republic of china")
    english = re.sub(r"\s*\(.*?\)\s*", " ", english).strip()
    if english:
        names.add(english)
        names.add(english.removeprefix("regulations on the "))
    return tuple(n for n in names if len(n) >= 3)


_CLAUSE_END = re.compile(
    r"[？?。；;，,！!—]|\s-\s|\s+(?=\S*[\u4e00-\u9fff])|,?\s+and\s+(?=what|how|does|is)"
)
_ASKS = {
    "zh": re.compile(
        r"吗|呢|什么|啥|谁|哪|几|多久|多长|多少|怎么|咋|如何|是否|能否|可否|要不要|能不能|"
        r"可不可以|是不是|有没有|[？?]"
    ),
    "en": re.compile(
        r"^\s*(?:what|how|who|when|which|why|where|whether|does|do|did|is|are|can|could|must|"
        r"should|may|will|shall|has|have)\b|\?",
        re.I,
    ),
}


def clauses(question: str) -> list[str]:
    """The question's clauses, split where chat breaks them (punctuation, a space before
    Chinese, an em dash, ", and what …")."""
    return [c for c in _CLAUSE_END.split(question.strip()) if c.strip()]


def asks(clause: str, lang: Lang) -> bool:
    """Is this clause itself a question (rather than context: "政务云上的数据泄露了")?"""
    return bool(_ASKS[lang].search(clause))
