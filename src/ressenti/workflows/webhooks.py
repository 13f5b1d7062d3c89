"""Signed, idempotent webhooks: a helpdesk pushes messages; each delivery is processed once.

Signature: HMAC-SHA256 of ``"{timestamp}.{raw body}"`` with the source's secret, sent as
``X-Ressenti-Signature: sha256=<hex>``; the timestamp must be within 5 minutes of the server's clock.
Idempotency: ``(organisation, source, event_id)`` is unique; the event row is written in the same
transaction as the message, so a delivery is either wholly stored once or not at all.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ressenti.config import WEBHOOK_TOLERANCE_SECONDS
from ressenti.db.models import Conversation, Organisation, WebhookEvent, WebhookSource
from ressenti.errors import AuthError, InvalidError, NotFoundError
from ressenti.i18n import both
from ressenti.realtime.events import Event
from ressenti.workflows.access import INTEGRATION, Principal
from ressenti.workflows.conversations import (
    Opening,
    close_conversation,
    ingest_message,
    open_conversation,
    opened_events,
)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


@dataclass
class Delivery:
    organisation: str
    source: str
    timestamp: str
    signature: str
    body: bytes


@dataclass
class WebhookMessage:
    author: str
    text: str
    external_id: str | None = None
    sent_at: datetime | None = None


@dataclass
class WebhookEventIn:
    event_id: str
    type: str
    conversation_external_id: str
    opening: Opening | None = None
    message: WebhookMessage | None = None


@dataclass
class Outcome:
    status: str  # "processed" | "duplicate"
    conversation_id: int | None = None
    message_id: int | None = None
    events: list[Event] = field(default_factory=list)


def verify(session: Session, delivery: Delivery, now: float | None = None) -> Principal:
    """The principal a delivery acts as, once its signature and timestamp are checked."""
    organisation = session.scalars(
        select(Organisation).where(Organisation.slug == delivery.organisation)
    ).first()
    source = None
    if organisation is not None:
        source = session.scalars(
            select(WebhookSource).where(
                WebhookSource.organisation_id == organisation.id, WebhookSource.source == delivery.source
            )
        ).first()
    if organisation is None or source is None:
        raise NotFoundError(both("api_no_webhook_source", source=delivery.source))
    try:
        sent = int(delivery.timestamp)
    except ValueError:
        raise AuthError(both("api_bad_timestamp")) from None
    if abs((time.time() if now is None else now) - sent) > WEBHOOK_TOLERANCE_SECONDS:
        raise AuthError(both("api_stale_timestamp"))
    expected = signature(source.secret, delivery.timestamp, delivery.body)
    if not hmac.compare_digest(expected, delivery.signature):
        raise AuthError(both("api_bad_signature"))
    return Principal(organisation.id, INTEGRATION, frozenset(), name=f"webhook:{delivery.source}")


def process(session: Session, who: Principal, source: str, event: WebhookEventIn) -> Outcome:
    seen = select(WebhookEvent.id).where(
        WebhookEvent.organisation_id == who.organisation_id,
        WebhookEvent.source == source,
        WebhookEvent.event_id == event.event_id,
    )
    if session.scalars(seen).first() is not None:
        return Outcome("duplicate")
    row = WebhookEvent(organisation_id=who.organisation_id, source=source, event_id=event.event_id)
    session.add(row)
    session.flush()  # a concurrent twin fails here, on the unique key, and is told "duplicate"
    conversation = session.scalars(
        select(Conversation).where(
            Conversation.organisation_id == who.organisation_id,
            Conversation.external_id == event.conversation_external_id,
        )
    ).first()
    if event.type == "conversation.closed":
        if conversation is None:
            raise NotFoundError(both("api_no_external_conversation", id=event.conversation_external_id))
        closed, events = close_conversation(session, who, conversation.id)
        return Outcome("processed", closed.id, None, events)
    if event.message is None:
        raise InvalidError(both("api_event_needs_message"))
    opened: list[Event] = []
    if conversation is None:
        if event.opening is None:
            raise InvalidError(both("api_new_conversation"))
        conversation = open_conversation(session, who, event.opening)
        opened = opened_events(conversation)
    done = ingest_message(
        session,
        who,
        conversation.id,
        author=event.message.author,
        text=event.message.text,
        external_id=event.message.external_id,
        sent_at=event.message.sent_at,
    )
    row.message_id = done.message.id
    return Outcome("processed", conversation.id, done.message.id, opened + done.events)
