"""The one error type user input can raise, carrying its message in both languages."""

from __future__ import annotations

from typing import Literal


class UserError(Exception):
    """Input the user can fix: says what was wrong and how to write it, in zh and en."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def message(self, lang: Literal["zh", "en"]) -> str:
        return self.zh if lang == "zh" else self.en
