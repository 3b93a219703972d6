"""A synthetic corpus 100x the regulation's size, for the scale benchmark.

How it is made: each of N documents is the bundled regulation with its sentences reshuffled
across articles (seeded, so every run builds the same corpus), every number changed, and the
title and id made unique; each gets a matching English rendering built the same way. That keeps
the vocabulary, length and structure of real regulations while making every article distinct.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from knowledge.corpus import load_bundled
from knowledge.numerals import int_to_chinese
from knowledge.sentences import en_sentences, zh_sentences

_DIGITS = re.compile(r"\d+")


def write_corpus(folder: Path, copies: int = 100, seed: int = 7, *, english: bool = True) -> int:
    """Write `copies` documents (+ renderings unless english=False) into folder; returns the
    characters written."""
    regulation = load_bundled()
    rng = random.Random(seed)
    zh_pool = [s.text for a in regulation.articles for s in zh_sentences(a)]
    en_pool = [
        s for a in regulation.articles for p in a.translation.split("\n") for s in en_sentences(p)
    ]
    written = 0
    folder.mkdir(parents=True, exist_ok=True)
    for copy in range(1, copies + 1):
        zh_lines = [f"重庆市某区县政务云安全管理实施细则（第{copy}号）", ""]
        en_lines = [f"# Implementing rules no. {copy} — unofficial English translation", ""]
        for article in regulation.articles:
            count = len(zh_sentences(article))
            zh_text = "".join(_renumber(rng.choice(zh_pool), rng) for _ in range(count))
            en_text = (
                " ".join(_renumber(rng.choice(en_pool), rng) for _ in range(count))
                if en_pool
                else ""
            )
            zh_lines.append(f"第{int_to_chinese(article.number)}条  {zh_text}")
            en_lines += [f"### Article {article.number}", "", en_text, ""]
        zh_body = "\n".join(zh_lines) + "\n"
        (folder / f"synthetic-{copy:03d}.zh.txt").write_text(zh_body, encoding="utf-8")
        if en_pool and english:
            (folder / f"synthetic-{copy:03d}.en.md").write_text(
                "\n".join(en_lines), encoding="utf-8"
            )
        written += len(zh_body)
    return written


def _renumber(sentence: str, rng: random.Random) -> str:
    return _DIGITS.sub(lambda _: str(rng.randint(1, 90)), sentence)
