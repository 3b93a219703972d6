"""Repository functions for inspections, staff changes and obligation completions."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from commands.store.models import AuditEntry, Inspection, ObligationCompletion, StaffChange
from commands.store.records import audit_row, write

# Inspections (Art. 23)


def create_inspection(
    session: Session, *, day: date, status: str, notes: str, filed_by: str, now: datetime
) -> Inspection:
    """Log one daily security inspection."""
    row = Inspection(
        day=day, status=status, notes=notes, filed_by=filed_by, filed_at=now, cancelled_at=None
    )
    write(session, row, actor=filed_by, action="create", now=now)
    return row


def get_inspection(session: Session, *, inspection_id: int) -> Inspection | None:
    """One inspection by id, or None (read as committed now)."""
    return session.get(Inspection, inspection_id, populate_existing=True)


def inspections_between(
    session: Session, *, start: date, end: date, include_cancelled: bool = False
) -> list[Inspection]:
    """Inspections with start <= day <= end, oldest first; cancelled ones only when asked."""
    query = select(Inspection).where(Inspection.day >= start, Inspection.day <= end)
    if not include_cancelled:
        query = query.where(Inspection.cancelled_at.is_(None))
    return list(session.execute(query.order_by(Inspection.day, Inspection.id)).scalars())


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
        cancelled_at=None,
    )
    write(session, row, actor=filed_by, action="create", now=now)
    return row


def get_staff_change(session: Session, *, change_id: int) -> StaffChange | None:
    """One staff change by id, or None (read as committed now)."""
    return session.get(StaffChange, change_id, populate_existing=True)


NOTIFIED_COLUMNS = {"bigdata": "notified_bigdata_at", "tenants": "notified_tenants_at"}


def mark_staff_change_notified(
    session: Session, *, change: StaffChange, party: str, actor: str, now: datetime
) -> bool:
    """Record that 大数据主管部门 ("bigdata") or the tenants ("tenants") were notified.

    False when that was already recorded: a conditional UPDATE … WHERE <still unset> lets one
    of two simultaneous calls through.
    """
    column = getattr(StaffChange, NOTIFIED_COLUMNS[party])
    changed = session.execute(
        update(StaffChange)
        .where(StaffChange.id == change.id, column.is_(None))
        .values({column: now})
        .execution_options(synchronize_session="fetch")
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    audit_row(session, change, actor=actor, action=f"notified-{party}", now=now)
    return True


def staff_changes_pending_notice(session: Session) -> list[StaffChange]:
    """Changes not yet reported to both 大数据主管部门 and the tenants (cancelled ones need none)."""
    query = select(StaffChange).where(
        (StaffChange.notified_bigdata_at.is_(None)) | (StaffChange.notified_tenants_at.is_(None)),
        StaffChange.cancelled_at.is_(None),
    )
    return list(session.execute(query.order_by(StaffChange.id)).scalars())


def staff_changes_filed_between(
    session: Session, *, start: datetime, end: datetime
) -> list[StaffChange]:
    """Staff changes filed in [start, end), oldest first, cancelled ones included."""
    query = select(StaffChange).where(StaffChange.filed_at >= start, StaffChange.filed_at < end)
    return list(session.execute(query.order_by(StaffChange.id)).scalars())


# Obligations from the rule table


def create_completion(
    session: Session,
    *,
    obligation_id: str,
    evidence: str,
    filed_by: str,
    now: datetime,
    link: str = "",
    file_name: str = "",
    file_sha256: str = "",
) -> ObligationCompletion:
    """Record that a recurring obligation was done, with its evidence (a note, a link, a file)."""
    row = ObligationCompletion(
        obligation_id=obligation_id,
        completed_at=now,
        evidence=evidence,
        filed_by=filed_by,
        evidence_link=link,
        evidence_file=file_name,
        evidence_sha256=file_sha256,
    )
    write(session, row, actor=filed_by, action="complete", now=now)
    return row


def completion_between(
    session: Session, *, obligation_id: str, start: datetime, end: datetime
) -> ObligationCompletion | None:
    """The first completion of one obligation in [start, end), or None."""
    query = (
        select(ObligationCompletion)
        .where(
            ObligationCompletion.obligation_id == obligation_id,
            ObligationCompletion.completed_at >= start,
            ObligationCompletion.completed_at < end,
        )
        .order_by(ObligationCompletion.completed_at)
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()


def last_completions(session: Session) -> dict[str, datetime]:
    """The latest completion time of every obligation that has one."""
    query = select(
        ObligationCompletion.obligation_id, func.max(ObligationCompletion.completed_at)
    ).group_by(ObligationCompletion.obligation_id)
    return {obligation: _aware(at) for obligation, at in session.execute(query)}


def completions_between(
    session: Session, *, start: datetime, end: datetime
) -> list[ObligationCompletion]:
    """Completions in [start, end), oldest first."""
    query = select(ObligationCompletion).where(
        ObligationCompletion.completed_at >= start, ObligationCompletion.completed_at < end
    )
    return list(session.execute(query.order_by(ObligationCompletion.completed_at)).scalars())


def first_activity(session: Session) -> datetime | None:
    """When the store was first written to: duties never done are counted from then."""
    first = session.execute(select(func.min(AuditEntry.at))).scalar_one_or_none()
    return _aware(first) if first is not None else None


def _aware(value: datetime) -> datetime:
    # An aggregate's value skips the column type on some drivers: treat a naive one as UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
