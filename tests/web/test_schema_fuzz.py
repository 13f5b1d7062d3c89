"""Schemathesis over the whole OpenAPI schema: thousands of generated requests, valid and invalid, as an
administrator and as an agent, and not one answer is a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from ressenti.config import Settings
from ressenti.db import migrate
from ressenti.db.engine import make_engine, session_factory
from ressenti.web.app import create_app
from ressenti.workflows.conversations import Opening, ingest_message, open_conversation
from tests.service_fixtures import build_world

_folder = Path(tempfile.mkdtemp(prefix="ressenti-fuzz-"))
_url = f"sqlite:///{_folder / 'fuzz.db'}"
migrate.upgrade(_url)
_engine = make_engine(_url)
with session_factory(_engine)() as _session:
    WORLD = build_world(_session)
    from ressenti.workflows.accounts import principal_for

    _admin = principal_for(WORLD.users["admin"])
    _conversation = open_conversation(
        _session, _admin, Opening("chat", WORLD.teams["north"], "C-1", agent_id=WORLD.users["agent"].id)
    )
    ingest_message(_session, _admin, _conversation.id, author="customer", text="Je vais résilier !!! 😡")
    _session.commit()

app = create_app(Settings(data_dir=_folder, database_url=_url), engine=_engine)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_request_makes_the_server_fail(case: schemathesis.Case) -> None:
    for who in ("admin", "agent"):
        response = case.call(headers=WORLD.auth(who))
        assert response.status_code < 500, (who, case.method, case.path, response.status_code, response.text)
