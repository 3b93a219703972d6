"""/incident after opening: edit (a correction with its reason), note (a timeline entry typed by
hand), timeline, history, draft (the report to the authorities, Art. 30)."""

from __future__ import annotations

from commands.errors import UserError
from commands.grammar import Context, join_words, split_fields
from commands.grammars.corrections import RecordRef, parse_correction, show_only
from commands.grammars.incident_words import (
    EDIT_KEYS,
    NOTE_KEYS,
    SEVERITIES,
    refuse_bare_time,
    severity_of,
)
from commands.operations import (
    AddTimelineEntry,
    DraftIncidentReport,
    EditIncident,
    Operation,
    ShowIncident,
    ShowTimeline,
)
from commands.replies import pick
from commands.text import Token, display
from commands.values import is_id, parse_moment

USAGES = {
    "edit": (
        "/incident edit <编号> [摘要=…] [严重程度=高|中|低] [发现时间=YYYY-MM-DD HH:MM] [受影响系统=…] [措施=…] 原因=…",
        "/incident edit <id> [summary=…] [sev=high|medium|low] [at=YYYY-MM-DD HH:MM] [affected=…] [measures=…] reason=…",
    ),
    "note": (
        "/incident note <编号> <记录内容> [时间=YYYY-MM-DD HH:MM]",
        "/incident note <id> <entry> [at=YYYY-MM-DD HH:MM]",
    ),
    "timeline": ("/incident timeline <编号>", "/incident timeline <id>"),
    "history": ("/incident history <编号>", "/incident history <id>"),
    "draft": ("/incident draft <编号>", "/incident draft <id>"),
}
_REF = RecordRef("incident_id", "事件", "incident")
_SIGNS = frozenset("=＝:：")


def parse(verb: str, tokens: list[Token], ctx: Context) -> Operation:
    """The operation for `/incident <verb> …`, `verb` being one of USAGES or "cancel"."""
    if verb == "cancel":
        raise UserError(
            "网络安全事件登记后不能作废（第三十条按发现时起算报告时限）。误报请关闭并写明原因：/incident close <编号> 原因=误报；内容有误请用 /incident edit 更正。",
            "A security incident cannot be cancelled once filed (Art. 30 counts from its discovery). For a false alarm close it with a reason: /incident close <id> reason=false alarm; to correct it use /incident edit.",
            field="action",
        )
    usage = pick(ctx.lang, *USAGES[verb])
    rest = tokens[1:]
    first = rest[0] if rest else None
    if first and not first.quoted and not is_id(first.text) and not _SIGNS & set(first.text):
        raise _summary_hint(tokens[0].text, usage)
    if verb == "edit":
        return _edit(rest, ctx, usage)
    if verb == "note":
        return _note(rest, ctx, usage)
    number = show_only(rest, usage, _REF)
    if verb == "timeline":
        return ShowTimeline(number)
    if verb == "history":
        return ShowIncident(number)
    return DraftIncidentReport(number)


def _summary_hint(word: str, usage: str) -> UserError:
    """`/incident draft document leaked`: a verb, then no id. Perhaps it was a summary."""
    shown = display(word)
    return UserError(
        f"“{shown}”后面应为事件编号。格式：{usage}。若要登记一个以“{shown}”开头的新事件，请把整段摘要放在引号中。",
        f"“{shown}” takes an incident id. Usage: {usage}. To open an incident whose summary begins with “{shown}”, put the whole summary in quotes.",
        field="incident_id",
    )


def _edit(tokens: list[Token], ctx: Context, usage: str) -> EditIncident:
    said = parse_correction(tokens, EDIT_KEYS, usage, _REF, hints={"severity": SEVERITIES.keys()})
    values = said.values
    severity = severity_of(values["severity"], usage) if "severity" in values else None
    discovered = None
    if "discovered_at" in values:
        discovered = parse_moment(
            values["discovered_at"], tz=ctx.tz, today=ctx.today, field="discovered_at", usage=usage
        )
    return EditIncident(
        said.record_id,
        said.reason,
        summary=values.get("summary"),
        severity=severity,
        discovered_at=discovered,
        affected_systems=values.get("affected_systems"),
        measures_taken=values.get("measures_taken"),
    )


def _note(tokens: list[Token], ctx: Context, usage: str) -> AddTimelineEntry:
    fields = split_fields(tokens, NOTE_KEYS, usage)
    number = show_only(fields.rest[:1], usage, _REF)
    words = fields.rest[1:]
    refuse_bare_time(
        words,
        field="at",
        what_zh=("记录", "发生时间"),
        what_en=("entry", "when it happened", "at"),
    )
    at = None
    if "at" in fields.values:
        at = parse_moment(fields.values["at"], tz=ctx.tz, today=ctx.today, field="at", usage=usage)
    return AddTimelineEntry(number, join_words(words), "manual", "", at)
