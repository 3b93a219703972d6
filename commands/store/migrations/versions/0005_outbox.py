"""outbox: every message a filing or a reminder owes Slack, delivered after commit

Revision ID: 0005_outbox
Revises: 0004_history
Create Date: 2026-11-26 22:00:00

Bookkeeping, not records: the outbox is not audited (a delivery's outcome is Slack's, not the
filer's), so no audited state changes and every earlier chain still verifies.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005_outbox"
down_revision = "0004_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    outbox = op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("operator_action", sa.String(length=40), nullable=True),
        sa.Column("posted_channel", sa.String(length=64), nullable=True),
        sa.Column("posted_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["status", "next_attempt_at"], unique=False)
    # Alerts posted before this revision: recorded as sent where they are, so reporting or closing
    # one of those incidents still updates its alert in place instead of posting nothing.
    now = datetime.now(UTC)
    posted = op.get_bind().execute(sa.text("SELECT incident_id, channel, ts FROM incident_alerts"))
    op.bulk_insert(
        outbox,
        [
            {
                "key": f"alert:incident:{incident_id}",
                "kind": "incident_alert",
                "channel": channel,
                "payload": {"incident_id": incident_id},
                "status": "sent",
                "attempts": 1,
                "next_attempt_at": now,
                "last_error": "",
                "posted_channel": channel,
                "posted_ts": ts,
                "created_at": now,
                "sent_at": now,
            }
            for incident_id, channel, ts in posted
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")
    op.drop_table("outbox")
