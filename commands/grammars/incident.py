"""/incident: open, reported, close, list (Art. 30)."""

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
    verb_of,
)
from commands.obligations import BY_ID
from commands.operations import (
    CloseIncident,
    ListIncidents,
    OpenIncident,
    Operation,
    ReportIncident,
    ShowHelp,
)
from commands.replies import pick
from commands.text import Token, display, fold
from commands.values import (
    continues_moment,
    is_id,
    looks_like_time_or_date,
    parse_id,
    parse_moment,
)

RULE = BY_ID["incident-report"]
USAGE_ZH = "/incident <事件摘要> [严重程度=高|中|低] [发现时间=YYYY-MM-DD HH:MM] | /incident reported <编号> <网信|公安|大数据> [报告时间=YYYY-MM-DD HH:MM] | /incident close <编号> [原因=…] | /incident list"
USAGE_EN = "/incident <summary> [sev=high|medium|low] [at=YYYY-MM-DD HH:MM] | /incident reported <id> <cac|police|bigdata> [at=YYYY-MM-DD HH:MM] | /incident close <id> [reason=…] | /incident list"
HELP_ZH = (
    f"网络安全事件报告（第三十条：在{RULE.window_text('zh')}内向网信部门、公安部门、大数据主管部门等报告）\n"
    + USAGE_ZH.replace(" | ", "\n")
    + "\n事后补记报告时请写明实际报告时间（报告时间=…），按该时间判断是否按时；仍有部门未报告时关闭事件须写明原因。"
)
HELP_EN = (
    f"Security incident report (Art. 30: report within {RULE.window_text('en')} to the cyberspace, public security and big data authorities)\n"
    + USAGE_EN.replace(" | ", "\n")
    + "\nWhen recording a report afterwards, give the time it was made (at=…): timeliness is judged by it. Closing while an authority is unreported needs a reason."
)

VERBS = {
    **dict.fromkeys(("reported", "已报告", "已上报", "已报送", "已通报"), "reported"),
    **dict.fromkeys(("close", "关闭", "结案"), "close"),
    **dict.fromkeys(LIST_WORDS, "list"),
}
OPEN_KEYS = {
    **dict.fromkeys(("sev", "severity", "严重程度", "严重性", "级别", "等级"), "severity"),
    **dict.fromkeys(("at", "discovered", "discovered_at", "发现时间", "发现于"), "discovered_at"),
}
REPORT_KEYS = dict.fromkeys(
    ("at", "reported_at", "time", "报告时间", "上报时间", "报送时间", "时间"), "reported_at"
)
CLOSE_KEYS = dict.fromkeys(("reason", "原因", "理由", "关闭原因"), "reason")
SEVERITIES = {
    **dict.fromkeys(("high", "高", "高危", "严重"), "high"),
    **dict.fromkeys(("medium", "med", "中", "中危", "一般"), "medium"),
    **dict.fromkeys(("low", "低", "低危", "轻微"), "low"),
}
# The authorities of Art. 30 by their official names and the names people use for them.
AUTHORITY_WORDS = {
    **dict.fromkeys(
        (
            "cac",
            "cyberspace",
            "网信",
            "网信办",
            "网信部门",
            "市网信办",
            "市委网信办",
            "互联网信息办公室",
            "网络安全和信息化委员会办公室",
        ),
        "cac",
    ),
    **dict.fromkeys(
        (
            "police",
            "psb",
            "public security",
            "公安",
            "公安局",
            "公安部门",
            "公安机关",
            "市公安局",
            "网安",
            "网警",
        ),
        "police",
    ),
    **dict.fromkeys(
        (
            "bigdata",
            "big data",
            "big-data",
            "大数据",
            "大数据局",
            "大数据主管部门",
            "大数据发展局",
            "市大数据发展局",
            "大数据管理局",
        ),
        "bigdata",
    ),
}
_NOT_IN_ARTICLE_30 = {"国安", "国安局", "国安部门", "国家安全机关", "national security"}


def parse(text: str, ctx: Context) -> Operation:
    usage = pick(ctx.lang, USAGE_ZH, USAGE_EN)
    tokens = start(text, usage)
    if is_help(tokens):
        return ShowHelp("incident")
    verb = verb_of(tokens[0], VERBS)
    if verb == "list":
        if len(tokens) > 1:
            raise unknown_word(tokens[1].text, usage, field="action")
        return ListIncidents()
    if verb == "reported":
        return _reported(tokens[1:], ctx, usage)
    if verb == "close":
        return _close(tokens[1:], usage)
    _refuse_near_verb(tokens, usage)
    return _open(tokens, ctx, usage)


def _refuse_near_verb(tokens: list[Token], usage: str) -> None:
    """`report 1 网信`, `closed 1`: an action misspelt must never open a new incident."""
    first = tokens[0]
    if first.quoted:
        return
    with_id = len(tokens) >= 2 and is_id(tokens[1].text)
    short = len(fold(first.text)) <= (12 if first.text.isascii() else 4)
    meant = suggestion(first.text, VERBS) if short and (with_id or len(tokens) == 1) else None
    if meant:
        raise did_you_mean(first.text, meant, usage)
    if with_id and len(tokens) == 3 and authority_of(tokens[2:]) is not None:
        raise unknown_word(first.text, usage)  # <word> <id> <authority> is no summary


def _open(tokens: list[Token], ctx: Context, usage: str) -> OpenIncident:
    fields = split_fields(tokens, OPEN_KEYS, usage, {"severity": SEVERITIES.keys()})
    severity = "medium"
    if "severity" in fields.values:
        raw = fields.values["severity"]
        if fold(raw) not in SEVERITIES:
            raise UserError(
                f"严重程度“{display(raw)}”无效，可用：高、中、低。格式：{usage}",
                f"Unknown severity “{display(raw)}”; use high, medium or low. Usage: {usage}",
                field="severity",
            )
        severity = SEVERITIES[fold(raw)]
    discovered = None
    if "discovered_at" in fields.values:
        discovered = parse_moment(
            fields.values["discovered_at"],
            tz=ctx.tz,
            today=ctx.today,
            field="discovered_at",
            usage=usage,
        )
    for index, token in enumerate(fields.rest):
        if not token.quoted and looks_like_time_or_date(token.text):
            after = fields.rest[index + 1 : index + 2]
            joined = after and not after[0].quoted and continues_moment(token.text, after[0].text)
            shown = display(f"{token.text} {after[0].text}" if joined else token.text)
            raise UserError(
                f"摘要中有时间“{shown}”：若这是发现时间，请写成 发现时间={shown}；若它属于摘要，请把整段摘要放在引号中。",
                f"The summary holds a time, “{shown}”: if it is when the incident was discovered, write at={shown}; if it belongs to the summary, put the whole summary in quotes.",
                field="discovered_at",
            )
    return OpenIncident(join_words(fields.rest), severity, discovered)


def _reported(tokens: list[Token], ctx: Context, usage: str) -> ReportIncident:
    fields = split_fields(tokens, REPORT_KEYS, usage)
    rest = fields.rest
    incident_id = parse_id(
        rest[0].text if rest else None,
        field="incident_id",
        what_zh="事件",
        what_en="incident",
        usage=usage,
    )
    authority = authority_of(rest[1:])
    if authority is None:
        named = join_words(rest[1:])
        not_named = fold(named) in _NOT_IN_ARTICLE_30
        raise UserError(
            ("第三十条规定向网信、公安、大数据主管部门报告；" if not_named else "")
            + f"请说明报告给哪个部门：网信、公安 或 大数据{f'（“{display(named)}”无法识别）' if named and not not_named else ''}。格式：{usage}",
            (
                "Art. 30 names the cyberspace, public security and big data authorities; "
                if not_named
                else ""
            )
            + f"Say which authority was told: cac, police or bigdata{f' (“{display(named)}” is not one)' if named and not not_named else ''}. Usage: {usage}",
            field="authority",
        )
    reported_at = None
    if "reported_at" in fields.values:
        reported_at = parse_moment(
            fields.values["reported_at"],
            tz=ctx.tz,
            today=ctx.today,
            field="reported_at",
            usage=usage,
        )
    return ReportIncident(incident_id, authority, reported_at)


def authority_of(tokens: list[Token]) -> str | None:
    """The Art. 30 authority the words name (one or two words: "big data"), or None."""
    if not tokens or len(tokens) > 2:
        return None
    return AUTHORITY_WORDS.get(fold(join_words(tokens)))


def _close(tokens: list[Token], usage: str) -> CloseIncident:
    fields = split_fields(tokens, CLOSE_KEYS, usage)
    rest = fields.rest
    incident_id = parse_id(
        rest[0].text if rest else None,
        field="incident_id",
        what_zh="事件",
        what_en="incident",
        usage=usage,
    )
    trailing = rest[1:]
    if trailing and "reason" in fields.values:
        raise unknown_word(trailing[0].text, usage, field="reason")
    if len(trailing) == 1 and is_id(trailing[0].text):
        raise UserError(
            f"一次关闭一个事件；关闭原因请写成 原因=…。格式：{usage}",
            f"Close one incident at a time; give a reason as reason=…. Usage: {usage}",
            field="incident_id",
        )
    return CloseIncident(incident_id, fields.values.get("reason", join_words(trailing)))
