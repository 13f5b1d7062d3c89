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


def test_an_event_on_an_ending_channel_is_the_sockets_last_then_it_closes() -> None:
    """A login's end: what was queued goes out, then the ending frame, then the close with its code;
    nothing delivered afterwards reaches the socket, and the others on its channels go on."""

    async def scenario() -> tuple[list[str], list[int], list[str], int]:
        hub = Hub()
        got: list[str] = []
        other_got: list[str] = []
        closed: list[int] = []

        async def send(frame: str) -> None:
            got.append(frame)

        async def other_send(frame: str) -> None:
            other_got.append(frame)

        async def close(code: int) -> None:
            closed.append(code)

        ending, staying = Listener(send, close), Listener(other_send, close)
        for made in (ending, staying):
            hub.attach(made)
            hub.subscribe(made, "conversation:1")
        hub.subscribe(ending, "session:a", ends_with=4001)
        hub.deliver("conversation:1", "before")
        assert hub.deliver("session:a", "ended") == 1
        hub.deliver("conversation:1", "after")
        await asyncio.sleep(0.01)
        assert ending.task is not None
        assert ending.task.done()
        await hub.detach(ending)
        await hub.detach(staying)
        return got, closed, other_got, hub.listeners

    got, closed, other_got, left = asyncio.run(scenario())
    assert got == ["before", "ended"]
    assert closed == [4001]
    assert other_got == ["before", "after"]
    assert left == 0


def test_an_ending_channel_is_an_ordinary_one_for_a_socket_that_did_not_ask() -> None:
    async def scenario() -> tuple[list[str], list[int]]:
        hub = Hub()
        got: list[str] = []
        closed: list[int] = []

        async def send(frame: str) -> None:
            got.append(frame)

        async def close(code: int) -> None:
            closed.append(code)

        plain = Listener(send, close)
        hub.attach(plain)
        hub.subscribe(plain, "session:a")
        hub.deliver("session:a", "one")
        hub.deliver("session:a", "two")
        await asyncio.sleep(0.01)
        await hub.detach(plain)
        return got, closed

    assert asyncio.run(scenario()) == (["one", "two"], [])


def test_a_socket_too_far_behind_to_take_its_last_frame_is_closed_with_the_ending_code() -> None:
    async def scenario() -> list[int]:
        hub = Hub()
        closed: list[int] = []
        stuck = asyncio.Event()

        async def never(frame: str) -> None:
            await stuck.wait()

        async def close(code: int) -> None:
            closed.append(code)

        slow = Listener(never, close, queue=asyncio.Queue(3))
        hub.attach(slow)
        hub.subscribe(slow, "t")
        hub.subscribe(slow, "session:a", ends_with=4001)
        for i in range(3):
            hub.deliver("t", str(i))
        await asyncio.sleep(0)
        hub.deliver("session:a", "ended")
        await asyncio.sleep(0.05)
        return closed

    assert asyncio.run(scenario()) == [4001]
