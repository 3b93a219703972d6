"""Where each incident's channel is, on both stores: one channel per incident, one incident per
channel, a second replica's late record refused; the audit chain untouched."""

from __future__ import annotations

from datetime import datetime

from commands.dispatch import run_command
from commands.store import Store, repo
from tests.commands.conftest import TZ


def _incident(store: Store, now: datetime, summary: str = "门户网站被篡改") -> int:
    reply = run_command(store, "incident", summary, user="U1", lang="zh", now=now, tz=TZ)
    return int(reply.data["id"])


def test_an_incident_has_one_channel_and_a_channel_one_incident(
    store: Store, now: datetime
) -> None:
    first, second = _incident(store, now), _incident(store, now, "phishing")
    with store.session() as session:
        assert repo.set_incident_channel(session, incident_id=first, channel="C1", name="inc-1")
    with store.session() as session:  # another replica, a moment later
        assert not repo.set_incident_channel(session, incident_id=first, channel="C2", name="x")
    with store.session() as session:
        row = repo.get_incident_channel(session, incident_id=first)
        assert row is not None and (row.channel, row.name) == ("C1", "inc-1")
        assert repo.incident_of_channel(session, channel="C1") == first
        assert repo.incident_of_channel(session, channel="C2") is None
        assert repo.get_incident_channel(session, incident_id=second) is None
    with store.session() as session:  # a channel already taken by another incident
        assert not repo.set_incident_channel(session, incident_id=second, channel="C1", name="i")
        assert repo.get_incident_channel(session, incident_id=second) is None
    with store.session() as session:
        assert repo.verify_audit(session).ok
