"""customers per source

A customer is identified by (organisation, source, external_id), as a conversation is since 0002: two
helpdesks each have a customer C-1, and those are two people. One customer row held both, so erasing
one erased the other, and each one's conversations showed under the other's name. Customers the REST
API named have the source "" (no webhook source can be named so).

Each existing customer takes the source of its first conversation; where its conversations came from
more sources, each other source gets a customer of its own (same id and name), and those conversations
move to it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FIRST_SOURCE = """
UPDATE customers SET source = (
    SELECT c.source FROM conversations c WHERE c.customer_id = customers.id ORDER BY c.id LIMIT 1
)
WHERE EXISTS (SELECT 1 FROM conversations c WHERE c.customer_id = customers.id)
"""

OTHER_SOURCES = """
INSERT INTO customers (organisation_id, source, external_id, name, created_at)
SELECT DISTINCT o.organisation_id, c.source, o.external_id, o.name, o.created_at
FROM conversations c JOIN customers o ON o.id = c.customer_id
WHERE c.source <> o.source
"""

MOVE_CONVERSATIONS = """
UPDATE conversations SET customer_id = (
    SELECT n.id FROM customers n JOIN customers o
        ON n.organisation_id = o.organisation_id AND n.external_id = o.external_id
    WHERE o.id = conversations.customer_id AND n.source = conversations.source
)
WHERE source <> (SELECT o.source FROM customers o WHERE o.id = conversations.customer_id)
"""

# Downgrading: the schema before could hold one customer per id, so the conversations of a customer id
# named by several sources go back to the first of them, and the others go.
REJOIN = """
UPDATE conversations SET customer_id = (
    SELECT min(k.id) FROM customers k JOIN customers o
        ON k.organisation_id = o.organisation_id AND k.external_id = o.external_id
    WHERE o.id = conversations.customer_id
)
"""

DROP_REJOINED = """
DELETE FROM customers WHERE id NOT IN (
    SELECT first FROM (SELECT min(id) AS first FROM customers GROUP BY organisation_id, external_id) AS kept
)
"""


def upgrade() -> None:
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=64), server_default="", nullable=False))
        batch_op.drop_constraint(batch_op.f("uq_customers_organisation_id_external_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_customers_organisation_id_source_external_id"),
            ["organisation_id", "source", "external_id"],
        )
    op.execute(FIRST_SOURCE)
    op.execute(OTHER_SOURCES)
    op.execute(MOVE_CONVERSATIONS)


def downgrade() -> None:
    op.execute(REJOIN)
    op.execute(DROP_REJOINED)
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_customers_organisation_id_source_external_id"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_customers_organisation_id_external_id"), ["organisation_id", "external_id"]
        )
        batch_op.drop_column("source")
