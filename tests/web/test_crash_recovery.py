"""A server SIGKILLed in the middle of a load and restarted: nothing acknowledged is lost, nothing is
doubled, and every agent gets every message of its conversation back (live, or through the REST API
after reconnecting). Two real ``ressenti serve`` processes on the real PostgreSQL and Redis, the real
WebSocket client, and the client of ``bench/bench_api.py`` (``make bench-api --kill`` at full size)."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from bench.bench_api import (
    BenchOrganisation,
    Chaos,
    LoadConfig,
    LoadResult,
    StoredMessage,
    run_load,
    seed_organisation,
    server_problems,
    stored_messages,
)

from tests.web.live_server import Server, at_scale, start_server


@dataclass
class Crashed:
    result: LoadResult
    stored: list[StoredMessage]
    organisation: BenchOrganisation
    killed_pid: int
    restarted_pid: int
    logs: list[Path]
    database_url: str
    urls: list[str]


@pytest.fixture(scope="module")
def crashed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crashed]:
    """10 conversations (2 teams), ~30 messages/s for 8 s over two servers; the second server is
    SIGKILLed 3.5 s in and restarted on its port 1 s later. The load retries every request that got no
    answer with the same external_id, on the other server, as a real integration would."""
    folder = tmp_path_factory.mktemp("crash")
    servers: list[Server] = []
    with at_scale(folder) as (env, url):
        try:
            organisation = seed_organisation(url, teams=2, agents=10)
            servers = [start_server(env, folder / f"serve{i}.log") for i in (0, 1)]
            port = int(servers[1].url.rsplit(":", 1)[1])
            killed_pid = servers[1].process.pid

            def kill() -> None:
                servers[1].stop(signal.SIGKILL)

            def restart() -> None:
                servers[1] = start_server(env, folder / "serve1-restarted.log", port=port)

            config = LoadConfig(duration=8.0, rate=30.0, conversations=10, drain_s=5.0, progress=False)
            chaos = Chaos(at=3.5, kill=kill, restart=restart, down_for=1.0)
            result = asyncio.run(run_load([s.url for s in servers], organisation, config, chaos))
            stored = stored_messages(url, result.conversation_ids)
            logs = sorted(folder.glob("serve*.log"))
            urls = [s.url for s in servers]
            yield Crashed(result, stored, organisation, killed_pid, servers[1].process.pid, logs, url, urls)
        finally:
            for server in servers:
                server.stop()


def test_the_server_was_really_killed_mid_load(crashed: Crashed) -> None:
    """The scenario happened: the kill fell inside the load, a new process took the port, requests went
    unanswered and were retried, and sockets had to reconnect."""
    result = crashed.result
    assert crashed.restarted_pid != crashed.killed_pid
    assert 0 < result.chaos["killed_at_s"] < result.send_window_s
    assert result.chaos["back_at_s"] > result.chaos["killed_at_s"]
    assert result.no_answer > 0
    assert result.retried
    assert result.reconnects > 0
    assert len(result.sent) == 240


def test_every_acknowledged_message_is_stored_exactly_once(crashed: Crashed) -> None:
    """Every message the client sent was acknowledged in the end (201, or 200 for a retry of one already
    stored), and each acknowledged external_id has exactly one row, with the id the server answered."""
    result = crashed.result
    assert not result.errors
    assert set(result.acked) == set(result.sent)
    rows = Counter(row.external_id for row in crashed.stored)
    assert {e for e in result.acked if rows[e] != 1} == set()
    row_id = {row.external_id: row.id for row in crashed.stored}
    assert all(row_id[e] == message_id for e, message_id in result.acked.items())


def test_every_retried_message_is_stored_exactly_once(crashed: Crashed) -> None:
    """A request that got no answer may or may not have been committed before the kill; sent again with
    the same external_id (to the other server), it is stored once, never twice."""
    result = crashed.result
    rows = Counter(row.external_id for row in crashed.stored)
    assert result.retried
    assert {e for e in result.retried if rows[e] != 1} == set()


def test_no_row_without_a_request_behind_it(crashed: Crashed) -> None:
    """Nothing is stored that the client did not send: no row doubled, none without an external_id of
    the load, and the conversations' seqs run 1..n without a gap."""
    result = crashed.result
    rows = Counter(row.external_id for row in crashed.stored)
    assert len(crashed.stored) == len(result.sent)
    assert max(rows.values()) == 1
    assert set(rows) <= set(result.acked) | result.retried
    by_conversation: dict[int, list[int]] = {}
    for row in crashed.stored:
        by_conversation.setdefault(row.conversation_id, []).append(row.seq)
    for seqs in by_conversation.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))


def test_after_catch_up_each_agent_has_every_message_of_its_conversation(crashed: Crashed) -> None:
    """Each agent's socket (and each supervisor's) saw every message of its conversations, live or read
    back through GET /conversations/{id}/messages?after_seq= after reconnecting; no event twice."""
    result = crashed.result
    assert result.agent_missing == {}
    assert result.supervisor_missing == {}
    seen = set(result.agent_live) | result.agent_recovered
    for row in crashed.stored:
        assert row.external_id in seen
    supervisors_saw = set(result.supervisor_live) | result.supervisor_recovered
    assert {row.id for row in crashed.stored} <= supervisors_saw
    assert result.doubled_events == 0


def test_the_servers_logs_hold_no_unexpected_error(crashed: Crashed) -> None:
    """The surviving and the restarted servers took the retries and the reconnections without an
    unexpected error or a traceback (the killed one's log simply stops)."""
    assert server_problems(crashed.logs) == []


def test_a_retry_of_a_stored_message_is_answered_duplicate(crashed: Crashed) -> None:
    """The lost answer, made certain: messages the load stored, sent again with their external_id to
    either server, answer 200 ``duplicate: true`` with the stored message's id, and add no row."""
    result = crashed.result
    auth = {"Authorization": f"Bearer {crashed.organisation.api_key}"}
    replayed = sorted(result.acked)[:10]
    for number, external_id in enumerate(replayed):
        conversation_id = result.conversation_of[external_id]
        answer = httpx.post(
            crashed.urls[number % 2] + f"/api/v1/conversations/{conversation_id}/messages",
            json={"author": "customer", "text": "sent again", "external_id": external_id},
            headers=auth,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["duplicate"] is True
        assert answer.json()["message"]["id"] == result.acked[external_id]
    assert len(stored_messages(crashed.database_url, result.conversation_ids)) == len(crashed.stored)


def test_a_retry_racing_its_original_on_the_other_server_is_stored_once(crashed: Crashed) -> None:
    """An integration that timed out and retried while its first request was still being processed: the
    same message at the same moment on both servers is stored once (one 201, one 200 with that id)."""
    organisation = crashed.organisation
    auth = {"Authorization": f"Bearer {organisation.api_key}"}

    async def race() -> tuple[int, list[tuple[httpx.Response, httpx.Response]]]:
        async with httpx.AsyncClient(timeout=10) as client:
            opening = {
                "channel": "chat",
                "team_id": organisation.team_ids[0],
                "customer": {"external_id": "race"},
            }
            opened = await client.post(crashed.urls[0] + "/api/v1/conversations", json=opening, headers=auth)
            conversation_id = opened.json()["id"]
            pairs = []
            for number in range(10):
                body = {"author": "customer", "text": "Toujours rien reçu !", "external_id": f"race-{number}"}
                path = f"/api/v1/conversations/{conversation_id}/messages"
                first, second = await asyncio.gather(
                    *(client.post(url + path, json=body, headers=auth) for url in crashed.urls)
                )
                pairs.append((first, second))
            return conversation_id, pairs

    conversation_id, pairs = asyncio.run(race())
    for first, second in pairs:
        assert sorted([first.status_code, second.status_code]) == [200, 201]
        assert first.json()["message"]["id"] == second.json()["message"]["id"]
    rows = stored_messages(crashed.database_url, [conversation_id])
    assert sorted(row.external_id or "" for row in rows) == sorted(f"race-{n}" for n in range(10))
