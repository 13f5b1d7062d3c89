"""A conversation as it comes in: turns said by a customer, an agent or a bot.

``conversation_from_dict`` checks a record and says precisely what is wrong with a bad one.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from ressenti.i18n import message

Speaker = Literal["customer", "agent", "bot"]
Channel = Literal["chat", "email", "call", "social"]
SPEAKERS: tuple[str, ...] = ("customer", "agent", "bot")
CHANNELS: tuple[str, ...] = ("chat", "email", "call", "social")
MAX_TURNS = 10_000  # a record with more turns is refused: no contact centre conversation is that long


class BadConversationError(ValueError):
    """A record that is not a valid conversation; the message says why, in the user's language."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn: who said it, what, and when (ISO 8601, when known)."""

    speaker: Speaker
    text: str
    ts: str | None = None


@dataclass(frozen=True, slots=True)
class Conversation:
    """A contact: its turns in order, on a channel, handled by an agent of a team."""

    id: str
    channel: Channel
    turns: tuple[Turn, ...]
    agent_id: str | None = None
    team_id: str | None = None
    lang: str | None = None  # when the source says it; otherwise read from the customer's words
    metadata: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def customer_turns(self) -> list[int]:
        """The indexes of the customer's turns."""
        return [index for index, turn in enumerate(self.turns) if turn.speaker == "customer"]


def _optional_text(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadConversationError(message("conv_field_type", field=name))
    return str(value)


def turn_from_dict(fields: object, position: int) -> Turn:
    """One turn of a record; ``position`` (1-based) names it in errors."""
    if not isinstance(fields, Mapping):
        raise BadConversationError(message("conv_turn_not_object", turn=position))
    speaker = fields.get("speaker")
    if isinstance(speaker, str):
        speaker = speaker.strip().lower()
    if speaker not in SPEAKERS:
        raise BadConversationError(
            message(
                "conv_no_speaker" if speaker is None else "conv_bad_speaker",
                turn=position,
                speaker=speaker,
                allowed=", ".join(SPEAKERS),
            )
        )
    text = fields.get("text")
    if not isinstance(text, str):
        raise BadConversationError(message("conv_turn_no_text", turn=position))
    ts = fields.get("ts")
    if isinstance(ts, datetime.datetime):  # Parquet's timestamp type: written back as ISO 8601
        ts = (ts if ts.tzinfo else ts.replace(tzinfo=datetime.UTC)).isoformat().replace("+00:00", "Z")
    if ts is not None and not isinstance(ts, str | int | float):
        raise BadConversationError(message("conv_field_type", field=f"turns[{position}].ts"))
    return Turn(speaker, text, None if ts in (None, "") else str(ts))  # type: ignore[arg-type]


def conversation_from_dict(fields: Mapping[str, Any]) -> Conversation:
    """A checked conversation from a JSON-like record; ``BadConversationError`` says what is wrong."""
    ident = _optional_text(fields, "id")
    if ident is None:
        raise BadConversationError(message("conv_no_id"))
    channel = fields.get("channel") or "chat"
    if isinstance(channel, str):
        channel = channel.strip().lower()
    if channel not in CHANNELS:
        raise BadConversationError(message("conv_bad_channel", channel=channel, allowed=", ".join(CHANNELS)))
    turns = fields.get("turns")
    if turns not in (None, "") and not isinstance(turns, list | tuple):
        raise BadConversationError(message("conv_turns_not_list"))
    if not turns:
        raise BadConversationError(message("conv_no_turns"))
    if len(turns) > MAX_TURNS:
        raise BadConversationError(message("conv_too_many_turns", count=len(turns), limit=MAX_TURNS))
    parsed = tuple(turn_from_dict(turn, position) for position, turn in enumerate(turns, start=1))
    if not any(turn.speaker == "customer" for turn in parsed):
        raise BadConversationError(message("conv_no_customer"))
    metadata = fields.get("metadata")
    if metadata is not None and not isinstance(metadata, Mapping):
        raise BadConversationError(message("conv_field_type", field="metadata"))
    lang = _optional_text(fields, "lang") or _optional_text(metadata or {}, "lang")
    if lang is not None:
        lang = lang.strip().lower()[:2]
        if lang not in ("fr", "en"):
            raise BadConversationError(message("bad_lang", lang=lang))
    return Conversation(
        id=ident,
        channel=channel,  # type: ignore[arg-type]
        turns=parsed,
        agent_id=_optional_text(fields, "agent_id"),
        team_id=_optional_text(fields, "team_id"),
        lang=lang,
        metadata=MappingProxyType(dict(metadata or {})),
    )
