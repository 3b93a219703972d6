"""drop incident_alerts: where an alert was posted is the outbox row's posted_channel and posted_ts

Revision ID: 0007_drop_incident_alerts
Revises: 0006_incident_channels
Create Date: 2026-11-27 01:00:00

0005_outbox copied every row of incident_alerts into the outbox and nothing has read or written
the table since. Slack bookkeeping, not a record: nothing audited changes and every earlier chain
still verifies. The downgrade rebuilds it from the outbox's posted alerts.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_drop_incident_alerts"
down_revision = "0006_incident_channels"
branch_labels = None
depends_on = None

ALERT_KEY_PREFIX = "alert:incident:"  # commands.alerts.incident_alert_key, as of this revision


def upgrade() -> None:
    op.drop_table("incident_alerts")


def downgrade() -> None:
    alerts = op.create_table(
        "incident_alerts",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"]),
        sa.PrimaryKeyConstraint("incident_id"),
    )
    posted = op.get_bind().execute(
        sa.text(
            "SELECT key, posted_channel, posted_ts FROM outbox WHERE kind = 'incident_alert' "
            "AND status = 'sent' AND posted_channel IS NOT NULL AND posted_ts IS NOT NULL"
        )
    )
    op.bulk_insert(
        alerts,
        [
            {"incident_id": int(key[len(ALERT_KEY_PREFIX) :]), "channel": channel, "ts": ts}
            for key, channel, ts in posted
            if key.startswith(ALERT_KEY_PREFIX) and key[len(ALERT_KEY_PREFIX) :].isdigit()
        ],
    )
