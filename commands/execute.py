"""The one way an operation runs: FILERS, idempotency, the write with its audit entry, the reply.

Whether text typed in the console, a slash command, a form or a button built the operation, it
arrives here. FILERS is checked against the operation itself (does it write?), never against the
words typed, so no spelling, quoting or alias can slip a write past it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from commands import (
    alerts,
    amendments,
    deadlines,
    drafts,
    history,
    incident_edits,
    incidents,
    inspections,
    staff_changes,
    timeline,
)
from commands.errors import UserError
from commands.grammar import NO_ORG, Context, Organisation
from commands.grammars import HELP
from commands.obligations import BY_ID
from commands.operations import (
    AddTimelineEntry,
    AmendInspection,
    AmendStaffChange,
    CancelInspection,
    CancelStaffChange,
    CloseIncident,
    CompleteObligation,
    DraftIncidentReport,
    EditIncident,
    FileStaffChange,
    InspectionStatus,
    ListDeadlines,
    ListIncidents,
    ListInspections,
    ListStaffChanges,
    LogInspection,
    MarkNotified,
    OpenIncident,
    Operation,
    ReportIncident,
    ShowHelp,
    ShowIncident,
    ShowInspection,
    ShowStaffChange,
    ShowTimeline,
)
from commands.replies import Lang, Reply, pick
from commands.store import Store, repo
from commands.store.audit import canonical_json
from commands.text import check_characters

Handler = Callable[[Session, Any, Context], Reply]


def _help(session: Session, op: ShowHelp, ctx: Context) -> Reply:
    if op.topic == "deadlines":
        return Reply(deadlines.help_text(ctx.lang), ctx.lang, "help")
    zh, en = HELP[op.topic]
    rule = {
        "inspect": "daily-inspection",
        "staff-change": "staff-change-notice",
        "incident": "incident-report",
    }
    article = BY_ID[rule[op.topic]].article
    return Reply(pick(ctx.lang, zh, en), ctx.lang, "help", articles=(article,))


HANDLERS: dict[type[Operation], Handler] = {
    OpenIncident: timeline.open_incident,  # with the message it was filed from, if any
    ReportIncident: incidents.report_incident,
    CloseIncident: incidents.close_incident,
    ListIncidents: incidents.list_incidents,
    EditIncident: incident_edits.edit_incident,
    AddTimelineEntry: timeline.add_timeline_entry,
    ShowTimeline: timeline.show_timeline,
    ShowIncident: history.show_incident,
    DraftIncidentReport: drafts.draft_incident_report,
    FileStaffChange: staff_changes.file_staff_change,
    MarkNotified: staff_changes.mark_notified,
    ListStaffChanges: staff_changes.list_staff_changes,
    AmendStaffChange: amendments.amend_staff_change,
    CancelStaffChange: amendments.cancel_staff_change,
    ShowStaffChange: history.show_staff_change,
    LogInspection: inspections.log_inspection,
    InspectionStatus: inspections.inspection_status,
    ListInspections: inspections.list_inspections,
    AmendInspection: amendments.amend_inspection,
    CancelInspection: amendments.cancel_inspection,
    ShowInspection: history.show_inspection,
    CompleteObligation: deadlines.complete_obligation,
    ListDeadlines: deadlines.list_deadlines,
    ShowHelp: _help,
}


def execute(
    store: Store,
    op: Operation,
    *,
    user: str,
    lang: Lang,
    now: datetime,
    tz: ZoneInfo,
    filers: Sequence[str] = (),
    idempotency_key: str | None = None,
    source: str | None = None,
    org: Organisation = NO_ORG,
    alert_channel: str | None = None,
) -> Reply:
    """Run one operation in one transaction and reply; raises UserError, nothing written.

    A write by a user outside a non-empty FILERS is refused, and the refusal audited (with
    `source`, the text typed, when there was one). The same idempotency key twice gives one
    record and the same reply; a read keeps nothing (run again, it answers from the store as
    it is then, and a document it carries is never stored). Every write locks the audit chain
    first, so the state it checks (still open? already reported?) cannot change before it writes.
    `org` names the reporting unit in the documents a reply may carry. What the write owes
    `alert_channel` is enqueued in the same transaction (commands.alerts), never posted here.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    ctx = Context(user=user, lang=lang, now=now, tz=tz, org=org)
    for field in fields(op):
        value = getattr(op, field.name)
        if isinstance(value, str):
            check_characters(value, field=field.name)
    if op.writes and filers and user not in filers:
        _refuse(store, op, ctx, source)
    handler = HANDLERS[type(op)]
    if not op.writes:
        with store.session() as session:
            return _jsonable(handler(session, op, ctx))
    try:
        with store.session() as session:
            repo.lock_chain(session)
            seen = repo.recall_reply(session, key=idempotency_key) if idempotency_key else None
            if seen is not None:
                return Reply.from_json(seen)
            reply = handler(session, op, ctx)
            reply = _jsonable(
                alerts.enqueue_alerts(session, op, reply, channel=alert_channel, now=now)
            )
            if idempotency_key is not None:
                repo.remember_reply(session, key=idempotency_key, reply=reply.to_json(), now=now)
            return reply
    except IntegrityError:
        if idempotency_key is None:
            raise
        # A concurrent retry with the same key committed first: answer with what it stored.
        with store.session() as session:
            seen = repo.recall_reply(session, key=idempotency_key)
        if seen is None:
            raise
        return Reply.from_json(seen)


def _refuse(store: Store, op: Operation, ctx: Context, source: str | None) -> None:
    record: dict[str, Any] = {"operation": type(op).__name__, "fields": asdict(op)}
    if source is not None:
        record["text"] = source
    with store.session() as session:
        repo.audit_refusal(session, actor=ctx.user, command=op.command, record=record, now=ctx.now)
    raise UserError(
        f"你没有提交 /{op.command} 的权限（仅 FILERS 设置中的用户可以提交）。查询类操作不受限制。请联系安全管理团队。",
        f"You are not allowed to file /{op.command} (only the users in the FILERS setting may). Read-only actions still work. Ask the security team.",
        field="user",
    )


def _jsonable(reply: Reply) -> Reply:
    """The reply exactly as a retry will read it back from the store: plain JSON data (times as
    ISO 8601 text) for every reply, written or read, so the edges see one contract."""
    return Reply.from_json(json.loads(canonical_json(reply.to_json())))
