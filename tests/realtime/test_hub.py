"""The hub: frames reach the sockets on a channel, in order; a socket that falls too far behind is dropped
without slowing the others."""

from __future__ import annotations

import asyncio

from ressenti.realtime import hub as hub_module
from ressenti.realtime.hub import Hub, Listener


def test_frames_reach_every_listener_on_the_channel_in_order() -> None:
    async def scenario() -> tuple[list[str], list[str], list[str]]:
        hub = Hub()
        got: dict[str, list[str]] = {"a": [], "b": [], "c": []}

        def listener(name: str) -> Listener:
            async def send(frame: str) -> None:
                got[name].append(frame)

            async def close(code: int) -> None:
                return None

            made = Listener(send, close)
            hub.attach(made)
            return made

        a, b, c = listener("a"), listener("b"), listener("c")
        hub.subscribe(a, "t:1")
        hub.subscribe(b, "t:1")
        hub.subscribe(c, "t:2")
        assert hub.deliver("t:1", "one") == 2
        hub.deliver("t:1", "two")
        await asyncio.sleep(0.01)
        for made in (a, b, c):
            await hub.detach(made)
        assert hub.listeners == 0
        return got["a"], got["b"], got["c"]

    a, b, c = asyncio.run(scenario())
    assert a == ["one", "two"]
    assert b == ["one", "two"]
    assert c == []


def test_a_listener_that_falls_behind_is_closed_and_the_others_go_on(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(hub_module, "QUEUE_SIZE", 3)

    async def scenario() -> tuple[list[int], int]:
        hub = Hub()
        closed: list[int] = []
        fast_got: list[str] = []
        stuck = asyncio.Event()

        async def never(frame: str) -> None:
            await stuck.wait()

        async def fast(frame: str) -> None:
            fast_got.append(frame)

        async def close(code: int) -> None:
            closed.append(code)

        slow = Listener(never, close, queue=asyncio.Queue(3))
        quick = Listener(fast, close)
        for made in (slow, quick):
            hub.attach(made)
            hub.subscribe(made, "t")
        for i in range(10):
            hub.deliver("t", str(i))
            await asyncio.sleep(0)
        await asyncio.sleep(0.05)
        await hub.detach(quick)
        return closed, len(fast_got)

    closed, fast_count = asyncio.run(scenario())
    assert closed == [1013]
    assert fast_count == 10
