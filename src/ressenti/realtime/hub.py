"""The sockets of this process and the channels each listens to.

Each socket has its own bounded queue and sender task: one slow reader never delays the others, and a
reader that falls more than ``QUEUE_SIZE`` events behind is disconnected (code 1013, "try again") rather
than letting memory grow; its client reconnects and catches up through the REST API.

A socket may also be on *ending* channels (its login's): an event there is the last it receives. The hub
takes it off every channel at once, so nothing published after that event is queued for it, sends the
event after what was already queued, then closes it with the code it was subscribed with. The event
reaches the hub the way every event does (the bus, across processes through Redis), so ending a login
ends its sockets in whichever process holds them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

QUEUE_SIZE = 1000
TOO_FAR_BEHIND = 1013
Send = Callable[[str], Awaitable[None]]
Close = Callable[[int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Closing:
    """Queued after a socket's last frame: close it with ``code`` once that frame is sent."""

    code: int


@dataclass(eq=False)
class Listener:
    """One socket: where its frames go, the channels it is on, and those that end it (with their code)."""

    send: Send
    close: Close
    channels: set[str] = field(default_factory=set)
    endings: dict[str, int] = field(default_factory=dict)
    queue: asyncio.Queue[str | Closing | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        while True:
            frame = await self.queue.get()
            if frame is None:
                return
            if isinstance(frame, Closing):
                await self.close(frame.code)
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

    def subscribe(self, listener: Listener, channel: str, *, ends_with: int | None = None) -> None:
        """Put ``listener`` on ``channel``; with ``ends_with``, an event there closes it with that code."""
        listener.channels.add(channel)
        if ends_with is not None:
            listener.endings[channel] = ends_with
        self._channels.setdefault(channel, set()).add(listener)

    def unsubscribe(self, listener: Listener, channel: str) -> None:
        listener.channels.discard(channel)
        listener.endings.pop(channel, None)
        members = self._channels.get(channel)
        if members is not None:
            members.discard(listener)
            if not members:
                del self._channels[channel]

    def deliver(self, channel: str, frame: str) -> int:
        """Queue ``frame`` for every socket on ``channel``; how many got it."""
        delivered = 0
        for listener in list(self._channels.get(channel, ())):
            code = listener.endings.get(channel)
            if code is not None:
                delivered += self._end(listener, frame, code)
                continue
            try:
                listener.queue.put_nowait(frame)
                delivered += 1
            except asyncio.QueueFull:
                log.warning("a live socket fell %d events behind and is disconnected", QUEUE_SIZE)
                asyncio.get_running_loop().create_task(self._drop(listener, TOO_FAR_BEHIND))
        return delivered

    def _end(self, listener: Listener, frame: str, code: int) -> int:
        """Off every channel now (nothing later is queued), then ``frame`` and the close, in that order.
        A socket with no room left for both is closed without its last frame."""
        for channel in list(listener.channels):
            self.unsubscribe(listener, channel)
        if listener.queue.maxsize and listener.queue.maxsize - listener.queue.qsize() < 2:
            asyncio.get_running_loop().create_task(self._drop(listener, code))
            return 0
        listener.queue.put_nowait(frame)
        listener.queue.put_nowait(Closing(code))
        return 1

    async def _drop(self, listener: Listener, code: int) -> None:
        await self.detach(listener)
        with contextlib.suppress(Exception):
            await listener.close(code)

    @property
    def listeners(self) -> int:
        return len({listener for members in self._channels.values() for listener in members})
