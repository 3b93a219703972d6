"""/inspect: log today's inspection, show the status, list, amend, cancel, history (Art. 23)."""

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
from commands.operations import (
    AmendInspection,
    CancelInspection,
    InspectionStatus,
    ListInspections,
    LogInspection,
    Operation,
    ShowHelp,
    ShowInspection,
)
from commands.replies import pick
from commands.text import Token, display, fold

USAGE_ZH = "/inspect ok [备注] | /inspect issue <发现的问题> | /inspect status | /inspect list | /inspect amend <编号> [结果=ok|issue] [备注=…] 原因=… | /inspect cancel <编号> 原因=… | /inspect history <编号>"
USAGE_EN = "/inspect ok [notes] | /inspect issue <finding> | /inspect status | /inspect list | /inspect amend <id> [result=ok|issue] [notes=…] reason=… | /inspect cancel <id> reason=… | /inspect history <id>"
AMEND_USAGE = (
    "/inspect amend <编号> [结果=ok|issue] [备注=…] 原因=…",
    "/inspect amend <id> [result=ok|issue] [notes=…] reason=…",
)
HELP_ZH = (
    "每日安全巡检（第二十三条：政务云服务商应当每日对政务云平台开展安全巡检）\n"
    "  /inspect ok [备注]          今日巡检正常\n"
    "  /inspect issue <发现的问题>  今日巡检发现问题\n"
    "  /inspect status             今日状态与近 7 天缺漏\n"
    "  /inspect list               近 7 天的巡检记录及编号\n"
    "  /inspect amend <编号> 结果=issue 备注=… 原因=…   更正一条记录（原记录保留在审计链中）\n"
    "  /inspect cancel <编号> 原因=…                    作废一条误登记的记录（该日不再计为已巡检）\n"
    "  /inspect history <编号>                          一条记录及其更正历史"
)
HELP_EN = (
    "Daily security inspection (Art. 23: the provider inspects the platform every day)\n"
    "  /inspect ok [notes]          today's inspection found nothing wrong\n"
    "  /inspect issue <finding>     today's inspection found a problem\n"
    "  /inspect status              today's status and gaps in the last 7 days\n"
    "  /inspect list                the last 7 days' inspections with their ids\n"
    "  /inspect amend <id> result=issue notes=… reason=…   correct one (the original stays in the audit chain)\n"
    "  /inspect cancel <id> reason=…                       cancel one logged by mistake (its day no longer counts)\n"
    "  /inspect history <id>                               one inspection and its corrections"
)
RESULTS = {
    **dict.fromkeys(("ok", "正常", "通过", "无异常"), "ok"),
    **dict.fromkeys(("issue", "问题", "异常", "发现问题"), "issue"),
}
VERBS = {
    **RESULTS,
    **dict.fromkeys(("status", "状态"), "status"),
    **dict.fromkeys(LIST_WORDS, "list"),
    **dict.fromkeys(AMEND_WORDS, "amend"),
    **dict.fromkeys(CANCEL_WORDS, "cancel"),
    **dict.fromkeys(HISTORY_WORDS, "history"),
}
AMEND_KEYS = {
    **dict.fromkeys(("result", "status", "结果", "巡检结果", "状态"), "status"),
    **dict.fromkeys(("notes", "note", "备注", "说明"), "notes"),
}
_REF = RecordRef("inspection_id", "巡检记录", "inspection")


def parse(text: str, ctx: Context) -> Operation:
    usage = pick(ctx.lang, USAGE_ZH, USAGE_EN)
    tokens = start(text, usage)
    if is_help(tokens):
        return ShowHelp("inspect")
    verb = VERBS.get(fold(tokens[0].text))
    if verb is None:
        meant = suggestion(tokens[0].text, VERBS)
        if meant:
            raise did_you_mean(tokens[0].text, meant, usage, field="status")
        raise unknown_word(tokens[0].text, usage, field="status")
    if verb in ("status", "list"):
        if len(tokens) > 1:
            raise unknown_word(tokens[1].text, usage)
        return InspectionStatus() if verb == "status" else ListInspections()
    if verb == "amend":
        return _amend(tokens[1:], ctx)
    if verb == "cancel":
        said = parse_correction(tokens[1:], {}, usage, _REF)
        return CancelInspection(said.record_id, said.reason)
    if verb == "history":
        return ShowInspection(show_only(tokens[1:], usage, _REF))
    notes = split_fields(tokens[1:], {}, usage).rest
    return LogInspection(verb, join_words(notes))


def _amend(tokens: list[Token], ctx: Context) -> AmendInspection:
    usage = pick(ctx.lang, *AMEND_USAGE)
    said = parse_correction(tokens, AMEND_KEYS, usage, _REF, hints={"status": RESULTS.keys()})
    status = None
    if "status" in said.values:
        raw = said.values["status"]
        status = RESULTS.get(fold(raw))
        if status is None:
            raise UserError(
                f"巡检结果“{display(raw)}”无效，可用：ok（正常）或 issue（发现问题）。格式：{usage}",
                f"Unknown result “{display(raw)}”; use ok or issue. Usage: {usage}",
                field="status",
            )
    return AmendInspection(said.record_id, said.reason, status, said.values.get("notes"))
