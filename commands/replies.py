"""What a command answers: text in the user's language plus structured data for Slack blocks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Lang = Literal["zh", "en"]


@dataclass(frozen=True)
class Reply:
    text: str
    lang: Lang
    kind: str  # "inspection", "staff_change", "incident", "deadlines", "help", ...
    data: dict[str, Any] = field(default_factory=dict)
    articles: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "articles": list(self.articles)}

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> Reply:
        return cls(
            payload["text"],
            payload["lang"],
            payload["kind"],
            dict(payload["data"]),
            tuple(payload["articles"]),
        )


def cite(article: int, lang: str) -> str:
    """第二十三条 in Chinese, Art. 23 in English."""
    from knowledge.numerals import int_to_chinese

    return f"第{int_to_chinese(article)}条" if lang == "zh" else f"Art. {article}"


def pick(lang: Lang, zh: str, en: str) -> str:
    """The text in the user's language."""
    return zh if lang == "zh" else en
