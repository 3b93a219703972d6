"""incident channels: the Slack channel opened for each incident, and its card

Revision ID: 0006_incident_channels
Revises: 0004_history
Create Date: 2026-11-26 23:00:00

(0005_outbox is being written beside this one: when the two merge, this revision's down_revision
becomes "0005_outbox".) Slack bookkeeping like incident_alerts, not a record: nothing audited
changes and every earlier chain still verifies.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_incident_channels"
down_revision = "0004_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_channels",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("card_ts", sa.String(length=32), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("incident_id"),
        sa.UniqueConstraint("channel"),
    )


def downgrade() -> None:
    op.drop_table("incident_channels")
