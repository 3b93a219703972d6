"""The thesaurus of what staff type (resources/thesaurus.tsv): colloquial phrase -> statutory terms.

Chinese phrases match anywhere in the Simplified question; English phrases match whole words
(a trailing * matches any ending). Each match brings the statute's Chinese terms (for the
Chinese lexical side, which English questions also use) and its English terms (for our renderings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent / "resources"
THESAURUS = RESOURCES / "thesaurus.tsv"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Entry:
    phrase: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    pattern: re.Pattern[str] | None  # English phrases only


@dataclass(frozen=True)
class Expansion:
    """What the thesaurus found in a question."""

    entries: tuple[Entry, ...] = ()

    @property
    def zh(self) -> tuple[str, ...]:
        """Statutory Chinese terms, each once."""
        return tuple(dict.fromkeys(t for e in self.entries for t in e.zh))

    @property
    def en(self) -> tuple[str, ...]:
        """Statutory English words, each once."""
        return tuple(dict.fromkeys(t for e in self.entries for t in e.en))


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    found = []
    for line in THESAURUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        phrase, zh, en = [*line.split("\t"), "", ""][:3]
        pattern = None
        if not _CJK.search(phrase):
            # Whole words by Latin letters and digits, not by \b: Chinese characters are word
            # characters to `re`, and "PIPL顶格罚多少" or "CII运营者" names the law all the same.
            body = re.escape(phrase.rstrip("*")).replace(r"\ ", r"\s+")
            pattern = re.compile(
                rf"(?<![a-z0-9]){body}"
                + (r"[a-z0-9]*" if phrase.endswith("*") else r"(?![a-z0-9])")
            )
        found.append(Entry(phrase, tuple(zh.split()), tuple(en.split()), pattern))
    # Longest phrases first, so 大数据局 is read before 数据局 and the shorter one is skipped.
    return tuple(sorted(found, key=lambda e: -len(e.phrase)))


@lru_cache(maxsize=4096)  # retrieval, passage choice and the lead all read the same question
def expand(question: str) -> Expansion:
    """Statutory terms for the colloquial phrases in a (normalized) question."""
    lowered = question.lower()
    matched: list[Entry] = []
    covered: list[tuple[int, int]] = []
    for entry in entries():
        spans = (
            [(m.start(), m.end()) for m in entry.pattern.finditer(lowered)]
            if entry.pattern
            else [(m.start(), m.end()) for m in re.finditer(re.escape(entry.phrase), lowered)]
        )
        spans = [s for s in spans if not any(a <= s[0] and s[1] <= b for a, b in covered)]
        if not spans:
            continue
        covered += spans
        matched.append(entry)
    return Expansion(tuple(matched))
