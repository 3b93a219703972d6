"""SQLAlchemy 2.0 models of the compliance store. Times are stored in UTC and read back aware."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: every time in the store must carry its zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}  # noqa: RUF012 (SQLAlchemy API)


class Inspection(Base):
    """One daily security inspection (Art. 23)."""

    __tablename__ = "inspections"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(8))  # "ok" | "issue"
    notes: Mapped[str] = mapped_column(Text, default="")
    filed_by: Mapped[str] = mapped_column(String(64))
    filed_at: Mapped[datetime]
    # A cancelled inspection no longer counts for its day; who and why are in its Correction.
    cancelled_at: Mapped[datetime | None]


class StaffChange(Base):
    """A security-team change, to be reported 30 days ahead (Art. 19)."""

    __tablename__ = "staff_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # join | leave | transfer
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(100))
    effective_date: Mapped[date] = mapped_column(Date)
    notice_days: Mapped[int] = mapped_column(Integer)
    late: Mapped[bool]
    filed_by: Mapped[str] = mapped_column(String(64))
    filed_at: Mapped[datetime]
    notified_bigdata_at: Mapped[datetime | None]
    notified_tenants_at: Mapped[datetime | None]
    # A cancelled change needs no notice and no reminder; it stays in the report as cancelled.
    cancelled_at: Mapped[datetime | None]


class Incident(Base):
    """A security incident with its 2-hour reporting deadline (Art. 30)."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    summary: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    discovered_at: Mapped[datetime]
    deadline: Mapped[datetime]
    reporter: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(64))
    # Why it was closed; required while an authority is still unreported (shown in the report).
    close_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # What the report to the authorities needs beyond the summary (Art. 30), as typed.
    affected_systems: Mapped[str] = mapped_column(Text, default="", server_default="")
    measures_taken: Mapped[str] = mapped_column(Text, default="", server_default="")


class IncidentReport(Base):
    """That an incident was reported to one authority, and whether in time."""

    __tablename__ = "incident_reports"
    __table_args__ = (UniqueConstraint("incident_id", "authority"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    authority: Mapped[str] = mapped_column(String(16))  # cac | police | bigdata
    reported_at: Mapped[datetime]  # when the authority was told (given, or the filing time)
    on_time: Mapped[bool]  # reported_at <= the incident's deadline
    reported_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime]  # when the report was filed here


class IncidentChannel(Base):
    """The Slack channel opened for an incident (inc-YYYYMMDD-<n>-<slug>); its card is an outbox
    message (bot.incident_channels.card_key), found where the outbox says it was posted."""

    __tablename__ = "incident_channels"
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    # Pins and 📌 in this channel go to this incident's timeline: one incident per channel.
    channel: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(80))


class ObligationCompletion(Base):
    """A recorded completion of a recurring obligation from the rule table."""

    __tablename__ = "obligation_completions"
    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[str] = mapped_column(String(40), index=True)
    completed_at: Mapped[datetime]
    evidence: Mapped[str] = mapped_column(Text, default="")  # a note, as typed
    filed_by: Mapped[str] = mapped_column(String(64))
    # A link (http/https), or a file: its name, where it lives (Slack permalink) and the SHA-256
    # of its bytes, so the report can show which document proves the duty was done.
    evidence_link: Mapped[str] = mapped_column(Text, default="", server_default="")
    evidence_file: Mapped[str] = mapped_column(String(255), default="", server_default="")
    evidence_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")


class TimelineEntry(Base):
    """One entry of an incident's timeline: what was said or done, when, by whom, from where."""

    __tablename__ = "timeline_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime]  # when it happened: the message's time, or the time given
    text: Mapped[str] = mapped_column(Text)  # as typed
    source: Mapped[str] = mapped_column(String(16))  # manual | pin | reaction
    permalink: Mapped[str] = mapped_column(Text, default="")  # the Slack message, when one
    # The Slack message it came from: pinned twice, or pinned and marked 📌, it is recorded once.
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime]


class Correction(Base):
    """A correction of a record (edit, amend or cancel): what changed, from what to what, and why.

    The record itself is rewritten and audited again; its earlier states stay in the audit chain,
    and this row (audited too) says who changed it, when and why.
    """

    __tablename__ = "corrections"
    __table_args__ = (Index("ix_corrections_record", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))  # incidents | staff_changes | inspections
    entity_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # edit | amend | cancel
    changes: Mapped[str] = mapped_column(Text)  # canonical JSON: {field: [before, after]}
    reason: Mapped[str] = mapped_column(Text)
    corrected_by: Mapped[str] = mapped_column(String(64))
    corrected_at: Mapped[datetime] = mapped_column(index=True)


class ReminderDelivery(Base):
    """A reminder that was posted; the unique key makes delivery exactly-once.

    `item` and `stage` (incident:3 at stage 2 …) let a later stage silence the earlier ones, even
    when the clock is moved back.
    """

    __tablename__ = "reminder_deliveries"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    delivered_at: Mapped[datetime]
    item: Mapped[str | None] = mapped_column(String(200), index=True)
    stage: Mapped[int | None] = mapped_column(Integer)


class OutboxMessage(Base):
    """One message the bot owes a channel, written in the transaction of what caused it.

    Delivered after commit, exactly once across replicas (commands.outbox): a deliverer leases the
    row (or a batch of rows) in one short transaction, posts with none open, and records the
    outcome in another.
    `operator_action` names what only an operator can fix (not_in_channel …); such rows stay
    pending and are retried slowly until it is fixed.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # alert:incident:12 …
    kind: Mapped[str] = mapped_column(String(40))  # text | incident_alert | … (who renders it)
    channel: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]  # plain data, never Block Kit: rendered at delivery
    status: Mapped[str] = mapped_column(
        String(20), default="pending"
    )  # pending|sent|failed_permanent
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    operator_action: Mapped[str | None] = mapped_column(String(40))
    posted_channel: Mapped[str | None] = mapped_column(String(64))
    posted_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class FeedbackVote(Base):
    """A 👍/👎 on an answer."""

    __tablename__ = "feedback_votes"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    user: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    articles: Mapped[str] = mapped_column(String(200))
    vote: Mapped[str] = mapped_column(String(8))
    voted_at: Mapped[datetime]


class IdempotentReply(Base):
    """The reply given for an idempotency key (Slack's request id): a retry gets the same."""

    __tablename__ = "idempotent_replies"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    reply: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]


class AuditEntry(Base):
    """One append-only audit entry, chained to the previous one by SHA-256."""

    __tablename__ = "audit_log"
    # A write reads the last audited state of the row it builds on: (entity, entity_id, seq).
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id", "seq"),)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    record: Mapped[str] = mapped_column(Text)  # canonical JSON, hashed as stored
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's last entry: catches a deleted tail and serializes concurrent appends."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class StoreMeta(Base):
    """Facts about the store itself; "store_id" is the id the DATA_DIR marker remembers."""

    __tablename__ = "store_meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
