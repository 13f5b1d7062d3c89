"""on SQLite, an id is never given twice

SQLite hands out the largest id plus one, so erasing the newest customer gave their id, and their
conversations', to the next ones: an integration still holding an old conversation id wrote into another
person's conversation, and audit entries naming the id became ambiguous. Every table with an integer id is
rebuilt with AUTOINCREMENT, which never reuses one (its counter starts from the largest id copied in).
PostgreSQL's sequences never reuse an id: nothing to do there.

A later migration that rebuilds one of these tables on SQLite (batch mode) must pass
``table_kwargs={"sqlite_autoincrement": True}``: the flag is not read back from the database.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 20:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = (
    "organisations",
    "teams",
    "users",
    "api_keys",
    "customers",
    "conversations",
    "messages",
    "readings",
    "alerts",
    "whispers",
    "corrections",
    "audit_log",
    "webhook_sources",
    "webhook_events",
)


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TABLES:
        with op.batch_alter_table(
            name, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)
