"""incident channels: the Slack channel opened for each incident

Revision ID: 0006_incident_channels
Revises: 0005_outbox
Create Date: 2026-11-26 23:00:00

Slack bookkeeping like incident_alerts, not a record: nothing audited
changes and every earlier chain still verifies.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_incident_channels"
down_revision = "0005_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_channels",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("incident_id"),
        sa.UniqueConstraint("channel"),
    )


def downgrade() -> None:
    op.drop_table("incident_channels")
