"""Webhooks: HMAC-signed, refused when unsigned, stale or tampered, stored once however often repeated."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
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
    source: str = "zendesk",
    language: str = "en",
) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = str(int(time.time()) if stamp is None else stamp)
    return client.post(
        f"/api/v1/webhooks/{source}",
        content=raw,
        headers={
            "Content-Type": "application/json",
            "X-Ressenti-Organisation": org,
            "X-Ressenti-Timestamp": timestamp,
            "X-Ressenti-Signature": sign or signature(secret, timestamp, raw),
            "Accept-Language": language,
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


def conversations(client: TestClient, world: World) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get("/api/v1/conversations", headers=world.auth("admin")).json()[
        "items"
    ]
    return found


def messages(client: TestClient, world: World, conversation_id: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get(
        f"/api/v1/conversations/{conversation_id}/messages", headers=world.auth("admin")
    ).json()
    return found


def test_two_sources_with_the_same_ids_keep_two_conversations(client: TestClient, world: World) -> None:
    """Zendesk's ticket 1001 and Freshdesk's ticket 1001 are two customers' conversations. They were
    merged into one, and the second customer's message, whose id was also the first's, was dropped while
    its sender was told "processed" with the first message's ids."""
    secrets = {name: source(client, world, name) for name in ("zendesk", "freshdesk")}
    answers = {}
    for name, customer, text in (
        ("zendesk", "Z-7", "Colis perdu, je suis furieux !!!"),
        ("freshdesk", "F-9", "Merci beaucoup, tout est parfait."),
    ):
        body = event(world, "evt-1", text)
        body["conversation"]["external_id"] = "1001"
        body["conversation"]["customer"]["external_id"] = customer
        body["message"]["external_id"] = "m-1"
        answers[name] = deliver(client, secrets[name], body, source=name).json()
    assert [a["status"] for a in answers.values()] == ["processed", "processed"]
    assert answers["zendesk"]["conversation_id"] != answers["freshdesk"]["conversation_id"]
    assert answers["zendesk"]["message_id"] != answers["freshdesk"]["message_id"]
    listed = {c["source"]: c for c in conversations(client, world)}
    assert set(listed) == {"zendesk", "freshdesk"}
    assert {c["external_id"] for c in listed.values()} == {"1001"}
    for name, text in (("zendesk", "Colis perdu"), ("freshdesk", "Merci beaucoup")):
        stored = messages(client, world, answers[name]["conversation_id"])
        assert [m["id"] for m in stored] == [answers[name]["message_id"]]
        assert stored[0]["text"].startswith(text)


def test_a_conversation_opened_through_rest_is_not_a_sources(client: TestClient, world: World) -> None:
    """The REST API's external ids are the integration's own: a helpdesk's ticket of the same number is
    another conversation, and it does not reach into the one the integration opened."""
    secret = source(client, world)
    body = {
        "channel": "chat",
        "external_id": "zd-1001",
        "team_id": world.teams["north"],
        "customer": {"external_id": "C-1"},
    }
    opened = client.post("/api/v1/conversations", json=body, headers=world.auth("admin")).json()
    assert opened["source"] is None
    answer = deliver(client, secret, event(world)).json()
    assert answer["status"] == "processed"
    assert answer["conversation_id"] != opened["id"]
    assert messages(client, world, opened["id"]) == []
    again = client.post("/api/v1/conversations", json=body, headers=world.auth("admin"))
    assert again.status_code == 409  # among the REST API's own, an external id is still taken once


def test_the_same_customer_id_from_two_sources_is_two_customers(client: TestClient, world: World) -> None:
    """Zendesk's customer C-1 and Freshdesk's C-1 are two people. They were one customer row: erasing
    Zendesk's C-1 erased Freshdesk's conversation too, and each one's history showed under the other."""
    secrets = {name: source(client, world, name) for name in ("zendesk", "freshdesk")}
    opened = {}
    for name in secrets:
        body = event(world, "evt-1")
        body["conversation"]["external_id"] = f"{name}-1"
        body["conversation"]["customer"] = {"external_id": "C-1", "name": f"{name} person"}
        opened[name] = deliver(client, secrets[name], body, source=name).json()["conversation_id"]
    customers = {
        name: client.get(f"/api/v1/conversations/{number}", headers=world.auth("admin")).json()["customer_id"]
        for name, number in opened.items()
    }
    assert customers["zendesk"] != customers["freshdesk"]
    erased = client.delete(f"/api/v1/customers/{customers['zendesk']}", headers=world.auth("admin"))
    assert erased.status_code == 204
    assert [c["id"] for c in conversations(client, world)] == [opened["freshdesk"]]
    assert len(messages(client, world, opened["freshdesk"])) == 1


@pytest.mark.parametrize(
    ("change", "english", "french"),
    [
        (
            {"customer": {"external_id": "C-other"}},
            "conversation 'zd-1001' of source 'zendesk' belongs to another customer, not 'C-other': "
            "the event was not stored",
            "la conversation 'zd-1001' de la source 'zendesk' est celle d'un autre client, "
            "pas de 'C-other' : l'événement n'est pas enregistré",
        ),
        (
            {"team_id": "south"},
            "conversation 'zd-1001' of source 'zendesk' is in team {north}, not team {south}: "
            "the event was not stored",
            "la conversation 'zd-1001' de la source 'zendesk' est dans l'équipe {north}, pas dans l'équipe "
            "{south} : l'événement n'est pas enregistré",
        ),
    ],
)
def test_an_event_naming_a_conversation_with_another_customer_or_team_is_409(
    client: TestClient, world: World, change: dict[str, Any], english: str, french: str
) -> None:
    """The sender's ids have gone wrong somewhere: storing the message in this conversation would show one
    customer's words in another's, so it is refused, stored nowhere, and the event id stays unused."""
    secret = source(client, world)
    first = deliver(client, secret, event(world)).json()
    if "team_id" in change:
        change = {"team_id": world.teams[change["team_id"]]}
    wrong = event(world, "evt-2", "Et mon remboursement ?")
    wrong["conversation"].update(change)
    teams = {"north": world.teams["north"], "south": world.teams["south"]}
    for language, said in (("en", english), ("fr", french)):
        answer = deliver(client, secret, wrong, language=language)
        assert (answer.status_code, answer.json()) == (409, {"detail": said.format(**teams), "code": "E034"})
    closing = {"event_id": "evt-3", "type": "conversation.closed", "conversation": {"external_id": "zd-1001"}}
    closing["conversation"].update(change)
    assert deliver(client, secret, closing).status_code == 409
    assert [m["id"] for m in messages(client, world, first["conversation_id"])] == [first["message_id"]]
    assert len(conversations(client, world)) == 1
    follow = event(world, "evt-2", "Et mon remboursement ?")
    assert deliver(client, secret, follow).json()["status"] == "processed"


def test_a_message_sent_again_under_a_new_event_id_is_a_duplicate(client: TestClient, world: World) -> None:
    """A helpdesk that retries with a fresh event id is told what happened: nothing new was stored."""
    secret = source(client, world)
    first = deliver(client, secret, event(world, "evt-1")).json()
    again = event(world, "evt-2")
    again["message"]["external_id"] = "msg-evt-1"
    answer = deliver(client, secret, again).json()
    assert answer == {
        "status": "duplicate",
        "conversation_id": first["conversation_id"],
        "message_id": first["message_id"],
    }
    assert len(messages(client, world, first["conversation_id"])) == 1
