"""/incident edit: correct an incident's fields with a reason (Art. 30 records shown to the authorities).

A new discovery time moves the deadline (discovery + the rule table's window) and every report to
an authority is judged again against it; each report whose on-time flag changes is rewritten and
audited too, and the correction lists it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from commands.corrections import (
    apply_correction,
    correction_data,
    correction_text,
    nothing_asked,
    require_reason,
)
from commands.errors import UserError
from commands.grammar import MAX_TEXT, Context, format_local
from commands.grammars.incident_history import USAGES
from commands.incidents import (
    AUTHORITY_ZH,
    RULE,
    SEVERITY_ZH,
    check_moment,
    describe,
    find_incident,
    incident_data,
    report_field,
)
from commands.operations import EditIncident
from commands.replies import Reply
from commands.store import repo
from commands.store.models import Incident, IncidentReport
from commands.text import is_blank

ARTICLE = RULE.article


def edit_incident(session: Session, op: EditIncident, ctx: Context) -> Reply:
    reason = require_reason(op.reason)
    incident = find_incident(session, op.incident_id)
    reports = repo.incident_reports(session, incident_id=incident.id)
    proposed = _proposed(op, incident, reports, ctx)
    if not proposed:
        raise nothing_asked(*USAGES["edit"])

    def deadline(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        if "discovered_at" not in values:
            return {}, {}
        # Art. 30: the clock runs from discovery; reports are judged again against it.
        moved = values["discovered_at"] + RULE.window
        return {"deadline": moved}, _rejudge(session, reports, moved, ctx)

    correction = apply_correction(
        session, incident, proposed, kind="edit", reason=reason, ctx=ctx, derive=deadline
    )
    reports = repo.incident_reports(session, incident_id=incident.id)
    text = correction_text(correction, ctx) + "\n" + describe(incident, reports, ctx)
    data = incident_data(incident, reports) | {"correction": correction_data(correction)}
    return Reply(text, ctx.lang, "incident", data, (ARTICLE,))


def _proposed(
    op: EditIncident, incident: Incident, reports: dict[str, IncidentReport], ctx: Context
) -> dict[str, Any]:
    """The new values asked for, each checked as it would be when opening an incident."""
    proposed: dict[str, Any] = {}
    if op.summary is not None:
        if is_blank(op.summary) or len(op.summary) > MAX_TEXT:
            raise UserError(
                f"请写明事件摘要（最多 {MAX_TEXT} 字符）。",
                f"Please describe the incident (at most {MAX_TEXT} characters).",
                field="summary",
            )
        proposed["summary"] = op.summary
    if op.severity is not None:
        if op.severity not in SEVERITY_ZH:
            raise UserError(
                "严重程度应为 高、中 或 低。",
                "Severity must be high, medium or low.",
                field="severity",
            )
        proposed["severity"] = op.severity
    if op.discovered_at is not None:
        _check_discovery(op.discovered_at, reports, ctx)
        proposed["discovered_at"] = op.discovered_at
    for name in ("affected_systems", "measures_taken"):
        value = getattr(op, name)
        if value is not None:
            proposed[name] = report_field(value, name)
    return proposed


def _check_discovery(moment: datetime, reports: dict[str, IncidentReport], ctx: Context) -> None:
    """Not in the future, and not after any report already made (a report precedes no discovery)."""
    check_moment(moment, ctx, field="discovered_at", what_zh="发现时间", what_en="discovery")
    for authority, report in reports.items():
        if report.reported_at < moment:
            at = format_local(report.reported_at, ctx.tz)
            raise UserError(
                f"新的发现时间 {format_local(moment, ctx.tz)} 晚于向{AUTHORITY_ZH[authority]}报告的时间 {at}，不能更正为该时间。",
                f"The new discovery time {format_local(moment, ctx.tz)} is after the report to {authority} at {at}; it cannot be corrected to that.",
                field="discovered_at",
            )


def _rejudge(
    session: Session, reports: dict[str, IncidentReport], deadline: datetime, ctx: Context
) -> dict[str, list[Any]]:
    """Judge every report against the new deadline; rewrite (and audit) those that change."""
    changes: dict[str, list[Any]] = {}
    for authority, report in reports.items():
        on_time = report.reported_at <= deadline
        if on_time == report.on_time:
            continue
        repo.check_audited(session, report)
        changes[f"on_time:{authority}"] = [report.on_time, on_time]
        repo.rewrite(
            session, report, {"on_time": on_time}, actor=ctx.user, action="rejudge", now=ctx.now
        )
    return changes
