"""/inspect: log today's inspection, or show the status (Art. 23)."""

from __future__ import annotations

from commands.grammar import (
    Context,
    did_you_mean,
    is_help,
    join_words,
    split_fields,
    start,
    suggestion,
    unknown_word,
)
from commands.operations import InspectionStatus, LogInspection, Operation, ShowHelp
from commands.replies import pick
from commands.text import fold

USAGE_ZH = "/inspect ok [备注] | /inspect issue <发现的问题> | /inspect status"
USAGE_EN = "/inspect ok [notes] | /inspect issue <finding> | /inspect status"
HELP_ZH = (
    "每日安全巡检（第二十三条：政务云服务商应当每日对政务云平台开展安全巡检）\n"
    "  /inspect ok [备注]          今日巡检正常\n"
    "  /inspect issue <发现的问题>  今日巡检发现问题\n"
    "  /inspect status             今日状态与近 7 天缺漏"
)
HELP_EN = (
    "Daily security inspection (Art. 23: the provider inspects the platform every day)\n"
    "  /inspect ok [notes]          today's inspection found nothing wrong\n"
    "  /inspect issue <finding>     today's inspection found a problem\n"
    "  /inspect status              today's status and gaps in the last 7 days"
)
VERBS = {
    **dict.fromkeys(("ok", "正常", "通过", "无异常"), "ok"),
    **dict.fromkeys(("issue", "问题", "异常", "发现问题"), "issue"),
    **dict.fromkeys(("status", "状态"), "status"),
}


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
    if verb == "status":
        if len(tokens) > 1:
            raise unknown_word(tokens[1].text, usage)
        return InspectionStatus()
    notes = split_fields(tokens[1:], {}, usage).rest
    return LogInspection(verb, join_words(notes))
