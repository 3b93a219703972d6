"""What the Slack Home tab shows, read from the store in one transaction: open incidents on their
reporting clock (Art. 30), today's inspection (Art. 23), the next days' deadlines from the rule
table, and staff-change notices still to send (Art. 19). Plain data; the edge renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from commands.deadlines import Due, upcoming
from commands.grammar import Context
from commands.incidents import AUTHORITIES
from commands.inspections import recent_gaps
from commands.operations import DEFAULT_HORIZON_DAYS
from commands.staff_changes import NOTICE
from commands.store import Store, repo
from commands.store.models import StaffChange

# Deadlines the dashboard shows in their own sections, not again in the list of duties.
_OWN_SECTIONS = ("incident:", "staff:")


@dataclass(frozen=True)
class AuthorityState:
    """One authority an incident must be reported to, and whether (and when) it was."""

    authority: str  # cac | police | bigdata
    reported_at: datetime | None
    on_time: bool | None


@dataclass(frozen=True)
class IncidentClock:
    """An open incident and its 2-hour reporting clock (Art. 30)."""

    id: int
    summary: str  # as typed
    severity: str
    discovered_at: datetime
    deadline: datetime
    authorities: tuple[AuthorityState, ...]

    def time_left(self, now: datetime) -> timedelta:
        """Until the deadline; negative once it has passed."""
        return self.deadline - now

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(a.authority for a in self.authorities if a.reported_at is None)


@dataclass(frozen=True)
class TodayInspection:
    """Whether today's inspection is logged (Art. 23), and the days missed this past week."""

    day: date
    inspection_id: int | None
    status: str | None  # ok | issue; None when not logged yet
    notes: str
    filed_by: str
    missed: tuple[date, ...]


@dataclass(frozen=True)
class NoticeDue:
    """A staff change not yet reported to every party Art. 19 names."""

    change_id: int
    kind: str
    name: str  # as typed
    role: str
    effective_date: date
    due: date  # the effective date less the notice period
    to_notify: tuple[str, ...]  # bigdata | tenants
    overdue: bool


@dataclass(frozen=True)
class Dashboard:
    now: datetime
    incidents: tuple[IncidentClock, ...]
    inspection: TodayInspection
    deadlines: tuple[Due, ...]
    notices: tuple[NoticeDue, ...]
    horizon_days: int


def read_dashboard(
    store: Store, *, now: datetime, tz: ZoneInfo, horizon_days: int = DEFAULT_HORIZON_DAYS
) -> Dashboard:
    """Everything the Home tab shows, as of `now`, read in one transaction (nothing written)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    ctx = Context(user="", lang="zh", now=now, tz=tz)
    with store.session() as session:
        incidents = tuple(
            IncidentClock(
                incident.id,
                incident.summary,
                incident.severity,
                incident.discovered_at,
                incident.deadline,
                tuple(
                    AuthorityState(
                        a,
                        reports[a].reported_at if a in reports else None,
                        reports[a].on_time if a in reports else None,
                    )
                    for a in AUTHORITIES
                ),
            )
            for incident, reports in repo.open_incidents_with_reports(session)
        )
        today = repo.inspections_between(session, start=ctx.today, end=ctx.today)
        latest = today[-1] if today else None
        inspection = TodayInspection(
            ctx.today,
            latest.id if latest else None,
            latest.status if latest else None,
            latest.notes if latest else "",
            latest.filed_by if latest else "",
            tuple(recent_gaps(session, ctx)),
        )
        deadlines = tuple(
            due
            for due in upcoming(session, ctx, horizon_days)
            if not due.key.startswith(_OWN_SECTIONS)
        )
        notices = tuple(
            _notice(change, ctx.today) for change in repo.staff_changes_pending_notice(session)
        )
    return Dashboard(now, incidents, inspection, deadlines, notices, horizon_days)


def _notice(change: StaffChange, today: date) -> NoticeDue:
    due = change.effective_date - NOTICE  # type: ignore[operator]  # Art. 19: 提前30日
    parties = (("bigdata", change.notified_bigdata_at), ("tenants", change.notified_tenants_at))
    return NoticeDue(
        change.id,
        change.kind,
        change.name,
        change.role,
        change.effective_date,
        due,
        tuple(party for party, sent in parties if sent is None),
        due < today,
    )
