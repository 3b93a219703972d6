"""Sentence spans inside an article, as offsets, so quotes are always cut from the source."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.types import Article

# A Chinese sentence ends at 。！？ (and ；, which in statutes separates independent duties).
_ZH_END = re.compile(r"[^。！？；]+[。！？；]?")
_EN_END = re.compile(r".+?(?:[.!?;](?=\s|$)|$)", re.S)


@dataclass(frozen=True)
class Sentence:
    article: int
    paragraph: int
    start: int  # offsets into the document's source text
    end: int
    text: str


def zh_sentences(article: Article) -> list[Sentence]:
    """The article's sentences with document offsets; text == source[start:end]."""
    found = []
    for paragraph in article.paragraphs:
        for match in _ZH_END.finditer(paragraph.text):
            piece = match.group()
            lead = len(piece) - len(piece.lstrip())
            text = piece.strip()
            if text:
                start = paragraph.start + match.start() + lead
                found.append(
                    Sentence(article.number, paragraph.index, start, start + len(text), text)
                )
    return found


def en_sentences(text: str) -> list[str]:
    """English sentences of a translated paragraph."""
    return [m.group().strip() for m in _EN_END.finditer(text) if m.group().strip()]


# A sentence with no subject of its own leans on the one before for it and for its condition:
# "政务云服务商退出服务时，应当完整返还数据资产…；应当继续保留相关网络日志不少于6个月" keeps logs
# only when the provider exits. "It shall …" / "They shall …" are the renderings' way to say it.
_LEANS = {
    "zh": re.compile(r"^(?:应当|并且?|且|还应当|同时)"),
    "en": re.compile(r"^(?:It|They|Such \w+|These \w+)\s+(?:shall|must|may)\b"),
}


def leans_on_previous(text: str, lang: str) -> bool:
    """Does this sentence (not a paragraph's first) borrow its subject from the one before?"""
    return bool(_LEANS[lang].match(text.strip()))
