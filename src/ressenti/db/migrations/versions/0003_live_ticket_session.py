"""a live ticket belongs to the login it was asked with

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:00:00

Logging out must end the login's unused tickets and the sockets they opened, so a ticket names its
login. Tickets live 30 seconds: those left from before the upgrade are dropped (their owners ask again)
rather than tied to a login chosen by guess.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM live_tickets")
    with op.batch_alter_table("live_tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_hash", sa.String(length=64), nullable=False))
        batch_op.create_index(batch_op.f("ix_live_tickets_session_hash"), ["session_hash"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_live_tickets_session_hash_session_tokens"),
            "session_tokens",
            ["session_hash"],
            ["token_hash"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("live_tickets", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_live_tickets_session_hash_session_tokens"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_live_tickets_session_hash"))
        batch_op.drop_column("session_hash")
