"""Every filing and query as a small typed value: what the text (or a form, or a button) asked for.

Text is parsed into one of these (commands.parsing); a Slack form or button can build one from
typed values directly. `commands.execute.execute` takes it from there: the FILERS check reads
`writes` from the operation itself, never from the words that were typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar


@dataclass(frozen=True)
class Operation:
    """Base: which slash command it belongs to, and whether it writes a record."""

    command: ClassVar[str]
    writes: ClassVar[bool]


# Art. 30: security incidents


@dataclass(frozen=True)
class OpenIncident(Operation):
    summary: str
    severity: str = "medium"  # high | medium | low
    discovered_at: datetime | None = None  # None: at the moment of filing
    command: ClassVar[str] = "incident"
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class ReportIncident(Operation):
    incident_id: int
    authority: str  # cac | police | bigdata
    reported_at: datetime | None = None  # None: at the moment of filing
    command: ClassVar[str] = "incident"
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class CloseIncident(Operation):
    incident_id: int
    reason: str = ""  # required while an authority is still unreported
    command: ClassVar[str] = "incident"
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class ListIncidents(Operation):
    command: ClassVar[str] = "incident"
    writes: ClassVar[bool] = False


# Art. 19: security-team changes


@dataclass(frozen=True)
class FileStaffChange(Operation):
    kind: str  # join | leave | transfer
    name: str
    role: str
    effective_date: date
    command: ClassVar[str] = "staff-change"
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class MarkNotified(Operation):
    change_id: int
    party: str  # bigdata | tenants
    command: ClassVar[str] = "staff-change"
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class ListStaffChanges(Operation):
    command: ClassVar[str] = "staff-change"
    writes: ClassVar[bool] = False


# Art. 23: the daily inspection


@dataclass(frozen=True)
class LogInspection(Operation):
    status: str  # ok | issue
    notes: str = ""
    command: ClassVar[str] = "inspect"
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class InspectionStatus(Operation):
    command: ClassVar[str] = "inspect"
    writes: ClassVar[bool] = False


# The rule table's recurring duties


@dataclass(frozen=True)
class CompleteObligation(Operation):
    obligation_id: str
    evidence: str = ""
    command: ClassVar[str] = "deadlines"
    writes: ClassVar[bool] = True


DEFAULT_HORIZON_DAYS = 30  # how far ahead /deadlines looks unless told


@dataclass(frozen=True)
class ListDeadlines(Operation):
    horizon_days: int = DEFAULT_HORIZON_DAYS
    command: ClassVar[str] = "deadlines"
    writes: ClassVar[bool] = False


@dataclass(frozen=True)
class ShowHelp(Operation):
    topic: str  # the command whose grammar to show
    command: ClassVar[str] = "help"
    writes: ClassVar[bool] = False


WRITE_OPERATIONS: tuple[type[Operation], ...] = (
    OpenIncident,
    ReportIncident,
    CloseIncident,
    FileStaffChange,
    MarkNotified,
    LogInspection,
    CompleteObligation,
)
