"""The sockets of this process and the channels each listens to.

Each socket has its own bounded queue and sender task: one slow reader never delays the others, and a
reader that falls more than ``QUEUE_SIZE`` events behind is disconnected (code 1013, "try again") rather
than letting memory grow; its client reconnects and catches up through the REST API.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

QUEUE_SIZE = 1000
Send = Callable[[str], Awaitable[None]]
Close = Callable[[int], Awaitable[None]]


@dataclass(eq=False)
class Listener:
    """One socket: where its frames go and the channels it is on."""

    send: Send
    close: Close
    channels: set[str] = field(default_factory=set)
    queue: asyncio.Queue[str | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        while True:
            frame = await self.queue.get()
            if frame is None:
                return
            await self.send(frame)


class Hub:
    def __init__(self) -> None:
        self._channels: dict[str, set[Listener]] = {}

    def attach(self, listener: Listener) -> None:
        listener.task = asyncio.create_task(listener.run())

    async def detach(self, listener: Listener) -> None:
        for channel in list(listener.channels):
            self.unsubscribe(listener, channel)
        if listener.task is not None:
            listener.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener.task

    def subscribe(self, listener: Listener, channel: str) -> None:
        listener.channels.add(channel)
        self._channels.setdefault(channel, set()).add(listener)

    def unsubscribe(self, listener: Listener, channel: str) -> None:
        listener.channels.discard(channel)
        members = self._channels.get(channel)
        if members is not None:
            members.discard(listener)
            if not members:
                del self._channels[channel]

    def deliver(self, channel: str, frame: str) -> int:
        """Queue ``frame`` for every socket on ``channel``; how many got it."""
        delivered = 0
        for listener in list(self._channels.get(channel, ())):
            try:
                listener.queue.put_nowait(frame)
                delivered += 1
            except asyncio.QueueFull:
                log.warning("a live socket fell %d events behind and is disconnected", QUEUE_SIZE)
                asyncio.get_running_loop().create_task(self._drop(listener))
        return delivered

    async def _drop(self, listener: Listener) -> None:
        await self.detach(listener)
        with contextlib.suppress(Exception):
            await listener.close(1013)

    @property
    def listeners(self) -> int:
        return len({listener for members in self._channels.values() for listener in members})
