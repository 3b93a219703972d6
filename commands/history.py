"""`history <id>`: a record as it stands, then everything that happened to it, oldest first.

The first line is the record as filed: the values before any correction, rebuilt by undoing the
corrections in turn (each keeps the value it replaced). Then reports, notices, corrections with
their reasons, a cancellation, a close. Every line comes from an audited row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from commands.corrections import correction_data, describe_changes, shown
from commands.grammar import Context, format_local
from commands.incidents import (
    ARTICLE as INCIDENT_ARTICLE,
)
from commands.incidents import (
    AUTHORITY_EN,
    AUTHORITY_ZH,
    describe,
    find_incident,
    incident_data,
)
from commands.inspections import ARTICLE as INSPECTION_ARTICLE
from commands.inspections import describe_inspection, find_inspection
from commands.operations import ShowIncident, ShowInspection, ShowStaffChange
from commands.replies import Reply, pick
from commands.staff_changes import ARTICLE as STAFF_ARTICLE
from commands.staff_changes import PARTY_EN, PARTY_ZH, find_staff_change
from commands.store import repo
from commands.store.models import Base, Correction
from commands.text import display


@dataclass(frozen=True)
class Event:
    """One line of a record's history."""

    at: datetime
    by: str | None
    zh: str
    en: str


def show_incident(session: Session, op: ShowIncident, ctx: Context) -> Reply:
    incident = find_incident(session, op.incident_id)
    reports = repo.incident_reports(session, incident_id=incident.id)
    corrections = repo.corrections_of(session, entity="incidents", entity_id=incident.id)
    filed = as_filed(incident, corrections)
    events = [
        Event(
            incident.created_at,
            incident.reporter,
            f"登记：{display(filed['summary'])}（严重程度 {shown('severity', filed['severity'], 'zh', ctx.tz)}，发现时间 {shown('discovered_at', filed['discovered_at'], 'zh', ctx.tz)}）",
            f"filed: {display(filed['summary'])} (severity {filed['severity']}, discovered {shown('discovered_at', filed['discovered_at'], 'en', ctx.tz)})",
        )
    ]
    for authority, report in reports.items():
        at = format_local(report.reported_at, ctx.tz)
        events.append(
            Event(
                report.recorded_at,
                report.reported_by,
                f"记录已向{AUTHORITY_ZH[authority]}报告（报告时间 {at}，{'按时' if report.on_time else '超时'}）",
                f"recorded the report to {AUTHORITY_EN[authority]} (made {at}, {'on time' if report.on_time else 'late'})",
            )
        )
    events += [_correction(c, ctx) for c in corrections]
    if incident.closed_at is not None:
        reason = display(incident.close_reason)
        events.append(
            Event(
                incident.closed_at,
                incident.closed_by,
                f"关闭{f'，原因：{reason}' if reason else ''}",
                f"closed{f'; reason: {reason}' if reason else ''}",
            )
        )
    entries = len(repo.timeline(session, incident_id=incident.id))
    tail = pick(
        ctx.lang,
        f"时间线 {entries} 条：/incident timeline {incident.id}",
        f"{entries} timeline entries: /incident timeline {incident.id}",
    )
    text = "\n".join([describe(incident, reports, ctx), _render(events, ctx), tail])
    data = incident_data(incident, reports) | {"history": _data(events, corrections)}
    return Reply(text, ctx.lang, "history", data, (INCIDENT_ARTICLE,))


def show_staff_change(session: Session, op: ShowStaffChange, ctx: Context) -> Reply:
    change = find_staff_change(session, op.change_id)
    corrections = repo.corrections_of(session, entity="staff_changes", entity_id=change.id)
    filed = as_filed(change, corrections)
    kind = {"zh": shown("kind", filed["kind"], "zh", ctx.tz), "en": filed["kind"]}
    events = [
        Event(
            change.filed_at,
            change.filed_by,
            f"登记：{display(filed['name'])}（{display(filed['role'])}，{kind['zh']}），生效日期 {filed['effective_date']}，提前 {filed['notice_days']} 天{'（逾期）' if filed['late'] else ''}",
            f"filed: {display(filed['name'])} ({display(filed['role'])}, {kind['en']}), effective {filed['effective_date']}, {filed['notice_days']} days' notice{' (late)' if filed['late'] else ''}",
        )
    ]
    for party, at in (
        ("bigdata", change.notified_bigdata_at),
        ("tenants", change.notified_tenants_at),
    ):
        if at is not None:
            by = repo.last_actor(
                session, entity="staff_changes", entity_id=change.id, action=f"notified-{party}"
            )
            events.append(
                Event(at, by, f"已向{PARTY_ZH[party]}报备", f"notified {PARTY_EN[party]}")
            )
    events += [_correction(c, ctx) for c in corrections]
    head = pick(
        ctx.lang,
        f"人员变动 #{change.id}：{display(change.name)}（{display(change.role)}，{shown('kind', change.kind, 'zh', ctx.tz)}），生效日期 {change.effective_date}{'，已作废' if change.cancelled_at else ''}",
        f"Staff change #{change.id}: {display(change.name)} ({display(change.role)}, {change.kind}), effective {change.effective_date}{', cancelled' if change.cancelled_at else ''}",
    )
    text = "\n".join([head, _render(events, ctx)])
    data = repo.as_record(change) | {"history": _data(events, corrections)}
    return Reply(text, ctx.lang, "history", data, (STAFF_ARTICLE,))


def show_inspection(session: Session, op: ShowInspection, ctx: Context) -> Reply:
    row = find_inspection(session, op.inspection_id)
    corrections = repo.corrections_of(session, entity="inspections", entity_id=row.id)
    filed = as_filed(row, corrections)
    notes = display(filed["notes"])
    events = [
        Event(
            row.filed_at,
            row.filed_by,
            f"登记：{shown('status', filed['status'], 'zh', ctx.tz)}{f'，{notes}' if notes else ''}",
            f"filed: {shown('status', filed['status'], 'en', ctx.tz)}{f', {notes}' if notes else ''}",
        ),
        *[_correction(c, ctx) for c in corrections],
    ]
    cancelled = pick(ctx.lang, "（已作废）", " (cancelled)") if row.cancelled_at else ""
    text = "\n".join([describe_inspection(row, ctx.lang) + cancelled, _render(events, ctx)])
    data = repo.as_record(row) | {"history": _data(events, corrections)}
    return Reply(text, ctx.lang, "history", data, (INSPECTION_ARTICLE,))


def as_filed(row: Base, corrections: list[Correction]) -> dict[str, Any]:
    """The record's values as first filed: each correction undone, the latest first."""
    values = repo.as_record(row)
    for correction in reversed(corrections):
        for field, (before, _after) in json.loads(correction.changes).items():
            if field in values:
                values[field] = before
    return values


def _correction(correction: Correction, ctx: Context) -> Event:
    changes = json.loads(correction.changes)
    reason = display(correction.reason)
    return Event(
        correction.corrected_at,
        correction.corrected_by,
        f"{'作废' if correction.kind == 'cancel' else '更正：' + describe_changes(changes, 'zh', ctx.tz)}。原因：{reason}",
        f"{'cancelled' if correction.kind == 'cancel' else 'corrected: ' + describe_changes(changes, 'en', ctx.tz)}; reason: {reason}",
    )


def _render(events: list[Event], ctx: Context) -> str:
    ordered = sorted(events, key=lambda e: e.at)
    lines = [pick(ctx.lang, "历史：", "History:")]
    for event in ordered:
        who = display(event.by or "?")
        lines.append(
            f"• {format_local(event.at, ctx.tz)} {who}{pick(ctx.lang, '：', ': ')}{pick(ctx.lang, event.zh, event.en)}"
        )
    return "\n".join(lines)


def _data(events: list[Event], corrections: list[Correction]) -> dict[str, Any]:
    return {
        "events": [
            {"at": e.at.isoformat(), "by": e.by, "zh": e.zh, "en": e.en}
            for e in sorted(events, key=lambda e: e.at)
        ],
        "corrections": [correction_data(c) for c in corrections],
    }
