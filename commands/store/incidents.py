"""Repository functions for incidents, their reports to each authority, and their Slack alert."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from commands.store.models import Incident, IncidentAlert, IncidentReport
from commands.store.records import write

# Art. 30: incidents are reported within 2 hours to 网信 ("cac"), 公安 ("police") and
# 大数据主管部门 ("bigdata"); the domain computes the deadline, the store keeps it.


def create_incident(
    session: Session,
    *,
    summary: str,
    severity: str,
    discovered_at: datetime,
    deadline: datetime,
    reporter: str,
    now: datetime,
) -> Incident:
    """Open an incident with its reporting deadline."""
    row = Incident(
        summary=summary,
        severity=severity,
        discovered_at=discovered_at,
        deadline=deadline,
        reporter=reporter,
        created_at=now,
        closed_at=None,
        closed_by=None,
    )
    write(session, row, actor=reporter, action="create", now=now)
    return row


def get_incident(session: Session, *, incident_id: int) -> Incident | None:
    """One incident by id, or None."""
    return session.get(Incident, incident_id)


def close_incident(session: Session, *, incident: Incident, actor: str, now: datetime) -> Incident:
    """Close an incident (its reports stay as filed)."""
    incident.closed_at, incident.closed_by = now, actor
    write(session, incident, actor=actor, action="close", now=now)
    return incident


def open_incidents(session: Session) -> list[Incident]:
    """Incidents not closed yet, oldest first."""
    query = select(Incident).where(Incident.closed_at.is_(None)).order_by(Incident.id)
    return list(session.execute(query).scalars())


def incidents_discovered_between(
    session: Session, *, start: datetime, end: datetime
) -> list[Incident]:
    """Incidents discovered in [start, end), oldest first."""
    query = select(Incident).where(Incident.discovered_at >= start, Incident.discovered_at < end)
    return list(session.execute(query.order_by(Incident.id)).scalars())


def create_incident_report(
    session: Session, *, incident: Incident, authority: str, reported_by: str, now: datetime
) -> IncidentReport:
    """Record that the incident was reported to one authority, and whether within its deadline."""
    row = IncidentReport(
        incident_id=incident.id,
        authority=authority,
        reported_at=now,
        on_time=now <= incident.deadline,
        reported_by=reported_by,
    )
    write(session, row, actor=reported_by, action="report", now=now)
    return row


def incident_reports(session: Session, *, incident_id: int) -> dict[str, IncidentReport]:
    """The authorities an incident was reported to, by code."""
    query = select(IncidentReport).where(IncidentReport.incident_id == incident_id)
    return {r.authority: r for r in session.execute(query).scalars()}


def open_incidents_with_reports(
    session: Session,
) -> list[tuple[Incident, dict[str, IncidentReport]]]:
    """Open incidents with their reports, in two queries however many there are."""
    incidents = open_incidents(session)
    reports: dict[int, dict[str, IncidentReport]] = {i.id: {} for i in incidents}
    if incidents:
        query = select(IncidentReport).join(Incident).where(Incident.closed_at.is_(None))
        for report in session.execute(query).scalars():
            reports[report.incident_id][report.authority] = report
    return [(incident, reports[incident.id]) for incident in incidents]


def set_incident_alert(session: Session, *, incident_id: int, channel: str, ts: str) -> None:
    """Remember where an incident's alert was posted so it can be updated in place."""
    # Not audited: Slack bookkeeping, not a filing (the incident itself is in the chain).
    row = session.get(IncidentAlert, incident_id) or IncidentAlert(
        incident_id=incident_id, channel=channel, ts=ts
    )
    row.channel, row.ts = channel, ts
    session.add(row)


def get_incident_alert(session: Session, *, incident_id: int) -> IncidentAlert | None:
    """Where an incident's alert was posted, or None."""
    return session.get(IncidentAlert, incident_id)
