"""An incident's timeline (Art. 30 asks for the incident's circumstances; the timeline is how a
team keeps them): entries typed with `/incident note`, and Slack messages pinned or marked 📌 in
the incident's channel. Each entry is audited; a message is recorded once, however often pinned.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from commands import incidents
from commands.errors import UserError
from commands.evidence import check_link
from commands.grammar import Context, format_local
from commands.incidents import ARTICLE, already_done, check_moment, find_incident
from commands.operations import AddTimelineEntry, OpenIncident, ShowTimeline
from commands.replies import Lang, Reply, pick
from commands.store import repo
from commands.store.models import TimelineEntry
from commands.text import display, is_blank
from commands.values import FIRST_YEAR

SOURCES = {
    "manual": ("手动记录", "typed"),
    "pin": ("置顶消息", "pinned"),
    "reaction": ("📌 标记", "marked 📌"),
    "message": ("登记来源消息", "filed from this message"),
}
MAX_ENTRY = 4000  # a pinned Slack message may be long; one longer than this is refused, not cut
MAX_KEY = 200
# A message's time comes from Slack's clock, not ours: allow it to run a little ahead.
CLOCK_SKEW = timedelta(minutes=5)


def add_timeline_entry(session: Session, op: AddTimelineEntry, ctx: Context) -> Reply:
    incident = find_incident(session, op.incident_id)
    _check(op, ctx)
    at = ctx.now if op.at is None else op.at
    if op.key is not None:
        earlier = repo.timeline_entry_by_key(session, key=op.key)
        if earlier is not None:
            raise _already(earlier, ctx)
    entry = repo.add_timeline_entry(
        session,
        incident_id=incident.id,
        at=at,
        text=op.text,
        source=op.source,
        permalink=op.permalink,
        key=op.key,
        actor=ctx.user,
        now=ctx.now,
    )
    if entry is None:  # the same message, recorded by another replica a moment ago
        raced = repo.timeline_entry_by_key(session, key=op.key or "")
        assert raced is not None  # the conflict that stopped this insert
        raise _already(raced, ctx)
    text = pick(
        ctx.lang,
        f"已记入事件 #{incident.id} 的时间线（{format_local(at, ctx.tz)}，{SOURCES[op.source][0]}）：{display(op.text)}",
        f"Added to the timeline of incident #{incident.id} ({format_local(at, ctx.tz)}, {SOURCES[op.source][1]}): {display(op.text)}",
    )
    return Reply(text, ctx.lang, "timeline_entry", repo.as_record(entry), (ARTICLE,))


def _check(op: AddTimelineEntry, ctx: Context) -> None:
    if is_blank(op.text) or len(op.text) > MAX_ENTRY:
        raise UserError(
            f"请写明时间线记录的内容（最多 {MAX_ENTRY} 字符）。",
            f"Please give the timeline entry's text (at most {MAX_ENTRY} characters).",
            field="text",
        )
    if op.source not in SOURCES:
        raise UserError(
            f"时间线来源应为 {', '.join(SOURCES)} 之一。",
            f"The entry's source must be one of {', '.join(SOURCES)}.",
            field="source",
        )
    if op.permalink:
        check_link(op.permalink, field="permalink")
    if op.key is not None and (is_blank(op.key) or len(op.key) > MAX_KEY):
        raise UserError(
            "时间线记录的消息标识无效。",
            "The entry's message key is not valid.",
            field="key",
        )
    if op.at is None:
        return
    if op.source == "manual":
        check_moment(op.at, ctx, field="at", what_zh="时间", what_en="entry")
    elif op.at.tzinfo is None or op.at.year < FIRST_YEAR or op.at > ctx.now + CLOCK_SKEW:
        raise UserError(
            "消息时间无效（须带时区，且不晚于现在）。",
            "The message's time is not valid (it needs a zone and cannot be later than now).",
            field="at",
        )


def open_incident(session: Session, op: OpenIncident, ctx: Context) -> Reply:
    """/incident; filed from a Slack message, that message becomes the first timeline entry,
    in the same transaction (a message already in a timeline refuses the whole filing)."""
    source = op.source
    if source is None:
        return incidents.open_incident(session, op, ctx)
    # Checked before the incident is created: a refusal then spends no incident number.
    # (The entry's text is the summary, which the incident itself checks.)
    _check(AddTimelineEntry(0, "-", "message", source.permalink, source.at, source.key), ctx)
    if (earlier := repo.timeline_entry_by_key(session, key=source.key)) is not None:
        raise _already(earlier, ctx)
    reply = incidents.open_incident(session, op, ctx)
    entry = repo.add_timeline_entry(
        session,
        incident_id=reply.data["id"],
        at=source.at,
        text=op.summary,
        source="message",
        permalink=source.permalink,
        key=source.key,
        actor=ctx.user,
        now=ctx.now,
    )
    if entry is None:  # filed or pinned a moment ago elsewhere: this incident is rolled back
        raced = repo.timeline_entry_by_key(session, key=source.key)
        assert raced is not None  # the conflict that stopped this insert
        raise _already(raced, ctx)
    return reply


def _already(entry: TimelineEntry, ctx: Context) -> UserError:
    return already_done(
        f"该消息已记入事件 #{entry.incident_id} 的时间线",
        f"That message is already in the timeline of incident #{entry.incident_id}",
        entry.recorded_by,
        entry.recorded_at,
        ctx,
        field="key",
    )


def show_timeline(session: Session, op: ShowTimeline, ctx: Context) -> Reply:
    incident = find_incident(session, op.incident_id)
    entries = repo.timeline(session, incident_id=incident.id)
    head = pick(
        ctx.lang,
        f"事件 #{incident.id} 的时间线：{display(incident.summary)}",
        f"Timeline of incident #{incident.id}: {display(incident.summary)}",
    )
    if not entries:
        hint = pick(
            ctx.lang,
            f"（暂无记录。添加：/incident note {incident.id} <内容>；在事件频道置顶消息或标记 📌 也会记入。）",
            f"(Nothing yet. Add one: /incident note {incident.id} <text>; messages pinned or marked 📌 in the incident's channel are added too.)",
        )
        lines = [hint]
    else:
        lines = [entry_line(entry, ctx.lang, ctx) for entry in entries]
    data = {"incident_id": incident.id, "entries": [repo.as_record(e) for e in entries]}
    return Reply("\n".join([head, *lines]), ctx.lang, "timeline", data, (ARTICLE,))


def entry_line(entry: TimelineEntry, lang: Lang, ctx: Context) -> str:
    """• 2026-11-24 09:40 [置顶消息] U1：text (permalink)."""
    zh, en = SOURCES.get(entry.source, (entry.source, entry.source))
    link = f" {display(entry.permalink)}" if entry.permalink else ""
    return (
        f"• {format_local(entry.at, ctx.tz)} [{pick(lang, zh, en)}] {display(entry.recorded_by)}"
        f"{pick(lang, '：', ': ')}{display(entry.text)}{link}"
    )
