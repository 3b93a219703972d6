"""Repository functions: every write appends its audit entry in the same transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from commands.store.audit import append_audit
from commands.store.models import (
    AuditEntry,
    Base,
    FeedbackVote,
    IdempotentReply,
    Incident,
    IncidentAlert,
    IncidentReport,
    Inspection,
    ObligationCompletion,
    ReminderDelivery,
    StaffChange,
)


def as_record(row: Base) -> dict[str, Any]:
    """A row as a plain dict (the canonical JSON the audit log hashes)."""
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


def _write(session: Session, row: Base, *, actor: str, action: str, now: datetime) -> None:
    session.add(row)
    session.flush()  # assigns the id the audit entry names
    entity = row.__tablename__
    key = getattr(row, "id", None) or getattr(row, "key", None) or getattr(row, "incident_id", "")
    append_audit(
        session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=key,
        record=as_record(row),
        now=now,
    )


def audit_refusal(session: Session, *, actor: str, command: str, text: str, now: datetime) -> None:
    """A refused filing is itself audited."""
    append_audit(
        session,
        actor=actor,
        action="refused",
        entity=command,
        entity_id="-",
        record={"text": text},
        now=now,
    )


# Inspections (Art. 23)


def create_inspection(
    session: Session, *, day: date, status: str, notes: str, filed_by: str, now: datetime
) -> Inspection:
    """Log one daily security inspection."""
    row = Inspection(day=day, status=status, notes=notes, filed_by=filed_by, filed_at=now)
    _write(session, row, actor=filed_by, action="create", now=now)
    return row


def inspections_between(session: Session, *, start: date, end: date) -> list[Inspection]:
    """Inspections with start <= day <= end, oldest first."""
    query = (
        select(Inspection)
        .where(Inspection.day >= start, Inspection.day <= end)
        .order_by(Inspection.day, Inspection.id)
    )
    return list(session.execute(query).scalars())


# Staff changes (Art. 19)


def create_staff_change(
    session: Session,
    *,
    kind: str,
    name: str,
    role: str,
    effective_date: date,
    notice_days: int,
    late: bool,
    filed_by: str,
    now: datetime,
) -> StaffChange:
    """File a security-team change."""
    row = StaffChange(
        kind=kind,
        name=name,
        role=role,
        effective_date=effective_date,
        notice_days=notice_days,
        late=late,
        filed_by=filed_by,
        filed_at=now,
        notified_bigdata_at=None,
        notified_tenants_at=None,
    )
    _write(session, row, actor=filed_by, action="create", now=now)
    return row


def get_staff_change(session: Session, *, change_id: int) -> StaffChange | None:
    return session.get(StaffChange, change_id)


def mark_staff_change_notified(
    session: Session, *, change: StaffChange, party: str, actor: str, now: datetime
) -> StaffChange:
    """Record that 大数据主管部门 ("bigdata") or the tenants ("tenants") were notified."""
    if party == "bigdata":
        change.notified_bigdata_at = now
    else:
        change.notified_tenants_at = now
    _write(session, change, actor=actor, action=f"notified-{party}", now=now)
    return change


def staff_changes_pending_notice(session: Session) -> list[StaffChange]:
    """Changes not yet reported to both 大数据主管部门 and the tenants."""
    query = select(StaffChange).where(
        (StaffChange.notified_bigdata_at.is_(None)) | (StaffChange.notified_tenants_at.is_(None))
    )
    return list(session.execute(query.order_by(StaffChange.id)).scalars())


def staff_changes_filed_between(
    session: Session, *, start: datetime, end: datetime
) -> list[StaffChange]:
    query = select(StaffChange).where(StaffChange.filed_at >= start, StaffChange.filed_at < end)
    return list(session.execute(query.order_by(StaffChange.id)).scalars())


# Incidents (Art. 30)


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
    _write(session, row, actor=reporter, action="create", now=now)
    return row


def get_incident(session: Session, *, incident_id: int) -> Incident | None:
    return session.get(Incident, incident_id)


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
    _write(session, row, actor=reported_by, action="report", now=now)
    return row


def close_incident(session: Session, *, incident: Incident, actor: str, now: datetime) -> Incident:
    incident.closed_at, incident.closed_by = now, actor
    _write(session, incident, actor=actor, action="close", now=now)
    return incident


def open_incidents(session: Session) -> list[Incident]:
    query = select(Incident).where(Incident.closed_at.is_(None)).order_by(Incident.id)
    return list(session.execute(query).scalars())


def incidents_discovered_between(
    session: Session, *, start: datetime, end: datetime
) -> list[Incident]:
    query = select(Incident).where(Incident.discovered_at >= start, Incident.discovered_at < end)
    return list(session.execute(query.order_by(Incident.id)).scalars())


def set_incident_alert(session: Session, *, incident_id: int, channel: str, ts: str) -> None:
    """Remember where an incident's alert was posted so it can be updated in place."""
    row = session.get(IncidentAlert, incident_id) or IncidentAlert(
        incident_id=incident_id, channel=channel, ts=ts
    )
    row.channel, row.ts = channel, ts
    session.add(row)


def get_incident_alert(session: Session, *, incident_id: int) -> IncidentAlert | None:
    return session.get(IncidentAlert, incident_id)


# Obligations


def create_completion(
    session: Session, *, obligation_id: str, evidence: str, filed_by: str, now: datetime
) -> ObligationCompletion:
    """Record that a recurring obligation was done."""
    row = ObligationCompletion(
        obligation_id=obligation_id, completed_at=now, evidence=evidence, filed_by=filed_by
    )
    _write(session, row, actor=filed_by, action="complete", now=now)
    return row


def last_completions(session: Session) -> dict[str, datetime]:
    """The latest completion time of every obligation that has one."""
    query = select(
        ObligationCompletion.obligation_id, func.max(ObligationCompletion.completed_at)
    ).group_by(ObligationCompletion.obligation_id)
    return {obligation: _aware(at) for obligation, at in session.execute(query)}


def first_activity(session: Session) -> datetime | None:
    """When the store was first written to: duties never done are counted from then."""
    first = session.execute(select(func.min(AuditEntry.at))).scalar_one_or_none()
    return _aware(first) if first is not None else None


def completions_between(
    session: Session, *, start: datetime, end: datetime
) -> list[ObligationCompletion]:
    query = select(ObligationCompletion).where(
        ObligationCompletion.completed_at >= start, ObligationCompletion.completed_at < end
    )
    return list(session.execute(query.order_by(ObligationCompletion.completed_at)).scalars())


# Reminders, idempotency, feedback


def claim_delivery(session: Session, *, key: str, now: datetime) -> bool:
    """Insert the reminder key; True if this call did (so it must post), False if it was there.

    On PostgreSQL a second replica inserting the same key waits on the unique index until the
    first commits, then inserts nothing: each reminder is posted exactly once.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(ReminderDelivery)
        .values(key=key, delivered_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(ReminderDelivery.key)
    )
    return session.execute(statement).first() is not None


def recall_reply(session: Session, *, key: str) -> dict[str, Any] | None:
    """The reply already given for this idempotency key, if any."""
    row = session.get(IdempotentReply, key)
    return dict(row.reply) if row else None


def remember_reply(session: Session, *, key: str, reply: dict[str, Any], now: datetime) -> None:
    """Store the reply for this key in the filing's own transaction."""
    session.add(IdempotentReply(key=key, reply=reply, created_at=now))
    session.flush()


def record_vote(
    session: Session, *, key: str, user: str, question: str, articles: str, vote: str, now: datetime
) -> bool:
    """Store a 👍/👎 once per key; False when this key already voted."""
    if session.execute(select(FeedbackVote.id).where(FeedbackVote.key == key)).first():
        return False
    row = FeedbackVote(
        key=key, user=user, question=question, articles=articles, vote=vote, voted_at=now
    )
    _write(session, row, actor=user, action="vote", now=now)
    return True


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
