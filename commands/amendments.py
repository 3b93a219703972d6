"""amend and cancel for staff changes (Art. 19) and inspections (Art. 23), each with its reason.

A cancelled staff change needs no notice and gets no reminder; a cancelled inspection no longer
counts for its day. Both stay in the monthly report, marked cancelled, with the reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from commands.corrections import (
    apply_correction,
    cancelled_by,
    correction_data,
    correction_text,
    nothing_asked,
    record_name,
    refuse_if_cancelled,
    require_reason,
)
from commands.errors import UserError
from commands.grammar import MAX_TEXT, Context, check_field
from commands.grammars.inspect import AMEND_USAGE as INSPECT_AMEND_USAGE
from commands.grammars.staff_change import AMEND_USAGE
from commands.incidents import already_done
from commands.inspections import ARTICLE as INSPECTION_ARTICLE
from commands.inspections import find_inspection
from commands.operations import (
    AmendInspection,
    AmendStaffChange,
    CancelInspection,
    CancelStaffChange,
)
from commands.replies import Reply, cite, pick
from commands.staff_changes import ARTICLE as STAFF_ARTICLE
from commands.staff_changes import KIND_ZH, NOTICE, PARTY_EN, PARTY_ZH, find_staff_change
from commands.store import repo
from commands.store.models import Correction, StaffChange
from commands.text import is_blank
from commands.values import LAST_YEAR

# Staff changes (Art. 19)


def amend_staff_change(session: Session, op: AmendStaffChange, ctx: Context) -> Reply:
    reason = require_reason(op.reason)
    change = find_staff_change(session, op.change_id)
    refuse_if_cancelled(session, change, ctx)
    proposed = _proposed_change(op, change, ctx)
    if not proposed:
        raise nothing_asked(*AMEND_USAGE)

    def notice(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        if "effective_date" not in values:
            return {}, {}
        # Art. 19: the notice given runs from the day it was filed to the (corrected) date.
        days = (values["effective_date"] - _filed_day(change, ctx)).days
        return {"notice_days": days, "late": days < NOTICE.days}, {}  # type: ignore[union-attr]

    correction = apply_correction(
        session, change, proposed, kind="amend", reason=reason, ctx=ctx, derive=notice
    )
    return _reply(correction, change, ctx, STAFF_ARTICLE)


def _proposed_change(op: AmendStaffChange, change: StaffChange, ctx: Context) -> dict[str, Any]:
    proposed: dict[str, Any] = {}
    if op.kind is not None:
        if op.kind not in KIND_ZH:
            raise UserError(
                "变动类型应为 入职、离岗 或 调岗。",
                "The change must be join, leave or transfer.",
                field="kind",
            )
        proposed["kind"] = op.kind
    if op.name is not None:
        proposed["name"] = check_field(op.name, "name", "姓名", "name")
    if op.role is not None:
        proposed["role"] = check_field(op.role, "role", "岗位", "role")
    if op.effective_date is not None:
        proposed["effective_date"] = _effective(op.effective_date, _filed_day(change, ctx))
    return proposed


def _effective(day: date, filed: date) -> date:
    """A corrected effective date: not before the day the change was filed, in a plausible year."""
    if day < filed or day.year > LAST_YEAR:
        raise UserError(
            f"生效日期 {day} 不合理：不能早于登记日（{filed}），年份须在 {LAST_YEAR} 年以前（{cite(STAFF_ARTICLE, 'zh')}要求提前报备）。",
            f"The effective date {day} is not plausible: not before the day the change was filed ({filed}), and a year up to {LAST_YEAR} (Art. {STAFF_ARTICLE} asks for notice ahead).",
            field="effective_date",
        )
    return day


def _filed_day(change: StaffChange, ctx: Context) -> date:
    return change.filed_at.astimezone(ctx.tz).date()


def cancel_staff_change(session: Session, op: CancelStaffChange, ctx: Context) -> Reply:
    reason = require_reason(op.reason)
    change = find_staff_change(session, op.change_id)
    correction = _cancel(session, change, reason, ctx)
    return _reply(correction, change, ctx, STAFF_ARTICLE)


# Inspections (Art. 23)


def amend_inspection(session: Session, op: AmendInspection, ctx: Context) -> Reply:
    reason = require_reason(op.reason)
    row = find_inspection(session, op.inspection_id)
    refuse_if_cancelled(session, row, ctx)
    proposed: dict[str, Any] = {}
    if op.status is not None:
        if op.status not in ("ok", "issue"):
            raise UserError(
                "巡检结果应为 ok 或 issue。", "The result must be ok or issue.", field="status"
            )
        proposed["status"] = op.status
    if op.notes is not None:
        if len(op.notes) > MAX_TEXT:
            raise UserError(
                f"备注过长（最多 {MAX_TEXT} 字符）。",
                f"The notes are too long (at most {MAX_TEXT} characters).",
                field="notes",
            )
        proposed["notes"] = "" if is_blank(op.notes) else op.notes
    if not proposed:
        raise nothing_asked(*INSPECT_AMEND_USAGE)
    if proposed.get("status", row.status) == "issue" and not proposed.get("notes", row.notes):
        raise UserError(
            "发现问题的巡检须写明问题，例如 备注=防火墙告警未分析。",
            "An inspection with a finding needs the finding, e.g. notes=firewall alerts not analysed.",
            field="notes",
        )
    correction = apply_correction(session, row, proposed, kind="amend", reason=reason, ctx=ctx)
    return _reply(correction, row, ctx, INSPECTION_ARTICLE)


def cancel_inspection(session: Session, op: CancelInspection, ctx: Context) -> Reply:
    reason = require_reason(op.reason)
    row = find_inspection(session, op.inspection_id)
    correction = _cancel(session, row, reason, ctx)
    reply = _reply(correction, row, ctx, INSPECTION_ARTICLE)
    if not repo.inspections_between(session, start=row.day, end=row.day):
        note = pick(
            ctx.lang,
            f"\n{row.day} 已无有效的巡检记录（{cite(INSPECTION_ARTICLE, 'zh')}要求每日巡检）。",
            f"\n{row.day} now has no inspection on record (Art. {INSPECTION_ARTICLE} requires one every day).",
        )
        return Reply(reply.text + note, reply.lang, reply.kind, reply.data, reply.articles)
    return reply


# Both


def _cancel(session: Session, row: Any, reason: str, ctx: Context) -> Correction:
    """Cancel once; a second cancel is told who cancelled it and when."""
    entity = row.__tablename__
    if row.cancelled_at is None:
        repo.check_audited(session, row)
        correction = repo.cancel_record(
            session, entity=entity, row_id=row.id, reason=reason, actor=ctx.user, now=ctx.now
        )
        if correction is not None:
            return correction
    by, at = cancelled_by(session, entity, row.id)
    raise already_done(
        f"{record_name(entity, row.id, 'zh')} 已作废",
        f"{record_name(entity, row.id, 'en')} is already cancelled",
        by,
        at,
        ctx,
        field="action",
    )


def _reply(correction: Correction, row: Any, ctx: Context, article: int) -> Reply:
    text = correction_text(correction, ctx)
    if isinstance(row, StaffChange):
        text += _notified_note(row, correction, ctx)
    data = correction_data(correction) | {"record": repo.as_record(row)}
    return Reply(text, ctx.lang, "correction", data, (article,))


def _notified_note(change: StaffChange, correction: Correction, ctx: Context) -> str:
    """Parties already told of the change must hear of its correction too (Art. 19)."""
    told = [
        p
        for p, at in (
            ("bigdata", change.notified_bigdata_at),
            ("tenants", change.notified_tenants_at),
        )
        if at
    ]
    if not told:
        return ""
    what_zh = "作废" if correction.kind == "cancel" else "更正"
    what_en = "cancellation" if correction.kind == "cancel" else "correction"
    return pick(
        ctx.lang,
        f"\n已向{'、'.join(PARTY_ZH[p] for p in told)}报备过该变动，请将此次{what_zh}告知对方。",
        f"\n{' and '.join(PARTY_EN[p] for p in told).capitalize()} were already notified of this change: tell them of this {what_en}.",
    )
