"""records proved: close reasons, report filing times, reminder stages, audit lookups, store id

Revision ID: 0002_records_proved
Revises: 0001
Create Date: 2026-11-25 18:40:00
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002_records_proved"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("close_reason", sa.Text(), server_default="", nullable=False))

    # A report filed before this revision was made when it was filed: recorded_at = reported_at.
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE incident_reports SET recorded_at = reported_at")
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.alter_column(
            "recorded_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )

    with op.batch_alter_table("reminder_deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("item", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("stage", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_reminder_deliveries_item"), ["item"], unique=False)

    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_entity", ["entity", "entity_id", "seq"], unique=False)

    store_meta = op.create_table(
        "store_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    # The store's identity: the DATA_DIR marker names it, so a different store is noticed.
    op.bulk_insert(store_meta, [{"key": "store_id", "value": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("store_meta")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")
    with op.batch_alter_table("reminder_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_deliveries_item"))
        batch_op.drop_column("stage")
        batch_op.drop_column("item")
    with op.batch_alter_table("incident_reports", schema=None) as batch_op:
        batch_op.drop_column("recorded_at")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("close_reason")
