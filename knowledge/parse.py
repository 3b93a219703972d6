"""Structural parser for Chinese legal documents: 编/章/节 (structure), 条 (article), 款 (paragraph).

Every span keeps character offsets into the original text, so a citation can always be cut
back out of the source exactly. Headings of parts, chapters and sections are structure: they end
the article before them and never become article text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from knowledge.numerals import chinese_to_int
from knowledge.types import Article, Document, Paragraph

_NUM = r"[零〇一二两三四五六七八九十百千\d]+"
_SPACE = r"[ \t\u3000]"
# Headings sit at the start of a line, optionally behind Markdown markers (#, **) and spaces.
_ARTICLE = re.compile(rf"^{_SPACE}*(?:#+{_SPACE}*)?(?:\*\*)?(第({_NUM})条)(?:\*\*)?(?=(.?))", re.M)
_DIVISION = re.compile(
    rf"^{_SPACE}*(?:#+{_SPACE}*)?(?:\*\*)?(第({_NUM})(编|章|节))(?:\*\*)?{_SPACE}*(.*?){_SPACE}*$",
    re.M,
)
# A line that merely starts with 第X条 — every such line must be an article heading or a
# known reference, or the parse is suspect (the count check below).
_ARTICLE_LINE = re.compile(rf"^{_SPACE}*(?:#+{_SPACE}*)?(?:\*\*)?第{_NUM}条", re.M)
# Some published texts open with a metadata block (dates, issuing body) closed by this marker.
INFO_END = "<!-- INFO END -->"
# Page footers such as "— 1 —" or "- 12 -" are layout, not text.
_FOOTER = re.compile(r"^[\s\-—–]*\d+[\s\-—–]*$")
_HEADING_BREAK = frozenset(" \t\u3000*：:")
_SEPARATORS = re.compile(r"[ \t\u3000*：:]*")


class ParseError(ValueError):
    """The text is not a regulation this parser understands."""


@dataclass(frozen=True)
class _Heading:
    kind: str  # "article" | "编" | "章" | "节"
    number: int
    label: str
    title: str
    line_start: int
    body_start: int


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_document(text: str, *, doc_id: str, path: str = "") -> Document:
    """Split a regulation into articles with chapters, sections, paragraphs and exact offsets."""
    if not text.strip():
        raise ParseError("the document is empty")
    body_start = _body_start(text)
    headings = _headings(text, body_start)
    if not any(h.kind == "article" for h in headings):
        raise ParseError("no article headings (第…条) found at the start of any line")
    title = _title(text, headings[0].line_start)
    articles = _articles(text, headings, doc_id)
    numbers = [a.number for a in articles]
    if len(set(numbers)) != len(numbers):
        raise ParseError(
            f"article numbers repeat: {sorted(n for n in set(numbers) if numbers.count(n) > 1)}"
        )
    warnings = _count_check(text, body_start, articles)
    return Document(
        doc_id=doc_id,
        title=title,
        path=path,
        sha256=content_hash(text),
        text=text,
        articles=tuple(articles),
        warnings=tuple(warnings),
    )


def parse_plain(text: str, *, doc_id: str, path: str = "") -> Document:
    """A text without 第X条 headings, indexed paragraph by paragraph (cited as 第N段)."""
    if not text.strip():
        raise ParseError("the document is empty")
    body_start = _body_start(text)
    lines = _paragraphs(text, body_start, len(text))
    title_line = lines[0] if lines and len(lines) > 1 and len(lines[0].text) <= 60 else None
    title = title_line.text.strip("#* ") if title_line else ""
    kept = [p for p in lines if p is not title_line and not p.text.startswith("#")]
    if not kept:
        raise ParseError("no text besides headings")
    articles = tuple(
        Article(
            doc_id=doc_id,
            number=i,
            label=f"第{i}段",
            chapter=0,
            chapter_title="",
            start=p.start,
            end=p.end,
            text=p.text,
            paragraphs=(Paragraph(1, p.start, p.end, p.text),),
        )
        for i, p in enumerate(kept, start=1)
    )
    return Document(
        doc_id=doc_id,
        title=title or doc_id,
        path=path,
        sha256=content_hash(text),
        text=text,
        articles=articles,
        structure="paragraphs",
        warnings=("no article headings (第…条): indexed paragraph by paragraph",),
    )


def _body_start(text: str) -> int:
    marker = text.find(INFO_END)
    return marker + len(INFO_END) if marker >= 0 else 0


def _headings(text: str, body_start: int) -> list[_Heading]:
    found: list[_Heading] = []
    last = 0
    for m in _ARTICLE.finditer(text, body_start):
        number = chinese_to_int(m.group(2))
        # "第十条规定的…" opening a paragraph is a reference, not a heading: a heading is followed
        # by a space, punctuation or the line's end — or is simply the next number in sequence.
        following = m.group(3)
        is_break = following in ("", "\n", "\r") or following in _HEADING_BREAK
        if not is_break and number != last + 1:
            continue
        body = m.end() + len(_SEPARATORS.match(text, m.end()).group())  # type: ignore[union-attr]
        found.append(_Heading("article", number, m.group(1), "", m.start(), body))
        last = number
    for m in _DIVISION.finditer(text, body_start):
        title = re.sub(r"\s+", "", m.group(4)).strip("*")
        found.append(
            _Heading(m.group(3), chinese_to_int(m.group(2)), m.group(1), title, m.start(), m.end())
        )
    return sorted(found, key=lambda h: h.line_start)


def _title(text: str, before: int) -> str:
    for line in text[:before].splitlines():
        cleaned = line.strip().strip("#*").strip()
        if cleaned and not cleaned.startswith("<!--"):
            return cleaned
    return ""


def _articles(text: str, headings: list[_Heading], doc_id: str) -> list[Article]:
    first_chapter = next((h.number for h in headings if h.kind == "章"), 1)
    # Articles before the first chapter heading belong to the chapter before it: the bundled
    # regulation omits its 第一章 heading, and the parser copes rather than the data changing.
    chapter, chapter_title = (first_chapter - 1 or 1), ""
    section, section_title = 0, ""
    articles = []
    for i, heading in enumerate(headings):
        if heading.kind == "章":
            chapter, chapter_title = heading.number, heading.title
            section, section_title = 0, ""
        if heading.kind == "节":
            section, section_title = heading.number, heading.title
        if heading.kind != "article":
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
                section=section,
                section_title=section_title,
            )
        )
    return articles


def _count_check(text: str, body_start: int, articles: list[Article]) -> list[str]:
    """Every line that starts with 第X条 must be an article heading, and numbers must run 1..N."""
    warnings = []
    lines = len(_ARTICLE_LINE.findall(text, body_start))
    if lines != len(articles):
        warnings.append(
            f"{lines} lines start with 第…条 but {len(articles)} articles were read; "
            "the others were kept as text of the article before them"
        )
    numbers = [a.number for a in articles]
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        gaps = sorted(set(range(numbers[0], max(numbers) + 1)) - set(numbers))
        warnings.append(
            f"article numbers are not consecutive (missing: {gaps[:10]})"
            if gaps
            else "article numbers are out of order"
        )
    return warnings


def _paragraphs(text: str, start: int, end: int) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        line = match.group()
        stripped = line.strip(" \t\u3000\r")
        if not stripped or _FOOTER.match(stripped) or stripped.startswith("<!--"):
            continue
        lead = len(line) - len(line.lstrip(" \t\u3000\r"))
        p_start = start + match.start() + lead
        paragraphs.append(
            Paragraph(len(paragraphs) + 1, p_start, p_start + len(stripped), stripped)
        )
    return paragraphs


def parse_any(text: str, *, doc_id: str, path: str = "") -> Document:
    """Articles when the text has 第X条 headings, else paragraphs (the Document says which)."""
    try:
        return parse_document(text, doc_id=doc_id, path=path)
    except ParseError as exc:
        if "no article headings" not in str(exc):
            raise
    return parse_plain(text, doc_id=doc_id, path=path)
