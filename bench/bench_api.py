"""`make bench-api`: live conversations under load on PostgreSQL + Redis, two API processes.

The issue's floor: 200 concurrent live conversations at 100 customer messages/s sustained for 60 s,
p99 from ingest to the agent's and the supervisor's socket ≤ 150 ms, nothing lost (sent = stored =
delivered), no error. With ``--kill``: one of the two servers is SIGKILLed mid-load and restarted on
its port; every acknowledged message must be stored exactly once, and after catch-up through the REST
API (``GET /conversations/{id}/messages?after_seq=``) every socket's owner has every message.

Set-up: a fresh PostgreSQL database (dropped at the end), ``ressenti db upgrade``, an organisation
seeded through ``ressenti.workflows.accounts`` (10 teams, one supervisor each, one agent per
conversation by default, session tokens written directly, an API key for the integration), two
``ressenti serve`` processes sharing Redis under a namespace of their own. Sockets are spread over
both servers; the integration's POSTs alternate between them, so most events cross processes.

Options: ``--duration`` (60 s; 30 s with ``--kill``), ``--rate`` (100/s), ``--conversations`` (200),
``--per-agent`` (conversations per agent socket, 1), ``--kill``, ``--json FILE`` (the figures), and
``--breakdown`` (servers with stage timers: commit, publish, delivery...). A progress line every 5 s
on stderr, with the cores used by the servers, PostgreSQL, Redis, this generator and everything else
(the machine may be shared). Exit 1 when the floor fails; servers stopped and database dropped even on
Ctrl-C or failure.

The load functions take their parameters (``seed_organisation``, ``run_load``, ``stored_messages``,
``summarise``) so that ``tests/web/test_crash_recovery.py`` runs the same client on a small load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import bindparam, create_engine, text
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Origin

from ressenti.db.engine import make_engine, session_factory
from ressenti.db.models import SessionToken, utcnow
from ressenti.workflows import accounts

ROOT = Path(__file__).resolve().parent.parent
TEXT_SOURCES = (
    ROOT / "src" / "ressenti" / "demo" / "conversations.jsonl",
    ROOT / "examples" / "conversations.jsonl",
)
POSTGRES_ADMIN_URL = os.environ.get(
    "RESSENTI_TEST_POSTGRES", "postgresql+pg8000://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("RESSENTI_BENCH_REDIS", "redis://127.0.0.1:6379/0")
API = "/api/v1"
FLOOR_P99_MS = 150.0
FLOOR_RATE_SHARE = 0.99  # "sustained": at least 99% of the asked rate
WARM_UP_MESSAGES = 40
IN_FLIGHT_PER_SERVER = 32  # requests on the wire to one server at once (the pool's size)
RETRY_FOR_S = 60.0  # an integration keeps retrying a message this long before giving up


# --- the organisation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    user_id: int
    token: str


@dataclass(frozen=True)
class BenchOrganisation:
    """Who takes part: ``agents[a]`` is in team ``agent_team[a]``; ``supervisors[t]`` supervises team t."""

    slug: str
    api_key: str
    team_ids: list[int]
    supervisors: list[Person]
    agents: list[Person]
    agent_team: list[int]


def seed_organisation(
    database_url: str, *, teams: int, agents: int, slug: str | None = None
) -> BenchOrganisation:
    """An organisation seeded directly through the workflows: ``teams`` teams with one supervisor each,
    ``agents`` agents spread over the teams (agent a in team a % teams), an API key, a session token
    per person (written as the login would write it: only its SHA-256 is stored)."""
    slug = slug or f"bench-{uuid.uuid4().hex[:8]}"
    engine = make_engine(database_url)
    shared_hash = accounts.hash_password(uuid.uuid4().hex)  # nobody logs in: one hash for everyone
    try:
        with session_factory(engine)() as session, session.begin():
            organisation = accounts.create_organisation(session, slug, "Bench")
            team_rows = [
                accounts.create_team(session, organisation.id, f"team-{t:02d}") for t in range(teams)
            ]
            admin = accounts.create_user(
                session,
                organisation.id,
                email="admin@bench.test",
                name="Admin",
                role="admin",
                password_hash=shared_hash,
            )
            _, api_key = accounts.create_api_key(session, accounts.principal_for(admin), "bench integration")

            def person(email: str, name: str, role: str, team_id: int) -> Person:
                user = accounts.create_user(
                    session,
                    organisation.id,
                    email=email,
                    name=name,
                    role=role,
                    password_hash=shared_hash,
                    team_ids=[team_id],
                )
                token = accounts.SESSION_PREFIX + uuid.uuid4().hex
                expires = utcnow() + timedelta(hours=2)
                session.add(
                    SessionToken(token_hash=accounts.digest(token), user_id=user.id, expires_at=expires)
                )
                return Person(user.id, token)

            supervisors = [
                person(f"supervisor{t}@bench.test", f"Supervisor {t}", "supervisor", team.id)
                for t, team in enumerate(team_rows)
            ]
            agent_team = [a % teams for a in range(agents)]
            agent_people = [
                person(f"agent{a}@bench.test", f"Agent {a}", "agent", team_rows[agent_team[a]].id)
                for a in range(agents)
            ]
            return BenchOrganisation(
                slug, api_key, [t.id for t in team_rows], supervisors, agent_people, agent_team
            )
    finally:
        engine.dispose()


def customer_texts() -> list[str]:
    """The customer turns of the demo and example conversations (French and English), in file order."""
    found = []
    for source in TEXT_SOURCES:
        for line in source.read_text(encoding="utf-8").splitlines():
            for turn in json.loads(line)["turns"]:
                if turn["speaker"] == "customer":
                    found.append(turn["text"])
    return found


# --- what is measured ---------------------------------------------------------------------------------


@dataclass
class LoadConfig:
    duration: float = 60.0
    rate: float = 100.0
    conversations: int = 200
    per_agent: int = 1
    drain_s: float = 15.0
    seed: int = 7
    progress: bool = True
    request_timeout_s: float = 10.0


@dataclass
class Chaos:
    """Kill one server at ``at`` seconds into the load and restart it ``down_for`` seconds later.
    ``kill`` and ``restart`` are blocking callables (run off the event loop); ``restart`` returns once
    the server answers again."""

    at: float
    kill: Callable[[], None]
    restart: Callable[[], None]
    down_for: float = 2.0
    server: int = 1
    killed_at: float | None = None
    back_at: float | None = None


@dataclass
class LoadResult:
    """Everything the client saw, keyed by the messages' external ids (and message ids for supervisors)."""

    prefix: str
    conversation_ids: list[int] = field(default_factory=list)
    started: float = 0.0  # perf_counter of the first scheduled send
    send_window_s: float = 0.0
    sent: list[str] = field(default_factory=list)
    conversation_of: dict[str, int] = field(default_factory=dict)
    first_try: dict[str, float] = field(default_factory=dict)  # just before the first POST
    schedule_lag_ms: list[float] = field(default_factory=list)
    acked: dict[str, int] = field(default_factory=dict)  # external id -> message id
    ack_status: dict[str, int] = field(default_factory=dict)
    acked_at: dict[str, float] = field(default_factory=dict)
    acked_by: dict[str, int] = field(default_factory=dict)  # external id -> the server that answered
    ingest_ms: list[float] = field(default_factory=list)  # HTTP latency of answered first attempts
    retried: set[str] = field(default_factory=set)
    no_answer: int = 0  # attempts that got no answer (connection refused/reset, timeout)
    no_answer_reasons: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # non-2xx answers, messages given up on, socket failures
    agent_live: dict[str, float] = field(default_factory=dict)  # external id -> arrival
    agent_recovered: set[str] = field(default_factory=set)  # caught up through the REST API
    supervisor_live: dict[int, float] = field(default_factory=dict)  # message id -> arrival
    supervisor_recovered: set[int] = field(default_factory=set)
    doubled_events: int = 0  # one event seen twice on one socket
    sockets: int = 0
    reconnects: int = 0
    reconnect_gap_ms: list[float] = field(default_factory=list)
    loop_lag_ms: list[float] = field(default_factory=list)
    cpu_cores: dict[str, float] = field(default_factory=dict)  # average cores used while sending
    timeline: list[dict[str, Any]] = field(default_factory=list)  # every 5 s
    chaos: dict[str, float] = field(default_factory=dict)
    agent_missing: dict[int, set[str]] = field(default_factory=dict)  # agent -> messages never seen
    supervisor_missing: dict[int, set[int]] = field(default_factory=dict)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _with_servers_total(found: dict[str, float]) -> dict[str, float]:
    servers = round(sum(v for k, v in found.items() if k.startswith("API server ")), 2)
    return {"API servers": servers, **found}


class CpuMeter:
    """Cores used during the load, by whom: this generator, the API servers, PostgreSQL, Redis, the rest
    of the machine (read from /proc; processes that end between two samples keep what was counted)."""

    def __init__(self, server_pids: Callable[[], Sequence[int]]) -> None:
        self.server_pids = server_pids
        self.tick = os.sysconf("SC_CLK_TCK")
        self.last: dict[int, float] = {}
        self.used: dict[str, float] = {}
        self.first_total: tuple[float, float] | None = None
        self.mark: tuple[dict[str, float], tuple[float, float]] | None = None
        self.last_total = (0.0, 0.0)

    @staticmethod
    def available() -> bool:
        return Path("/proc/stat").exists()

    def _machine(self) -> tuple[float, float]:
        fields = [float(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        return sum(fields) / self.tick, (fields[3] + fields[4]) / self.tick  # all, idle + iowait

    def sample(self) -> None:
        servers = {pid: number for number, pid in enumerate(self.server_pids())}
        counting = self.first_total is not None
        seen: dict[int, float] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                raw = (entry / "stat").read_text()
            except OSError:
                continue
            pid = int(entry.name)
            comm = raw[raw.index("(") + 1 : raw.rindex(")")]
            fields = raw[raw.rindex(")") + 2 :].split()
            seen[pid] = cpu = (int(fields[11]) + int(fields[12])) / self.tick
            if not counting:
                continue
            if pid == os.getpid():
                who = "generator"
            elif pid in servers:
                who = f"API server {servers[pid]}"
            elif comm == "postgres":
                who = "PostgreSQL"
            elif comm.startswith("redis"):
                who = "Redis"
            else:
                who = "other processes"
            self.used[who] = self.used.get(who, 0.0) + cpu - self.last.get(pid, 0.0)
        self.last = seen
        self.last_total = self._machine()
        if self.first_total is None:
            self.first_total = self.last_total

    def since_mark(self) -> dict[str, float]:
        """Cores used by each, and idle, since the previous call (or the first sample)."""
        if self.first_total is None:
            return {}
        used_before, total_before = self.mark or ({}, self.first_total)
        self.mark = (dict(self.used), self.last_total)
        wall = self.last_total[0] - total_before[0]
        if wall <= 0:
            return {}
        cores = os.cpu_count() or 1
        found = {
            who: round((used - used_before.get(who, 0.0)) / wall * cores, 2)
            for who, used in sorted(self.used.items())
        }
        found["idle"] = round((self.last_total[1] - total_before[1]) / wall * cores, 2)
        return _with_servers_total(found)

    def cores(self) -> dict[str, float]:
        """Average cores used by each, and idle, over the sampled window."""
        if self.first_total is None:
            return {}
        wall = self.last_total[0] - self.first_total[0]
        cores = os.cpu_count() or 1
        if wall <= 0:
            return {}
        found = {who: round(used / wall * cores, 2) for who, used in sorted(self.used.items())}
        found["idle"] = round((self.last_total[1] - self.first_total[1]) / wall * cores, 2)
        return _with_servers_total(found)


# --- the live sockets ---------------------------------------------------------------------------------


class LiveSocket:
    """One person's socket: subscribed to its conversations (an agent) or its team (a supervisor).

    When its server goes away it reconnects (new ticket, the next server first), subscribes again,
    then catches up through ``GET /conversations/{id}/messages?after_seq=`` from the highest seq up
    to which it has seen every message — subscribe first, read second: nothing falls in between."""

    def __init__(
        self,
        load: Load,
        index: int,
        person: Person,
        home: int,
        *,
        conversations: Sequence[int],
        team_id: int | None,
    ) -> None:
        self.load = load
        self.index = index
        self.person = person
        self.server = home
        self.conversations = list(conversations)  # followed (agent) or watched through the team (supervisor)
        self.team_id = team_id
        self.seqs: dict[int, set[int]] = {c: set() for c in self.conversations}
        self.live_ids: set[int] = set()  # message ids seen on the socket (twice would be a bug)
        self.recovered_ids: set[int] = set()  # message ids read through the REST API instead
        self.connection: ClientConnection | None = None
        self.task: asyncio.Task[None] | None = None

    @property
    def is_agent(self) -> bool:
        return self.team_id is None

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.person.token}"}

    def subscriptions(self) -> list[dict[str, Any]]:
        if self.team_id is not None:
            return [{"action": "subscribe", "team": self.team_id}]
        return [{"action": "subscribe", "conversation": c} for c in self.conversations]

    async def open(self, server: int) -> None:
        url = self.load.urls[server]
        answer = await self.load.clients[server].post(API + "/live/tickets", headers=self.auth)
        answer.raise_for_status()
        ws_url = url.replace("http://", "ws://") + f"{API}/live?ticket={answer.json()['ticket']}"
        connection = await connect(ws_url, origin=Origin(url), open_timeout=10, proxy=None, max_size=2**22)
        try:
            hello = json.loads(await asyncio.wait_for(connection.recv(), 10))
            if hello.get("type") != "hello":
                raise RuntimeError(f"live socket: expected hello, got {hello}")
            wanted = self.subscriptions()
            for request in wanted:
                await connection.send(json.dumps(request))
            subscribed = 0
            while subscribed < len(wanted):
                frame = json.loads(await asyncio.wait_for(connection.recv(), 10))
                if frame.get("type") == "subscribed":
                    subscribed += 1
                elif frame.get("type") == "error":
                    raise RuntimeError(f"live socket: subscription refused: {frame}")
                else:
                    self.handle(frame, time.perf_counter())
        except BaseException:
            await connection.close()
            raise
        self.connection, self.server = connection, server

    def handle(self, frame: dict[str, Any], now: float) -> None:
        result = self.load.result
        kind = frame.get("type")
        if self.is_agent and kind == "message":
            message = frame["message"]
            external_id = message.get("external_id") or ""
            if not external_id.startswith(result.prefix):
                return
            if message["id"] in self.live_ids:
                result.doubled_events += 1
                return
            self.live_ids.add(message["id"])
            self.seqs.setdefault(frame["conversation_id"], set()).add(message["seq"])
            result.agent_live.setdefault(external_id, now)
        elif not self.is_agent and kind == "conversation":
            message_id = frame.get("message_id")
            if message_id is None or frame["conversation_id"] not in self.seqs:
                return  # a conversation opened, assigned or closed: no message
            if message_id in self.live_ids:
                result.doubled_events += 1
                return
            self.live_ids.add(message_id)
            self.seqs[frame["conversation_id"]].add(frame["seq"])
            result.supervisor_live.setdefault(message_id, now)

    def watermark(self, conversation_id: int) -> int:
        """The highest seq up to which every message of the conversation was seen."""
        seqs = self.seqs.setdefault(conversation_id, set())
        mark = 0
        while mark + 1 in seqs:
            mark += 1
        return mark

    async def catch_up(self) -> int:
        """Read what was missed through the REST API; how many messages were recovered."""
        result = self.load.result
        recovered = 0
        for conversation_id in self.conversations:
            path = f"{API}/conversations/{conversation_id}/messages"
            params = {"after_seq": self.watermark(conversation_id)}
            answer = await self.load.request_anywhere(
                "GET", path, self.server, headers=self.auth, params=params
            )
            if answer is None or answer.status_code != 200:
                status = None if answer is None else answer.status_code
                result.errors.append(f"catch-up of conversation {conversation_id}: {status}")
                continue
            for message in answer.json():
                self.seqs[conversation_id].add(message["seq"])
                if message["id"] in self.live_ids or message["id"] in self.recovered_ids:
                    continue
                self.recovered_ids.add(message["id"])
                recovered += 1
                if self.is_agent:
                    result.agent_recovered.add(message["external_id"])
                else:
                    result.supervisor_recovered.add(message["id"])
        return recovered

    async def run(self) -> None:
        while True:
            connection = self.connection
            assert connection is not None
            try:
                async for raw in connection:
                    self.handle(json.loads(raw), time.perf_counter())
            except ConnectionClosed:
                pass
            if self.load.stopping:
                return
            await self.reconnect()

    async def reconnect(self) -> None:
        """The server went away: a new ticket and socket (the other server first), subscriptions, catch-up."""
        lost = time.perf_counter()
        self.load.result.reconnects += 1
        attempt = 0
        while not self.load.stopping:
            attempt += 1
            server = (self.server + attempt) % len(self.load.urls)
            try:
                await self.open(server)
            except (httpx.HTTPError, OSError, InvalidHandshake, ConnectionClosed, TimeoutError, RuntimeError):
                await asyncio.sleep(min(0.1 * attempt, 1.0))
                continue
            self.load.result.reconnect_gap_ms.append((time.perf_counter() - lost) * 1000)
            await self.catch_up()
            return

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        if self.connection is not None:
            await self.connection.close()


# --- the load -----------------------------------------------------------------------------------------


class Load:
    """An open-loop schedule of customer messages against the servers, with the sockets that watch them."""

    def __init__(
        self,
        urls: Sequence[str],
        organisation: BenchOrganisation,
        config: LoadConfig,
        chaos: Chaos | None,
        server_pids: Callable[[], Sequence[int]] | None = None,
    ) -> None:
        self.meter = CpuMeter(server_pids) if server_pids is not None and CpuMeter.available() else None
        self.urls = list(urls)
        self.organisation = organisation
        self.config = config
        self.chaos = chaos
        self.result = LoadResult(prefix=f"b{uuid.uuid4().hex[:8]}")
        self.stopping = False
        self.texts = customer_texts()
        self.api_auth = {"Authorization": f"Bearer {organisation.api_key}"}
        # A bounded pool per server, as an integration has: a backlog waits on the semaphore (cheap, FIFO)
        # rather than inside httpcore's pool, whose bookkeeping grows with every queued request and
        # would take the servers' CPU away from them exactly when they are behind. An idle connection is
        # dropped after 2 s, before uvicorn's 5 s keep-alive closes it: reusing one that the server is
        # closing at that very moment fails with no answer (a client race, not a loss).
        limits = httpx.Limits(
            max_connections=IN_FLIGHT_PER_SERVER,
            max_keepalive_connections=IN_FLIGHT_PER_SERVER,
            keepalive_expiry=2.0,
        )
        self.slots = [asyncio.Semaphore(IN_FLIGHT_PER_SERVER) for _ in self.urls]
        timeout = httpx.Timeout(config.request_timeout_s, connect=3.0)
        self.clients = [
            httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout, trust_env=False)
            for url in self.urls
        ]
        self.sockets: list[LiveSocket] = []
        self.in_flight = 0

    async def request_anywhere(
        self, method: str, path: str, first: int, **options: Any
    ) -> httpx.Response | None:
        """A read that any server may answer: the servers in turn until one answers (None: none did)."""
        deadline = time.perf_counter() + RETRY_FOR_S
        attempt = 0
        while time.perf_counter() < deadline:
            try:
                return await self.clients[(first + attempt) % len(self.clients)].request(
                    method, path, **options
                )
            except httpx.TransportError:
                attempt += 1
                await asyncio.sleep(min(0.05 * attempt, 0.5))
        return None

    async def warm_up(self) -> None:
        """Each server reads a few messages before the clock starts (the engine loads on first use), in a
        conversation of its own that no figure counts."""
        org = self.organisation
        body = {
            "channel": "chat",
            "team_id": org.team_ids[0],
            "customer": {"external_id": f"{self.result.prefix}-warm-up"},
        }
        answer = await self.clients[0].post(API + "/conversations", json=body, headers=self.api_auth)
        answer.raise_for_status()
        path = f"{API}/conversations/{answer.json()['id']}/messages"
        for number in range(WARM_UP_MESSAGES):
            message = {"author": "customer", "text": self.texts[number % len(self.texts)]}
            answer = await self.clients[number % len(self.clients)].post(
                path, json=message, headers=self.api_auth
            )
            answer.raise_for_status()

    async def open_conversations(self) -> None:
        org = self.organisation
        config = self.config
        limit = asyncio.Semaphore(20)

        async def open_one(index: int) -> int:
            agent = index // config.per_agent
            body = {
                "external_id": f"{self.result.prefix}-c{index:04d}",
                "channel": "chat",
                "team_id": org.team_ids[org.agent_team[agent]],
                "agent_id": org.agents[agent].user_id,
                "customer": {"external_id": f"{self.result.prefix}-customer{index:04d}"},
            }
            async with limit:
                answer = await self.clients[index % 2].post(
                    API + "/conversations", json=body, headers=self.api_auth
                )
            if answer.status_code != 201:
                raise RuntimeError(f"opening a conversation: {answer.status_code} {answer.text}")
            conversation_id: int = answer.json()["id"]
            return conversation_id

        self.result.conversation_ids = list(
            await asyncio.gather(*(open_one(i) for i in range(config.conversations)))
        )

    async def open_sockets(self) -> None:
        org = self.organisation
        config = self.config
        teams = len(org.team_ids)
        by_agent: dict[int, list[int]] = {}
        by_team: dict[int, list[int]] = {}
        for index, conversation_id in enumerate(self.result.conversation_ids):
            agent = index // config.per_agent
            by_agent.setdefault(agent, []).append(conversation_id)
            by_team.setdefault(org.agent_team[agent], []).append(conversation_id)
        for agent, conversations in sorted(by_agent.items()):
            # within a team, agents alternate between the servers; so do the teams' supervisors
            home = (agent // teams) % len(self.urls)
            self.sockets.append(
                LiveSocket(self, agent, org.agents[agent], home, conversations=conversations, team_id=None)
            )
        for team, conversations in sorted(by_team.items()):
            home = team % len(self.urls)
            self.sockets.append(
                LiveSocket(
                    self,
                    team,
                    org.supervisors[team],
                    home,
                    conversations=conversations,
                    team_id=org.team_ids[team],
                )
            )
        limit = asyncio.Semaphore(20)

        async def open_one(live: LiveSocket) -> None:
            async with limit:
                await live.open(live.server)
            live.task = asyncio.create_task(live.run())

        await asyncio.gather(*(open_one(s) for s in self.sockets))
        self.result.sockets = len(self.sockets)

    def schedule(self) -> list[int]:
        """Which conversation each message goes to: every conversation once per round, in a shuffled order."""
        total = round(self.config.duration * self.config.rate)
        rng = random.Random(self.config.seed)
        order: list[int] = []
        while len(order) < total:
            round_ = list(self.result.conversation_ids)
            rng.shuffle(round_)
            order += round_
        return order[:total]

    async def send(self, number: int, conversation_id: int, due: float) -> None:
        result = self.result
        external_id = f"{result.prefix}-m{number:06d}"
        body = {
            "author": "customer",
            "text": self.texts[number % len(self.texts)],
            "external_id": external_id,
        }
        path = f"{API}/conversations/{conversation_id}/messages"
        result.sent.append(external_id)
        result.conversation_of[external_id] = conversation_id
        self.in_flight += 1
        try:
            first = time.perf_counter()
            result.first_try[external_id] = first
            result.schedule_lag_ms.append((first - due) * 1000)
            attempt = 0
            while True:
                server = (number + attempt) % len(self.clients)
                began = time.perf_counter()
                try:
                    async with self.slots[server]:
                        answer = await self.clients[server].post(path, json=body, headers=self.api_auth)
                except httpx.TransportError as error:
                    # no answer: the message may or may not be stored; the same external_id again is safe
                    result.no_answer += 1
                    reason = f"{type(error).__name__}: {error}"[:120]
                    result.no_answer_reasons[reason] = result.no_answer_reasons.get(reason, 0) + 1
                    result.retried.add(external_id)
                    answer = None
                if answer is not None and answer.status_code in (200, 201):
                    result.acked[external_id] = answer.json()["message"]["id"]
                    result.ack_status[external_id] = answer.status_code
                    result.acked_at[external_id] = time.perf_counter()
                    result.acked_by[external_id] = server
                    if attempt == 0:
                        result.ingest_ms.append((time.perf_counter() - began) * 1000)
                    return
                if answer is not None:
                    result.errors.append(f"POST message: {answer.status_code} {answer.text[:200]}")
                    if answer.status_code < 500:
                        return  # refused: retrying the same request cannot help
                    result.retried.add(external_id)
                attempt += 1
                if time.perf_counter() - first > RETRY_FOR_S:
                    result.errors.append(f"POST message {external_id}: gave up after {attempt} attempts")
                    return
                await asyncio.sleep(min(0.05 * attempt, 0.5))
        finally:
            self.in_flight -= 1

    async def measure_cpu(self) -> None:
        meter = self.meter
        if meter is None:
            return
        while True:
            await asyncio.to_thread(meter.sample)
            await asyncio.sleep(1.0)

    async def watch_loop(self) -> None:
        """How late this process's own event loop runs (it also times every delivery)."""
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            self.result.loop_lag_ms.append((time.perf_counter() - before - 0.01) * 1000)

    async def report_progress(self) -> None:
        """Every 5 s: a line on stderr and a point of the timeline (latency of what arrived meanwhile)."""
        result = self.result
        delivered = 0
        while True:
            await asyncio.sleep(5)
            arrived = list(result.agent_live.items())[delivered:]
            delivered += len(arrived)
            window = [(at - result.first_try[e]) * 1000 for e, at in arrived]
            cpu = self.meter.since_mark() if self.meter is not None else {}
            point = {
                "t_s": round(time.perf_counter() - result.started, 1),
                "sent": len(result.sent),
                "acknowledged": len(result.acked),
                "acknowledged_by_server": [
                    sum(1 for n in result.acked_by.values() if n == server)
                    for server in range(len(self.urls))
                ],
                "delivered_agents": len(result.agent_live),
                "delivered_supervisors": len(result.supervisor_live),
                "in_flight": self.in_flight,
                "retried": len(result.retried),
                "errors": len(result.errors),
                "agent_p99_ms": round(percentile(window, 0.99), 1),
                "cores": cpu,
            }
            result.timeline.append(point)
            if not self.config.progress:
                continue
            used = "  ".join(f"{who} {cores:.2f}" for who, cores in cpu.items())
            print(
                f"[{point['t_s']:5.1f} s] sent {point['sent']}  acknowledged {point['acknowledged']}  "
                f"to agents {point['delivered_agents']}  to supervisors {point['delivered_supervisors']}  "
                f"in flight {point['in_flight']}  retried {point['retried']}  errors {point['errors']}  "
                f"p99 to agents (arrived in the last 5 s) {point['agent_p99_ms']:.0f} ms"
                + (f"  cores: {used}" if used else ""),
                file=sys.stderr,
                flush=True,
            )

    async def run_chaos(self, chaos: Chaos) -> None:
        result = self.result
        await asyncio.sleep(max(0.0, result.started + chaos.at - time.perf_counter()))
        await asyncio.to_thread(chaos.kill)
        chaos.killed_at = time.perf_counter() - result.started
        print(f"[{chaos.killed_at:5.1f} s] server {chaos.server} SIGKILLed", file=sys.stderr, flush=True)
        await asyncio.sleep(chaos.down_for)
        await asyncio.to_thread(chaos.restart)
        chaos.back_at = time.perf_counter() - result.started
        print(f"[{chaos.back_at:5.1f} s] server {chaos.server} answers again", file=sys.stderr, flush=True)
        result.chaos = {"server": chaos.server, "killed_at_s": chaos.killed_at, "back_at_s": chaos.back_at}

    async def drain(self) -> None:
        """Wait until every acknowledged message reached both sockets, or nothing came for 2 s."""
        result = self.result
        deadline = time.perf_counter() + self.config.drain_s
        last_change, last_counts = time.perf_counter(), (-1, -1)
        while time.perf_counter() < deadline:
            counts = (len(result.agent_live), len(result.supervisor_live))
            agents_done = all(e in result.agent_live or e in result.agent_recovered for e in result.acked)
            supervisors_done = all(
                m in result.supervisor_live or m in result.supervisor_recovered for m in result.acked.values()
            )
            if agents_done and supervisors_done:
                return
            if counts != last_counts:
                last_change, last_counts = time.perf_counter(), counts
            elif time.perf_counter() - last_change > 2.0:
                return
            await asyncio.sleep(0.05)

    async def run(self) -> LoadResult:
        result = self.result
        watchers: list[asyncio.Task[None]] = []
        try:
            await self.warm_up()
            await self.open_conversations()
            await self.open_sockets()
            order = self.schedule()
            watchers = [
                asyncio.create_task(self.watch_loop()),
                asyncio.create_task(self.report_progress()),
                asyncio.create_task(self.measure_cpu()),
            ]
            tasks: set[asyncio.Task[None]] = set()
            result.started = time.perf_counter() + 0.2
            if self.chaos is not None:
                watchers.append(asyncio.create_task(self.run_chaos(self.chaos)))
            for number, conversation_id in enumerate(order):
                due = result.started + number / self.config.rate
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                task = asyncio.create_task(self.send(number, conversation_id, due))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            result.send_window_s = time.perf_counter() - result.started
            if self.meter is not None:
                await asyncio.to_thread(self.meter.sample)
                result.cpu_cores = self.meter.cores()
            while tasks:
                await asyncio.gather(*list(tasks))
            if self.chaos is not None and self.chaos.back_at is None:
                await watchers[-1]  # the restart must be over before the final count
            await self.drain()
            await self.final_catch_up()
        finally:
            self.stopping = True
            for watcher in watchers:
                watcher.cancel()
            await asyncio.gather(*watchers, return_exceptions=True)
            await asyncio.gather(*(s.close() for s in self.sockets), return_exceptions=True)
            for client in self.clients:
                await client.aclose()
        return result

    async def final_catch_up(self) -> None:
        """Every socket's owner reads what it missed through the REST API; what is still missing is lost."""
        result = self.result
        limit = asyncio.Semaphore(20)

        async def one(live: LiveSocket) -> None:
            async with limit:
                await live.catch_up()

        await asyncio.gather(*(one(s) for s in self.sockets))
        acked_in: dict[int, list[str]] = {}
        for external_id in result.acked:
            acked_in.setdefault(result.conversation_of[external_id], []).append(external_id)
        for live in self.sockets:
            expected = [e for c in live.conversations for e in acked_in.get(c, ())]
            if live.is_agent:
                missing = {
                    e for e in expected if e not in result.agent_live and e not in result.agent_recovered
                }
                if missing:
                    result.agent_missing[live.index] = missing
            else:
                lost = {
                    result.acked[e]
                    for e in expected
                    if result.acked[e] not in result.supervisor_live
                    and result.acked[e] not in result.supervisor_recovered
                }
                if lost:
                    result.supervisor_missing[live.index] = lost


async def run_load(
    urls: Sequence[str],
    organisation: BenchOrganisation,
    config: LoadConfig,
    chaos: Chaos | None = None,
    server_pids: Callable[[], Sequence[int]] | None = None,
) -> LoadResult:
    """Open the conversations and the sockets, send the schedule, drain, catch up; what was seen.
    ``server_pids``: the servers' current process ids, to split the machine's CPU by whom used it."""
    return await Load(urls, organisation, config, chaos, server_pids).run()


# --- the database's word -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredMessage:
    id: int
    conversation_id: int
    seq: int
    external_id: str | None


def stored_messages(database_url: str, conversation_ids: Iterable[int]) -> list[StoredMessage]:
    """Every row of ``messages`` in these conversations, read straight from the database."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            query = text(
                "SELECT id, conversation_id, seq, external_id FROM messages WHERE conversation_id IN :ids"
            ).bindparams(bindparam("ids", expanding=True))
            rows = connection.execute(query, {"ids": list(conversation_ids)}).all()
    finally:
        engine.dispose()
    return [StoredMessage(r[0], r[1], r[2], r[3]) for r in rows]


def summarise(
    result: LoadResult, stored: Sequence[StoredMessage], config: LoadConfig, *, kill: bool
) -> dict[str, Any]:
    """The figures and the floor's verdict."""
    by_external: dict[str | None, int] = {}
    for row in stored:
        by_external[row.external_id] = by_external.get(row.external_id, 0) + 1
    sent = set(result.sent)
    acked = set(result.acked)
    id_of = {row.external_id: row.id for row in stored}
    agent_ms = [
        (result.agent_live[e] - result.first_try[e]) * 1000 for e in result.sent if e in result.agent_live
    ]
    supervisor_ms = [
        (result.supervisor_live[id_of[e]] - result.first_try[e]) * 1000
        for e in result.sent
        if e in id_of and id_of[e] in result.supervisor_live
    ]
    doubled = sorted(str(e) for e, n in by_external.items() if n > 1)
    not_stored = sorted(e for e in acked if by_external.get(e, 0) != 1)
    retried_not_once = sorted(e for e in result.retried & acked if by_external.get(e, 0) != 1)
    unexplained = sorted(str(e) for e in by_external if e not in sent)
    delivered_agents = len(acked & set(result.agent_live))
    delivered_supervisors = len({result.acked[e] for e in acked} & set(result.supervisor_live))
    rate = len(result.sent) / result.send_window_s if result.send_window_s else 0.0
    window_end = result.started + result.send_window_s
    processed = sum(1 for at in result.acked_at.values() if at <= window_end)
    processed_rate = processed / result.send_window_s if result.send_window_s else 0.0

    def latency(values: list[float]) -> dict[str, float]:
        return {
            "p50": round(percentile(values, 0.50), 1),
            "p95": round(percentile(values, 0.95), 1),
            "p99": round(percentile(values, 0.99), 1),
            "max": round(max(values, default=0.0), 1),
        }

    figures: dict[str, Any] = {
        "config": {
            "duration_s": config.duration,
            "rate": config.rate,
            "conversations": config.conversations,
            "conversations_per_agent": config.per_agent,
            "sockets": result.sockets,
            "kill": kill,
        },
        "achieved_rate": round(rate, 1),
        "sent": len(result.sent),
        "acknowledged": len(acked),
        "acknowledged_201": sum(1 for s in result.ack_status.values() if s == 201),
        "acknowledged_200_duplicate": sum(1 for s in result.ack_status.values() if s == 200),
        "stored": len(stored),
        "delivered_agents": delivered_agents,
        "delivered_supervisors": delivered_supervisors,
        "recovered_agents": len((result.agent_recovered & acked) - set(result.agent_live)),
        "recovered_supervisors": len(result.supervisor_recovered - set(result.supervisor_live)),
        "missing_agents_after_catch_up": sum(len(m) for m in result.agent_missing.values()),
        "missing_supervisors_after_catch_up": sum(len(m) for m in result.supervisor_missing.values()),
        "doubled_rows": len(doubled),
        "acknowledged_not_stored_once": len(not_stored),
        "retried": len(result.retried),
        "retried_not_stored_once": len(retried_not_once),
        "rows_without_request": len(unexplained),
        "no_answer_attempts": result.no_answer,
        "no_answer_reasons": result.no_answer_reasons,
        "errors": len(result.errors),
        "error_samples": result.errors[:10],
        "doubled_events": result.doubled_events,
        "reconnects": result.reconnects,
        "reconnect_gap_ms": latency(result.reconnect_gap_ms),
        "agent_ms": latency(agent_ms),
        "supervisor_ms": latency(supervisor_ms),
        "ingest_http_ms": latency(result.ingest_ms),
        "schedule_lag_ms": latency(result.schedule_lag_ms),
        "generator_loop_lag_ms": latency(result.loop_lag_ms),
        "chaos": result.chaos,
        "cpu_cores_while_sending": result.cpu_cores,
        "timeline": result.timeline,
        "cpu_ms_per_message": {
            who: round(cores * 1000 / processed_rate, 2)
            for who, cores in result.cpu_cores.items()
            if who in ("API servers", "PostgreSQL", "Redis", "generator") and processed_rate
        },
        "acknowledged_rate_while_sending": round(processed_rate, 1),
    }
    checks: dict[str, bool] = {
        "every acknowledged message stored exactly once": not not_stored,
        "no row doubled": not doubled,
        "no row without a request behind it": not unexplained,
        "every message acknowledged": len(acked) == len(result.sent),
        "every retried message stored exactly once": not retried_not_once,
        "nothing missing after catch-up": not result.agent_missing and not result.supervisor_missing,
        "no event seen twice on a socket": result.doubled_events == 0,
    }
    if kill:
        checks["no non-2xx answer"] = not result.errors
    else:
        checks[f"rate sustained (≥ {FLOOR_RATE_SHARE:.0%} of {config.rate:g}/s)"] = (
            rate >= FLOOR_RATE_SHARE * config.rate
        )
        checks[f"agent p99 ≤ {FLOOR_P99_MS:g} ms"] = figures["agent_ms"]["p99"] <= FLOOR_P99_MS
        checks[f"supervisor p99 ≤ {FLOOR_P99_MS:g} ms"] = figures["supervisor_ms"]["p99"] <= FLOOR_P99_MS
        checks["sent = stored = delivered to agents = delivered to supervisors"] = (
            len(result.sent) == len(stored) == delivered_agents == delivered_supervisors
        )
        checks["no error, every request answered"] = not result.errors and result.no_answer == 0
    figures["floor"] = {"holds": all(checks.values()), "checks": checks}
    return figures


# --- the servers and the database ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ServerProcess:
    """One ``ressenti serve`` on a fixed port; its log is appended to across restarts."""

    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    timings: Path | None = None  # --breakdown: the same app with stage timers, written here at exit

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait_s: float = 60.0) -> None:
        command = [sys.executable, "-m", "ressenti", "serve", "--port", str(self.port)]
        if self.timings is not None:
            command = [
                sys.executable,
                __file__,
                "--serve-timed",
                str(self.port),
                "--timings",
                str(self.timings),
            ]
        with self.log.open("ab") as handle:
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter)
                command, env=self.env, stdout=handle, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + wait_s
        with httpx.Client(timeout=1, trust_env=False) as probe:  # one client: no TLS context per poll
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"ressenti serve exited: {self.log.read_text(errors='replace')[-2000:]}"
                    )
                with contextlib.suppress(httpx.HTTPError):
                    if probe.get(self.url + API + "/health").status_code == 200:
                        return
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"ressenti serve did not answer on {self.url}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def service_env(data_dir: Path, database_url: str, namespace: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESSENTI_")}
    env.update(
        {
            "RESSENTI_DATA_DIR": str(data_dir),
            "RESSENTI_LANG": "en",
            "RESSENTI_DATABASE_URL": database_url,
            "RESSENTI_REDIS_URL": REDIS_URL,
            "RESSENTI_LIVE_NAMESPACE": namespace,
        }
    )
    return env


def create_database() -> str:
    name = f"ressenti_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def server_problems(logs: Iterable[Path]) -> list[str]:
    """Lines of the servers' logs that say something went wrong (tracebacks, unexpected errors)."""
    found = []
    for log in logs:
        for line in log.read_text(errors="replace").splitlines():
            if any(word in line for word in ("Traceback", "unexpected", "ERROR", "Error")):
                found.append(f"{log.name}: {line[:200]}")
    return found


# --- where the time goes (--breakdown) ---------------------------------------------------------------
#
# The servers run the same app as ``ressenti serve`` (uvicorn, one process each) with timers around the
# stages of each ingest and each live frame. Every process of the machine reads the same clock
# (CLOCK_MONOTONIC: ``time.perf_counter`` on Linux), so a message's stages line up across the client
# and both servers. The timers cost a little CPU of their own: compare a breakdown run with a breakdown
# run, not with a plain one.

STAGES = (
    ("client → app", "sent", "request"),
    ("app → route (parse, validate)", "request", "entered"),
    ("wait for a thread", "entered", "tx_start"),
    ("work: auth + workflow SQL + reading", "tx_start", "work_end"),
    ("commit", "work_end", "tx_end"),
    ("back on the event loop", "tx_end", "resumed"),
    ("publish to Redis", "resumed", "published"),
    ("Redis → hub of the socket's process", "resumed", "delivered"),
    ("hub → frame written to the socket", "delivered", "written"),
    ("socket → client", "written", "arrived"),
)


def _frame_key(frame: str) -> str | None:
    event = json.loads(frame)
    if event.get("type") == "message":
        return f"message:{event['message']['id']}"
    if event.get("type") == "conversation":
        return f"conversation:{event['message_id']}"
    return None


def serve_timed(port: int, timings: Path) -> None:
    """``ressenti serve --port`` with stage timers (monkeypatched here, not in the package); the
    timestamps are written to ``timings`` when the server stops (SIGTERM)."""
    from contextvars import ContextVar

    import uvicorn
    from starlette.concurrency import run_in_threadpool

    from ressenti.realtime.hub import Hub, Listener
    from ressenti.web.app import create_app
    from ressenti.web.services import Services

    requests: dict[int, dict[str, float]] = {}
    delivered: dict[str, float] = {}
    written: dict[str, float] = {}
    request_started: ContextVar[float] = ContextVar("request_started", default=0.0)
    transaction = Services._transaction
    deliver = Hub.deliver

    async def run_plain(self: Services, work: Any) -> Any:
        entered = time.perf_counter()
        marks: dict[str, float] = {}

        def timed_transaction(plain: Any) -> Any:
            marks["tx_start"] = time.perf_counter()

            def timed_work(session: Any) -> Any:
                done = plain(session)
                marks["work_end"] = time.perf_counter()
                return done

            done = transaction(self, timed_work)
            marks["tx_end"] = time.perf_counter()
            return done

        result, events = await run_in_threadpool(timed_transaction, work)
        marks["resumed"] = time.perf_counter()
        if events:
            await self.bus.publish(events)
        marks["published"] = time.perf_counter()
        if (
            isinstance(result, dict)
            and isinstance(result.get("message"), dict)
            and not result.get("duplicate")
        ):
            requests[result["message"]["id"]] = {
                "request": request_started.get(),
                "entered": entered,
                **marks,
            }
        return result

    def timed_deliver(self: Hub, channel: str, frame: str) -> int:
        key = _frame_key(frame)
        if key is not None:
            delivered.setdefault(key, time.perf_counter())
        return deliver(self, channel, frame)

    async def timed_run(self: Listener) -> None:
        while True:
            frame = await self.queue.get()
            if frame is None:
                return
            await self.send(frame)
            key = _frame_key(frame)
            if key is not None:
                written[key] = time.perf_counter()

    Services.run_plain = run_plain  # type: ignore[method-assign]
    Hub.deliver = timed_deliver  # type: ignore[method-assign]
    Listener.run = timed_run  # type: ignore[method-assign]
    app = create_app()

    async def timed_app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            request_started.set(time.perf_counter())
        if scope["type"] != "lifespan":
            await app(scope, receive, send)
            return

        async def on_shutdown(message: Any) -> None:
            # uvicorn ends the process with the signal it caught: write before saying "complete"
            if message["type"] == "lifespan.shutdown.complete":
                found = {"requests": requests, "delivered": delivered, "written": written}
                timings.write_text(json.dumps(found), encoding="utf-8")
            await send(message)

        await app(scope, receive, on_shutdown)

    uvicorn.run(timed_app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def breakdown(result: LoadResult, timing_files: Sequence[Path]) -> dict[str, dict[str, float]]:
    """Per stage, p50/p95/p99 in ms over the messages whose every stage was seen, for the agent's and
    the supervisor's path (the stages up to publishing are shared)."""
    requests: dict[int, dict[str, float]] = {}
    per_process: list[dict[str, Any]] = []
    for path in timing_files:
        found = json.loads(path.read_text(encoding="utf-8"))
        requests.update({int(k): v for k, v in found["requests"].items()})
        per_process.append(found)
    out: dict[str, dict[str, float]] = {}
    for path_name, key_prefix in (("agent", "message"), ("supervisor", "conversation")):
        stages: dict[str, list[float]] = {name: [] for name, _, _ in STAGES}
        for external_id, message_id in result.acked.items():
            marks = dict(requests.get(message_id, {}))
            key = f"{key_prefix}:{message_id}"
            holder = next((p for p in per_process if key in p["written"]), None)
            arrived = (
                result.agent_live.get(external_id)
                if key_prefix == "message"
                else result.supervisor_live.get(message_id)
            )
            if not marks or holder is None or arrived is None or external_id in result.retried:
                continue
            marks.update(
                sent=result.first_try[external_id],
                delivered=holder["delivered"][key],
                written=holder["written"][key],
                arrived=arrived,
            )
            for name, start, end in STAGES:
                stages[name].append((marks[end] - marks[start]) * 1000)
        for name, values in stages.items():
            out.setdefault(name, {})
            out[name][f"{path_name}_p50"] = round(percentile(values, 0.50), 2)
            out[name][f"{path_name}_p99"] = round(percentile(values, 0.99), 2)
    return out


def print_breakdown(stages: dict[str, dict[str, float]]) -> None:
    print("\nwhere the time goes (ms; the first seven stages are shared by both paths):")
    width = max(len(name) for name in stages)
    print(f"  {'stage':<{width}}  {'agent p50':>9} {'p99':>8}   {'supervisor p50':>14} {'p99':>8}")
    for name, q in stages.items():
        print(
            f"  {name:<{width}}  {q['agent_p50']:>9.2f} {q['agent_p99']:>8.2f}   "
            f"{q['supervisor_p50']:>14.2f} {q['supervisor_p99']:>8.2f}"
        )


# --- the command ----------------------------------------------------------------------------------------


def print_figures(figures: dict[str, Any]) -> None:
    config = figures["config"]
    mode = " --kill" if config["kill"] else ""
    print(
        f"\nbench-api{mode}: {config['conversations']} conversations at {config['rate']:g} messages/s for "
        f"{config['duration_s']:g} s; 2 API processes on PostgreSQL + Redis.\n"
        f"Everything (load generator, both servers, PostgreSQL, Redis) shares this machine's "
        f"{os.cpu_count()} cores: the generator's own CPU is in every figure. Load average (1 min) "
        f"before the run: {figures['machine']['load_average_1min_before']}.\n"
    )
    rows = [
        (
            "achieved rate: sent / acknowledged while sending",
            f"{figures['achieved_rate']} / {figures['acknowledged_rate_while_sending']} messages/s",
        ),
        (
            "sent / acknowledged / stored",
            f"{figures['sent']} / {figures['acknowledged']} / {figures['stored']}",
        ),
        (
            "delivered live to agents / supervisors",
            f"{figures['delivered_agents']} / {figures['delivered_supervisors']}",
        ),
        ("errors (non-2xx, given up)", str(figures["errors"])),
        (
            "attempts with no answer (retried)",
            f"{figures['no_answer_attempts']} ({figures['retried']} messages)",
        ),
    ]
    for name in ("agent_ms", "supervisor_ms", "ingest_http_ms", "schedule_lag_ms", "generator_loop_lag_ms"):
        q = figures[name]
        rows.append(
            (
                name.replace("_ms", "").replace("_", " ") + " (ms)",
                f"p50 {q['p50']}  p95 {q['p95']}  p99 {q['p99']}  max {q['max']}",
            )
        )
    if config["kill"]:
        chaos, gap = figures["chaos"], figures["reconnect_gap_ms"]
        rows += [
            (
                "killed at / back at",
                f"{chaos.get('killed_at_s', 0):.1f} s / {chaos.get('back_at_s', 0):.1f} s",
            ),
            (
                "answered 200 duplicate (a retry of a stored message)",
                str(figures["acknowledged_200_duplicate"]),
            ),
            (
                "socket reconnects, gap p50/max (ms)",
                f"{figures['reconnects']}, {gap['p50']} / {gap['max']}",
            ),
            (
                "recovered by catch-up: agents / supervisors",
                f"{figures['recovered_agents']} / {figures['recovered_supervisors']}",
            ),
        ]
    cpu = figures["cpu_cores_while_sending"]
    if cpu:
        used = "  ".join(f"{who} {cores:.2f}" for who, cores in cpu.items())
        rows.append(("cores used while sending", used))
        per_message = figures.get("cpu_ms_per_message", {})
        if per_message:
            rows.append(("CPU ms per message", "  ".join(f"{w} {v:.1f}" for w, v in per_message.items())))
    rows += [
        (
            "missing after catch-up: agents / supervisors",
            f"{figures['missing_agents_after_catch_up']} / {figures['missing_supervisors_after_catch_up']}",
        ),
        (
            "doubled rows / rows without a request",
            f"{figures['doubled_rows']} / {figures['rows_without_request']}",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    print()
    for check, ok in figures["floor"]["checks"].items():
        print(f"  {'✅' if ok else '❌'} {check}")
    print(f"\nfloor {'holds' if figures['floor']['holds'] else 'FAILS'}")
    for sample in figures["error_samples"]:
        print(f"  error: {sample}")
    for reason, count in figures["no_answer_reasons"].items():
        print(f"  no answer ({count}×): {reason}")
    for line in figures.get("server_problems", [])[:10]:
        print(f"  server log: {line}")


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, help="seconds of load (default 60; 30 with --kill)")
    parser.add_argument("--rate", type=float, default=100.0, help="customer messages per second")
    parser.add_argument("--conversations", type=int, default=200, help="live conversations")
    parser.add_argument(
        "--per-agent", type=int, default=1, help="conversations per agent (one agent socket follows them all)"
    )
    parser.add_argument(
        "--kill", action="store_true", help="SIGKILL one server mid-run, restart it 2 s later"
    )
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="time each stage of each message in the servers too (commit, publish, delivery, ...)",
    )
    parser.add_argument("--serve-timed", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--timings", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.serve_timed:
        serve_timed(args.serve_timed, args.timings)
        return 0
    config = LoadConfig(
        duration=args.duration or (30.0 if args.kill else 60.0),
        rate=args.rate,
        conversations=args.conversations,
        per_agent=args.per_agent,
    )
    signal.signal(signal.SIGTERM, _interrupt)
    folder = Path(tempfile.mkdtemp(prefix="ressenti-bench-api-"))
    database_url: str | None = None
    servers: list[ServerProcess] = []
    keep_logs = True
    try:
        database_url = create_database()
        env = service_env(folder, database_url, f"bench-{uuid.uuid4().hex}")
        upgraded = subprocess.run(
            [sys.executable, "-m", "ressenti", "db", "upgrade"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if upgraded.returncode != 0:
            raise RuntimeError(f"ressenti db upgrade failed: {upgraded.stderr}")
        agents = math.ceil(config.conversations / config.per_agent)
        organisation = seed_organisation(database_url, teams=10, agents=agents)
        servers = [ServerProcess(free_port(), env, folder / f"serve{i}.log") for i in (0, 1)]
        if args.breakdown:
            for number, server in enumerate(servers):
                server.timings = folder / f"timings{number}.json"
        for server in servers:
            server.start()
        chaos = None
        if args.kill:
            victim = servers[1]
            chaos = Chaos(at=config.duration / 2, kill=victim.kill, restart=victim.start, server=1)
        print(
            f"load: {config.conversations} conversations, {agents} agents + 10 supervisors on "
            f"{servers[0].url} and {servers[1].url}; {config.rate:g} messages/s for {config.duration:g} s",
            file=sys.stderr,
        )

        def server_pids() -> list[int]:
            return [s.process.pid for s in servers if s.process is not None]

        load_average = os.getloadavg()[0]
        result = asyncio.run(run_load([s.url for s in servers], organisation, config, chaos, server_pids))
        stored = stored_messages(database_url, result.conversation_ids)
        figures = summarise(result, stored, config, kill=args.kill)
        figures["server_problems"] = server_problems(s.log for s in servers)
        figures["machine"] = {
            "cores": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_average_1min_before": round(load_average, 2),
        }
        figures["date"] = time.strftime("%Y-%m-%d %H:%M")
        print_figures(figures)
        if args.breakdown:
            for server in servers:
                server.stop()  # the timed servers write their timestamps as they stop
            figures["breakdown_ms"] = breakdown(result, [s.timings for s in servers if s.timings])
            print_breakdown(figures["breakdown_ms"])
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        keep_logs = not figures["floor"]["holds"]
        return 0 if figures["floor"]["holds"] else 1
    except KeyboardInterrupt:
        print("interrupted: stopping the servers and dropping the database", file=sys.stderr)
        return 130
    finally:
        for server in servers:
            server.stop()
        if database_url is not None:
            drop_database(database_url)
        if keep_logs:
            print(f"servers' logs kept in {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
