"""Corrections without rewriting history: what /incident edit, /staff-change amend|cancel and
/inspect amend|cancel share.

A correction rewrites the record and audits its new state; its earlier states stay in the audit
chain, and a Correction row (audited too) keeps who changed what, from what to what, and why.
A correction needs a reason, must change something, and is refused on a cancelled record; a
second identical correction is "already done by X at T", like every once-only change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from commands.errors import AlreadyDone, UserError
from commands.grammar import MAX_TEXT, Context, format_local
from commands.incidents import AUTHORITY_EN, AUTHORITY_ZH, SEVERITY_ZH, already_done
from commands.replies import Lang, pick
from commands.staff_changes import KIND_ZH
from commands.store import repo
from commands.store.models import Base, Correction
from commands.text import display, is_blank

# What each record is called, and which columns say who filed it and when.
RECORDS = {
    "incidents": ("事件", "incident", "reporter", "created_at"),
    "staff_changes": ("人员变动", "staff change", "filed_by", "filed_at"),
    "inspections": ("巡检记录", "inspection", "filed_by", "filed_at"),
}
LABELS = {
    "summary": ("摘要", "summary"),
    "severity": ("严重程度", "severity"),
    "discovered_at": ("发现时间", "discovery time"),
    "deadline": ("报告时限", "report deadline"),
    "affected_systems": ("受影响系统", "affected systems"),
    "measures_taken": ("已采取措施", "measures taken"),
    "kind": ("变动类型", "change"),
    "name": ("姓名", "name"),
    "role": ("岗位", "role"),
    "effective_date": ("生效日期", "effective date"),
    "notice_days": ("提前报备天数", "days of notice"),
    "late": ("是否逾期", "late"),
    "status": ("巡检结果", "result"),
    "notes": ("备注", "notes"),
    "cancelled_at": ("作废", "cancelled"),
}
KIND_WORDS = {
    "edit": ("更正", "corrected"),
    "amend": ("更正", "amended"),
    "cancel": ("作废", "cancelled"),
}
_STATUS = {"ok": ("正常", "OK"), "issue": ("发现问题", "finding")}


def require_reason(reason: str) -> str:
    """A correction's reason: not blank, not too long."""
    if is_blank(reason):
        raise UserError(
            "更正或作废须写明原因，例如 原因=录入错误。",
            "A correction or cancellation needs its reason, e.g. reason=typo.",
            field="reason",
        )
    if len(reason) > MAX_TEXT:
        raise UserError(
            f"原因过长（最多 {MAX_TEXT} 字符）。",
            f"The reason is too long (at most {MAX_TEXT} characters).",
            field="reason",
        )
    return reason


def nothing_asked(usage_zh: str, usage_en: str) -> UserError:
    """A correction that names no field at all."""
    return UserError(
        f"请写明要更正的字段及新值。格式：{usage_zh}",
        f"Say which field to correct and its new value. Usage: {usage_en}",
        field="action",
    )


def jsonable(value: Any) -> Any:
    """A field's value as the correction's JSON keeps it (times and dates in ISO 8601)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def diff(row: Base, proposed: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for every proposed value that differs from the row's."""
    return {
        name: [jsonable(getattr(row, name)), jsonable(value)]
        for name, value in proposed.items()
        if getattr(row, name) != value
    }


# What a correction changes beside the values asked for: (derived values of the row, changes to
# other rows), e.g. a new deadline and the reports judged again against it.
Derive = Callable[[dict[str, Any]], tuple[dict[str, Any], dict[str, list[Any]]]]


def apply_correction(
    session: Session,
    row: Base,
    proposed: dict[str, Any],
    *,
    kind: str,
    reason: str,
    ctx: Context,
    derive: Derive | None = None,
) -> Correction:
    """Record the proposed values that differ from the row's as one audited correction; refused
    when none differs, or when the row was edited outside the bot (a correction never builds on
    a direct edit)."""
    changes = diff(row, proposed)
    if not changes:
        raise unchanged(session, row, list(proposed), ctx)
    repo.check_audited(session, row)
    values = {name: proposed[name] for name in changes}
    if derive is not None:
        derived, elsewhere = derive(values)
        values |= derived
        changes |= diff(row, derived) | elsewhere
    return repo.correct_record(
        session,
        row=row,
        values=values,
        kind=kind,
        changes=changes,
        reason=reason,
        actor=ctx.user,
        now=ctx.now,
    )


def unchanged(session: Session, row: Base, fields: list[str], ctx: Context) -> AlreadyDone:
    """Every value asked for is already the record's: say who set it last, and when."""
    entity = row.__tablename__
    number = int(repo.as_record(row)["id"])
    by, at = _last_set(session, row, fields)
    name_zh, name_en, *_ = RECORDS[entity]
    said_zh = "，".join(_pair(f, getattr(row, f), "zh", ctx) for f in fields)
    said_en = "; ".join(_pair(f, getattr(row, f), "en", ctx) for f in fields)
    return already_done(
        f"{name_zh} #{number} 已是 {said_zh}，无需更正",
        f"{name_en.capitalize()} #{number} already has {said_en}; nothing to correct",
        by,
        at,
        ctx,
        field=fields[0],
    )


def _last_set(session: Session, row: Base, fields: list[str]) -> tuple[str | None, Any]:
    entity = row.__tablename__
    record = repo.as_record(row)
    for correction in reversed(repo.corrections_of(session, entity=entity, entity_id=record["id"])):
        if set(fields) & set(json.loads(correction.changes)):
            return correction.corrected_by, correction.corrected_at
    _, _, by, at = RECORDS[entity]
    return record[by], record[at]


def refuse_if_cancelled(session: Session, row: Base, ctx: Context) -> None:
    """A cancelled record takes no more changes (file a new one instead)."""
    record = repo.as_record(row)
    if record.get("cancelled_at") is None:
        return
    entity = row.__tablename__
    name_zh, name_en, *_ = RECORDS[entity]
    by, at = cancelled_by(session, entity, record["id"])
    when = format_local(at, ctx.tz) if at else "?"
    raise UserError(
        f"{name_zh} #{record['id']} 已由 {display(by or '?')} 于 {when} 作废，不能再更改；如需要请重新登记。",
        f"{name_en.capitalize()} #{record['id']} was cancelled by {display(by or '?')} at {when} and takes no more changes; file it again if needed.",
        field="action",
    )


def cancelled_by(session: Session, entity: str, entity_id: int) -> tuple[str | None, Any]:
    """Who cancelled a record and when (its cancel correction)."""
    for correction in reversed(repo.corrections_of(session, entity=entity, entity_id=entity_id)):
        if correction.kind == "cancel":
            return correction.corrected_by, correction.corrected_at
    return None, None


def record_name(entity: str, entity_id: int, lang: Lang) -> str:
    """事件 #3 / Incident #3."""
    name_zh, name_en, *_ = RECORDS[entity]
    return pick(lang, f"{name_zh} #{entity_id}", f"{name_en.capitalize()} #{entity_id}")


def describe_changes(changes: dict[str, list[Any]], lang: Lang, ctx_tz: Any) -> str:
    """严重程度：中 → 高；发现时间：… → … (or "作废" for a cancellation)."""
    if set(changes) == {"cancelled_at"}:
        return pick(lang, "作废", "cancelled")
    parts = [
        f"{label(field, lang)}{pick(lang, '：', ': ')}{shown(field, before, lang, ctx_tz)} → {shown(field, after, lang, ctx_tz)}"
        for field, (before, after) in sorted(changes.items(), key=lambda item: _order(item[0]))
    ]
    return pick(lang, "；", "; ").join(parts)


def _order(field: str) -> tuple[int, str]:
    """Fields in the order a reader expects (LABELS), re-judged reports after the deadline."""
    fields = list(LABELS)
    if field.startswith("on_time:"):
        return fields.index("deadline"), field
    return (fields.index(field) if field in fields else len(fields)), field


def label(field: str, lang: Lang) -> str:
    """A field's name for people; on_time:cac is "网信 是否按时" / "cac on time"."""
    if field.startswith("on_time:"):
        authority = field.partition(":")[2]
        return pick(
            lang,
            f"{AUTHORITY_ZH.get(authority, authority)} 报告是否按时",
            f"report to {AUTHORITY_EN.get(authority, authority)} on time",
        )
    zh, en = LABELS.get(field, (field, field))
    return pick(lang, zh, en)


def shown(field: str, value: Any, lang: Lang, tz: Any) -> str:
    """A value as people read it, in their language; typed text shown safely."""
    if value is None or value == "":
        return pick(lang, "（空）", "(empty)")
    if field in ("discovered_at", "deadline", "cancelled_at"):
        return format_local(datetime.fromisoformat(str(value)), tz)
    if field == "severity":
        return pick(lang, SEVERITY_ZH.get(value, value), str(value))
    if field == "kind":
        return pick(lang, KIND_ZH.get(value, value), str(value))
    if field == "status":
        zh, en = _STATUS.get(value, (value, value))
        return pick(lang, zh, en)
    if field == "late":
        return pick(lang, "逾期" if value else "按时", "late" if value else "on time")
    if field.startswith("on_time:"):
        return pick(lang, "按时" if value else "超时", "on time" if value else "late")
    if field == "notice_days":
        return pick(lang, f"{value} 天", f"{value} days")
    return display(str(value))


def _pair(field: str, value: Any, lang: Lang, ctx: Context) -> str:
    return (
        f"{label(field, lang)}{pick(lang, '：', ': ')}{shown(field, jsonable(value), lang, ctx.tz)}"
    )


def correction_text(correction: Correction, ctx: Context) -> str:
    """已更正事件 #3：严重程度：中 → 高。原因：… / Incident #3 corrected: …; reason: …"""
    changes = json.loads(correction.changes)
    what = record_name(correction.entity, correction.entity_id, ctx.lang)
    done_zh, done_en = KIND_WORDS[correction.kind]
    change = describe_changes(changes, ctx.lang, ctx.tz)
    reason = display(correction.reason)
    if correction.kind == "cancel":
        return pick(
            ctx.lang, f"已作废{what}。原因：{reason}", f"{what} cancelled; reason: {reason}"
        )
    return pick(
        ctx.lang,
        f"已{done_zh}{what}：{change}。原因：{reason}",
        f"{what} {done_en}: {change}; reason: {reason}",
    )


def correction_data(correction: Correction) -> dict[str, Any]:
    """The correction for Slack blocks and the outbox: its row, with the changes parsed."""
    return repo.as_record(correction) | {"changes": json.loads(correction.changes)}
