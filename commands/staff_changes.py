"""/staff-change: security-team changes must be reported 30 days ahead (Art. 19)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from commands.errors import UserError
from commands.grammar import (
    HELP_WORDS,
    Context,
    check_field,
    parse_date,
    parse_id,
    verb_and_args,
)
from commands.replies import Reply, pick
from commands.store import repo

ARTICLE = 19
NOTICE_DAYS = 30  # Art. 19: 提前30日
USAGE_ZH = "/staff-change <入职|离岗|调岗> <姓名> <岗位> <生效日期 YYYY-MM-DD> | /staff-change notified <编号> <大数据|tenants>"
USAGE_EN = "/staff-change <join|leave|transfer> <name> <role> <effective YYYY-MM-DD> | /staff-change notified <id> <bigdata|tenants>"
HELP_ZH = (
    "安全团队人员变动报备（第十九条：应当提前30日向市大数据主管部门和相关云租户报备）\n"
    "  /staff-change 离岗 张三 安全运维 2026-12-31\n"
    "  /staff-change notified <编号> 大数据     已向市大数据主管部门报备\n"
    "  /staff-change notified <编号> tenants    已向相关云租户报备\n"
    "  /staff-change list                      尚未报备完成的变动"
)
HELP_EN = (
    "Security-team change notice (Art. 19: report to the big data authority and the tenants 30 days ahead)\n"
    '  /staff-change leave "Zhang San" "security ops" 2026-12-31\n'
    "  /staff-change notified <id> bigdata     reported to the big data authority\n"
    "  /staff-change notified <id> tenants     reported to the tenants concerned\n"
    "  /staff-change list                      changes not yet fully reported"
)
KINDS = {
    "join": "join",
    "入职": "join",
    "leave": "leave",
    "离岗": "leave",
    "离职": "leave",
    "transfer": "transfer",
    "调岗": "transfer",
}
KIND_ZH = {"join": "入职", "leave": "离岗", "transfer": "调岗"}
PARTIES = {
    "大数据": "bigdata",
    "大数据主管部门": "bigdata",
    "bigdata": "bigdata",
    "tenants": "tenants",
    "tenant": "tenants",
    "租户": "tenants",
    "云租户": "tenants",
}


def is_write(text: str) -> bool:
    words = text.split()
    return bool(words) and (words[0].lower() in KINDS or words[0].lower() == "notified")


def handle(session: Session, text: str, ctx: Context) -> Reply:
    usage = pick(ctx.lang, USAGE_ZH, USAGE_EN)
    verb, args = verb_and_args(text, usage)
    if verb in HELP_WORDS:
        return Reply(pick(ctx.lang, HELP_ZH, HELP_EN), ctx.lang, "help", articles=(ARTICLE,))
    if verb in ("list", "列表"):
        return _pending(session, ctx)
    if verb == "notified":
        return _notified(session, args[1:], ctx, usage)
    if verb not in KINDS:
        raise UserError(
            f"无法识别变动类型“{args[0]}”（可用：入职、离岗、调岗）。格式：{usage}",
            f"Unknown change “{args[0]}” (use join, leave or transfer). Usage: {usage}",
        )
    if len(args) != 4:
        raise UserError(
            f"需要变动类型、姓名、岗位、生效日期四项（姓名或岗位含空格时请加引号）。格式：{usage}",
            f"Expected the change, name, role and effective date (quote a name or role with spaces). Usage: {usage}",
        )
    return _file(session, KINDS[verb], args[1], args[2], args[3], ctx, usage)


def _file(
    session: Session, kind: str, name: str, role: str, when: str, ctx: Context, usage: str
) -> Reply:
    effective = parse_date(when, usage)
    if effective < ctx.today:
        raise UserError(
            f"生效日期 {effective} 已过去；变动应当提前30日报备（第十九条），不能补登过去的日期。",
            f"The effective date {effective} is in the past; changes are reported 30 days ahead (Art. 19), not after the fact.",
        )
    notice = (effective - ctx.today).days
    late = notice < NOTICE_DAYS
    row = repo.create_staff_change(
        session,
        kind=kind,
        name=check_field(name, "姓名", "name"),
        role=check_field(role, "岗位", "role"),
        effective_date=effective,
        notice_days=notice,
        late=late,
        filed_by=ctx.user,
        now=ctx.now,
    )
    who = pick(ctx.lang, f"{name}（{role}，{KIND_ZH[kind]}）", f"{name} ({role}, {kind})")
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
                f"⚠ 逾期：第十九条要求提前30日报备，本次少 {NOTICE_DAYS - notice} 天，已记录为逾期报备。",
                f"⚠ Late: Art. 19 requires 30 days' notice; this is {NOTICE_DAYS - notice} days short and is recorded as late.",
            )
        )
    lines.append(
        pick(
            ctx.lang,
            f"请向市大数据主管部门和相关云租户报备，完成后使用 /staff-change notified {row.id} 大数据 与 /staff-change notified {row.id} tenants。",
            f"Report it to the big data authority and the tenants concerned, then run /staff-change notified {row.id} bigdata and /staff-change notified {row.id} tenants.",
        )
    )
    return Reply("\n".join(lines), ctx.lang, "staff_change", repo.as_record(row), (ARTICLE,))


def _notified(session: Session, args: list[str], ctx: Context, usage: str) -> Reply:
    change_id = parse_id(args[0] if args else None, "变动", "change", usage)
    party = PARTIES.get(args[1].lower()) if len(args) == 2 else None
    if party is None:
        raise UserError(
            f"请说明已报备给谁：大数据 或 tenants。格式：{usage}",
            f"Say who was notified: bigdata or tenants. Usage: {usage}",
        )
    change = repo.get_staff_change(session, change_id=change_id)
    if change is None:
        raise UserError(
            f"没有编号为 {change_id} 的人员变动。可用 /staff-change list 查看。",
            f"There is no staff change #{change_id}. See /staff-change list.",
        )
    if (
        change.notified_bigdata_at if party == "bigdata" else change.notified_tenants_at
    ) is not None:
        raise UserError(
            f"变动 #{change_id} 已记录过向{'市大数据主管部门' if party == 'bigdata' else '云租户'}报备。",
            f"Change #{change_id} is already recorded as reported to {'the big data authority' if party == 'bigdata' else 'the tenants'}.",
        )
    repo.mark_staff_change_notified(
        session, change=change, party=party, actor=ctx.user, now=ctx.now
    )
    remaining = [
        p
        for p, at in (
            ("bigdata", change.notified_bigdata_at),
            ("tenants", change.notified_tenants_at),
        )
        if at is None
    ]
    done = pick(
        ctx.lang,
        "市大数据主管部门" if party == "bigdata" else "相关云租户",
        "the big data authority" if party == "bigdata" else "the tenants concerned",
    )
    text = pick(
        ctx.lang,
        f"已记录变动 #{change_id} 已向{done}报备。",
        f"Recorded that change #{change_id} was reported to {done}.",
    )
    if remaining:
        text += pick(
            ctx.lang,
            " 还需向" + ("云租户" if remaining == ["tenants"] else "市大数据主管部门") + "报备。",
            " Still to notify: "
            + ("the tenants." if remaining == ["tenants"] else "the big data authority."),
        )
    else:
        text += pick(ctx.lang, " 报备已完成（第十九条）。", " Notification complete (Art. 19).")
    return Reply(text, ctx.lang, "staff_change", repo.as_record(change), (ARTICLE,))


def _pending(session: Session, ctx: Context) -> Reply:
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
            f"#{row.id} {row.name} ({row.role}) {row.effective_date} — {pick(ctx.lang, '未报备：', 'missing: ')}{', '.join(missing)}"
        )
    return Reply(
        "\n".join(lines),
        ctx.lang,
        "staff_change_list",
        {"pending": [r.id for r in rows]},
        (ARTICLE,),
    )
