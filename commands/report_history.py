"""Rows of the monthly report about what happened after filing: incident timelines and
corrections (commands.report_rows puts them in the report beside the records)."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands.corrections import describe_changes, record_name
from commands.documents.model import Cell
from commands.replies import Lang, pick
from commands.store import repo
from commands.store.models import Correction
from commands.text import display
from commands.timeline import SOURCES

Row = tuple[Cell, ...]


def timeline_rows(
    session: Session, bounds: tuple[datetime, datetime], tz: ZoneInfo, lang: Lang
) -> tuple[Row, ...]:
    """Every timeline entry of the month, incident by incident (Art. 30)."""
    rows = []
    for entry in repo.timeline_between(session, start=bounds[0], end=bounds[1]):
        text = display(entry.text) + (f"\n{display(entry.permalink)}" if entry.permalink else "")
        zh, en = SOURCES.get(entry.source, (entry.source, entry.source))
        by = f"{display(entry.recorded_by)}{pick(lang, f'（{zh}）', f' ({en})')}"
        rows.append((f"#{entry.incident_id}", local(entry.at, tz), text, by))
    return tuple(rows)


def correction_row(correction: Correction, session: Session, tz: ZoneInfo, lang: Lang) -> Row:
    changes = json.loads(correction.changes)
    record = _record_name(correction, session, lang)
    return (
        local(correction.corrected_at, tz),
        record,
        describe_changes(changes, lang, tz),
        display(correction.reason),
        display(correction.corrected_by),
    )


def _record_name(correction: Correction, session: Session, lang: Lang) -> str:
    """事件 #3, or 巡检记录 #5（2026-11-03）: an inspection is known by its day."""
    name = record_name(correction.entity, correction.entity_id, lang)
    if correction.entity == "inspections":
        row = repo.get_inspection(session, inspection_id=correction.entity_id)
        if row is not None:
            name += pick(lang, f"（{row.day}）", f" ({row.day})")
    return name


def local(moment: datetime, tz: ZoneInfo) -> str:
    """A moment as the report prints it: 2026-11-24 09:30 in the team's zone."""
    return f"{moment.astimezone(tz):%Y-%m-%d %H:%M}"
