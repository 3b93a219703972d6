"""/incident: open, reported, close, list (Art. 30); edit, note, timeline, history, draft are in
commands.grammars.incident_history."""

from __future__ import annotations

from commands.errors import UserError
from commands.grammar import (
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
from commands.grammars import incident_history
from commands.grammars.incident_words import (
    AUTHORITY_WORDS,
    CLOSE_KEYS,
    EDIT_KEYS,
    NOT_IN_ARTICLE_30,
    OPEN_KEYS,
    REPORT_KEYS,
    RULE,
    SEVERITIES,
    VERBS,
    authority_of,
    refuse_bare_time,
    severity_of,
)
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
    is_id,
    parse_id,
    parse_moment,
)

__all__ = [
    "AUTHORITY_WORDS",
    "CLOSE_KEYS",
    "EDIT_KEYS",
    "OPEN_KEYS",
    "REPORT_KEYS",
    "SEVERITIES",
    "VERBS",
    "authority_of",
    "parse",
]
USAGE_ZH = "/incident <事件摘要> [严重程度=高|中|低] [发现时间=YYYY-MM-DD HH:MM] [受影响系统=…] [措施=…] | /incident reported <编号> <网信|公安|大数据> [报告时间=YYYY-MM-DD HH:MM] | /incident close <编号> [原因=…] | /incident list | /incident edit <编号> <字段=新值> 原因=… | /incident note <编号> <记录> [时间=…] | /incident timeline <编号> | /incident history <编号> | /incident draft <编号>"
USAGE_EN = "/incident <summary> [sev=high|medium|low] [at=YYYY-MM-DD HH:MM] [affected=…] [measures=…] | /incident reported <id> <cac|police|bigdata> [at=YYYY-MM-DD HH:MM] | /incident close <id> [reason=…] | /incident list | /incident edit <id> <field=value> reason=… | /incident note <id> <entry> [at=…] | /incident timeline <id> | /incident history <id> | /incident draft <id>"
HELP_ZH = (
    f"网络安全事件报告（第三十条：在{RULE.window_text('zh')}内向网信部门、公安部门、大数据主管部门等报告）\n"
    + USAGE_ZH.replace(" | ", "\n")
    + "\n事后补记报告时请写明实际报告时间（报告时间=…），按该时间判断是否按时；仍有部门未报告时关闭事件须写明原因。"
    + "\n更正（edit）可改：摘要、严重程度、发现时间（报告时限随之改变，并重新判断各部门是否按时）、受影响系统、措施，须写明原因；原记录保留在审计链中。"
)
HELP_EN = (
    f"Security incident report (Art. 30: report within {RULE.window_text('en')} to the cyberspace, public security and big data authorities)\n"
    + USAGE_EN.replace(" | ", "\n")
    + "\nWhen recording a report afterwards, give the time it was made (at=…): timeliness is judged by it. Closing while an authority is unreported needs a reason."
    + "\nedit corrects the summary, severity, discovery time (the deadline moves and every report's timeliness is judged again), affected systems or measures, with a reason; the original stays in the audit chain."
)


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
    if verb is not None:
        return incident_history.parse(verb, tokens, ctx)
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


def _refuse_action_with_fields(words: list[Token], has_fields: bool, usage: str) -> None:
    """`更改 7 严重程度=高`: a word, an id and fields is an action nobody knows, not a summary."""
    if has_fields and len(words) == 2 and not words[0].quoted and is_id(words[1].text):
        shown = display(words[0].text)
        raise UserError(
            f"无法识别“{shown}”：“{shown} <编号> 字段=…”不像新事件的摘要。更正事件请用 /incident edit <编号> 字段=… 原因=…；若这确是新事件的摘要，请把摘要放在引号中。格式：{usage}",
            f"“{shown}” is not an action: “{shown} <id> field=…” does not look like a summary. To correct an incident use /incident edit <id> field=… reason=…; if it is the summary of a new incident, put it in quotes. Usage: {usage}",
            field="action",
        )


def _open(tokens: list[Token], ctx: Context, usage: str) -> OpenIncident:
    fields = split_fields(tokens, OPEN_KEYS, usage, {"severity": SEVERITIES.keys()})
    values = fields.values
    severity = severity_of(values["severity"], usage) if "severity" in values else "medium"
    discovered = None
    if "discovered_at" in values:
        discovered = parse_moment(
            values["discovered_at"], tz=ctx.tz, today=ctx.today, field="discovered_at", usage=usage
        )
    _refuse_action_with_fields(fields.rest, bool(values), usage)
    refuse_bare_time(
        fields.rest,
        field="discovered_at",
        what_zh=("摘要", "发现时间"),
        what_en=("summary", "when the incident was discovered", "at"),
    )
    return OpenIncident(
        join_words(fields.rest),
        severity,
        discovered,
        values.get("affected_systems", ""),
        values.get("measures_taken", ""),
    )


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
        not_named = fold(named) in NOT_IN_ARTICLE_30
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
