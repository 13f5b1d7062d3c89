"""Migrations: they build the models' schema on SQLite and PostgreSQL, and go down and up again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from ressenti.db import migrate
from ressenti.db.engine import make_engine
from ressenti.db.models import Base
from tests.service_fixtures import create_postgres_database, drop_postgres_database, fresh_sqlite_url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it yet, on SQLite and on PostgreSQL (dropped afterwards)."""
    if request.param == "sqlite":
        yield fresh_sqlite_url(tmp_path)
        return
    made = create_postgres_database()
    try:
        yield made
    finally:
        drop_postgres_database(made)


def test_models_and_migrations_agree(db_engine: Engine) -> None:
    """The check CI relies on: the migrated database has exactly what the models declare."""
    assert migrate.differences(db_engine) == []
    assert migrate.current_revision(db_engine) is not None


def test_downgrade_to_nothing_and_back(url: str) -> None:
    migrate.upgrade(url)
    migrate.downgrade(url, "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    migrate.upgrade(url)
    engine = make_engine(url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


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


def _seed_before_sources(engine: Engine) -> None:
    """A database as 0001 left it: a conversation a webhook opened, one the REST API opened, messages."""
    tables = Base.metadata.tables
    with engine.begin() as connection:
        connection.execute(tables["organisations"].insert(), [{"id": 1, "slug": "acme", "name": "Acme"}])
        connection.execute(tables["teams"].insert(), [{"id": 1, "organisation_id": 1, "name": "north"}])
        connection.execute(  # in the columns 0001 made (the model's has a source since 0004)
            text("INSERT INTO customers (organisation_id, external_id, created_at) VALUES (1, 'C-1', :now)"),
            {"now": datetime(2026, 1, 1)},
        )
        for number, external_id in ((1, "1001"), (2, "rest-1")):
            connection.execute(
                text(
                    "INSERT INTO conversations (id, organisation_id, external_id, customer_id, team_id,"
                    " channel, status, opened_at, message_count)"
                    " VALUES (:id, 1, :external_id, 1, 1, 'chat', 'open', :now, 1)"
                ),
                {"id": number, "external_id": external_id, "now": datetime(2026, 1, 1)},
            )
            connection.execute(
                tables["messages"].insert(),
                [
                    {
                        "id": number,
                        "organisation_id": 1,
                        "conversation_id": number,
                        "seq": 1,
                        "author": "customer",
                        "text": f"message {number}",
                    }
                ],
            )
        connection.execute(
            tables["webhook_events"].insert(),
            [{"organisation_id": 1, "source": "zendesk", "event_id": "evt-1", "message_id": 1}],
        )


def test_conversations_get_their_source_and_keep_their_messages(url: str) -> None:
    """0002 rebuilds the conversations table on SQLite: with foreign keys on, dropping the old table
    would cascade to every message, reading and alert. A conversation a webhook opened is given that
    webhook's source; one the REST API opened keeps none ("")."""
    migrate.upgrade(url, "0001")
    engine = make_engine(url)
    _seed_before_sources(engine)
    migrate.upgrade(url)
    with engine.connect() as connection:
        sources = dict(connection.execute(text("SELECT external_id, source FROM conversations")).all())
        kept = connection.execute(text("SELECT count(*) FROM messages")).scalar()
    assert sources == {"1001": "zendesk", "rest-1": ""}
    assert kept == 2
    migrate.downgrade(url, "0001")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM messages")).scalar() == 2
    engine.dispose()


def test_a_customer_two_sources_named_becomes_two_customers(url: str) -> None:
    """0004: customer C-1 had a conversation from Zendesk and one opened through the REST API. They are
    two people's, each named C-1 by its own system: each conversation gets the customer of its source.
    Going back down joins them again, as the schema before can only hold one C-1."""
    migrate.upgrade(url, "0001")
    engine = make_engine(url)
    _seed_before_sources(engine)
    migrate.upgrade(url)
    owners = (
        "SELECT v.external_id, c.source, c.external_id FROM conversations v"
        " JOIN customers c ON c.id = v.customer_id"
    )
    with engine.connect() as connection:
        owned = {row[0]: (row[1], row[2]) for row in connection.execute(text(owners))}
        customers = connection.execute(text("SELECT count(*) FROM customers")).scalar()
        kept = connection.execute(text("SELECT count(*) FROM messages")).scalar()
    assert owned == {"1001": ("zendesk", "C-1"), "rest-1": ("", "C-1")}
    assert (customers, kept) == (2, 2)
    migrate.downgrade(url, "0003")
    with engine.connect() as connection:
        joined = connection.execute(text("SELECT DISTINCT customer_id FROM conversations")).all()
        assert joined == [(1,)]
        assert connection.execute(text("SELECT count(*) FROM customers")).scalar() == 1
    engine.dispose()


def test_on_sqlite_an_erased_newest_row_gives_its_id_to_no_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """0005: SQLite gave the largest id plus one, so the id of the newest customer (and of their
    conversation), once erased, went to the next one. Rows copied in by the rebuild keep their ids."""
    url = fresh_sqlite_url(tmp_path)
    migrate.upgrade(url, "0004")
    engine = make_engine(url)
    _seed_before_sources(engine)  # customer 1, conversations 1 and 2
    migrate.upgrade(url)
    new_customer = (
        "INSERT INTO customers (organisation_id, source, external_id, created_at) VALUES (1, '', :id, :now)"
    )
    with engine.begin() as connection:
        assert connection.execute(text("SELECT id FROM customers")).all() == [(1,)]
        connection.execute(text("DELETE FROM conversations WHERE id = 2"))
        connection.execute(text("DELETE FROM customers"))
        connection.execute(text(new_customer), {"id": "C-2", "now": datetime(2026, 1, 2)})
        connection.execute(
            text(
                "INSERT INTO conversations (organisation_id, source, customer_id, team_id, channel, status,"
                " opened_at, message_count) SELECT 1, '', id, 1, 'chat', 'open', :now, 0 FROM customers"
            ),
            {"now": datetime(2026, 1, 2)},
        )
        customers = connection.execute(text("SELECT id FROM customers")).all()
        conversations = connection.execute(text("SELECT id FROM conversations")).all()
    assert customers == [(2,)]
    assert conversations == [(3,)]
    assert migrate.differences(engine) == []
    engine.dispose()
