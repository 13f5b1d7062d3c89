"""The JSON form of stored objects, the same for REST answers and live events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ressenti.db.models import (
    Alert,
    ApiKey,
    Conversation,
    Correction,
    Message,
    Reading,
    Team,
    User,
    Whisper,
)


def when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def temperature(conversation: Conversation) -> dict[str, Any] | None:
    if conversation.emotion is None:
        return None
    return {
        "emotion": conversation.emotion,
        "sentiment": conversation.sentiment,
        "valence": conversation.valence,
        "intensity": conversation.intensity,
        "emoticon": conversation.emoticon,
    }


def conversation_view(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "source": conversation.source or None,
        "external_id": conversation.external_id,
        "customer_id": conversation.customer_id,
        "team_id": conversation.team_id,
        "agent_id": conversation.agent_id,
        "agent_name": None if conversation.agent is None else conversation.agent.name,
        "channel": conversation.channel,
        "lang": conversation.lang,
        "status": conversation.status,
        "opened_at": when(conversation.opened_at),
        "closed_at": when(conversation.closed_at),
        "last_message_at": when(conversation.last_message_at),
        "message_count": conversation.message_count,
        "temperature": temperature(conversation),
    }


def reading_view(reading: Reading) -> dict[str, Any]:
    return {"id": reading.id, "engine_version": reading.engine_version, **reading.analysis}


def message_view(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "seq": message.seq,
        "author": message.author,
        "author_user_id": message.author_user_id,
        "external_id": message.external_id,
        "text": message.text,
        "redactions": message.redactions,
        "sent_at": when(message.sent_at),
    }


def alert_view(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "conversation_id": alert.conversation_id,
        "message_id": alert.message_id,
        "kind": alert.kind,
        "severity": alert.severity,
        "reasons": alert.reasons,
        "status": alert.status,
        "created_at": when(alert.created_at),
        "acknowledged_by": alert.acknowledged_by,
        "acknowledged_at": when(alert.acknowledged_at),
    }


def whisper_view(whisper: Whisper, author_name: str) -> dict[str, Any]:
    return {
        "id": whisper.id,
        "conversation_id": whisper.conversation_id,
        "agent_id": whisper.agent_id,
        "author_id": whisper.author_id,
        "author_name": author_name,
        "text": whisper.text,
        "created_at": when(whisper.created_at),
    }


def correction_view(correction: Correction) -> dict[str, Any]:
    return {
        "id": correction.id,
        "reading_id": correction.reading_id,
        "user_id": correction.user_id,
        "field": correction.field,
        "old_value": correction.old_value,
        "new_value": correction.new_value,
        "comment": correction.comment,
        "created_at": when(correction.created_at),
    }


def team_view(team: Team) -> dict[str, Any]:
    return {"id": team.id, "name": team.name}


def user_view(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "locale": user.locale,
        "active": user.active,
        "teams": [team_view(t) for t in user.teams],
    }


def api_key_view(key: ApiKey) -> dict[str, Any]:
    """A key as an admin lists it: never the key, which is shown once when it is made."""
    return {
        "id": key.id,
        "name": key.name,
        "created_at": when(key.created_at),
        "revoked_at": when(key.revoked_at),
    }
