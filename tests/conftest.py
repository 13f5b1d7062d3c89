"""Fixtures shared by the service's tests (databases, organisations) live in ``service_fixtures``."""

from tests.service_fixtures import connection, database_url, db_engine, session, sessions, world

__all__ = ["connection", "database_url", "db_engine", "session", "sessions", "world"]
