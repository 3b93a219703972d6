"""/staff-change: file a change, mark who was notified, list what is pending, amend or cancel a
change, show its history (Art. 19)."""

from __future__ import annotations

from commands.errors import UserError
from commands.grammar import (
    LIST_WORDS,
    Context,
    did_you_mean,
    is_help,
    join_words,
    split_fields,
    start,
    suggestion,
    unknown_word,
)
from commands.grammars.corrections import (
    AMEND_WORDS,
    CANCEL_WORDS,
    HISTORY_WORDS,
    RecordRef,
    parse_correction,
    show_only,
)
from commands.obligations import BY_ID
from commands.operations import (
    AmendStaffChange,
    CancelStaffChange,
    FileStaffChange,
    ListStaffChanges,
    MarkNotified,
    Operation,
    ShowHelp,
    ShowStaffChange,
)
from commands.replies import pick
from commands.text import Token, display, fold
from commands.values import parse_date, parse_id

RULE = BY_ID["staff-change-notice"]
USAGE_ZH = "/staff-change <入职|离岗|调岗> <姓名> <岗位> <生效日期 YYYY-MM-DD> | /staff-change notified <编号> <大数据|租户> | /staff-change list | /staff-change amend <编号> [类型=…] [姓名=…] [岗位=…] [生效日期=…] 原因=… | /staff-change cancel <编号> 原因=… | /staff-change history <编号>"
USAGE_EN = "/staff-change <join|leave|transfer> <name> <role> <effective YYYY-MM-DD> | /staff-change notified <id> <bigdata|tenants> | /staff-change list | /staff-change amend <id> [kind=…] [name=…] [role=…] [effective=…] reason=… | /staff-change cancel <id> reason=… | /staff-change history <id>"
AMEND_USAGE = (
    "/staff-change amend <编号> [类型=入职|离岗|调岗] [姓名=…] [岗位=…] [生效日期=YYYY-MM-DD] 原因=…",
    "/staff-change amend <id> [kind=join|leave|transfer] [name=…] [role=…] [effective=YYYY-MM-DD] reason=…",
)
HELP_ZH = (
    f"安全团队人员变动报备（第十九条：应当提前{RULE.window_text('zh')}向市大数据主管部门和相关云租户报备）\n"
    "  /staff-change 离岗 张三 安全运维 2026-12-31\n"
    "  /staff-change notified <编号> 大数据     已向市大数据主管部门报备\n"
    "  /staff-change notified <编号> 租户       已向相关云租户报备\n"
    "  /staff-change list                      尚未报备完成的变动\n"
    "  /staff-change amend <编号> 生效日期=2027-01-05 原因=…   更正（原记录保留在审计链中）\n"
    "  /staff-change cancel <编号> 原因=…                     作废（不再报备、不再提醒）\n"
    "  /staff-change history <编号>                           变动记录及其更正历史\n"
    "姓名或岗位含空格时请加引号。"
)
HELP_EN = (
    f"Security-team change notice (Art. 19: report to the big data authority and the tenants {RULE.window_text('en')} ahead)\n"
    '  /staff-change leave "Zhang San" "security ops" 2026-12-31\n'
    "  /staff-change notified <id> bigdata     reported to the big data authority\n"
    "  /staff-change notified <id> tenants     reported to the tenants concerned\n"
    "  /staff-change list                      changes not yet fully reported\n"
    "  /staff-change amend <id> effective=2027-01-05 reason=…   correct it (the original stays in the audit chain)\n"
    "  /staff-change cancel <id> reason=…                      cancel it (no notice, no reminders)\n"
    "  /staff-change history <id>                              the change and its corrections"
)
KINDS = {
    **dict.fromkeys(("join", "入职", "加入"), "join"),
    **dict.fromkeys(("leave", "离岗", "离职"), "leave"),
    **dict.fromkeys(("transfer", "调岗", "转岗"), "transfer"),
}
NOTIFIED = dict.fromkeys(("notified", "已报备", "已通知"), "notified")
VERBS = {
    **KINDS,
    **NOTIFIED,
    **dict.fromkeys(LIST_WORDS, "list"),
    **dict.fromkeys(AMEND_WORDS, "amend"),
    **dict.fromkeys(CANCEL_WORDS, "cancel"),
    **dict.fromkeys(HISTORY_WORDS, "history"),
}
AMEND_KEYS = {
    **dict.fromkeys(("kind", "change", "type", "类型", "变动类型", "变动"), "kind"),
    **dict.fromkeys(("name", "姓名", "人员"), "name"),
    **dict.fromkeys(("role", "岗位", "职位"), "role"),
    **dict.fromkeys(("effective", "effective_date", "date", "生效日期", "日期"), "effective_date"),
}
_REF = RecordRef("change_id", "变动", "change")
PARTIES = {
    **dict.fromkeys(
        (
            "bigdata",
            "big data",
            "big-data",
            "大数据",
            "大数据局",
            "大数据主管部门",
            "市大数据主管部门",
        ),
        "bigdata",
    ),
    **dict.fromkeys(("tenants", "tenant", "租户", "云租户", "相关云租户"), "tenants"),
}


def parse(text: str, ctx: Context) -> Operation:
    usage = pick(ctx.lang, USAGE_ZH, USAGE_EN)
    tokens = start(text, usage)
    if is_help(tokens):
        return ShowHelp("staff-change")
    verb = VERBS.get(fold(tokens[0].text))
    if verb == "list":
        if len(tokens) > 1:
            raise unknown_word(tokens[1].text, usage)
        return ListStaffChanges()
    if verb == "notified":
        return _notified(tokens[1:], usage)
    if verb == "amend":
        return _amend(tokens[1:], ctx)
    if verb == "cancel":
        said = parse_correction(tokens[1:], {}, usage, _REF)
        return CancelStaffChange(said.record_id, said.reason)
    if verb == "history":
        return ShowStaffChange(show_only(tokens[1:], usage, _REF))
    if verb is None:
        meant = suggestion(tokens[0].text, VERBS)
        if meant:
            raise did_you_mean(tokens[0].text, meant, usage, field="kind")
        raise UserError(
            f"无法识别变动类型“{display(tokens[0].text)}”（可用：入职、离岗、调岗）。格式：{usage}",
            f"Unknown change “{display(tokens[0].text)}” (use join, leave or transfer). Usage: {usage}",
            field="kind",
        )
    words = split_fields(tokens[1:], {}, usage).rest
    if len(words) != 3:
        raise UserError(
            f"需要变动类型、姓名、岗位、生效日期四项（姓名或岗位含空格时请加引号）。格式：{usage}",
            f"Expected the change, name, role and effective date (quote a name or role with spaces). Usage: {usage}",
            field="name" if len(words) < 2 else "effective_date",
        )
    name, role, when = words
    effective = parse_date(when.text, field="effective_date", usage=usage)
    return FileStaffChange(verb, name.text, role.text, effective)


def _notified(tokens: list[Token], usage: str) -> MarkNotified:
    change_id = parse_id(
        tokens[0].text if tokens else None,
        field="change_id",
        what_zh="变动",
        what_en="change",
        usage=usage,
    )
    named = tokens[1:]
    party = PARTIES.get(fold(join_words(named))) if 1 <= len(named) <= 2 else None
    if party is None:
        raise UserError(
            f"请说明已报备给谁：大数据 或 租户。格式：{usage}",
            f"Say who was notified: bigdata or tenants. Usage: {usage}",
            field="party",
        )
    return MarkNotified(change_id, party)


def _amend(tokens: list[Token], ctx: Context) -> AmendStaffChange:
    usage = pick(ctx.lang, *AMEND_USAGE)
    said = parse_correction(tokens, AMEND_KEYS, usage, _REF, hints={"kind": KINDS.keys()})
    values = said.values
    kind = None
    if "kind" in values:
        kind = KINDS.get(fold(values["kind"]))
        if kind is None:
            raise UserError(
                f"无法识别变动类型“{display(values['kind'])}”（可用：入职、离岗、调岗）。格式：{usage}",
                f"Unknown change “{display(values['kind'])}” (use join, leave or transfer). Usage: {usage}",
                field="kind",
            )
    effective = None
    if "effective_date" in values:
        effective = parse_date(values["effective_date"], field="effective_date", usage=usage)
    return AmendStaffChange(
        said.record_id,
        said.reason,
        kind=kind,
        name=values.get("name"),
        role=values.get("role"),
        effective_date=effective,
    )
