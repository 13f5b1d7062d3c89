"""What every request uses: the database sessions, the live hub and bus, and the one way to run work.

``Services.run`` is the transaction boundary of the whole API: authenticate, do the work, commit, and
only then broadcast. A unique-key race (two deliveries of one webhook, one message sent twice at once)
or SQLite's busy lock is retried once: the retry sees the committed twin and answers "duplicate".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import anyio
import anyio.to_thread
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ressenti.config import Settings
from ressenti.errors import AuthError
from ressenti.i18n import both
from ressenti.realtime.bus import Bus
from ressenti.realtime.events import Event
from ressenti.realtime.hub import Hub
from ressenti.workflows.access import Principal
from ressenti.workflows.accounts import authenticate

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 3
TRANSACTION_THREADS = 4

Work = Callable[[Session, Principal], tuple[T, Sequence[Event]]]
Plain = Callable[[Session], tuple[T, Sequence[Event]]]


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    hub: Hub
    bus: Bus
    _limiter: anyio.CapacityLimiter | None = None

    def _transaction(self, work: Plain[T]) -> tuple[T, Sequence[Event]]:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self.sessions() as session, session.begin():
                    return work(session)
            except (IntegrityError, OperationalError) as error:
                if attempt == ATTEMPTS:
                    raise
                log.info("transaction retried after %s", type(error).__name__)
        raise AssertionError("unreachable")

    async def run_plain(self, work: Plain[T]) -> T:
        """Run ``work(session)`` in a transaction off the event loop; broadcast its events once committed.

        At most ``TRANSACTION_THREADS`` transactions run at once in a process: more threads only fight
        over the interpreter's lock (measured: 89 messages/s at 4, 57 at 32, with 13 to 16 ms of CPU
        each instead of 8.5), so a backlog would grow instead of clearing."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(TRANSACTION_THREADS)
        result, events = await anyio.to_thread.run_sync(self._transaction, work, limiter=self._limiter)
        if events:
            await self.bus.publish(events)
        return result

    async def run(self, token: str | None, work: Work[T]) -> T:
        """Like ``run_plain``, as the principal behind ``token`` (a session token or an API key)."""
        if not token:
            raise AuthError(both("api_not_logged_in"))

        def authenticated(session: Session) -> tuple[T, Sequence[Event]]:
            return work(session, authenticate(session, token))

        return await self.run_plain(authenticated)
