"""Alembic's entry point: runs the migrations on the URL given by ``ressenti.db.migrate``."""

from __future__ import annotations

from alembic import context

from ressenti.db.engine import make_engine
from ressenti.db.models import Base

config = context.config
engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
