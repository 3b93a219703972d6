"""Evaluation question files: the five-column format and the older three-column one.

Five columns (header `lang question expected key_fact group`):
- expected: `none` (must be declined), `unsupported` (a language we do not answer in), or
  `DOC:ARTICLE` items; `;` separates alternatives (the answer's first citation must be one of
  them), `&` joins items that must all be cited, the first of them leading.
- key_fact: a regular expression (case-insensitive) the answer's first paragraph must match.
- group: comma-separated tags, reported one by one.

Three columns (header `lang question articles`): articles of the Chongqing regulation separated
by commas (any of them may come first), or `none`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

REGULATION_TITLE = "重庆市电子政务云平台安全管理办法"
GROUPS = frozenset(
    "regulation law chat formal colloquial typo traditional english multi-doc oos near-scope "
    "unsupported-lang".split()
)
FIVE_COLUMNS = ("lang", "question", "expected", "key_fact", "group")
THREE_COLUMNS = ("lang", "question", "articles")


class EvalFileError(ValueError):
    """A malformed question file; the message starts with `path:line:`."""


@dataclass(frozen=True)
class Target:
    doc: str  # a short title (网络安全法) or a document id
    article: int


@dataclass(frozen=True)
class Question:
    lang: str
    text: str
    kind: Literal["answer", "none", "unsupported"]
    # Alternatives; each is a group of targets that must all be cited, the first leading.
    expected: tuple[tuple[Target, ...], ...] = ()
    key_fact: re.Pattern[str] | None = None
    groups: frozenset[str] = frozenset()
    source: str = ""  # path:line, for reports

    @property
    def in_scope(self) -> bool:
        return self.kind == "answer"


def read_questions(path: Path) -> list[Question]:
    """Every question of a file in either format; raises EvalFileError naming path:line."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows:
        return []
    header = tuple(cell.strip() for cell in rows[0])
    if header[:5] == FIVE_COLUMNS:
        parse_row = _five_columns
    elif header[:3] == THREE_COLUMNS:
        parse_row = _three_columns
    else:
        raise EvalFileError(
            f"{path}:1: header must be {' '.join(FIVE_COLUMNS)} or {' '.join(THREE_COLUMNS)} "
            "(tab-separated)"
        )
    questions = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{path}:{line}"
        try:
            questions.append(parse_row([cell.strip() for cell in row], where))
        except ValueError as exc:
            raise EvalFileError(f"{where}: {exc}") from None
    return questions


def _five_columns(row: list[str], where: str) -> Question:
    if len(row) < 4:
        raise ValueError(f"expected 5 tab-separated columns, found {len(row)}")
    lang, text, expected, key_fact = row[:4]
    groups = frozenset(g.strip() for g in (row[4] if len(row) > 4 else "").split(",") if g.strip())
    unknown = groups - GROUPS
    if unknown:
        raise ValueError(f"unknown group(s) {sorted(unknown)}; use {', '.join(sorted(GROUPS))}")
    pattern = _pattern(key_fact) if key_fact else None
    return Question(_lang(lang), _text(text), *_expected(expected), pattern, groups, where)


def _three_columns(row: list[str], where: str) -> Question:
    if len(row) < 3:
        raise ValueError(f"expected 3 tab-separated columns, found {len(row)}")
    lang, text, articles = row[:3]
    if articles.lower() == "none":
        return Question(_lang(lang), _text(text), "none", source=where)
    try:
        numbers = [int(a) for a in articles.split(",")]
    except ValueError:
        raise ValueError("articles must be numbers separated by commas, or 'none'") from None
    expected = tuple((Target(REGULATION_TITLE, n),) for n in numbers)
    groups = frozenset({"regulation"} | ({"english"} if lang == "en" else set()))
    return Question(_lang(lang), _text(text), "answer", expected, None, groups, where)


def _expected(
    raw: str,
) -> tuple[Literal["answer", "none", "unsupported"], tuple[tuple[Target, ...], ...]]:
    if raw.lower() in ("none", "unsupported"):
        return raw.lower(), ()  # type: ignore[return-value]
    alternatives = []
    for alternative in raw.split(";"):
        alternatives.append(tuple(_target(item) for item in alternative.split("&")))
    return "answer", tuple(alternatives)


def _target(item: str) -> Target:
    doc, sep, article = item.strip().rpartition(":")
    if not sep or not doc.strip() or not article.strip().isdigit():
        raise ValueError(
            f"expected DOC:ARTICLE (e.g. 网络安全法:21), 'none' or 'unsupported', got {item!r}"
        )
    return Target(doc.strip(), int(article))


def _pattern(raw: str) -> re.Pattern[str]:
    try:
        return re.compile(raw, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"key_fact is not a valid regular expression: {exc}") from None


def _lang(raw: str) -> str:
    if raw not in ("zh", "en", "other"):
        raise ValueError(f"lang must be zh, en or other, got {raw!r}")
    return raw


def _text(raw: str) -> str:
    if not raw:
        raise ValueError("the question is empty")
    return raw
