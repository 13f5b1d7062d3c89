"""An app on the test's rolled-back connection, and shortcuts the API tests share."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ressenti.config import Settings
from ressenti.web.app import create_app
from tests.service_fixtures import World


@pytest.fixture
def client(db_engine: Engine, sessions: sessionmaker[Session], tmp_path) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path, database_url=str(db_engine.url))
    app = create_app(settings, engine=db_engine, sessions=sessions)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def open_conversation(
    client: TestClient,
    world: World,
    *,
    team: str = "north",
    agent: str | None = "agent",
    who: str = "admin",
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "chat",
        "team_id": world.teams[team],
        "customer": {"external_id": extra.pop("customer", "C-1")},
        **extra,
    }
    if agent is not None:
        body["agent_id"] = world.users[agent].id
    answer = client.post("/api/v1/conversations", json=body, headers=world.auth(who))
    assert answer.status_code == 201, answer.text
    result: dict[str, Any] = answer.json()
    return result


def post_message(
    client: TestClient,
    world: World,
    conversation_id: int,
    text: str,
    *,
    author: str = "customer",
    who: str = "admin",
    **extra: Any,
) -> Any:
    return client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"author": author, "text": text, **extra},
        headers=world.auth(who),
    )
