"""/staff-change: security-team changes must be reported ahead, to whom the rule names (Art. 19)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from commands.errors import UserError
from commands.grammar import Context, check_field
from commands.incidents import already_done
from commands.obligations import BY_ID
from commands.operations import FileStaffChange, ListStaffChanges, MarkNotified
from commands.replies import Reply, cite, pick
from commands.store import repo
from commands.store.models import StaffChange
from commands.text import display
from commands.values import LAST_YEAR

RULE = BY_ID["staff-change-notice"]
ARTICLE = RULE.article
NOTICE = RULE.window  # Art. 19: 提前30日
KIND_ZH = {"join": "入职", "leave": "离岗", "transfer": "调岗"}
PARTY_ZH = {"bigdata": "市大数据主管部门", "tenants": "相关云租户"}
PARTY_EN = {"bigdata": "the big data authority", "tenants": "the tenants concerned"}


def file_staff_change(session: Session, op: FileStaffChange, ctx: Context) -> Reply:
    if op.kind not in KIND_ZH:
        raise UserError(
            "变动类型应为 入职、离岗 或 调岗。",
            "The change must be join, leave or transfer.",
            field="kind",
        )
    name = check_field(op.name, "name", "姓名", "name")
    role = check_field(op.role, "role", "岗位", "role")
    effective, kind = op.effective_date, op.kind
    days = NOTICE.days  # type: ignore[union-attr]
    if effective < ctx.today:
        raise UserError(
            f"生效日期 {effective} 已过去；变动应当提前{days}日报备（{cite(ARTICLE, 'zh')}），不能补登过去的日期。",
            f"The effective date {effective} is in the past; changes are reported {days} days ahead (Art. {ARTICLE}), not after the fact.",
            field="effective_date",
        )
    if effective.year > LAST_YEAR:
        raise UserError(
            f"生效日期 {effective} 不合理（年份须在 {LAST_YEAR} 年以前）。",
            f"The effective date {effective} is not plausible (the year must be {LAST_YEAR} or earlier).",
            field="effective_date",
        )
    notice = (effective - ctx.today).days
    late = notice < days
    row = repo.create_staff_change(
        session,
        kind=kind,
        name=name,
        role=role,
        effective_date=effective,
        notice_days=notice,
        late=late,
        filed_by=ctx.user,
        now=ctx.now,
    )
    who = pick(
        ctx.lang,
        f"{display(name)}（{display(role)}，{KIND_ZH[kind]}）",
        f"{display(name)} ({display(role)}, {kind})",
    )
    lines = [
        pick(
            ctx.lang,
            f"已登记安全团队人员变动 #{row.id}：{who}，生效日期 {effective}，提前 {notice} 天报备。",
            f"Filed security-team change #{row.id}: {who}, effective {effective}, {notice} days' notice.",
        )
    ]
    if late:
        lines.append(
            pick(
                ctx.lang,
                f"⚠ 逾期：{cite(ARTICLE, 'zh')}要求提前{days}日报备，本次少 {days - notice} 天，已记录为逾期报备。",
                f"⚠ Late: Art. {ARTICLE} requires {days} days' notice; this is {days - notice} days short and is recorded as late.",
            )
        )
    lines.append(
        pick(
            ctx.lang,
            f"请向市大数据主管部门和相关云租户报备，完成后使用 /staff-change notified {row.id} 大数据 与 /staff-change notified {row.id} 租户。",
            f"Report it to the big data authority and the tenants concerned, then run /staff-change notified {row.id} bigdata and /staff-change notified {row.id} tenants.",
        )
    )
    return Reply("\n".join(lines), ctx.lang, "staff_change", repo.as_record(row), (ARTICLE,))


def mark_notified(session: Session, op: MarkNotified, ctx: Context) -> Reply:
    if op.party not in PARTY_ZH:
        raise UserError(
            "请说明已报备给谁：大数据 或 租户。",
            "Say who was notified: bigdata or tenants.",
            field="party",
        )
    change = find_staff_change(session, op.change_id)
    if change.cancelled_at is not None:
        raise UserError(
            f"变动 #{change.id} 已作废，无需报备。可用 /staff-change history {change.id} 查看。",
            f"Change #{change.id} was cancelled and needs no notice. See /staff-change history {change.id}.",
            field="change_id",
        )
    already = _notified_at(change, op.party)
    if already is None:
        repo.check_audited(session, change)
        if repo.mark_staff_change_notified(
            session, change=change, party=op.party, actor=ctx.user, now=ctx.now
        ):
            return _notified_reply(change, op.party, ctx)
        change = repo.get_staff_change(session, change_id=op.change_id) or change
    raise already_done(
        f"变动 #{change.id} 已记录过向{PARTY_ZH[op.party]}报备",
        f"Change #{change.id} is already recorded as reported to {PARTY_EN[op.party]}",
        _notified_by(session, change.id, op.party),
        _notified_at(change, op.party),
        ctx,
        field="party",
    )


def find_staff_change(session: Session, change_id: int) -> StaffChange:
    """The staff change with this id, or a UserError naming the id."""
    change = repo.get_staff_change(session, change_id=change_id)
    if change is None:
        raise UserError(
            f"没有编号为 {change_id} 的人员变动。可用 /staff-change list 查看。",
            f"There is no staff change #{change_id}. See /staff-change list.",
            field="change_id",
        )
    return change


def _notified_at(change: Any, party: str) -> Any:
    return change.notified_bigdata_at if party == "bigdata" else change.notified_tenants_at


def _notified_by(session: Session, change_id: int, party: str) -> str | None:
    return repo.last_actor(
        session, entity="staff_changes", entity_id=change_id, action=f"notified-{party}"
    )


def _notified_reply(change: Any, party: str, ctx: Context) -> Reply:
    remaining = [p for p in PARTY_ZH if _notified_at(change, p) is None]
    text = pick(
        ctx.lang,
        f"已记录变动 #{change.id} 已向{PARTY_ZH[party]}报备。",
        f"Recorded that change #{change.id} was reported to {PARTY_EN[party]}.",
    )
    if remaining:
        text += pick(
            ctx.lang,
            " 还需向" + "、".join(PARTY_ZH[p] for p in remaining) + "报备。",
            " Still to notify: " + " and ".join(PARTY_EN[p] for p in remaining) + ".",
        )
    else:
        text += pick(
            ctx.lang,
            f" 报备已完成（{cite(ARTICLE, 'zh')}）。",
            f" Notification complete (Art. {ARTICLE}).",
        )
    return Reply(text, ctx.lang, "staff_change", repo.as_record(change), (ARTICLE,))


def list_staff_changes(session: Session, op: ListStaffChanges, ctx: Context) -> Reply:
    rows = repo.staff_changes_pending_notice(session)
    if not rows:
        return Reply(
            pick(ctx.lang, "没有待报备的人员变动。", "No staff changes waiting to be reported."),
            ctx.lang,
            "staff_change_list",
            {"pending": []},
            (ARTICLE,),
        )
    lines = [pick(ctx.lang, "待报备的人员变动：", "Staff changes not yet fully reported:")]
    for row in rows:
        missing = [
            p
            for p, at in (
                (pick(ctx.lang, "大数据", "bigdata"), row.notified_bigdata_at),
                (pick(ctx.lang, "租户", "tenants"), row.notified_tenants_at),
            )
            if at is None
        ]
        lines.append(
            f"#{row.id} {display(row.name)} ({display(row.role)}) {row.effective_date} — {pick(ctx.lang, '未报备：', 'missing: ')}{', '.join(missing)}"
        )
    return Reply(
        "\n".join(lines),
        ctx.lang,
        "staff_change_list",
        {"pending": [r.id for r in rows]},
        (ARTICLE,),
    )
