"""/incident draft: the 网络安全事件报告 for the authorities (Art. 30), pre-filled from the store.

What the store knows goes in: the unit (ORG_NAME), its contact (ORG_CONTACT), the discovery time,
the summary with the incident's timeline, severity, affected systems, measures taken, and each
authority with the time it was told. Everything else (occurrence time, category, grade, impact,
cause, next steps, time of this report) stays a marked blank for the team to complete.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from commands.documents import IncidentDraft, incident_report_docx
from commands.documents.incident_text import TEXT
from commands.grammar import Context, format_local
from commands.incidents import ARTICLE, SEVERITY_ZH, find_incident
from commands.operations import DraftIncidentReport
from commands.replies import DOCX, Reply, ReplyFile, pick
from commands.store import repo
from commands.store.models import Incident, TimelineEntry

# The fields of the draft the bot never knows: always left for the team.
ALWAYS_BLANK = ("occurred", "category", "grade", "impact", "cause", "next", "submitted")


def draft_incident_report(session: Session, op: DraftIncidentReport, ctx: Context) -> Reply:
    incident = find_incident(session, op.incident_id)
    draft = incident_draft(session, incident, ctx)
    name = f"incident-{incident.id}-report-draft-{ctx.now.astimezone(ctx.tz):%Y%m%d-%H%M}.docx"
    title = f"{TEXT[ctx.lang]['title']} #{incident.id}"
    document = ReplyFile(name, title, DOCX, incident_report_docx(draft))
    blanks = blank_fields(draft)
    labels = pick(ctx.lang, "、", ", ").join(TEXT[ctx.lang][key] for key in blanks)
    deadline = format_local(incident.deadline, ctx.tz)
    text = pick(
        ctx.lang,
        f"已生成事件 #{incident.id} 的《{TEXT['zh']['title']}》草稿，报告时限 {deadline}。"
        f"标有【待填写】的项目须人工补全后再发送：{labels}。",
        f"Drafted the {TEXT['en']['title'].lower()} for incident #{incident.id}; report by {deadline}. "
        f"Complete the fields marked [to be completed] before sending: {labels}.",
    )
    data = {"incident_id": incident.id, "file": name, "blank_fields": list(blanks)}
    return Reply(text, ctx.lang, "incident_draft", data, (ARTICLE,), (document,))


def incident_draft(session: Session, incident: Incident, ctx: Context) -> IncidentDraft:
    """The draft's typed input from the incident, its reports and its timeline."""
    reports = repo.incident_reports(session, incident_id=incident.id)
    entries = repo.timeline(session, incident_id=incident.id)
    severity = pick(ctx.lang, SEVERITY_ZH[incident.severity], incident.severity)
    return IncidentDraft(
        incident_id=incident.id,
        summary=_with_timeline(incident.summary, entries, ctx),
        discovered_at=incident.discovered_at,
        generated_at=ctx.now,
        lang=ctx.lang,
        reports={authority: report.reported_at for authority, report in reports.items()},
        unit=ctx.org.name or None,
        contact=ctx.org.contact or None,
        severity=severity,
        affected_systems=incident.affected_systems or None,
        measures_taken=incident.measures_taken or None,
        tz=ctx.tz,
    )


def _with_timeline(summary: str, entries: list[TimelineEntry], ctx: Context) -> str:
    """The summary, then the timeline in the order things happened (经过 is what the form asks)."""
    if not entries:
        return summary
    lines = [f"{format_local(e.at, ctx.tz)} {e.text}" for e in entries]
    return "\n".join([summary, "", pick(ctx.lang, "时间线：", "Timeline:"), *lines])


def blank_fields(draft: IncidentDraft) -> tuple[str, ...]:
    """The keys (commands.documents.incident_text) of the fields the draft leaves blank."""
    known = {
        "unit": draft.unit,
        "contact": draft.contact,
        "affected": draft.affected_systems,
        "measures": draft.measures_taken,
    }
    order = ("unit", "contact", "occurred", "category", "grade", "affected", "impact", "measures")
    return tuple(
        key
        for key in (*order, "cause", "next", "submitted")
        if key in ALWAYS_BLANK or not known.get(key)
    )
