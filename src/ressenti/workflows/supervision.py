"""What supervisors and agents do around a conversation: alerts, whispers, corrections, erasure."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ressenti.analysis.schemas import EMOTION_LABELS, MOTIVE_LABELS, SENTIMENT_LABELS, SIGNAL_NAMES
from ressenti.db.models import Alert, Conversation, Correction, Customer, Reading, User, Whisper, utcnow
from ressenti.errors import ConflictError, ForbiddenError, InvalidError, NotFoundError
from ressenti.i18n import both
from ressenti.privacy import redact
from ressenti.realtime.events import Event, conversation_channel, team_channel, user_channel
from ressenti.workflows import audit
from ressenti.workflows.access import (
    Principal,
    conversation_scope,
    require_person,
    require_role,
    supervises,
    visible_conversation,
)
from ressenti.workflows.views import alert_view, whisper_view

MAX_NOTE_CHARS = 2_000
CORRECTABLE: dict[str, tuple[str, ...]] = {
    "emotion": EMOTION_LABELS,
    "sentiment": SENTIMENT_LABELS,
    "motive": (*MOTIVE_LABELS, "none"),
    **dict.fromkeys(SIGNAL_NAMES, ("true", "false")),
}


def list_alerts(
    session: Session, who: Principal, status: str | None = None, team_id: int | None = None, limit: int = 100
) -> list[Alert]:
    query = (
        select(Alert)
        .join(Conversation, Conversation.id == Alert.conversation_id)
        .where(conversation_scope(who))
    )
    if status is not None:
        query = query.where(Alert.status == status)
    if team_id is not None:
        query = query.where(Conversation.team_id == team_id)
    return list(session.scalars(query.order_by(Alert.id.desc()).limit(limit)))


def acknowledge_alert(session: Session, who: Principal, alert_id: int) -> tuple[Alert, list[Event]]:
    """Acknowledge an alert; every board and console showing it hears so."""
    require_person(who)
    alert = session.get(Alert, alert_id)
    if alert is None or alert.organisation_id != who.organisation_id:
        raise NotFoundError(both("api_alert_not_found", id=alert_id))
    missing = both("api_alert_not_found", id=alert_id)
    conversation = visible_conversation(session, who, alert.conversation_id, missing=missing)
    if not (supervises(who, conversation.team_id) or conversation.agent_id == who.user_id):
        raise ForbiddenError(both("api_acknowledge_who"))
    if alert.status != "acknowledged":
        alert.status = "acknowledged"
        alert.acknowledged_by = who.user_id
        alert.acknowledged_at = utcnow()
        audit.record(session, who, "alert.acknowledge", "alert", alert.id)
    payload = {"type": "alert", "alert": alert_view(alert)}
    org = who.organisation_id
    return alert, [
        Event(conversation_channel(org, conversation.id), payload),
        Event(team_channel(org, conversation.team_id), payload),
    ]


def whisper(
    session: Session, who: Principal, conversation_id: int, text: str
) -> tuple[dict[str, Any], Event]:
    """A supervisor's note to the conversation's agent: stored apart from the conversation, and sent
    on the agent's private channel only — never on the conversation's, never to anything customer-facing."""
    require_person(who)
    conversation = visible_conversation(session, who, conversation_id)
    if not supervises(who, conversation.team_id):
        raise ForbiddenError(both("api_whisper_who"))
    if conversation.agent_id is None:
        raise ConflictError(both("api_whisper_no_agent", id=conversation.id))
    if conversation.status == "closed":
        raise ConflictError(both("api_whisper_closed", id=conversation.id))
    if not text.strip() or len(text) > MAX_NOTE_CHARS:
        raise InvalidError(both("api_note_length", limit=MAX_NOTE_CHARS))
    note = Whisper(
        organisation_id=who.organisation_id,
        conversation_id=conversation.id,
        author_id=who.user_id,
        agent_id=conversation.agent_id,
        text=redact(text).text,
    )
    session.add(note)
    session.flush()
    audit.record(session, who, "whisper.send", "whisper", note.id)
    view = whisper_view(note, who.name)
    return view, Event(
        user_channel(who.organisation_id, conversation.agent_id), {"type": "whisper", "whisper": view}
    )


def list_whispers(session: Session, who: Principal, limit: int = 100) -> list[dict[str, Any]]:
    require_person(who)
    query = select(Whisper, User.name).join(User, User.id == Whisper.author_id)
    query = query.where(Whisper.organisation_id == who.organisation_id)
    if who.role == "agent":
        query = query.where(Whisper.agent_id == who.user_id)
    elif who.role != "admin":
        query = query.where(Whisper.author_id == who.user_id)
    rows = session.execute(query.order_by(Whisper.id.desc()).limit(limit)).all()
    return [whisper_view(note, name) for note, name in rows]


def correct_reading(
    session: Session, who: Principal, reading_id: int, field: str, value: str, comment: str | None
) -> Correction:
    require_person(who)
    reading = session.get(Reading, reading_id)
    if reading is None or reading.organisation_id != who.organisation_id:
        raise NotFoundError(both("api_reading_not_found", id=reading_id))
    missing = both("api_reading_not_found", id=reading_id)
    visible_conversation(session, who, reading.conversation_id, missing=missing)
    if field not in CORRECTABLE:
        raise InvalidError(both("api_bad_value", field="field", allowed=", ".join(CORRECTABLE)))
    if value not in CORRECTABLE[field]:
        raise InvalidError(both("api_bad_value", field=field, allowed=", ".join(CORRECTABLE[field])))
    old = getattr(reading, field)
    old_value = None if old is None else (str(old).lower() if isinstance(old, bool) else str(old))
    correction = Correction(
        organisation_id=who.organisation_id,
        reading_id=reading.id,
        user_id=who.user_id,
        field=field,
        old_value=old_value,
        new_value=value,
        comment=None if comment is None else redact(comment).text,
    )
    session.add(correction)
    session.flush()
    audit.record(session, who, "reading.correct", "reading", reading.id)
    return correction


def list_corrections(session: Session, who: Principal, limit: int = 100) -> list[Correction]:
    require_role(who, "admin", "supervisor")
    query = select(Correction).join(Reading, Reading.id == Correction.reading_id)
    query = query.join(Conversation, Conversation.id == Reading.conversation_id).where(
        conversation_scope(who)
    )
    return list(session.scalars(query.order_by(Correction.id.desc()).limit(limit)))


def erase_customer(session: Session, who: Principal, customer_id: int) -> None:
    """Erasure (GDPR art. 17): the customer and everything of theirs goes, by the foreign keys' cascade."""
    require_role(who, "admin")
    customer = session.get(Customer, customer_id)
    if customer is None or customer.organisation_id != who.organisation_id:
        raise NotFoundError(both("api_customer_not_found", id=customer_id))
    session.delete(customer)
    audit.record(session, who, "customer.erase", "customer", customer_id)
