"""Signed, idempotent webhooks: a helpdesk pushes messages; each delivery is processed once.

Signature: HMAC-SHA256 of ``"{timestamp}.{raw body}"`` with the source's secret, sent as
``X-Ressenti-Signature: sha256=<hex>``; the timestamp must be within 5 minutes of the server's clock.
Idempotency: ``(organisation, source, event_id)`` is unique; the event row is written in the same
transaction as the message, so a delivery is either wholly stored once or not at all.
Identity: a conversation is ``(organisation, source, external_id)``, each helpdesk numbering its own
tickets; an event that names one but another team or customer is refused, never stored into it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ressenti.config import WEBHOOK_TOLERANCE_SECONDS
from ressenti.db.models import Conversation, Customer, Organisation, WebhookEvent, WebhookSource
from ressenti.errors import AuthError, ConflictError, InvalidError, NotFoundError
from ressenti.i18n import both
from ressenti.realtime.events import Event
from ressenti.workflows.access import INTEGRATION, Principal
from ressenti.workflows.conversations import (
    Opening,
    by_external_id,
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
    # what the event says of the conversation, checked against it when it already exists
    team_id: int | None = None
    customer_external_id: str | None = None


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
    conversation = by_external_id(session, who.organisation_id, source, event.conversation_external_id)
    if conversation is not None:
        _same_conversation(session, conversation, event)
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
        conversation = open_conversation(session, who, replace(event.opening, source=source))
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
    status = "duplicate" if done.duplicate else "processed"  # a message sent again under a new event id
    return Outcome(status, conversation.id, done.message.id, opened + done.events)


def _same_conversation(session: Session, conversation: Conversation, event: WebhookEventIn) -> None:
    """Refuse an event that names this conversation but another team or customer: the sender's ids
    have gone wrong, and storing it here would put one customer's words in another's conversation."""
    named = {"id": conversation.external_id, "source": conversation.source}
    if event.team_id is not None and event.team_id != conversation.team_id:
        raise ConflictError(
            both("api_webhook_other_team", **named, team=conversation.team_id, given=event.team_id)
        )
    if event.customer_external_id is not None:
        customer = session.get(Customer, conversation.customer_id)
        if customer is None or customer.external_id != event.customer_external_id:
            raise ConflictError(
                both("api_webhook_other_customer", **named, customer=event.customer_external_id)
            )
