"""Webhooks: HMAC-signed, refused when unsigned, stale or tampered, stored once however often repeated."""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi.testclient import TestClient

from ressenti.workflows.webhooks import signature
from tests.service_fixtures import World


def source(client: TestClient, world: World, name: str = "zendesk") -> str:
    answer = client.post("/api/v1/webhook-sources", json={"source": name}, headers=world.auth("admin"))
    assert answer.status_code == 201, answer.text
    secret: str = answer.json()["secret"]
    return secret


def event(
    world: World, event_id: str = "evt-1", text: str = "Colis perdu, je suis furieux !!!"
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "type": "message",
        "conversation": {
            "external_id": "zd-1001",
            "channel": "email",
            "team_id": world.teams["north"],
            "customer": {"external_id": "C-77"},
        },
        "message": {"author": "customer", "text": text, "external_id": f"msg-{event_id}"},
    }


def deliver(
    client: TestClient,
    secret: str,
    body: dict[str, Any] | bytes,
    *,
    org: str = "acme",
    stamp: int | None = None,
    sign: str | None = None,
) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = str(int(time.time()) if stamp is None else stamp)
    return client.post(
        "/api/v1/webhooks/zendesk",
        content=raw,
        headers={
            "Content-Type": "application/json",
            "X-Ressenti-Organisation": org,
            "X-Ressenti-Timestamp": timestamp,
            "X-Ressenti-Signature": sign or signature(secret, timestamp, raw),
        },
    )


def test_a_delivery_repeated_five_times_is_stored_once(client: TestClient, world: World) -> None:
    secret = source(client, world)
    answers = [deliver(client, secret, event(world)) for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    assert [a.json()["status"] for a in answers] == ["processed"] + ["duplicate"] * 4
    conversations = client.get("/api/v1/conversations", headers=world.auth("admin")).json()
    assert conversations["total"] == 1
    messages = client.get(
        f"/api/v1/conversations/{answers[0].json()['conversation_id']}/messages", headers=world.auth("admin")
    ).json()
    assert len(messages) == 1
    assert messages[0]["reading"]["sentiment"] == "negative"


def test_events_follow_each_other_into_one_conversation_and_close_it(
    client: TestClient, world: World
) -> None:
    secret = source(client, world)
    first = deliver(client, secret, event(world, "evt-1")).json()
    follow = event(world, "evt-2", "Toujours rien ?")
    del follow["conversation"]["channel"]
    second = deliver(client, secret, follow).json()
    assert second["conversation_id"] == first["conversation_id"]
    closing = {"event_id": "evt-3", "type": "conversation.closed", "conversation": {"external_id": "zd-1001"}}
    assert deliver(client, secret, closing).json()["status"] == "processed"
    detail = client.get(
        f"/api/v1/conversations/{first['conversation_id']}", headers=world.auth("admin")
    ).json()
    assert detail["status"] == "closed"
    assert detail["message_count"] == 2


def test_bad_signature_stale_timestamp_unknown_org_are_refused(client: TestClient, world: World) -> None:
    secret = source(client, world)
    body = event(world)
    assert deliver(client, secret, body, sign="sha256=" + "0" * 64).status_code == 401
    assert deliver(client, secret, body, stamp=int(time.time()) - 3600).status_code == 401
    assert deliver(client, "other secret", body).status_code == 401
    assert deliver(client, secret, body, org="other").status_code == 404
    tampered = json.dumps(body).encode()
    good = signature(secret, str(int(time.time())), tampered)
    changed = tampered.replace(b"furieux", b"content")
    assert deliver(client, secret, changed, sign=good).status_code == 401
    assert client.get("/api/v1/conversations", headers=world.auth("admin")).json()["total"] == 0


def test_a_signed_but_invalid_event_is_422_and_stores_nothing(client: TestClient, world: World) -> None:
    secret = source(client, world)
    body = event(world)
    body["message"]["author"] = "robot"
    answer = deliver(client, secret, body)
    assert answer.status_code == 422
    assert "author" in answer.json()["detail"]
    assert answer.json()["detail"].startswith("message.author: Input should be")
    unknown = event(world)
    unknown["extra"] = 1
    assert deliver(client, secret, unknown).status_code == 422
    # the rejected event ids were not consumed: the corrected delivery goes through
    assert deliver(client, secret, event(world)).json()["status"] == "processed"
