"""Live events across two API processes through the real Redis, on the real PostgreSQL, with a real
WebSocket client: a message ingested on one server reaches sockets held by the other."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests.web.live_server import Server, at_scale, run_cli, start_server


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    folder = tmp_path_factory.mktemp("two")
    servers: list[Server] = []
    with at_scale(folder) as (env, _):
        try:
            seeded = run_cli("demo", env=env)
            assert seeded.returncode == 0, seeded.stderr
            servers = [start_server(env, folder / f"serve{i}.log") for i in (1, 2)]
            yield servers[0], servers[1]
        finally:
            for server in servers:
                server.stop()


def login(server: Server, email: str) -> dict[str, str]:
    answer = httpx.post(
        server.url + "/api/v1/auth/login",
        json={"organisation": server.org, "email": email, "password": server.password},
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


@contextmanager
def socket(server: Server, auth: dict[str, str]) -> Iterator[ClientConnection]:
    ticket = httpx.post(server.url + "/api/v1/live/tickets", headers=auth).json()["ticket"]
    ws_url = server.url.replace("http://", "ws://") + f"/api/v1/live?ticket={ticket}"
    with connect(ws_url, origin=server.url, open_timeout=10) as connection:  # type: ignore[arg-type]
        assert json.loads(connection.recv(timeout=5))["type"] == "hello"
        yield connection


def request(connection: ClientConnection, **what: Any) -> dict[str, Any]:
    connection.send(json.dumps(what))
    answer: dict[str, Any] = json.loads(connection.recv(timeout=5))
    return answer


def test_events_cross_processes_through_redis(two_servers: tuple[Server, Server]) -> None:
    first, second = two_servers
    agent = login(first, "camille@maison-lumen.fr")
    supervisor = login(second, "sophie@maison-lumen.fr")
    me = httpx.get(first.url + "/api/v1/me", headers=agent).json()
    team_id = me["teams"][0]["id"]
    opened = httpx.post(
        first.url + "/api/v1/conversations",
        json={
            "channel": "chat",
            "team_id": team_id,
            "agent_id": me["id"],
            "customer": {"external_id": "X-1"},
        },
        headers=agent,
    ).json()
    # the agent listens on the other process than the supervisor
    with socket(second, agent) as agent_socket, socket(first, supervisor) as supervisor_socket:
        assert request(agent_socket, action="subscribe", conversation=opened["id"])["type"] == "subscribed"
        assert request(supervisor_socket, action="subscribe", team=team_id)["type"] == "subscribed"
        for server in (first, second):
            stored = httpx.post(
                server.url + f"/api/v1/conversations/{opened['id']}/messages",
                json={"author": "customer", "text": "Toujours rien reçu, c'est inadmissible !!!"},
                headers=agent,
            ).json()
            message_id = stored["message"]["id"]
            event = json.loads(agent_socket.recv(timeout=5))
            assert event["type"] == "message"
            assert event["message"]["id"] == message_id
            update = json.loads(supervisor_socket.recv(timeout=5))
            assert update["type"] == "conversation"
            assert update["message_id"] == message_id
            for _ in stored["alerts"]:  # alerts follow, on both sides
                assert json.loads(agent_socket.recv(timeout=5))["type"] == "alert"
                assert json.loads(supervisor_socket.recv(timeout=5))["type"] == "alert"
        note = httpx.post(
            second.url + f"/api/v1/conversations/{opened['id']}/whispers",
            json={"text": "Pense à reformuler."},
            headers=supervisor,
        )
        assert note.status_code == 201, note.text
        assert json.loads(agent_socket.recv(timeout=5))["type"] == "whisper"


def test_logging_out_on_one_process_closes_the_logins_socket_on_the_other(
    two_servers: tuple[Server, Server],
) -> None:
    """The end of a login travels like any event: through Redis to the process holding its socket. A
    ticket asked for before the logout, on either process, opens nothing after it."""
    first, second = two_servers
    agent = login(first, "camille@maison-lumen.fr")
    spare = httpx.post(second.url + "/api/v1/live/tickets", headers=agent).json()["ticket"]
    with socket(second, agent) as held:
        assert httpx.delete(first.url + "/api/v1/auth/session", headers=agent).status_code == 204
        assert json.loads(held.recv(timeout=5)) == {"type": "ended", "reason": "logout"}
        with pytest.raises(ConnectionClosed) as closed:
            held.recv(timeout=5)
        assert closed.value.rcvd is not None
        assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4001, "session ended")
    ws_url = second.url.replace("http://", "ws://") + f"/api/v1/live?ticket={spare}"
    with pytest.raises(InvalidStatus):
        connect(ws_url, origin=second.url, open_timeout=10)  # type: ignore[arg-type]


def test_served_logs_hold_no_message_text(two_servers: tuple[Server, Server]) -> None:
    first, _ = two_servers
    for server in two_servers:
        log = Path(server.log).read_text(errors="replace")
        assert "inadmissible" not in log
    assert first.process.poll() is None


def test_one_webhook_delivered_concurrently_to_both_processes_is_stored_once(
    two_servers: tuple[Server, Server],
) -> None:
    """Five simultaneous deliveries of one event, spread over two processes on PostgreSQL: the unique key
    (organisation, source, event_id) lets exactly one through; the others answer "duplicate"."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    from ressenti.workflows.webhooks import signature

    first, second = two_servers
    admin = login(first, "admin@maison-lumen.fr")
    secret = httpx.post(first.url + "/api/v1/webhook-sources", json={"source": "crm"}, headers=admin).json()[
        "secret"
    ]
    team_id = httpx.get(first.url + "/api/v1/teams", headers=admin).json()[0]["id"]
    body = json.dumps(
        {
            "event_id": "evt-race",
            "type": "message",
            "conversation": {
                "external_id": "crm-race",
                "channel": "email",
                "team_id": team_id,
                "customer": {"external_id": "C-race"},
            },
            "message": {"author": "customer", "text": "Où est ma commande ? Ça fait trois semaines."},
        }
    ).encode()
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Ressenti-Organisation": first.org,
        "X-Ressenti-Timestamp": stamp,
        "X-Ressenti-Signature": signature(secret, stamp, body),
    }

    def deliver(server: Server) -> tuple[int, str]:
        answer = httpx.post(server.url + "/api/v1/webhooks/crm", content=body, headers=headers, timeout=30)
        return answer.status_code, answer.json().get("status", answer.text)

    with ThreadPoolExecutor(5) as pool:
        results = list(pool.map(deliver, [first, second, first, second, first]))
    assert all(code == 200 for code, _ in results), results
    assert sorted(status for _, status in results) == ["duplicate"] * 4 + ["processed"]
    found = httpx.get(first.url + "/api/v1/conversations", headers=admin).json()["items"]
    race = [c for c in found if c["external_id"] == "crm-race"]
    assert len(race) == 1
    assert race[0]["message_count"] == 1
