"""How an event reaches the hubs: directly in this process, or through Redis to every API process.

With Redis each process publishes to Redis and delivers only what it reads back from its pattern
subscription, so an event reaches every process's sockets exactly once, its own included. Pub/sub
channels are global to a Redis server (not per database number): ``RESSENTI_LIVE_NAMESPACE`` keeps two
deployments sharing one Redis apart.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from typing import Protocol

from redis import asyncio as aioredis
from redis.exceptions import RedisError

from ressenti.realtime.events import Event
from ressenti.realtime.hub import Hub

log = logging.getLogger(__name__)
PREFIX = "ressenti:live:{namespace}:"
START_WAIT_SECONDS = 5.0


def frame(event: Event) -> str:
    return json.dumps(event.payload, ensure_ascii=False, separators=(",", ":"))


class Bus(Protocol):
    name: str

    async def start(self) -> None: ...
    async def publish(self, events: Sequence[Event]) -> None: ...
    async def stop(self) -> None: ...
    async def healthy(self) -> bool: ...


class LocalBus:
    """Events stay in this process: the embedded default, one API process."""

    name = "in-process"

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    async def start(self) -> None:
        return None

    async def publish(self, events: Sequence[Event]) -> None:
        for event in events:
            self.hub.deliver(event.channel, frame(event))

    async def stop(self) -> None:
        return None

    async def healthy(self) -> bool:
        return True


class RedisBus:
    """Events cross API processes through Redis pub/sub."""

    name = "redis"

    def __init__(self, hub: Hub, url: str, namespace: str = "default") -> None:
        self.hub = hub
        self.prefix = PREFIX.format(namespace=namespace)
        self.redis = aioredis.Redis.from_url(url, decode_responses=True)
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        """Subscribe before serving, so that no event is missed; when Redis cannot be reached, serve
        anyway (messages are still stored and readable; live events resume once Redis answers)."""
        self._task = asyncio.create_task(self._listen())
        try:
            await asyncio.wait_for(self._ready.wait(), timeout=START_WAIT_SECONDS)
        except TimeoutError:
            log.error("live events: Redis unreachable at start; retrying in the background")

    async def _listen(self) -> None:
        delay = 0.1
        while True:
            pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(self.prefix + "*")
                self._ready.set()
                delay = 0.1
                async for message in pubsub.listen():
                    if message.get("type") == "pmessage":
                        self.hub.deliver(message["channel"][len(self.prefix) :], message["data"])
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as error:
                log.error("live events: Redis connection lost (%s); reconnecting", type(error).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def publish(self, events: Sequence[Event]) -> None:
        if not events:
            return
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for event in events:
                    pipe.publish(self.prefix + event.channel, frame(event))
                await pipe.execute()
        except (RedisError, OSError) as error:
            # The data is committed: clients catch up through the REST API when they reconnect.
            log.error("live events: %d not published (%s)", len(events), type(error).__name__)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.redis.aclose()

    async def healthy(self) -> bool:
        try:
            return bool(await self.redis.ping())
        except (RedisError, OSError):
            return False
