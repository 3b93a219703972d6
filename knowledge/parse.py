"""Structural parser for Chinese legal documents: 章 (chapter), 条 (article), 款 (paragraph).

Every span keeps character offsets into the original text, so a citation can always be cut
back out of the source exactly.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from knowledge.numerals import chinese_to_int
from knowledge.types import Article, Document, Paragraph

_NUM = r"[零〇一二两三四五六七八九十百千\d]+"
# Headings sit at the start of a line, optionally behind Markdown markers (#, **) and spaces.
_ARTICLE = re.compile(
    rf"^[ \t\u3000]*(?:#+[ \t]*)?(?:\*\*)?(第({_NUM})条)(?:\*\*)?[ \t\u3000]*", re.M
)
_CHAPTER = re.compile(
    rf"^[ \t\u3000]*(?:#+[ \t]*)?(第({_NUM})章)[ \t\u3000]*(.*?)[ \t\u3000]*$", re.M
)
# Page footers such as "— 1 —" or "- 12 -" are layout, not text.
_FOOTER = re.compile(r"^[\s\-—–]*\d+[\s\-—–]*$")


class ParseError(ValueError):
    """The text is not a regulation this parser understands."""


@dataclass(frozen=True)
class _Heading:
    kind: str  # "article" | "chapter"
    number: int
    label: str
    title: str
    line_start: int
    body_start: int


def parse_document(text: str, *, doc_id: str, path: str = "") -> Document:
    """Split a regulation into articles with chapters, paragraphs and exact offsets."""
    if not text.strip():
        raise ParseError("the document is empty")
    headings = _headings(text)
    if not any(h.kind == "article" for h in headings):
        raise ParseError("no article headings (第…条) found at the start of any line")
    title = _title(text, headings[0].line_start)
    articles = _articles(text, headings, doc_id)
    numbers = [a.number for a in articles]
    if len(set(numbers)) != len(numbers):
        raise ParseError(
            f"article numbers repeat: {sorted(n for n in set(numbers) if numbers.count(n) > 1)}"
        )
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(
        doc_id=doc_id, title=title, path=path, sha256=sha, text=text, articles=tuple(articles)
    )


def _headings(text: str) -> list[_Heading]:
    found = [
        _Heading("article", chinese_to_int(m.group(2)), m.group(1), "", m.start(), m.end())
        for m in _ARTICLE.finditer(text)
    ]
    found += [
        _Heading(
            "chapter",
            chinese_to_int(m.group(2)),
            m.group(1),
            re.sub(r"\s+", "", m.group(3)),
            m.start(),
            m.end(),
        )
        for m in _CHAPTER.finditer(text)
    ]
    return sorted(found, key=lambda h: h.line_start)


def _title(text: str, before: int) -> str:
    for line in text[:before].splitlines():
        cleaned = line.strip().strip("#*").strip()
        if cleaned:
            return cleaned
    return ""


def _articles(text: str, headings: list[_Heading], doc_id: str) -> list[Article]:
    first_chapter = next((h.number for h in headings if h.kind == "chapter"), 1)
    # Articles before the first chapter heading belong to the chapter before it: the bundled
    # regulation omits its 第一章 heading, and the parser copes rather than the data changing.
    chapter, chapter_title = (first_chapter - 1 or 1), ""
    articles = []
    for i, heading in enumerate(headings):
        if heading.kind == "chapter":
            chapter, chapter_title = heading.number, heading.title
            continue
        block_end = headings[i + 1].line_start if i + 1 < len(headings) else len(text)
        paragraphs = _paragraphs(text, heading.body_start, block_end)
        if not paragraphs:
            raise ParseError(f"{heading.label} has no text")
        articles.append(
            Article(
                doc_id=doc_id,
                number=heading.number,
                label=heading.label,
                chapter=chapter,
                chapter_title=chapter_title,
                start=paragraphs[0].start,
                end=paragraphs[-1].end,
                text=text[paragraphs[0].start : paragraphs[-1].end],
                paragraphs=tuple(paragraphs),
            )
        )
    return articles


def _paragraphs(text: str, start: int, end: int) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        line = match.group()
        stripped = line.strip(" \t\u3000\r")
        if not stripped or _FOOTER.match(stripped):
            continue
        lead = len(line) - len(line.lstrip(" \t\u3000\r"))
        p_start = start + match.start() + lead
        paragraphs.append(
            Paragraph(len(paragraphs) + 1, p_start, p_start + len(stripped), stripped)
        )
    return paragraphs
