"""What a command answers: text in the user's language plus structured data for Slack blocks,
and the documents that go with it (an incident report draft, the monthly report files)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any, Literal

Lang = Literal["zh", "en"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class ReplyFile:
    """A document that goes with a reply: the console writes it to disk, Slack uploads it."""

    name: str  # a file name, ASCII only: incident-3-draft-20261124-1005.docx
    title: str  # what people see: 网络安全事件报告（初报）#3
    mime: str
    content: bytes

    def to_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "title": self.title,
            "mime": self.mime,
            "content": base64.b64encode(self.content).decode("ascii"),
        }

    @classmethod
    def from_json(cls, payload: dict[str, str]) -> ReplyFile:
        content = base64.b64decode(payload["content"])
        return cls(payload["name"], payload["title"], payload["mime"], content)


@dataclass(frozen=True)
class Reply:
    text: str
    lang: Lang
    kind: str  # "inspection", "staff_change", "incident", "deadlines", "help", ...
    data: dict[str, Any] = field(default_factory=dict)
    articles: tuple[int, ...] = ()
    files: tuple[ReplyFile, ...] = ()
    # Outbox keys of what this filing owes the alert channel (commands.alerts), and whether it
    # owed one but no ALERT_CHANNEL is configured: the edge tells the filer either way.
    outbox: tuple[str, ...] = ()
    alert_channel_missing: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "lang": self.lang,
            "kind": self.kind,
            "data": self.data,
            "articles": list(self.articles),
            "files": [f.to_json() for f in self.files],
            "outbox": list(self.outbox),
            "alert_channel_missing": self.alert_channel_missing,
        }

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> Reply:
        return cls(
            payload["text"],
            payload["lang"],
            payload["kind"],
            dict(payload["data"]),
            tuple(payload["articles"]),
            tuple(ReplyFile.from_json(f) for f in payload.get("files", ())),
            tuple(payload.get("outbox", ())),
            bool(payload.get("alert_channel_missing", False)),
        )


def cite(article: int, lang: str) -> str:
    """第二十三条 in Chinese, Art. 23 in English."""
    from knowledge.numerals import int_to_chinese

    return f"第{int_to_chinese(article)}条" if lang == "zh" else f"Art. {article}"


def pick(lang: Lang, zh: str, en: str) -> str:
    """The text in the user's language."""
    return zh if lang == "zh" else en
