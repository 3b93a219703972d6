"""Small dataclasses that carry provenance from the source text to every answer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["zh", "en"]


@dataclass(frozen=True)
class Paragraph:
    """One 款 of an article; offsets index the document's original text."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    """One 条: its number, chapter and exact span in the source document."""

    doc_id: str
    number: int
    label: str  # the heading as written, e.g. "第三十条"
    chapter: int
    chapter_title: str
    start: int
    end: int
    text: str  # source[start:end], heading excluded
    paragraphs: tuple[Paragraph, ...]
    translation: str = ""  # unofficial English rendering, "" when none ships
    section: int = 0  # 第X节 inside the chapter, 0 when the chapter has no sections
    section_title: str = ""


@dataclass(frozen=True)
class Document:
    """A parsed regulation: id and title come from the document itself."""

    doc_id: str
    title: str
    path: str
    sha256: str
    text: str
    articles: tuple[Article, ...]
    title_en: str = ""  # from our English rendering's heading, "" when none ships
    # "articles": 第X条 headings; "paragraphs": a text without them, cited paragraph by paragraph.
    structure: Literal["articles", "paragraphs"] = "articles"
    warnings: tuple[str, ...] = ()  # what the parser noticed (e.g. an article count mismatch)

    def article(self, number: int) -> Article:
        for article in self.articles:
            if article.number == number:
                return article
        raise KeyError(f"{self.doc_id} has no article {number}")


@dataclass(frozen=True)
class Hit:
    """A retrieved article with the scores that ranked it."""

    doc_id: str
    doc_title: str
    article: int
    start: int
    end: int
    score: float
    dense_score: float = 0.0
    lexical_score: float = 0.0


@dataclass(frozen=True)
class Citation:
    """A verbatim quote cut from the source by offsets, never written by a model."""

    doc_id: str
    doc_title: str
    article: int
    label: str  # 第三十条
    start: int
    end: int
    quote: str
    translation: str = ""  # the unofficial English rendering of the quoted sentences
    doc_title_en: str = ""
    label_en: str = ""  # "Art. 30" (or "Para. 3" for a document without articles)


@dataclass(frozen=True)
class Answer:
    """What the bot says: text in the asker's language plus its citations."""

    question: str
    language: Lang
    text: str
    citations: tuple[Citation, ...] = ()
    abstained: bool = False  # nothing indexed covers the question (or its language is unsupported)
    unsupported_language: bool = False  # neither Chinese nor English: the text says which we answer
    hits: tuple[Hit, ...] = field(default=(), compare=False)
    phrased_by: Literal["extractive", "llm"] = "extractive"


_LOCAL_TITLE = re.compile(
    r"^([\u4e00-\u9fff]{2,6}?)(?:省|市|自治区|自治州|县)"
)  # the place, its level


def is_local(title: str) -> bool:
    """A local rule (重庆市…办法) rather than a national law: it leads when both answer."""
    return bool(local_place(title))


def local_place(title: str) -> str:
    """The place a local rule's title opens with (重庆市… -> 重庆), or "" for a national law."""
    found = _LOCAL_TITLE.match(short_title(title))
    return found.group(1) if found else ""


def short_title(title: str) -> str:
    """A law's everyday name: 中华人民共和国网络安全法 -> 网络安全法, 办法（试行） -> 办法."""
    name = title.strip().removeprefix("中华人民共和国")
    while name.endswith(("）", ")")):
        opening = max(name.rfind("（"), name.rfind("("))
        if opening <= 0:
            break
        name = name[:opening].rstrip()
    return name
