"""The Redis bus on the real Redis: what one process publishes reaches another's hub once; namespaces
keep deployments apart."""

from __future__ import annotations

import asyncio
import uuid

from ressenti.realtime.bus import LocalBus, RedisBus
from ressenti.realtime.events import Event
from ressenti.realtime.hub import Hub, Listener

REDIS_URL = "redis://127.0.0.1:6379/0"


def _collecting(hub: Hub, channel: str) -> list[str]:
    got: list[str] = []

    async def send(frame: str) -> None:
        got.append(frame)

    async def close(code: int) -> None:
        return None

    listener = Listener(send, close)
    hub.attach(listener)
    hub.subscribe(listener, channel)
    return got


def test_events_cross_buses_through_redis_once_each() -> None:
    async def scenario() -> tuple[list[str], list[str], list[str]]:
        namespace = uuid.uuid4().hex
        hubs = [Hub(), Hub(), Hub()]
        buses = [RedisBus(hubs[0], REDIS_URL, namespace), RedisBus(hubs[1], REDIS_URL, namespace)]
        stranger = RedisBus(hubs[2], REDIS_URL, uuid.uuid4().hex)
        for bus in (*buses, stranger):
            await bus.start()
        first = _collecting(hubs[0], "org:1:team:1")
        second = _collecting(hubs[1], "org:1:team:1")
        third = _collecting(hubs[2], "org:1:team:1")
        await buses[0].publish([Event("org:1:team:1", {"n": 1}), Event("org:1:team:2", {"n": 2})])
        await buses[1].publish([Event("org:1:team:1", {"n": 3})])
        for _ in range(100):
            if len(first) == 2 and len(second) == 2:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.05)
        assert await buses[0].healthy()
        for bus in (*buses, stranger):
            await bus.stop()
        return first, second, third

    first, second, third = asyncio.run(scenario())
    assert first == ['{"n":1}', '{"n":3}']
    assert second == first
    assert third == []


def test_local_bus_delivers_in_process() -> None:
    async def scenario() -> list[str]:
        hub = Hub()
        got = _collecting(hub, "c")
        await LocalBus(hub).publish([Event("c", {"é": "à"})])
        await asyncio.sleep(0.01)
        return got

    assert asyncio.run(scenario()) == ['{"é":"à"}']


def test_publishing_with_redis_down_loses_no_committed_data_and_does_not_raise() -> None:
    async def scenario() -> bool:
        bus = RedisBus(Hub(), "redis://127.0.0.1:1/0")
        await bus.publish([Event("c", {"n": 1})])  # logged, not raised: the data is committed already
        healthy = await bus.healthy()
        await bus.redis.aclose()
        return healthy

    assert asyncio.run(scenario()) is False


def test_a_server_starts_without_redis_and_says_so(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Redis down at start: the bus starts anyway (stored messages stay readable), reports itself
    unhealthy, and keeps trying in the background."""
    from ressenti.realtime import bus as bus_module

    monkeypatch.setattr(bus_module, "START_WAIT_SECONDS", 0.3)

    async def scenario() -> bool:
        bus = RedisBus(Hub(), "redis://127.0.0.1:1/0")
        await bus.start()
        healthy = await bus.healthy()
        await bus.stop()
        return healthy

    assert asyncio.run(scenario()) is False
