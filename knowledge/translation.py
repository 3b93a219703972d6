"""Our unofficial English rendering, paired with the original article by article."""

from __future__ import annotations

import re
from dataclasses import replace

from knowledge.types import Article

_ARTICLE_HEADING = re.compile(r"^###\s+Article\s+(\d+)\s*$", re.M)
_OTHER_HEADING = re.compile(r"^#{1,2}\s")


def parse_translation(text: str) -> dict[int, tuple[str, ...]]:
    """Article number -> its English paragraphs, from the `### Article N` Markdown format."""
    matches = list(_ARTICLE_HEADING.finditer(text))
    rendered: dict[int, tuple[str, ...]] = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        lines = [line.strip() for line in text[match.end() : end].splitlines()]
        paragraphs = tuple(
            line
            for line in lines
            if line and not _OTHER_HEADING.match(line) and not line.startswith(">")
        )
        rendered[int(match.group(1))] = paragraphs
    return rendered


def english_title(text: str) -> str:
    """The rendering's title: its `# ` heading without the "unofficial translation" suffix."""
    for line in text.splitlines():
        if line.startswith("# "):
            return re.split(r"\s+[—-]+\s+", line[2:].strip())[0]
    return ""


def attach(
    articles: tuple[Article, ...], rendered: dict[int, tuple[str, ...]]
) -> tuple[Article, ...]:
    """Articles with their English paragraphs joined by newlines ("" where none was written)."""
    return tuple(replace(a, translation="\n".join(rendered.get(a.number, ()))) for a in articles)
