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
class SourceMessage:
    """The Slack message an incident was filed from: kept as the first entry of its timeline.

    `key` names the message as the timeline does ("C0123:1732412345.000200"), so one message is
    filed once and is not recorded again when it is later pinned.
    """

    permalink: str
    key: str
    at: datetime  # when the message was posted


@dataclass(frozen=True)
class OpenIncident(Operation):
    summary: str
    severity: str = "medium"  # high | medium | low
    discovered_at: datetime | None = None  # None: at the moment of filing
    affected_systems: str = ""  # for the report to the authorities; "" when not known yet
    measures_taken: str = ""
    source: SourceMessage | None = None  # filed from a Slack message (a message shortcut)
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


@dataclass(frozen=True)
class EditIncident(Operation):
    """A correction of an incident's fields; None leaves a field as it is. A reason is required.

    A new discovery time moves the deadline and re-judges every report's on-time flag.
    """

    incident_id: int
    reason: str
    summary: str | None = None
    severity: str | None = None
    discovered_at: datetime | None = None
    affected_systems: str | None = None
    measures_taken: str | None = None
    command: ClassVar[str] = "incident"
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class AddTimelineEntry(Operation):
    """An entry of an incident's timeline: typed by hand, or a Slack message pinned or marked 📌.

    `key` names the Slack message (e.g. "C0123:1732412345.000200"): the same message twice is
    recorded once. `at` is when it happened (the message's time); None: at the moment of filing.
    """

    incident_id: int
    text: str
    source: str = "manual"  # manual | pin | reaction
    permalink: str = ""
    at: datetime | None = None
    key: str | None = None
    command: ClassVar[str] = "incident"
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class ShowTimeline(Operation):
    incident_id: int
    command: ClassVar[str] = "incident"
    writes: ClassVar[bool] = False


@dataclass(frozen=True)
class ShowIncident(Operation):
    """An incident as it stands and its history: reports, corrections, close."""

    incident_id: int
    command: ClassVar[str] = "incident"
    writes: ClassVar[bool] = False


@dataclass(frozen=True)
class DraftIncidentReport(Operation):
    """The pre-filled 网络安全事件报告 (.docx) for the authorities, as a file of the reply."""

    incident_id: int
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


@dataclass(frozen=True)
class AmendStaffChange(Operation):
    """A correction of a staff change; None leaves a field as it is. A reason is required.

    A new effective date re-computes the notice given (from the filing day) and the late flag.
    """

    change_id: int
    reason: str
    kind: str | None = None
    name: str | None = None
    role: str | None = None
    effective_date: date | None = None
    command: ClassVar[str] = "staff-change"
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class CancelStaffChange(Operation):
    """A change that will not happen: no notice, no reminder; the report keeps it as cancelled."""

    change_id: int
    reason: str
    command: ClassVar[str] = "staff-change"
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class ShowStaffChange(Operation):
    change_id: int
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


@dataclass(frozen=True)
class ListInspections(Operation):
    """The inspections of the last days, with their ids (to amend or cancel one)."""

    command: ClassVar[str] = "inspect"
    writes: ClassVar[bool] = False


@dataclass(frozen=True)
class AmendInspection(Operation):
    """A correction of an inspection's result or notes; None leaves it. A reason is required."""

    inspection_id: int
    reason: str
    status: str | None = None  # ok | issue
    notes: str | None = None
    command: ClassVar[str] = "inspect"
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class CancelInspection(Operation):
    """An inspection logged by mistake: it no longer counts for its day."""

    inspection_id: int
    reason: str
    command: ClassVar[str] = "inspect"
    writes: ClassVar[bool] = True


@dataclass(frozen=True)
class ShowInspection(Operation):
    inspection_id: int
    command: ClassVar[str] = "inspect"
    writes: ClassVar[bool] = False


# The rule table's recurring duties


@dataclass(frozen=True)
class CompleteObligation(Operation):
    """A duty done, with its evidence: a note, and a link (http/https) or a file.

    A file shared in Slack arrives as its name, its permalink (`link`) and the SHA-256 of the
    bytes the edge downloaded; a link typed by hand may carry the SHA-256 of what it points to.
    """

    obligation_id: str
    evidence: str = ""  # a note, as typed
    link: str = ""
    file_name: str = ""
    file_sha256: str = ""
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
    EditIncident,
    AddTimelineEntry,
    FileStaffChange,
    MarkNotified,
    AmendStaffChange,
    CancelStaffChange,
    LogInspection,
    AmendInspection,
    CancelInspection,
    CompleteObligation,
)
