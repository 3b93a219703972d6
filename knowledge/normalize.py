"""What retrieval sees of a question: one script, one width, one case.

Traditional characters become Simplified with OpenCC's Taiwan-phrase profile (網路 -> 网络,
資料 -> 数据, 軟體 -> 软件), so a question typed in Taiwan or Hong Kong matches the statute's
wording. Only the question is converted: quotes are always cut from the source as written.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("tw2sp")


def to_simplified(text: str) -> str:
    return str(_converter().convert(text))


def normalize_question(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII), Simplified characters, one space."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(to_simplified(text).split())
