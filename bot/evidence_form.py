"""The "duty done" form: which recurring duty of the rule table, and its evidence — a file
uploaded in the form (Block Kit file_input), or a link, and a note.

A slash command cannot carry a file in Slack (its payload is text only), so `/deadlines done`
without an id opens this form; `/deadlines done <id> <link>` still works as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.blocks import Block, _context, _input, _modal, _select, _text_input
from commands.obligations import COMPLETABLE
from commands.replies import cite

CALLBACK_ID = "deadlines_done_form"
MAX_OPTION = 75  # Slack's limit on an option's text
# Which form block shows an error about which CompleteObligation field; others go on the duty.
FIELD_BLOCKS = {
    "obligation_id": "obligation",
    "link": "link",
    "evidence": "note",
    "file_name": "file",
    "file_sha256": "file",
}


@dataclass(frozen=True)
class EvidenceValues:
    """What the form was submitted with (nothing checked yet)."""

    obligation_id: str
    note: str
    link: str
    file_id: str  # "" when no file was uploaded


def evidence_modal(lang: str, metadata: str = "") -> Block:
    zh = lang == "zh"
    options = [
        (o.id, f"{o.title_zh if zh else o.title_en}（{cite(o.article, lang)}）"[:MAX_OPTION])
        for o in COMPLETABLE
    ]
    return _modal(
        CALLBACK_ID,
        "记录完成及佐证" if zh else "Duty done + evidence",
        [
            _context(
                "记录规则表中周期性事项的完成（每个周期一次），附佐证文件或链接；文件的 SHA-256 记入审计链。"
                if zh
                else "Record a recurring duty of the rule table as done (once per period), with a file or a link as evidence; a file's SHA-256 goes into the audit chain."
            ),
            _input("obligation", "事项" if zh else "Duty", _select(options)),
            _input(
                "file",
                "佐证文件" if zh else "Evidence file",
                {"type": "file_input", "max_files": 1},
                optional=True,
            ),
            _input(
                "link",
                "或佐证链接" if zh else "Or a link",
                _text_input(placeholder="https://…"),
                optional=True,
                hint="文件与链接二选一" if zh else "A file or a link, not both",
            ),
            _input("note", "说明" if zh else "Note", _text_input(True), optional=True),
        ],
        lang,
        metadata,
    )


def evidence_values(view: dict[str, Any]) -> EvidenceValues:
    """The submitted state: the duty's id, the note and link as typed, the uploaded file's id."""
    state = view["state"]["values"]

    def element(block: str) -> dict[str, Any]:
        return dict((state.get(block) or {}).get("value") or {})

    files = element("file").get("files") or []
    return EvidenceValues(
        str((element("obligation").get("selected_option") or {}).get("value") or ""),
        str(element("note").get("value") or "").strip(),
        str(element("link").get("value") or "").strip(),
        str(files[0].get("id") or "") if files else "",
    )
