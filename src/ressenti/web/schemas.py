"""What the API accepts: every body refuses unknown fields (a typo is an error, not silence)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ressenti.config import MAX_MESSAGE_CHARS

Role = Literal["agent", "supervisor", "trainer", "admin"]
Locale = Literal["fr", "en"]
Channel = Literal["chat", "email", "social", "call_transcript", "sms", "other"]
Author = Literal["customer", "agent"]
# The taxonomy's names as types, for the OpenAPI schema (a test keeps them equal to ressenti.analysis's).
EmotionName = Literal[
    "anger", "frustration", "anxiety", "confusion", "sadness", "satisfaction", "gratitude", "neutral"
]
SignalName = Literal[
    "complaint", "churn_threat", "escalation_request", "legal_threat", "public_exposure", "urgency"
]
Id = Field(ge=1, le=2**31 - 1)
# An id inside a list is bounded too: an unbounded one reaches the database and overflows its integer.
ListedId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginIn(Strict):
    organisation: str = Field(min_length=1, max_length=64)
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class TeamIn(Strict):
    name: str = Field(min_length=1, max_length=200)


class UserIn(Strict):
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    name: str = Field(min_length=1, max_length=200)
    role: Role
    password: str = Field(min_length=8, max_length=1024)
    team_ids: list[ListedId] = Field(default_factory=list, max_length=100)
    locale: Locale = "fr"


class UserPatch(Strict):
    """What an admin may change of a person: whether they may still log in (more fields may follow)."""

    active: bool


class ApiKeyIn(Strict):
    name: str = Field(min_length=1, max_length=200)


class WebhookSourceIn(Strict):
    source: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")


class CustomerIn(Strict):
    external_id: str = Field(min_length=1, max_length=200)
    name: str | None = Field(default=None, max_length=200)


class ConversationIn(Strict):
    external_id: str | None = Field(default=None, min_length=1, max_length=200)
    channel: Channel
    lang: Locale | None = None
    team_id: int = Id
    agent_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    customer: CustomerIn


class MessageIn(Strict):
    author: Author
    text: str = Field(min_length=1, max_length=MAX_MESSAGE_CHARS)
    external_id: str | None = Field(default=None, min_length=1, max_length=200)
    # With its time zone: a bare "2026-01-01T10:00:00" is nobody's time, and came back without one.
    sent_at: AwareDatetime | None = None


class WhisperIn(Strict):
    text: str = Field(min_length=1, max_length=2000)


class CorrectionIn(Strict):
    field: str = Field(min_length=1, max_length=32)
    value: str = Field(min_length=1, max_length=32)
    comment: str | None = Field(default=None, max_length=2000)


class WebhookConversation(Strict):
    external_id: str = Field(min_length=1, max_length=200)
    channel: Channel | None = None
    lang: Locale | None = None
    team_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    customer: CustomerIn | None = None


class WebhookIn(Strict):
    event_id: str = Field(min_length=1, max_length=200)
    type: Literal["message", "conversation.closed"]
    conversation: WebhookConversation
    message: MessageIn | None = None
