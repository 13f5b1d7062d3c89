"""Real databases for the service's tests: SQLite and the PostgreSQL of this machine, each migrated once
with Alembic, and one transaction per test that is rolled back (join_transaction_mode="create_savepoint":
what the code under test commits is a savepoint inside it)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from ressenti.db import migrate
from ressenti.db.engine import make_engine
from ressenti.db.models import SessionToken, User, utcnow
from ressenti.workflows import accounts

POSTGRES_ADMIN_URL = os.environ.get(
    "RESSENTI_TEST_POSTGRES", "postgresql+pg8000://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "correct horse battery"
_HASH: list[str] = []


def password_hash() -> str:
    """One argon2 hash for every test user (hashing costs ~50 ms: done once)."""
    if not _HASH:
        _HASH.append(accounts.hash_password(PASSWORD))
    return _HASH[0]


def create_postgres_database() -> str:
    name = f"ressenti_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'ressenti.db'}"
        migrate.upgrade(url)
        yield url
        return
    url = create_postgres_database()
    try:
        migrate.upgrade(url)
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(scope="session")
def db_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(db_engine: Engine) -> Iterator[Connection]:
    with db_engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    """Sessions for the code under test: their commits are savepoints of the test's transaction."""
    return sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session


@dataclass
class World:
    """Two organisations: ``acme`` (teams ``north``, ``south``; people by key) and ``other``."""

    org: int
    other_org: int
    teams: dict[str, int]
    users: dict[str, User]
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[key]}"}


PEOPLE = {
    # key: (role, teams)
    "agent": ("agent", ("north",)),
    "agent2": ("agent", ("north",)),
    "south_agent": ("agent", ("south",)),
    "supervisor": ("supervisor", ("north",)),
    "south_supervisor": ("supervisor", ("south",)),
    "trainer": ("trainer", ("north",)),
    "admin": ("admin", ()),
}


def token_for(session: Session, user: User) -> str:
    token = accounts.SESSION_PREFIX + uuid.uuid4().hex
    session.add(
        SessionToken(
            token_hash=accounts.digest(token), user_id=user.id, expires_at=utcnow() + timedelta(hours=1)
        )
    )
    return token


def build_world(session: Session) -> World:
    acme = accounts.create_organisation(session, "acme", "Acme")
    other = accounts.create_organisation(session, "other", "Other Co")
    teams = {name: accounts.create_team(session, acme.id, name).id for name in ("north", "south")}
    users = {}
    for key, (role, member_of) in PEOPLE.items():
        users[key] = accounts.create_user(
            session,
            acme.id,
            email=f"{key}@acme.test",
            name=key.replace("_", " ").title(),
            role=role,
            password_hash=password_hash(),
            team_ids=[teams[t] for t in member_of],
        )
    other_team = accounts.create_team(session, other.id, "elsewhere")
    users["other_admin"] = accounts.create_user(
        session,
        other.id,
        email="admin@other.test",
        name="Other Admin",
        role="admin",
        password_hash=password_hash(),
    )
    users["other_supervisor"] = accounts.create_user(
        session,
        other.id,
        email="sup@other.test",
        name="Other Supervisor",
        role="supervisor",
        password_hash=password_hash(),
        team_ids=[other_team.id],
    )
    teams["elsewhere"] = other_team.id
    world = World(acme.id, other.id, teams, users)
    world.tokens = {key: token_for(session, user) for key, user in users.items()}
    session.commit()
    return world


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def fresh_sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'ressenti.db'}"
