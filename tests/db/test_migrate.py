"""Migrations: they build the models' schema on SQLite and PostgreSQL, and go down and up again."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from ressenti.db import migrate
from ressenti.db.engine import make_engine
from ressenti.db.models import Base
from tests.service_fixtures import create_postgres_database, drop_postgres_database, fresh_sqlite_url


def test_models_and_migrations_agree(db_engine: Engine) -> None:
    """The check CI relies on: the migrated database has exactly what the models declare."""
    assert migrate.differences(db_engine) == []
    assert migrate.current_revision(db_engine) is not None


def test_downgrade_to_nothing_and_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for url in (fresh_sqlite_url(tmp_path), create_postgres_database()):
        try:
            migrate.upgrade(url)
            migrate.downgrade(url, "base")
            engine = make_engine(url)
            assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
            engine.dispose()
            migrate.upgrade(url)
            engine = make_engine(url)
            assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
            engine.dispose()
        finally:
            if url.startswith("postgresql"):
                drop_postgres_database(url)


def test_a_drifted_model_is_caught(db_engine: Engine) -> None:
    """differences() is not blind: a column the migrations lack shows up."""
    from sqlalchemy import Column, Integer

    table = Base.metadata.tables["teams"]
    column = Column("drift_probe", Integer)
    table.append_column(column)
    try:
        assert any("drift_probe" in str(d) for d in migrate.differences(db_engine))
    finally:
        table._columns.remove(column)
