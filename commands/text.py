"""Typed text in: words with their quoting, folded spellings for matching, text that is safe to show.

Free text (a summary, a name, notes) is kept exactly as typed. Only the words that carry
structure — verbs, keys, ids, authorities, dates — are folded before matching: full-width forms
to ASCII, Traditional to Simplified characters, zero-width characters removed, case ignored.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from commands.errors import UserError

# Zero-width characters: invisible, so never part of a word's meaning.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# Direction controls: they reorder what a reader sees (a "Trojan Source" trick).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_OPENING_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "「": "」", "『": "』", "＂": "＂"}
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_SIGNS = frozenset("=＝:：")


@dataclass(frozen=True)
class Token:
    """One word of the input; `quoted` when it begins with a quote (then it is never a key)."""

    text: str
    quoted: bool = False


def check_characters(text: str, *, field: str | None = None) -> None:
    """Refuse control characters (NUL and the like) and text that is not valid Unicode."""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cs":  # a lone surrogate: bytes that were not UTF-8 (surrogateescape)
            raise UserError(
                "输入含有无法识别的字节（不是有效的 UTF-8 文本），已拒绝。请检查输入的编码。",
                "The input contains bytes that are not valid UTF-8 text and was refused. Please check its encoding.",
                field=field,
            )
        if category == "Cc" and char not in _ALLOWED_CONTROLS:
            code = f"U+{ord(char):04X}"
            raise UserError(
                f"输入含有不可见的控制字符（{code}），已拒绝。请只输入普通文字。",
                f"The input contains an invisible control character ({code}) and was refused. Please type plain text.",
                field=field,
            )


def is_blank(text: str) -> bool:
    """Nothing but spaces and zero-width characters."""
    return not "".join(c for c in text if c not in ZERO_WIDTH).strip()


def display(text: str) -> str:
    """The text with direction controls shown as their code points, so they cannot reorder a reply."""
    if not any(c in BIDI_CONTROLS for c in text):
        return text
    return "".join(f"<U+{ord(c):04X}>" if c in BIDI_CONTROLS else c for c in text)


def fold(word: str) -> str:
    """The spelling a structural word is matched by: ASCII for full-width, Simplified, lower case."""
    return _fold(word)


@lru_cache(maxsize=4096)
def _fold(word: str) -> str:
    chars = []
    for char in word:
        if char in ZERO_WIDTH or char in BIDI_CONTROLS:
            continue
        code = ord(char)
        if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII forms: Ｒｅｐｏｒｔ, １２, ＝, ：
            char = chr(code - 0xFEE0)
        elif char == "\u3000":
            char = " "
        chars.append(char)
    return _simplified("".join(chars)).casefold().strip()


@lru_cache(maxsize=1)
def _converter() -> Any:  # opencc ships no type hints
    import opencc  # Traditional → Simplified; a maintained table beats a hand-kept one

    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    if text.isascii():
        return text
    return str(_converter().convert(text))


def tokenize(text: str) -> list[Token]:
    """Split on whitespace; "…", “…”, '…', 「…」 keep a phrase together as one quoted word.

    A quote opens only at the start of a word, right after a closing quote (as shells join
    'a'"b") or right after a sign (reason="a b"), so an apostrophe inside a word ("can't") is
    just a character. A quote that never
    closes is kept as a character too: the text is then stored exactly as typed.
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        parts: list[str] = []
        quoted, can_open = False, True
        while i < n and not text[i].isspace():
            closing = _OPENING_QUOTES.get(text[i]) if can_open else None
            end = text.find(closing, i + 1) if closing else -1
            if closing and end != -1:
                quoted = quoted or not parts  # "a=b" is quoted text; reason="a b" is a key
                parts.append(text[i + 1 : end])
                i, can_open = end + 1, True
                continue
            parts.append(text[i])
            i, can_open = i + 1, text[i] in _SIGNS  # reason="a b": a value may be quoted
        tokens.append(Token("".join(parts), quoted))
    return tokens
