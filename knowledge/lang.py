"""Which language a question is in: the answer follows it."""

from __future__ import annotations

import re

from knowledge.types import Lang

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> Lang:
    """Chinese when CJK characters outweigh Latin letters (one CJK char ~ one word ~ 4 letters)."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk and cjk * 4 >= latin else "en"
