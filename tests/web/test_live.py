"""The live socket: tickets, origin, subscriptions one by one, events after commit, private whispers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from ressenti.db.models import LiveTicket, SessionToken, utcnow
from ressenti.workflows.accounts import digest
from tests.service_fixtures import World
from tests.web.api_helpers import open_conversation, post_message

ORIGIN = {"origin": "http://testserver"}


def ticket(client: TestClient, world: World, who: str) -> str:
    answer = client.post("/api/v1/live/tickets", headers=world.auth(who))
    assert answer.status_code == 201
    value: str = answer.json()["ticket"]
    return value


def connect(client: TestClient, world: World, who: str) -> Any:
    return client.websocket_connect(f"/api/v1/live?ticket={ticket(client, world, who)}", headers=ORIGIN)


def subscribe(socket: WebSocketTestSession, **what: int) -> dict[str, Any]:
    socket.send_json({"action": "subscribe", **what})
    answer: dict[str, Any] = socket.receive_json()
    return answer


def test_a_refusal_on_the_socket_says_why_in_the_language_asked(client: TestClient, world: World) -> None:
    """An integrator read only codes; a person reading the frames now reads why, as the REST refusals."""
    french = {**ORIGIN, "Accept-Language": "fr-FR,fr;q=0.9"}
    url = f"/api/v1/live?ticket={ticket(client, world, 'agent')}"
    with client.websocket_connect(url, headers=french) as socket:
        socket.receive_json()
        socket.send_text("not json")
        assert socket.receive_json()["detail"].startswith("trame illisible : un objet JSON est attendu")
        socket.send_json({"action": "dance"})
        assert socket.receive_json() == {
            "type": "error",
            "code": "unknown_action",
            "detail": "action inconnue : subscribe, unsubscribe ou ping",
        }
        refused = subscribe(socket, conversation=10**12)
        assert (refused["code"], refused["request"]) == (
            "forbidden",
            {"action": "subscribe", "conversation": 10**12},
        )
        assert (
            refused["detail"]
            == "cette conversation ou cette équipe n'existe pas, ou vous ne pouvez pas la suivre"
        )
    with connect(client, world, "agent") as socket:  # no Accept-Language: English, as programs expect
        socket.receive_json()
        assert subscribe(socket, team=world.teams["north"])["detail"] == (
            "no such conversation or team, or you may not follow it"
        )


def test_a_ticket_opens_one_socket_once(client: TestClient, world: World) -> None:
    value = ticket(client, world, "agent")
    with client.websocket_connect(f"/api/v1/live?ticket={value}", headers=ORIGIN) as socket:
        assert socket.receive_json()["type"] == "hello"
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect(f"/api/v1/live?ticket={value}", headers=ORIGIN),
    ):
        pass


def test_expired_ticket_and_foreign_origin_are_refused(
    client: TestClient, world: World, session: Session
) -> None:
    value = ticket(client, world, "agent")
    row = session.get(LiveTicket, digest(value))
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect(f"/api/v1/live?ticket={value}", headers=ORIGIN),
    ):
        pass
    fresh = ticket(client, world, "agent")
    for headers in ({"origin": "https://evil.example"}, {}):
        with (
            pytest.raises(WebSocketDisconnect),
            client.websocket_connect(f"/api/v1/live?ticket={fresh}", headers=headers),
        ):
            pass
    # refused before use: the ticket still works from the right origin
    with client.websocket_connect(f"/api/v1/live?ticket={fresh}", headers=ORIGIN) as socket:
        assert socket.receive_json()["type"] == "hello"


def test_subscriptions_are_authorised_one_by_one(client: TestClient, world: World) -> None:
    mine = open_conversation(client, world, agent="agent", customer="C-1")
    other = open_conversation(client, world, agent="agent2", customer="C-2")
    with connect(client, world, "agent") as socket:
        socket.receive_json()
        assert subscribe(socket, conversation=mine["id"]) == {
            "type": "subscribed",
            "channel": f"conversation:{mine['id']}",
        }
        assert subscribe(socket, conversation=other["id"])["code"] == "forbidden"
        assert subscribe(socket, team=world.teams["north"])["code"] == "forbidden"
        assert subscribe(socket, conversation=10**12)["code"] == "forbidden"
        socket.send_text("not json")
        assert socket.receive_json()["code"] == "invalid_json"
        # Python reads these three or fails otherwise than on bad JSON: they closed the socket
        for text in ('{"action": "ping", "n": ' + "9" * 5000 + "}", "[" * 100_000, '{"n": NaN}'):
            socket.send_text(text)
            assert socket.receive_json()["code"] == "invalid_json"
        assert subscribe(socket, conversation=mine["id"])["type"] == "subscribed"  # still open
    with connect(client, world, "supervisor") as socket:
        socket.receive_json()
        assert subscribe(socket, team=world.teams["north"])["type"] == "subscribed"
        assert subscribe(socket, team=world.teams["south"])["code"] == "forbidden"
    with connect(client, world, "other_supervisor") as socket:
        socket.receive_json()
        assert subscribe(socket, conversation=mine["id"])["code"] == "forbidden"


def test_a_message_reaches_the_agent_and_the_supervisor_after_commit(
    client: TestClient, world: World
) -> None:
    conversation = open_conversation(client, world)
    with connect(client, world, "agent") as agent, connect(client, world, "supervisor") as supervisor:
        agent.receive_json()
        supervisor.receive_json()
        subscribe(agent, conversation=conversation["id"])
        subscribe(supervisor, team=world.teams["north"])
        stored = post_message(client, world, conversation["id"], "Je vais résilier !!! 😡").json()
        event = agent.receive_json()
        assert event["type"] == "message"
        assert event["message"]["id"] == stored["message"]["id"]
        assert event["reading"]["emotion"] == stored["reading"]["emotion"]
        update = supervisor.receive_json()
        assert update["type"] == "conversation"
        assert update["message_id"] == stored["message"]["id"]
        assert update["temperature"]["emotion"] == stored["reading"]["emotion"]
        kinds = {agent.receive_json()["alert"]["kind"] for _ in stored["alerts"]}
        assert kinds == {a["kind"] for a in stored["alerts"]}
        assert {supervisor.receive_json()["alert"]["kind"] for _ in stored["alerts"]} == kinds


def test_whisper_goes_to_the_agent_only_never_to_the_conversation_channel(
    client: TestClient, world: World
) -> None:
    conversation = open_conversation(client, world)
    with (
        connect(client, world, "agent") as agent,
        connect(client, world, "agent2") as colleague,
        connect(client, world, "supervisor") as supervisor,
    ):
        for socket in (agent, colleague, supervisor):
            socket.receive_json()
        subscribe(supervisor, conversation=conversation["id"])
        subscribe(supervisor, team=world.teams["north"])
        note = client.post(
            f"/api/v1/conversations/{conversation['id']}/whispers",
            json={"text": "Reformule son besoin avant de proposer."},
            headers=world.auth("supervisor"),
        ).json()
        received = agent.receive_json()
        assert received == {"type": "whisper", "whisper": note}
        # the next thing the others receive is the pong, not the whisper
        for socket in (colleague, supervisor):
            socket.send_json({"action": "ping"})
            assert socket.receive_json() == {"type": "pong"}


def test_a_failed_message_broadcasts_nothing(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    with connect(client, world, "agent") as agent:
        agent.receive_json()
        subscribe(agent, conversation=conversation["id"])
        assert post_message(client, world, conversation["id"], "x" * 20_001).status_code == 422
        client.post(f"/api/v1/conversations/{conversation['id']}/close", headers=world.auth("agent"))
        assert agent.receive_json()["type"] == "closed"


def test_opening_and_acknowledging_are_heard_live(client: TestClient, world: World) -> None:
    with connect(client, world, "agent") as agent, connect(client, world, "supervisor") as supervisor:
        agent.receive_json()
        supervisor.receive_json()
        subscribe(supervisor, team=world.teams["north"])
        conversation = open_conversation(client, world)
        assigned = agent.receive_json()  # on the agent's own channel, without subscribing
        assert assigned["type"] == "assigned"
        assert assigned["conversation"]["id"] == conversation["id"]
        assert assigned["conversation"]["agent_name"] == "Agent"
        row = supervisor.receive_json()
        assert row["type"] == "conversation"
        assert row["conversation_id"] == conversation["id"]
        assert row["message_id"] is None
        stored = post_message(client, world, conversation["id"], "Je vais résilier.").json()
        supervisor.receive_json()  # the row's update
        for _ in stored["alerts"]:
            assert supervisor.receive_json()["alert"]["status"] == "open"
        alert_id = stored["alerts"][0]["id"]
        client.post(f"/api/v1/alerts/{alert_id}/acknowledge", headers=world.auth("agent"))
        heard = supervisor.receive_json()
        assert heard["type"] == "alert"
        assert heard["alert"]["id"] == alert_id
        assert heard["alert"]["status"] == "acknowledged"


def test_no_whisper_into_a_closed_conversation(client: TestClient, world: World) -> None:
    conversation = open_conversation(client, world)
    client.post(f"/api/v1/conversations/{conversation['id']}/close", headers=world.auth("agent"))
    answer = client.post(
        f"/api/v1/conversations/{conversation['id']}/whispers",
        json={"text": "x"},
        headers=world.auth("supervisor"),
    )
    assert answer.status_code == 409


def login(client: TestClient, email: str) -> dict[str, str]:
    from tests.service_fixtures import PASSWORD

    answer = client.post(
        "/api/v1/auth/login", json={"organisation": "acme", "email": email, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def live_ticket(client: TestClient, auth: dict[str, str]) -> str:
    answer = client.post("/api/v1/live/tickets", headers=auth)
    assert answer.status_code == 201, answer.text
    value: str = answer.json()["ticket"]
    return value


def test_logging_out_closes_that_logins_sockets_and_kills_its_unused_tickets(
    client: TestClient, world: World
) -> None:
    """After DELETE /auth/session the socket hears `ended`, then closes (4001); no message, alert or
    whisper reaches it; a ticket asked for before the logout opens nothing. The same person's other
    login keeps its socket."""
    conversation = open_conversation(client, world)
    auth = login(client, "agent@acme.test")
    spare = live_ticket(client, auth)
    with (
        client.websocket_connect(
            f"/api/v1/live?ticket={live_ticket(client, auth)}", headers=ORIGIN
        ) as ending,
        connect(client, world, "agent") as staying,
    ):
        for socket in (ending, staying):
            socket.receive_json()
            assert subscribe(socket, conversation=conversation["id"])["type"] == "subscribed"
        assert client.delete("/api/v1/auth/session", headers=auth).status_code == 204
        stored = post_message(client, world, conversation["id"], "Je vais résilier !!! 😡").json()
        assert stored["alerts"]
        client.post(
            f"/api/v1/conversations/{conversation['id']}/whispers",
            json={"text": "Reformule."},
            headers=world.auth("supervisor"),
        )
        # the next frame is the end, not the message, its alerts or the whisper
        assert ending.receive_json() == {"type": "ended", "reason": "logout"}
        with pytest.raises(WebSocketDisconnect) as closed:
            ending.receive_json()
        assert closed.value.code == 4001
        assert closed.value.reason == "session ended"
        assert staying.receive_json()["type"] == "message"  # the other login still hears everything
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect(f"/api/v1/live?ticket={spare}", headers=ORIGIN),
    ):
        pass
    assert client.post("/api/v1/live/tickets", headers=auth).status_code == 401


def test_deactivating_a_person_closes_every_socket_of_theirs(client: TestClient, world: World) -> None:
    with connect(client, world, "agent") as first, connect(client, world, "agent") as second:
        for socket in (first, second):
            socket.receive_json()
        answer = client.patch(
            f"/api/v1/users/{world.users['agent'].id}", json={"active": False}, headers=world.auth("admin")
        )
        assert answer.status_code == 200
        for socket in (first, second):
            assert socket.receive_json() == {"type": "ended", "reason": "deactivated"}
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_json()
            assert closed.value.code == 4001


def test_a_login_that_runs_out_ends_its_sockets_at_its_expiry(
    client: TestClient, world: World, session: Session
) -> None:
    """A login that expired by itself (12 h) left its sockets open: only a logout closed them."""
    auth = login(client, "agent@acme.test")
    stored = session.get(SessionToken, digest(auth["Authorization"].removeprefix("Bearer ")))
    assert stored is not None
    stored.expires_at = utcnow() + timedelta(seconds=1.5)
    session.flush()
    with client.websocket_connect(
        f"/api/v1/live?ticket={live_ticket(client, auth)}", headers=ORIGIN
    ) as socket:
        assert socket.receive_json()["type"] == "hello"
        assert socket.receive_json() == {"type": "ended", "reason": "expired"}
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_json()
        assert (closed.value.code, closed.value.reason) == (4001, "session ended")
