"""history: corrections, incident timelines, evidence, cancellations, incident systems and measures

Revision ID: 0004_history
Revises: 0002_records_proved
Create Date: 2026-11-26 09:00:00

(0003_outbox is being written beside this one; the two are put in one line when they merge.)
Every column added here has a default that an earlier audited state implies (commands.store.
records.ADDED_COLUMNS), so rows audited before this revision still verify.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_history"
down_revision = "0002_records_proved"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("affected_systems", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("measures_taken", sa.Text(), server_default="", nullable=False)
        )
    with op.batch_alter_table("staff_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("obligation_completions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("evidence_link", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("evidence_file", sa.String(length=255), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("evidence_sha256", sa.String(length=64), server_default="", nullable=False)
        )

    op.create_table(
        "timeline_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("permalink", sa.Text(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_timeline_entries_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrected_by", sa.String(length=64), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.create_index("ix_corrections_record", ["entity", "entity_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_corrections_corrected_at"), ["corrected_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_corrections_corrected_at"))
        batch_op.drop_index("ix_corrections_record")
    op.drop_table("corrections")
    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_timeline_entries_incident_id"))
    op.drop_table("timeline_entries")
    with op.batch_alter_table("obligation_completions", schema=None) as batch_op:
        batch_op.drop_column("evidence_sha256")
        batch_op.drop_column("evidence_file")
        batch_op.drop_column("evidence_link")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_column("cancelled_at")
    with op.batch_alter_table("staff_changes", schema=None) as batch_op:
        batch_op.drop_column("cancelled_at")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("measures_taken")
        batch_op.drop_column("affected_systems")
