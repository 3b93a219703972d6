"""Where each incident's own Slack channel is, and which incident a channel belongs to."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from commands.store.keys import insert_for
from commands.store.models import IncidentChannel


def set_incident_channel(session: Session, *, incident_id: int, channel: str, name: str) -> bool:
    """Remember an incident's channel; False when it already has one, or the channel is another's."""
    # Not audited: Slack bookkeeping, like the outbox (the incident itself is in the chain).
    statement = (
        insert_for(session, IncidentChannel)
        .values(incident_id=incident_id, channel=channel, name=name)
        .on_conflict_do_nothing()
        .returning(IncidentChannel.incident_id)
    )
    return session.execute(statement).first() is not None


def get_incident_channel(session: Session, *, incident_id: int) -> IncidentChannel | None:
    """The incident's channel, or None."""
    return session.get(IncidentChannel, incident_id)


def incident_channels(session: Session, *, incident_ids: Iterable[int]) -> dict[int, str]:
    """The channel of each of these incidents that has one."""
    wanted = sorted(set(incident_ids))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 500):  # keep the IN list within every driver's limits
        query = select(IncidentChannel.incident_id, IncidentChannel.channel).where(
            IncidentChannel.incident_id.in_(wanted[start : start + 500])
        )
        found |= {incident_id: channel for incident_id, channel in session.execute(query)}
    return found


def incident_of_channel(session: Session, *, channel: str) -> int | None:
    """The incident a channel was opened for, or None for any other channel."""
    query = select(IncidentChannel.incident_id).where(IncidentChannel.channel == channel)
    return session.execute(query).scalar_one_or_none()
