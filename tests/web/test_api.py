"""The REST API on SQLite and PostgreSQL: who sees what, the ingest path, search, alerts, whispers,
corrections, erasure, and how bad input is answered."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from ressenti.db.models import Customer
from tests.service_fixtures import PASSWORD, World
from tests.web.api_helpers import open_conversation, post_message

ANGRY = "Toujours pas reçu ma commande !!! 😡 Je vais résilier. Écrivez-moi à jean.dupont@example.com"


def test_login_gives_a_token_that_opens_the_api(client: TestClient, world: World) -> None:
    answer = client.post(
        "/api/v1/auth/login", json={"organisation": "acme", "email": "Agent@acme.test", "password": PASSWORD}
    )
    assert answer.status_code == 200
    token = answer.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["role"] == "agent"
    assert (
        client.delete("/api/v1/auth/session", headers={"Authorization": f"Bearer {token}"}).status_code == 204
    )
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@pytest.mark.parametrize(
    ("organisation", "email", "password"),
    [
        ("acme", "agent@acme.test", "wrong"),
        ("other", "agent@acme.test", PASSWORD),
        ("acme", "nobody@x", PASSWORD),
    ],
)
def test_login_refuses_a_wrong_pair_without_saying_which(
    client: TestClient, world: World, organisation: str, email: str, password: str
) -> None:
    answer = client.post(
        "/api/v1/auth/login", json={"organisation": organisation, "email": email, "password": password}
    )
    assert answer.status_code == 401
    assert answer.json()["detail"] == "wrong organisation, e-mail or password"


def test_no_token_is_401(client: TestClient, world: World) -> None:
    assert client.get("/api/v1/conversations").status_code == 401
    assert client.get("/api/v1/conversations", headers={"Authorization": "Bearer rs_nope"}).status_code == 401


def test_ingest_redacts_reads_stores_and_alerts(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    answer = post_message(client, world, conversation["id"], ANGRY)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert "jean.dupont@example.com" not in body["message"]["text"]
    assert "[EMAIL]" in body["message"]["text"]
    assert body["message"]["redactions"] == {"email": 1}
    reading = body["reading"]
    assert reading["emotion"] == "anger"
    assert reading["engine_version"].startswith("ressenti-engine/")
    assert reading["signals"]["churn_threat"]["value"] is True
    assert {a["kind"] for a in body["alerts"]} >= {"anger", "churn_threat"}
    assert all(a["reasons"]["fr"] and a["reasons"]["en"] for a in body["alerts"])
    stored = client.get(
        f"/api/v1/conversations/{conversation['id']}/messages", headers=world.auth("agent")
    ).json()
    assert [m["text"] for m in stored] == [body["message"]["text"]]
    assert stored[0]["reading"]["id"] == reading["id"]
    detail = client.get(f"/api/v1/conversations/{conversation['id']}", headers=world.auth("agent")).json()
    assert detail["temperature"]["emotion"] == "anger"
    assert detail["message_count"] == 1


def test_an_agents_message_is_never_read_for_emotion(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    answer = post_message(
        client, world, conversation["id"], "Je suis désolé, je m'en occupe.", author="agent", who="agent"
    )
    assert answer.status_code == 201
    assert answer.json()["reading"] is None
    assert answer.json()["alerts"] == []


def test_same_external_id_is_stored_once(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    first = post_message(client, world, conversation["id"], "Bonjour", external_id="m-1")
    again = [post_message(client, world, conversation["id"], "Bonjour", external_id="m-1") for _ in range(4)]
    assert first.status_code == 201
    assert {a.status_code for a in again} == {200}
    assert {a.json()["message"]["id"] for a in again} == {first.json()["message"]["id"]}
    assert all(a.json()["duplicate"] for a in again)
    messages = client.get(f"/api/v1/conversations/{conversation['id']}/messages", headers=world.auth("admin"))
    assert len(messages.json()) == 1


def test_an_alert_kind_is_not_raised_twice_while_open(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    first = post_message(client, world, conversation["id"], "Je vais résilier mon abonnement.")
    second = post_message(client, world, conversation["id"], "Je vais résilier, je vous le répète.")
    assert "churn_threat" in {a["kind"] for a in first.json()["alerts"]}
    assert "churn_threat" not in {a["kind"] for a in second.json()["alerts"]}
    alert = next(a for a in first.json()["alerts"] if a["kind"] == "churn_threat")
    acked = client.post(f"/api/v1/alerts/{alert['id']}/acknowledge", headers=world.auth("supervisor"))
    assert acked.json()["status"] == "acknowledged"
    third = post_message(client, world, conversation["id"], "Je vais résilier demain.")
    assert "churn_threat" in {a["kind"] for a in third.json()["alerts"]}


def test_closed_conversation_refuses_messages(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    assert (
        client.post(f"/api/v1/conversations/{conversation['id']}/close", headers=world.auth("agent")).json()[
            "status"
        ]
        == "closed"
    )
    answer = post_message(client, world, conversation["id"], "encore là ?")
    assert answer.status_code == 409
    assert "closed" in answer.json()["detail"]


def test_a_refusal_is_said_in_the_language_the_request_asks_for(client: TestClient, world: World) -> None:
    """The pages showed "La demande a échoué (409) : conversation 7 is closed" to French agents: the
    service's reasons were English only. English stays the default, for programs."""
    conversation = open_conversation(client, world)
    client.post(f"/api/v1/conversations/{conversation['id']}/close", headers=world.auth("agent"))
    path = f"/api/v1/conversations/{conversation['id']}/messages"
    body = {"author": "customer", "text": "encore là ?"}
    french = client.post(
        path, json=body, headers={**world.auth("admin"), "Accept-Language": "fr-FR,fr;q=0.9"}
    )
    assert (french.status_code, french.json()) == (
        409,
        {"detail": f"la conversation {conversation['id']} est close", "code": "E034"},
    )
    english = client.post(path, json=body, headers={**world.auth("admin"), "Accept-Language": "en-GB"})
    assert english.json()["detail"] == f"conversation {conversation['id']} is closed"
    plain = client.post(path, json=body, headers=world.auth("admin"))
    assert plain.json()["detail"] == f"conversation {conversation['id']} is closed"
    other = client.post(path, json=body, headers={**world.auth("admin"), "Accept-Language": "de, fr;q=0.5"})
    assert other.json()["detail"] == f"la conversation {conversation['id']} est close"


def test_a_body_the_validator_refuses_is_said_in_french_to_a_french_request(
    client: TestClient, world: World
) -> None:
    conversation = open_conversation(client, world)
    path = f"/api/v1/conversations/{conversation['id']}/messages"
    answer = client.post(
        path,
        json={"author": "customer", "text": "bonjour", "mood": "angry"},
        headers={**world.auth("admin"), "Accept-Language": "fr"},
    )
    assert answer.status_code == 422
    assert {"loc": ["body", "mood"], "msg": "champ inconnu", "type": "extra_forbidden"} in answer.json()[
        "detail"
    ]


def test_visibility_by_role(client: TestClient, world: World) -> None:
    mine = open_conversation(client, world, agent="agent", customer="C-1")
    colleague = open_conversation(client, world, agent="agent2", customer="C-2")
    queue = open_conversation(client, world, agent=None, customer="C-3")
    south = open_conversation(client, world, team="south", agent="south_agent", customer="C-4")

    def ids(who: str) -> set[int]:
        answer = client.get("/api/v1/conversations", headers=world.auth(who))
        assert answer.status_code == 200, answer.text
        return {c["id"] for c in answer.json()["items"]}

    assert ids("agent") == {mine["id"], queue["id"]}
    assert ids("supervisor") == {mine["id"], colleague["id"], queue["id"]}
    assert ids("south_supervisor") == {south["id"]}
    assert ids("trainer") == {mine["id"], colleague["id"], queue["id"]}
    assert ids("admin") == {mine["id"], colleague["id"], queue["id"], south["id"]}
    assert (
        client.get(f"/api/v1/conversations/{colleague['id']}", headers=world.auth("agent")).status_code == 404
    )


def test_another_tenants_ids_answer_404(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    reading = post_message(client, world, conversation["id"], ANGRY).json()
    alert_id = reading["alerts"][0]["id"]
    probes = [
        ("get", f"/api/v1/conversations/{conversation['id']}", None),
        ("get", f"/api/v1/conversations/{conversation['id']}/messages", None),
        ("get", f"/api/v1/conversations/{conversation['id']}/report", None),
        ("post", f"/api/v1/conversations/{conversation['id']}/messages", {"author": "customer", "text": "x"}),
        ("post", f"/api/v1/conversations/{conversation['id']}/close", None),
        ("post", f"/api/v1/conversations/{conversation['id']}/whispers", {"text": "x"}),
        ("post", f"/api/v1/alerts/{alert_id}/acknowledge", None),
        (
            "post",
            f"/api/v1/readings/{reading['reading']['id']}/corrections",
            {"field": "emotion", "value": "neutral"},
        ),
        ("delete", f"/api/v1/customers/{conversation['customer_id']}", None),
    ]
    for who in ("other_admin", "other_supervisor"):
        for method, path, body in probes:
            answer = client.request(method, path, json=body, headers=world.auth(who))
            assert answer.status_code in (404, 403), (who, path, answer.status_code)
            if who == "other_admin":
                assert answer.status_code == 404, (path, answer.text)
    assert client.get("/api/v1/conversations", headers=world.auth("other_admin")).json()["total"] == 0
    assert client.get("/api/v1/alerts", headers=world.auth("other_admin")).json() == []


def test_trainers_read_but_do_not_write(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    assert post_message(client, world, conversation["id"], "bonjour", who="trainer").status_code == 403


def test_search_by_emotion_motive_signal_agent_team_date(client: TestClient, world: World) -> None:
    angry = open_conversation(client, world, customer="C-1")
    calm = open_conversation(client, world, agent="agent2", customer="C-2")
    post_message(client, world, angry["id"], "Mon colis est perdu, je vais résilier !!! 😡")
    post_message(client, world, calm["id"], "Merci beaucoup, tout est parfait 🙏")

    def found(**query: str | int) -> set[int]:
        answer = client.get("/api/v1/conversations", params=query, headers=world.auth("admin"))
        assert answer.status_code == 200, answer.text
        return {c["id"] for c in answer.json()["items"]}

    assert found(emotion="anger") == {angry["id"]}
    assert found(signal="churn_threat") == {angry["id"]}
    assert found(motive="lost_or_damaged") == {angry["id"]}
    assert found(emotion="gratitude") == {calm["id"]}
    assert found(agent_id=world.users["agent2"].id) == {calm["id"]}
    assert found(team_id=world.teams["north"]) == {angry["id"], calm["id"]}
    assert found(team_id=world.teams["south"]) == set()
    assert found(since="2000-01-01T00:00:00Z") == {angry["id"], calm["id"]}
    assert found(until="2000-01-01T00:00:00Z") == set()
    assert (
        client.get(
            "/api/v1/conversations", params={"signal": "nope"}, headers=world.auth("admin")
        ).status_code
        == 422
    )


def test_whisper_reaches_the_agent_only(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    note = client.post(
        f"/api/v1/conversations/{conversation['id']}/whispers",
        json={"text": "Propose-lui le remboursement des frais de port."},
        headers=world.auth("supervisor"),
    )
    assert note.status_code == 201, note.text
    assert [w["id"] for w in client.get("/api/v1/whispers", headers=world.auth("agent")).json()] == [
        note.json()["id"]
    ]
    assert client.get("/api/v1/whispers", headers=world.auth("agent2")).json() == []
    messages = client.get(
        f"/api/v1/conversations/{conversation['id']}/messages", headers=world.auth("admin")
    ).json()
    assert messages == []
    # only supervisors of the team whisper
    for who in ("agent", "trainer", "south_supervisor"):
        answer = client.post(
            f"/api/v1/conversations/{conversation['id']}/whispers",
            json={"text": "x"},
            headers=world.auth(who),
        )
        assert answer.status_code in (403, 404), who


def test_whisper_without_an_agent_is_409(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world, agent=None)
    answer = client.post(
        f"/api/v1/conversations/{conversation['id']}/whispers",
        json={"text": "x"},
        headers=world.auth("supervisor"),
    )
    assert answer.status_code == 409


def test_corrections_are_stored_with_old_and_new_values(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    reading = post_message(client, world, conversation["id"], "Super, encore en retard 🙄").json()["reading"]
    answer = client.post(
        f"/api/v1/readings/{reading['id']}/corrections",
        json={"field": "emotion", "value": "frustration", "comment": "ironie"},
        headers=world.auth("agent"),
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["old_value"] == reading["emotion"]
    assert answer.json()["new_value"] == "frustration"
    bad = client.post(
        f"/api/v1/readings/{reading['id']}/corrections",
        json={"field": "emotion", "value": "joy"},
        headers=world.auth("agent"),
    )
    assert bad.status_code == 422
    listed = client.get("/api/v1/corrections", headers=world.auth("supervisor")).json()
    assert [c["id"] for c in listed] == [answer.json()["id"]]


def test_report_of_a_stored_conversation(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world, lang="fr")
    post_message(client, world, conversation["id"], "Mon colis n'est jamais arrivé, c'est inadmissible !")
    post_message(
        client,
        world,
        conversation["id"],
        "Je comprends votre agacement, je vous renvoie le colis aujourd'hui en express.",
        author="agent",
        who="agent",
    )
    post_message(client, world, conversation["id"], "Merci beaucoup, c'est parfait.")
    report = client.get(f"/api/v1/conversations/{conversation['id']}/report", headers=world.auth("agent"))
    assert report.status_code == 200, report.text
    assert report.json()["satisfaction"]["score"] >= 3


def test_erasing_a_customer_removes_everything_of_theirs(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    post_message(client, world, conversation["id"], ANGRY)
    assert (
        client.delete(
            f"/api/v1/customers/{conversation['customer_id']}", headers=world.auth("agent")
        ).status_code
        == 403
    )
    assert (
        client.delete(
            f"/api/v1/customers/{conversation['customer_id']}", headers=world.auth("admin")
        ).status_code
        == 204
    )
    assert (
        client.get(f"/api/v1/conversations/{conversation['id']}", headers=world.auth("admin")).status_code
        == 404
    )
    assert client.get("/api/v1/alerts", headers=world.auth("admin")).json() == []


def test_audit_log_says_who_read_what_without_text(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    post_message(client, world, conversation["id"], ANGRY)
    client.get(f"/api/v1/conversations/{conversation['id']}/messages", headers=world.auth("supervisor"))
    entries = client.get("/api/v1/audit", headers=world.auth("admin")).json()
    reads = [e for e in entries if e["action"] == "message.read"]
    assert reads
    assert reads[0]["user_id"] == world.users["supervisor"].id
    assert "résilier" not in str(entries)
    assert client.get("/api/v1/audit", headers=world.auth("supervisor")).status_code == 403


def test_logs_never_carry_message_text(
    client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    conversation = open_conversation(client, world)
    post_message(client, world, conversation["id"], "Mon secret très personnel: SECRETWORD123 !!!")
    post_message(client, world, conversation["id"], "x" * 30_000)
    assert "SECRETWORD123" not in caplog.text


def test_an_admin_lists_and_revokes_keys_and_a_revoked_key_is_refused_at_once(
    client: TestClient, world: World
) -> None:
    made = client.post("/api/v1/api-keys", json={"name": "crm"}, headers=world.auth("admin")).json()
    key = {"Authorization": f"Bearer {made['key']}"}
    assert client.get("/api/v1/conversations", headers=key).status_code == 200
    listed = client.get("/api/v1/api-keys", headers=world.auth("admin")).json()
    assert listed == [
        {"id": made["id"], "name": "crm", "created_at": listed[0]["created_at"], "revoked_at": None}
    ]
    # another organisation's admin neither sees it nor touches it; others may not
    assert client.get("/api/v1/api-keys", headers=world.auth("other_admin")).json() == []
    stranger = client.delete(f"/api/v1/api-keys/{made['id']}", headers=world.auth("other_admin"))
    assert (stranger.status_code, stranger.json()["code"]) == (404, "E033")
    assert (
        client.delete(f"/api/v1/api-keys/{made['id']}", headers=world.auth("supervisor")).status_code == 403
    )
    assert client.get("/api/v1/api-keys", headers=key).status_code == 403
    assert client.get("/api/v1/conversations", headers=key).status_code == 200
    assert client.delete(f"/api/v1/api-keys/{made['id']}", headers=world.auth("admin")).status_code == 204
    refused = client.get("/api/v1/conversations", headers={**key, "Accept-Language": "fr"})
    assert refused.status_code == 401
    assert refused.json() == {"detail": "clé d'API inconnue ou révoquée", "code": "E031"}
    assert client.delete(f"/api/v1/api-keys/{made['id']}", headers=world.auth("admin")).status_code == 204
    assert client.get("/api/v1/api-keys", headers=world.auth("admin")).json()[0]["revoked_at"] is not None
    missing = client.delete(
        "/api/v1/api-keys/999999", headers={**world.auth("admin"), "Accept-Language": "fr"}
    )
    assert missing.json() == {"detail": "clé d'API 999999 introuvable", "code": "E033"}
    audit = client.get("/api/v1/audit", headers=world.auth("admin")).json()
    assert [(a["action"], a["object_id"]) for a in audit if a["object_type"] == "api_key"] == [
        ("api_key.revoke", made["id"])
    ]


def test_a_deactivated_person_is_out_and_cannot_log_in_and_is_told_as_any_wrong_login(
    client: TestClient, world: World
) -> None:
    agent = world.users["agent"]
    patch = client.patch(f"/api/v1/users/{agent.id}", json={"active": False}, headers=world.auth("admin"))
    assert patch.status_code == 200, patch.text
    assert patch.json()["active"] is False
    assert client.get("/api/v1/me", headers=world.auth("agent")).status_code == 401
    wrong = {"organisation": "acme", "email": "agent@acme.test", "password": "not it"}
    for body in ({**wrong, "password": PASSWORD}, wrong):
        refused = client.post("/api/v1/auth/login", json=body)
        assert refused.status_code == 401
        assert refused.json() == {"detail": "wrong organisation, e-mail or password", "code": "E031"}
    users = client.get("/api/v1/users", headers=world.auth("admin")).json()
    assert [u["active"] for u in users if u["id"] == agent.id] == [False]
    back = client.patch(f"/api/v1/users/{agent.id}", json={"active": True}, headers=world.auth("admin"))
    assert back.json()["active"] is True
    again = client.post("/api/v1/auth/login", json={**wrong, "password": PASSWORD})
    assert again.status_code == 200
    audit = client.get("/api/v1/audit", headers=world.auth("admin")).json()
    assert [(a["action"], a["object_id"]) for a in audit if a["object_type"] == "user"] == [
        ("user.reactivate", agent.id),
        ("user.deactivate", agent.id),
    ]


def test_deactivation_is_an_admins_within_their_organisation(client: TestClient, world: World) -> None:
    agent = world.users["agent"].id
    stranger = client.patch(
        f"/api/v1/users/{agent}", json={"active": False}, headers=world.auth("other_admin")
    )
    assert (stranger.status_code, stranger.json()["code"]) == (404, "E033")
    assert (
        client.patch(
            f"/api/v1/users/{agent}", json={"active": False}, headers=world.auth("supervisor")
        ).status_code
        == 403
    )
    admin = world.users["admin"].id
    self_ = client.patch(
        f"/api/v1/users/{admin}",
        json={"active": False},
        headers={**world.auth("admin"), "Accept-Language": "fr"},
    )
    assert self_.status_code == 409
    assert "propre compte" in self_.json()["detail"]
    for body in ({"active": False, "role": "admin"}, {}, {"active": "nope"}):
        assert (
            client.patch(f"/api/v1/users/{agent}", json=body, headers=world.auth("admin")).status_code == 422
        )
    assert client.get("/api/v1/me", headers=world.auth("agent")).status_code == 200


def test_admin_manages_teams_users_and_keys(client: TestClient, world: World) -> None:
    team = client.post("/api/v1/teams", json={"name": "west"}, headers=world.auth("admin"))
    assert team.status_code == 201
    user = client.post(
        "/api/v1/users",
        json={
            "email": "new@acme.test",
            "name": "New",
            "role": "agent",
            "password": "long enough",
            "team_ids": [team.json()["id"]],
        },
        headers=world.auth("admin"),
    )
    assert user.status_code == 201, user.text
    assert (
        client.post("/api/v1/teams", json={"name": "x"}, headers=world.auth("supervisor")).status_code == 403
    )
    foreign_team = client.post(
        "/api/v1/users",
        json={
            "email": "n2@acme.test",
            "name": "N",
            "role": "agent",
            "password": "long enough",
            "team_ids": [world.teams["elsewhere"]],
        },
        headers=world.auth("admin"),
    )
    assert foreign_team.status_code == 422
    key = client.post("/api/v1/api-keys", json={"name": "crm"}, headers=world.auth("admin")).json()["key"]
    conversation = client.post(
        "/api/v1/conversations",
        json={"channel": "email", "team_id": world.teams["south"], "customer": {"external_id": "K-1"}},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert conversation.status_code == 201


# --- bad input -------------------------------------------------------------------------------------


def test_body_over_one_megabyte_is_413(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    answer = client.post(
        f"/api/v1/conversations/{conversation['id']}/messages",
        content=b'{"author": "customer", "text": "' + b"a" * (1024 * 1024) + b'"}',
        headers={**world.auth("admin"), "Content-Type": "application/json"},
    )
    assert answer.status_code == 413


def test_invalid_utf8_and_invalid_json_are_400_with_the_reason(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    path = f"/api/v1/conversations/{conversation['id']}/messages"
    headers = {**world.auth("admin"), "Content-Type": "application/json"}
    bad_utf8 = client.post(path, content=b'{"author": "customer", "text": "caf\xe9"}', headers=headers)
    assert bad_utf8.status_code == 400
    assert "UTF-8" in bad_utf8.json()["detail"]
    assert "byte 35" in bad_utf8.json()["detail"]
    bad_json = client.post(path, content=b'{"author": "customer",\n "text": }', headers=headers)
    assert bad_json.status_code == 400
    assert bad_json.json()["detail"] == "invalid JSON, line 2: Expecting value (col 10)"


def test_a_body_refused_before_any_route_is_said_in_french_to_a_french_request(
    client: TestClient, world: World
) -> None:
    conversation = open_conversation(client, world)
    path = f"/api/v1/conversations/{conversation['id']}/messages"
    headers = {**world.auth("admin"), "Content-Type": "application/json", "Accept-Language": "fr"}
    bad_utf8 = client.post(path, content=b'{"author": "customer", "text": "caf\xe9"}', headers=headers)
    assert bad_utf8.json()["detail"] == "texte invalide (UTF-8 attendu) à l'octet 35"
    bad_json = client.post(path, content=b'{"author": "customer",\n "text": }', headers=headers)
    assert bad_json.json()["detail"] == "JSON invalide, ligne 2 : valeur attendue (col 10)"
    huge = client.post(path, content=b'"' + b"a" * (1024 * 1024) + b'"', headers=headers)
    assert (huge.status_code, huge.json()["detail"]) == (413, "le corps de la requête dépasse 1 Mio")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"author": "customer", "text": "ok", "metadata": {"score": NaN}}', "NaN is not a JSON value"),
        (b'{"author": "customer", "text": "ok", "n": ' + b"9" * 5000 + b"}", "a number too long to read"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_json_python_reads_but_no_other_reader_does_is_400_with_the_reason(
    client: TestClient, world: World, body: bytes, reason: str
) -> None:
    # NaN used to pass into the stored conversation; the other two ended in a 500.
    conversation = open_conversation(client, world)
    path = f"/api/v1/conversations/{conversation['id']}/messages"
    answer = client.post(
        path, content=body, headers={**world.auth("admin"), "Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert reason in answer.json()["detail"]


def test_unknown_fields_and_huge_messages_are_422(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    unknown = post_message(client, world, conversation["id"], "bonjour", mood="angry")
    assert unknown.status_code == 422
    assert "mood" in str(unknown.json()["detail"])
    huge = post_message(client, world, conversation["id"], "a" * 20_001)
    assert huge.status_code == 422
    messages = client.get(f"/api/v1/conversations/{conversation['id']}/messages", headers=world.auth("admin"))
    assert messages.json() == []


def test_an_unexpected_error_is_a_bare_500_and_its_text_reaches_no_log(
    client: TestClient,
    world: World,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from ressenti.workflows import conversations

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"failed on {kwargs.get('text')}")

    monkeypatch.setattr(conversations, "ingest_message", broken)
    caplog.set_level(logging.DEBUG)
    conversation = open_conversation(client, world)
    answer = post_message(client, world, conversation["id"], "TEXTE-CONFIDENTIEL du client")
    assert answer.status_code == 500
    assert "CONFIDENTIEL" not in answer.text
    assert "RuntimeError" in caplog.text
    assert "CONFIDENTIEL" not in caplog.text
    out, err = capfd.readouterr()
    assert "CONFIDENTIEL" not in out + err


def test_report_sentences_follow_the_readers_language_quotes_do_not(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world, lang="fr")
    post_message(client, world, conversation["id"], "Mon colis n'est jamais arrivé, c'est inadmissible !")
    post_message(
        client,
        world,
        conversation["id"],
        "Je comprends votre agacement, je vous renvoie le colis aujourd'hui en express.",
        author="agent",
        who="agent",
    )
    path = f"/api/v1/conversations/{conversation['id']}/report"
    french = client.get(path, headers=world.auth("agent")).json()
    english = client.get(path, params={"lang": "en"}, headers=world.auth("agent")).json()
    assert french["arc"] != english["arc"]
    assert english["satisfaction"]["label"] in {
        "very dissatisfied",
        "dissatisfied",
        "neutral",
        "satisfied",
        "very satisfied",
    }
    assert [m["quote"] for m in english["ei_moments"]] == [m["quote"] for m in french["ei_moments"]]
    assert client.get(path, params={"lang": "de"}, headers=world.auth("agent")).status_code == 422


@pytest.mark.parametrize("team_id", [2**63, 2**31, 0, -1])
def test_an_id_in_a_list_out_of_range_is_422_not_500(client: TestClient, world: World, team_id: int) -> None:
    """``team_ids: [9223372036854775808]`` reached the database and overflowed its integer (500): the
    items of an id list are bounded like every other id."""
    answer = client.post(
        "/api/v1/users",
        json={
            "email": "big@acme.test",
            "name": "Big",
            "role": "agent",
            "password": "long enough",
            "team_ids": [team_id],
        },
        headers=world.auth("admin"),
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["body", "team_ids", 0]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/teams", {"name": "   "}),
        (
            "/api/v1/users",
            {"email": "b@acme.test", "name": " \t ", "role": "agent", "password": "long enough"},
        ),
        ("/api/v1/api-keys", {"name": "\u00a0 "}),
    ],
)
def test_a_blank_name_is_422_in_both_languages(
    client: TestClient, world: World, path: str, body: dict[str, object]
) -> None:
    """A team named "   " was created (201): a name of spaces is no name, refused like a blank message."""
    english = client.post(path, json=body, headers=world.auth("admin"))
    assert (english.status_code, english.json()) == (
        422,
        {"detail": "name must not be blank", "code": "E035"},
    )
    french = client.post(path, json=body, headers={**world.auth("admin"), "Accept-Language": "fr"})
    assert french.json()["detail"] == "name ne doit pas être vide"


def test_a_name_is_stored_without_the_spaces_around_it(client: TestClient, world: World) -> None:
    """ " north " is the team north, not a second team that looks the same in every list."""
    answer = client.post("/api/v1/teams", json={"name": "  west "}, headers=world.auth("admin"))
    assert answer.json()["name"] == "west"
    again = client.post("/api/v1/teams", json={"name": "west  "}, headers=world.auth("admin"))
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("who", "team", "agent"),
    [("admin", "south", "agent"), ("supervisor", "north", "south_agent"), ("integration", "south", "agent")],
)
def test_a_conversation_is_not_assigned_to_an_agent_outside_its_team(
    client: TestClient, world: World, who: str, team: str, agent: str
) -> None:
    """The agent of another team was assigned (201): the conversation sat in a console its team's board
    and supervisors could not reach. Refused for every caller, people and integrations alike."""
    if who == "integration":
        key = client.post("/api/v1/api-keys", json={"name": "crm"}, headers=world.auth("admin")).json()["key"]
        headers = {"Authorization": f"Bearer {key}"}
    else:
        headers = world.auth(who)
    body = {
        "channel": "chat",
        "team_id": world.teams[team],
        "agent_id": world.users[agent].id,
        "customer": {"external_id": "C-9"},
    }
    answer = client.post("/api/v1/conversations", json=body, headers=headers)
    expected = f"agent {world.users[agent].id} is not a member of team {world.teams[team]}"
    assert (answer.status_code, answer.json()) == (422, {"detail": expected, "code": "E035"})
    french = client.post("/api/v1/conversations", json=body, headers={**headers, "Accept-Language": "fr"})
    assert french.json()["detail"].startswith(f"le conseiller {world.users[agent].id} n'est pas membre")
    assert client.get("/api/v1/conversations", headers=world.auth("admin")).json()["total"] == 0


def test_a_route_or_method_that_does_not_exist_is_said_in_the_callers_language(client: TestClient) -> None:
    """Starlette answered "Not Found" and "Method Not Allowed" to French requests too."""
    french = {"Accept-Language": "fr"}
    assert client.get("/api/v1/nope", headers=french).json() == {"detail": "introuvable"}
    assert client.get("/api/v1/nope").json() == {"detail": "Not Found"}
    refused = client.put("/api/v1/conversations/1", headers=french)
    assert refused.status_code == 405
    assert refused.json() == {"detail": "méthode non permise pour cette adresse"}
    assert refused.headers["allow"]


def test_sent_at_needs_its_time_zone_and_may_not_be_far_ahead(client: TestClient, world: World) -> None:
    """A naive sent_at was stored and came back without a zone; one dated 9999 pinned its conversation
    on top of "newest activity first"."""
    conversation = open_conversation(client, world)
    naive = post_message(client, world, conversation["id"], "Bonjour", sent_at="2026-01-01T10:00:00")
    assert naive.status_code == 422
    assert naive.json()["detail"][0]["type"] == "timezone_aware"
    future = post_message(client, world, conversation["id"], "Bonjour", sent_at="9999-12-31T23:59:59Z")
    assert future.status_code == 422
    assert "sent_at is in the future" in future.json()["detail"]
    stored = client.get(f"/api/v1/conversations/{conversation['id']}/messages", headers=world.auth("admin"))
    assert stored.json() == []


def test_a_message_sent_earlier_does_not_move_the_conversations_activity_back(
    client: TestClient, world: World
) -> None:
    conversation = open_conversation(client, world)
    late = post_message(client, world, conversation["id"], "Bonjour", sent_at="2026-03-02T10:00:00Z")
    early = post_message(client, world, conversation["id"], "Re-bonjour", sent_at="2026-03-01T10:00:00Z")
    assert late.status_code == early.status_code == 201
    found = client.get(f"/api/v1/conversations/{conversation['id']}", headers=world.auth("admin")).json()
    assert found["last_message_at"] == "2026-03-02T10:00:00Z"


def test_a_role_refusal_names_the_roles_as_the_pages_do(client: TestClient, world: World) -> None:
    """« il faut le rôle admin ; vous êtes supervisor » mixed our codes into French."""
    french = client.get("/api/v1/audit", headers={**world.auth("supervisor"), "Accept-Language": "fr"})
    assert french.status_code == 403
    assert french.json()["detail"] == "il faut le rôle administrateur ; vous êtes superviseur"
    english = client.get("/api/v1/audit", headers=world.auth("supervisor"))
    assert english.json()["detail"] == "this needs the role administrator; you are supervisor"


def test_an_alert_or_reading_out_of_sight_is_not_found_without_naming_its_conversation(
    client: TestClient, world: World
) -> None:
    """Acknowledging an alert of another team answered "conversation 24 not found": the id of a
    conversation the supervisor may not see."""
    conversation = open_conversation(client, world)  # team north
    reading = post_message(client, world, conversation["id"], ANGRY).json()
    alert_id, reading_id = reading["alerts"][0]["id"], reading["reading"]["id"]
    south = world.auth("south_supervisor")
    acked = client.post(f"/api/v1/alerts/{alert_id}/acknowledge", headers=south)
    assert (acked.status_code, acked.json()["detail"]) == (404, f"alert {alert_id} not found")
    corrected = client.post(
        f"/api/v1/readings/{reading_id}/corrections",
        json={"field": "emotion", "value": "neutral"},
        headers=south,
    )
    assert (corrected.status_code, corrected.json()["detail"]) == (404, f"reading {reading_id} not found")


def test_a_phone_or_email_typed_into_a_customers_name_is_redacted(
    client: TestClient, world: World, session: Session
) -> None:
    """« Jean Dupont 06 12 34 56 78 » was stored verbatim: the name is kept, the phone is not."""
    body = {
        "channel": "chat",
        "team_id": world.teams["north"],
        "customer": {"external_id": "C-77", "name": "Jean Dupont 06 12 34 56 78 jean@exemple.fr"},
    }
    assert client.post("/api/v1/conversations", json=body, headers=world.auth("admin")).status_code == 201
    stored = session.scalars(select(Customer).where(Customer.external_id == "C-77")).one()
    assert stored.name == "Jean Dupont [PHONE] [EMAIL]"


def test_what_a_role_may_not_do_is_403_and_every_422_carries_its_code(
    client: TestClient, world: World
) -> None:
    """A trainer opening a conversation got 422 and an integration asking for a live ticket 401: both
    are authenticated callers their role refuses. The validator's 422 had no `code`, unlike ours."""
    body = {"channel": "chat", "team_id": world.teams["north"], "customer": {"external_id": "C-5"}}
    trainer = client.post("/api/v1/conversations", json=body, headers=world.auth("trainer"))
    assert (trainer.status_code, trainer.json()["code"]) == (403, "E032")
    key = client.post("/api/v1/api-keys", json={"name": "crm"}, headers=world.auth("admin")).json()["key"]
    ticket = client.post("/api/v1/live/tickets", headers={"Authorization": f"Bearer {key}"})
    assert (ticket.status_code, ticket.json()["code"]) == (403, "E032")
    invalid = client.post("/api/v1/conversations", json={**body, "mood": "x"}, headers=world.auth("admin"))
    assert (invalid.status_code, invalid.json()["code"]) == (422, "E035")
