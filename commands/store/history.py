"""Repository functions for what happens to a record after it was filed: corrections,
cancellations, and an incident's timeline. Every row written here is audited like any filing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from commands.store.audit import canonical_json
from commands.store.keys import insert_for
from commands.store.models import Base, Correction, Inspection, StaffChange, TimelineEntry
from commands.store.records import audit_row, row_key, write

CANCELLABLE: dict[str, type[Inspection] | type[StaffChange]] = {
    "inspections": Inspection,
    "staff_changes": StaffChange,
}


def correct_record(
    session: Session,
    *,
    row: Base,
    values: dict[str, Any],
    kind: str,
    changes: dict[str, list[Any]],
    reason: str,
    actor: str,
    now: datetime,
) -> Correction:
    """Rewrite a record's fields and audit its new state beside the correction that explains it.

    The caller holds the chain lock (every write does), so nothing changes the row in between.
    """
    rewrite(session, row, values, actor=actor, action=kind, now=now)
    return add_correction(
        session,
        entity=row.__tablename__,
        entity_id=int(row_key(row)),
        kind=kind,
        changes=changes,
        reason=reason,
        actor=actor,
        now=now,
    )


def rewrite(
    session: Session, row: Base, values: dict[str, Any], *, actor: str, action: str, now: datetime
) -> None:
    """Set a record's fields and audit its new state (an incident's report re-judged, …)."""
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
    audit_row(session, row, actor=actor, action=action, now=now)


def add_correction(
    session: Session,
    *,
    entity: str,
    entity_id: int,
    kind: str,
    changes: dict[str, list[Any]],
    reason: str,
    actor: str,
    now: datetime,
) -> Correction:
    """Record one correction (its changes as canonical JSON, before and after)."""
    correction = Correction(
        entity=entity,
        entity_id=entity_id,
        kind=kind,
        changes=canonical_json(changes),
        reason=reason,
        corrected_by=actor,
        corrected_at=now,
    )
    write(session, correction, actor=actor, action=kind, now=now)
    return correction


def cancel_record(
    session: Session, *, entity: str, row_id: int, reason: str, actor: str, now: datetime
) -> Correction | None:
    """Mark an inspection or a staff change cancelled; None when it already was.

    A conditional UPDATE … WHERE cancelled_at IS NULL, like every once-only transition.
    """
    model = CANCELLABLE[entity]
    changed = session.execute(
        update(model)
        .where(model.id == row_id, model.cancelled_at.is_(None))
        .values(cancelled_at=now)
        .execution_options(synchronize_session="fetch")
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    row = session.get_one(model, row_id)
    audit_row(session, row, actor=actor, action="cancel", now=now)
    return add_correction(
        session,
        entity=entity,
        entity_id=row_id,
        kind="cancel",
        changes={"cancelled_at": [None, now.isoformat()]},
        reason=reason,
        actor=actor,
        now=now,
    )


def corrections_of(session: Session, *, entity: str, entity_id: int) -> list[Correction]:
    """Every correction of one record, oldest first."""
    query = select(Correction).where(Correction.entity == entity, Correction.entity_id == entity_id)
    return list(session.execute(query.order_by(Correction.id)).scalars())


def corrections_between(session: Session, *, start: datetime, end: datetime) -> list[Correction]:
    """Corrections made in [start, end), oldest first."""
    query = select(Correction).where(
        Correction.corrected_at >= start, Correction.corrected_at < end
    )
    return list(session.execute(query.order_by(Correction.id)).scalars())


def add_timeline_entry(
    session: Session,
    *,
    incident_id: int,
    at: datetime,
    text: str,
    source: str,
    permalink: str,
    key: str | None,
    actor: str,
    now: datetime,
) -> TimelineEntry | None:
    """Append an entry to an incident's timeline; None when its message key is already there.

    The unique key decides (ON CONFLICT DO NOTHING), so a message pinned twice, or pinned and
    marked 📌 at the same moment on two replicas, is recorded once.
    """
    statement = (
        insert_for(session, TimelineEntry)
        .values(
            incident_id=incident_id,
            at=at,
            text=text,
            source=source,
            permalink=permalink,
            key=key,
            recorded_by=actor,
            recorded_at=now,
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(TimelineEntry.id)
    )
    entry_id = session.execute(statement).scalar_one_or_none()
    if entry_id is None:
        return None
    entry = session.get_one(TimelineEntry, entry_id)
    audit_row(session, entry, actor=actor, action="timeline", now=now)
    return entry


def timeline_entry_by_key(session: Session, *, key: str) -> TimelineEntry | None:
    """The entry recorded from one Slack message, if any."""
    query = select(TimelineEntry).where(TimelineEntry.key == key)
    return session.execute(query).scalar_one_or_none()


def timeline(session: Session, *, incident_id: int) -> list[TimelineEntry]:
    """An incident's timeline in the order things happened (then in the order recorded)."""
    query = select(TimelineEntry).where(TimelineEntry.incident_id == incident_id)
    return list(session.execute(query.order_by(TimelineEntry.at, TimelineEntry.id)).scalars())


def timeline_between(session: Session, *, start: datetime, end: datetime) -> list[TimelineEntry]:
    """Timeline entries of any incident that happened in [start, end), by incident then time."""
    query = select(TimelineEntry).where(TimelineEntry.at >= start, TimelineEntry.at < end)
    order = (TimelineEntry.incident_id, TimelineEntry.at, TimelineEntry.id)
    return list(session.execute(query.order_by(*order)).scalars())
