"""What is broadcast, and on which channel. Channels carry the organisation: no event crosses tenants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    channel: str
    payload: dict[str, Any]


def conversation_channel(organisation_id: int, conversation_id: int) -> str:
    return f"org:{organisation_id}:conversation:{conversation_id}"


def team_channel(organisation_id: int, team_id: int) -> str:
    return f"org:{organisation_id}:team:{team_id}"


def user_channel(organisation_id: int, user_id: int) -> str:
    """A person's private channel: every socket of theirs is on it without asking (whispers)."""
    return f"org:{organisation_id}:user:{user_id}"


def session_channel(organisation_id: int, session_key: str) -> str:
    """A login's channel: the sockets opened through it end on the first event there (logout, a
    deactivated account). ``session_key`` is the digest the database keeps, never the token."""
    return f"org:{organisation_id}:session:{session_key}"


def session_ended(organisation_id: int, session_key: str, reason: str) -> Event:
    """The last frame of a login's sockets: ``{"type": "ended", "reason": "logout" | "deactivated" |
    "expired"}``."""
    return Event(session_channel(organisation_id, session_key), {"type": "ended", "reason": reason})


def public_name(channel: str) -> str:
    """``conversation:12`` for ``org:3:conversation:12``: what a client sees."""
    return channel.split(":", 2)[2]
