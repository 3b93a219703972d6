"""The 网络安全事件报告 a team sends to 网信, 公安 and 大数据主管部门 within the 2 hours of Art. 30.

The fields follow the report forms of Chinese practice (unit and contact, occurrence and
discovery times, category and grade of the national emergency plan, affected systems, impact,
measures taken, preliminary cause, next steps, time of report, each authority and when it was
told). What the draft knows is filled in; everything else is a shaded 【待填写】 blank.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from docx.document import Document
from docx.text.paragraph import Paragraph

from commands.documents import word
from commands.documents.basis import basis
from commands.documents.classification import EVENT_CATEGORIES, EVENT_GRADES
from commands.documents.incident_text import TEXT
from commands.documents.model import IncidentDraft
from commands.documents.text import format_duration, format_time
from commands.obligations import AUTHORITIES_EN, AUTHORITIES_ZH, BY_ID
from commands.replies import Lang

RULE = BY_ID["incident-report"]  # Art. 30: 在2个小时内
assert RULE.window is not None, "the rule table must give Art. 30 its reporting window"
WINDOW: timedelta = RULE.window
# The authorities Art. 30 names, read from the rule table in the article's order.
ART30_AUTHORITIES = tuple(
    sorted(
        (key for key, name in AUTHORITIES_ZH.items() if name in RULE.notify_zh),
        key=lambda key: RULE.notify_zh.index(AUTHORITIES_ZH[key]),
    )
)


def report_deadline(discovered_at: datetime) -> datetime:
    """Discovery plus the Art. 30 window."""
    return discovered_at + WINDOW


def incident_report_docx(draft: IncidentDraft) -> bytes:
    """The pre-filled report as .docx bytes, in draft.lang (Chinese by default)."""
    text, lang = TEXT[draft.lang], draft.lang
    deadline = report_deadline(draft.discovered_at)
    document = word.new_document(
        lang,
        title=f"{text['title']} #{draft.incident_id}",
        author=draft.unit or "",
        created=draft.generated_at,
    )
    word.heading(document, text["title"], 0)
    generated = format_time(draft.generated_at, draft.tz, lang)
    word.line(document, text["draft_note"].format(at=generated), lang=lang).runs[0].italic = True
    window = format_duration(WINDOW, lang)
    by = text["deadline"].format(at=format_time(deadline, draft.tz, lang), window=window)
    word.line(document, by, lang=lang).runs[0].bold = True
    rule = basis("incident-report", lang)
    word.line(document, text["basis"].format(r=rule), lang=lang)
    word.heading(document, text["facts_heading"], 1)
    columns = (text["field"], text["content"])
    word.add_table(
        document,
        columns,
        _facts(draft),
        lang,
        empty=text["none"],
        widths_mm=(45, word.TEXT_WIDTH_MM - 45),
        empty_is_blank=True,  # a field typed as spaces is as unknown as one never typed
    )
    word.heading(document, text["authorities_heading"], 1)
    word.add_table(
        document, text["authority_columns"], _authorities(draft, deadline), lang, empty=""
    )
    _signatures(document, lang)
    return word.to_bytes(document)


def _facts(draft: IncidentDraft) -> list[tuple[str, word.Content]]:
    text, lang = TEXT[draft.lang], draft.lang

    def when(moment: datetime | None) -> str | None:
        return None if moment is None else format_time(moment, draft.tz, lang)

    return [
        (text["unit"], draft.unit),
        (text["contact"], draft.contact),
        (text["number"], f"#{draft.incident_id}"),
        (text["occurred"], when(draft.occurred_at)),
        (text["discovered"], when(draft.discovered_at)),
        (text["category"], _choice(EVENT_CATEGORIES, draft.category, lang)),
        (text["grade"], _choice(EVENT_GRADES, draft.grade, lang)),
        (text["severity"], draft.severity),
        (text["affected"], draft.affected_systems),
        (text["summary"], draft.summary),
        (text["impact"], draft.impact),
        (text["measures"], draft.measures_taken),
        (text["cause"], draft.cause),
        (text["next"], draft.next_steps),
        (text["submitted"], when(draft.submitted_at)),
    ]


def _choice(options: dict[str, tuple[str, str]], chosen: str | None, lang: Lang) -> word.Filler:
    """Every option as a tick box (■ chosen, □ not); with none chosen, a blank first."""

    def fill(paragraph: Paragraph) -> None:
        if chosen is None:
            word.add_blank(paragraph, lang)
            paragraph.add_run("\n")
        for index, (key, (zh, en)) in enumerate(options.items()):
            label = zh if lang == "zh" else en
            run = paragraph.add_run(("■" if key == chosen else "□") + label)
            run.bold = key == chosen or None
            if index < len(options) - 1:
                paragraph.add_run("  ")

    return fill


def _authorities(draft: IncidentDraft, deadline: datetime) -> list[tuple[str, str, str]]:
    """One row per Art. 30 authority (told or not), then any other authority that was told."""
    text, lang = TEXT[draft.lang], draft.lang
    others = [
        key for key in AUTHORITIES_ZH if key in draft.reports and key not in ART30_AUTHORITIES
    ]
    rows = []
    for key in (*ART30_AUTHORITIES, *others):
        name = AUTHORITIES_ZH[key] if lang == "zh" else _capitalized(AUTHORITIES_EN[key])
        reported_at = draft.reports.get(key)
        if reported_at is None:
            late = draft.generated_at > deadline
            status = (
                text["overdue"]
                if late
                else text["due"].format(at=format_time(deadline, draft.tz, lang))
            )
            rows.append((name, text["not_reported"], status))
        elif reported_at <= deadline:
            rows.append((name, format_time(reported_at, draft.tz, lang), text["on_time"]))
        else:
            minutes = -(-(reported_at - deadline) // timedelta(minutes=1))  # rounded up
            rows.append(
                (name, format_time(reported_at, draft.tz, lang), text["late"].format(n=minutes))
            )
    return rows


def _capitalized(name: str) -> str:
    """ "the public security department" -> "Public security department", for a table cell."""
    name = name.removeprefix("the ")
    return name[:1].upper() + name[1:]


def _signatures(document: Document, lang: Lang) -> None:
    text = TEXT[lang]
    document.add_paragraph()
    for label in (text["filled_by"], text["approved_by"]):
        word.line(document, label, None, lang=lang)
