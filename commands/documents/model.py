"""The typed inputs of the two documents: plain values, no store models, validated on creation.

`None` in any text field means "the bot does not know": the document shows a marked blank to be
completed by hand, never a guess. Invalid inputs are programming errors (ValueError), because
these values come from code (the store, a form's fixed choices), not from free typing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from commands.documents.classification import EVENT_CATEGORIES, EVENT_GRADES
from commands.documents.text import SHANGHAI, require_aware
from commands.obligations import AUTHORITIES_ZH
from commands.replies import Lang

Cell = str | None  # None: unknown, shown as a blank to fill


@dataclass(frozen=True)
class ReportSection:
    """One part of the monthly report: a titled table with a header row and an optional note."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        # Tuples whatever the caller passed (lists from a query): a section cannot change later.
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(tuple(row) for row in self.rows))
        if not self.columns:
            raise ValueError(f"section {self.title!r} has no columns")
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"section {self.title!r}: row {row!r} has {len(row)} cells, "
                    f"the header {len(self.columns)}"
                )


@dataclass(frozen=True)
class MonthlyReportDoc:
    """The Art. 33 written report to tenants for one period (normally a calendar month)."""

    lang: Lang
    period_start: date
    period_end: date  # the last day the figures cover (yesterday while the month still runs)
    generated_at: datetime
    sections: tuple[ReportSection, ...]
    provider: str | None = None  # 政务云服务商, the reporting unit
    contact: str | None = None  # 联系人及电话
    recipient: str | None = None  # None: 各云租户, every tenant (Art. 33)
    # Art. 33 also asks for 云资源使用情况; the bot keeps no such record, so it stays a blank
    # unless the caller has the figures.
    resource_usage: str | None = None
    tz: ZoneInfo = SHANGHAI

    def __post_init__(self) -> None:
        _check_lang(self.lang)
        require_aware(self.generated_at, "generated_at")
        if self.period_end < self.period_start:
            raise ValueError(f"period ends {self.period_end} before it starts {self.period_start}")


@dataclass(frozen=True)
class IncidentDraft:
    """What the bot knows of one incident, for the 2-hour report to the authorities (Art. 30)."""

    incident_id: int
    summary: str
    discovered_at: datetime
    generated_at: datetime
    lang: Lang = "zh"
    # Authority key (commands.obligations.AUTHORITIES_ZH) -> when it was told; absent: not yet.
    reports: Mapping[str, datetime] = field(default_factory=dict)
    unit: str | None = None  # 报告单位
    contact: str | None = None  # 联系人及电话
    occurred_at: datetime | None = None  # 事件发生时间, often earlier than discovery and unknown
    category: str | None = None  # a key of EVENT_CATEGORIES
    grade: str | None = None  # a key of EVENT_GRADES
    severity: str | None = None  # the bot's own rating as the reader should see it (高 / high)
    affected_systems: str | None = None
    impact: str | None = None  # 已造成的影响和危害
    measures_taken: str | None = None
    cause: str | None = None  # 初步原因分析
    next_steps: str | None = None  # 下一步工作及需要的支持
    submitted_at: datetime | None = None  # 报告时间: when this report goes out
    tz: ZoneInfo = SHANGHAI

    def __post_init__(self) -> None:
        # A read-only copy: the caller's dict changing later cannot change a draft.
        object.__setattr__(self, "reports", MappingProxyType(dict(self.reports)))
        _check_lang(self.lang)
        for name in ("discovered_at", "generated_at", "occurred_at", "submitted_at"):
            require_aware(getattr(self, name), name)
        for authority, reported_at in self.reports.items():
            if authority not in AUTHORITIES_ZH:
                raise ValueError(
                    f"unknown authority {authority!r}; use one of {list(AUTHORITIES_ZH)}"
                )
            require_aware(reported_at, f"reports[{authority!r}]")
        if self.category is not None and self.category not in EVENT_CATEGORIES:
            raise ValueError(
                f"unknown category {self.category!r}; use one of {list(EVENT_CATEGORIES)}"
            )
        if self.grade is not None and self.grade not in EVENT_GRADES:
            raise ValueError(f"unknown grade {self.grade!r}; use one of {list(EVENT_GRADES)}")


def _check_lang(lang: str) -> None:
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
