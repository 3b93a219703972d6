"""Repository functions for incidents and their reports to each authority."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commands.store.keys import insert_for
from commands.store.models import Incident, IncidentReport
from commands.store.records import audit_row, write

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
    affected_systems: str = "",
    measures_taken: str = "",
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
        close_reason="",
        affected_systems=affected_systems,
        measures_taken=measures_taken,
    )
    write(session, row, actor=reporter, action="create", now=now)
    return row


def get_incident(session: Session, *, incident_id: int) -> Incident | None:
    """One incident by id, or None (read as committed now, never a copy the session holds)."""
    return session.get(Incident, incident_id, populate_existing=True)


def close_incident(
    session: Session, *, incident: Incident, actor: str, reason: str, now: datetime
) -> bool:
    """Close an incident if it is still open (its reports stay as filed); False if it was not.

    A conditional UPDATE … WHERE closed_at IS NULL: of two closes at once, one changes the row.
    """
    changed = session.execute(
        update(Incident)
        .where(Incident.id == incident.id, Incident.closed_at.is_(None))
        .values(closed_at=now, closed_by=actor, close_reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    audit_row(session, incident, actor=actor, action="close", now=now)
    return True


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
    session: Session,
    *,
    incident: Incident,
    authority: str,
    reported_at: datetime,
    reported_by: str,
    now: datetime,
) -> IncidentReport | None:
    """Record that the incident was reported to one authority at `reported_at`, and whether in time.

    None when a report to that authority is already recorded: the unique (incident, authority)
    key decides, so two reports at once record one (ON CONFLICT DO NOTHING).
    """
    statement = (
        insert_for(session, IncidentReport)
        .values(
            incident_id=incident.id,
            authority=authority,
            reported_at=reported_at,
            on_time=reported_at <= incident.deadline,
            reported_by=reported_by,
            recorded_at=now,
        )
        .on_conflict_do_nothing(index_elements=["incident_id", "authority"])
        .returning(IncidentReport.id)
    )
    report_id = session.execute(statement).scalar_one_or_none()
    if report_id is None:
        return None
    row = session.get_one(IncidentReport, report_id)
    audit_row(session, row, actor=reported_by, action="report", now=now)
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


def incident_report(session: Session, *, incident_id: int, authority: str) -> IncidentReport | None:
    """The report of one incident to one authority, or None."""
    query = select(IncidentReport).where(
        IncidentReport.incident_id == incident_id, IncidentReport.authority == authority
    )
    return session.execute(query).scalar_one_or_none()
