"""conversations per source

A conversation arriving by webhook is identified by (organisation, source, external_id): two
helpdesks each have a ticket 1001, and those are two customers' conversations. Conversations opened
through the REST API have the source "" (no webhook source can be named so). Existing conversations a
webhook delivered into take the source of the first event that brought them a message.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 10:12:40.118203
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _first_source(conversations: sa.TableClause) -> sa.ScalarSelect[str]:
    """The source of the first webhook event that delivered a message into the conversation."""
    events = sa.table("webhook_events", sa.column("id"), sa.column("source"), sa.column("message_id"))
    messages = sa.table("messages", sa.column("id"), sa.column("conversation_id"))
    return (
        sa.select(events.c.source)
        .join(messages, messages.c.id == events.c.message_id)
        .where(messages.c.conversation_id == conversations.c.id)
        .order_by(events.c.id)
        .limit(1)
        .scalar_subquery()
    )


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=64), server_default="", nullable=False))
        batch_op.drop_constraint(batch_op.f("uq_conversations_organisation_id_external_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_conversations_organisation_id_source_external_id"),
            ["organisation_id", "source", "external_id"],
        )
    conversations = sa.table("conversations", sa.column("id"), sa.column("source"))
    first = _first_source(conversations)
    op.execute(conversations.update().where(first.is_not(None)).values(source=first))


def downgrade() -> None:
    """Fails on the unique key when two sources now hold the same external_id: merging their
    conversations is what this revision undid, and it will not be done silently."""
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_conversations_organisation_id_source_external_id"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_conversations_organisation_id_external_id"), ["organisation_id", "external_id"]
        )
        batch_op.drop_column("source")
