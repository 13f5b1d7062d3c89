"""Alembic's entry point: runs the migrations on the URL given by ``ressenti.db.migrate``.

On SQLite a migration that changes a table's constraints rebuilds it (batch mode: copy, drop, rename).
Our engines enforce foreign keys, and dropping the old table with them on deletes its rows first and
cascades to every row that points at them: rebuilding ``conversations`` would empty ``messages``. So the
migrations run with foreign keys off, in one transaction, and the keys are checked before it commits.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from ressenti.db.engine import make_engine
from ressenti.db.models import Base


def _foreign_keys_off(connection: Connection) -> None:
    """The pragma does nothing inside a transaction: it goes to the driver's connection, before
    SQLAlchemy begins one."""
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys=OFF")


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"the migration left rows pointing at nothing (table, row, parent): {broken[:5]}")


config = context.config
engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _foreign_keys_off(connection)
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        render_as_batch=sqlite,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            _check_foreign_keys(connection)
engine.dispose()
