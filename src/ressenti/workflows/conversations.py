"""Conversations as the service lives them: opened, fed message by message, searched, reported on, closed.

A message goes through one path, whatever door it came in by (REST, webhook, demo): redact → read
(customers' messages only: agents' feelings are never inferred) → store the message and its reading →
raise alerts → (caller commits) → broadcast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from ressenti.alerting import RecentReading, evaluate
from ressenti.analysis.api import default_engine
from ressenti.analysis.schemas import MOTIVE_LABELS, SIGNAL_NAMES, Analysis
from ressenti.config import MAX_MESSAGE_CHARS
from ressenti.conversation.analyzer import ConversationAnalyzer
from ressenti.conversation.model import conversation_from_dict
from ressenti.db.models import Alert, Conversation, Customer, Message, Reading, utcnow
from ressenti.errors import ConflictError, ForbiddenError, InvalidError
from ressenti.i18n import both
from ressenti.privacy import redact
from ressenti.realtime.events import Event, conversation_channel, team_channel, user_channel
from ressenti.workflows import audit
from ressenti.workflows.access import Principal, conversation_scope, require_write, visible_conversation
from ressenti.workflows.accounts import teams_of, user_in_org
from ressenti.workflows.views import (
    alert_view,
    conversation_view,
    message_view,
    reading_view,
    temperature,
    when,
)

CHANNELS = ("chat", "email", "social", "call_transcript", "sms", "other")
RECENT_TURNS = 5
# A message may say it was sent this far ahead of our clock (clocks drift), not more: one dated 9999
# stayed on top of "newest activity first" for ever.
SENT_AT_AHEAD = timedelta(hours=1)


@dataclass
class Opening:
    channel: str
    team_id: int
    customer_external_id: str
    customer_name: str | None = None
    external_id: str | None = None
    lang: str | None = None
    agent_id: int | None = None
    source: str = ""  # the webhook source that opens it; "" through the REST API


@dataclass
class Ingested:
    conversation: Conversation
    message: Message
    reading: Reading | None
    alerts: list[Alert]
    duplicate: bool = False
    events: list[Event] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        return {
            "message": message_view(self.message),
            "reading": None if self.reading is None else reading_view(self.reading),
            "alerts": [alert_view(a) for a in self.alerts],
            "duplicate": self.duplicate,
        }


def _customer(session: Session, organisation_id: int, opening: Opening) -> Customer:
    """The customer ``opening.source`` calls ``customer_external_id``, made on first sight: another
    source's customer of the same id is another person."""
    found = session.scalars(
        select(Customer).where(
            Customer.organisation_id == organisation_id,
            Customer.source == opening.source,
            Customer.external_id == opening.customer_external_id,
        )
    ).first()
    if found is None:
        # A name is kept (the agent greets the person), not a phone or an e-mail typed beside it.
        name = opening.customer_name
        found = Customer(
            organisation_id=organisation_id,
            source=opening.source,
            external_id=opening.customer_external_id,
            name=redact(name).text if name is not None else None,
        )
        session.add(found)
        session.flush()
    return found


def _assignable(session: Session, who: Principal, agent_id: int, team_id: int) -> None:
    """Refuse to assign a conversation to anyone but an agent of its team: elsewhere it would sit in a
    console its team's board, queue and supervisors cannot reach, whoever asked for it."""
    agent = user_in_org(session, who.organisation_id, agent_id)
    if agent.role != "agent":
        raise InvalidError(both("api_not_an_agent", id=agent.id))
    if team_id not in {team.id for team in agent.teams}:
        raise InvalidError(both("api_agent_other_team", id=agent.id, team=team_id))


def by_external_id(
    session: Session, organisation_id: int, source: str, external_id: str
) -> Conversation | None:
    """The conversation ``source`` calls ``external_id`` ("" for the REST API): each helpdesk numbers its
    own tickets, so another source's conversation of the same id is another conversation."""
    return session.scalars(
        select(Conversation).where(
            Conversation.organisation_id == organisation_id,
            Conversation.source == source,
            Conversation.external_id == external_id,
        )
    ).first()


def open_conversation(session: Session, who: Principal, opening: Opening) -> Conversation:
    if opening.channel not in CHANNELS:
        raise InvalidError(both("api_bad_value", field="channel", allowed=", ".join(CHANNELS)))
    if opening.lang not in (None, "fr", "en"):
        raise InvalidError(both("api_bad_lang"))
    teams_of(session, who.organisation_id, [opening.team_id])
    if who.role == "trainer":
        raise ForbiddenError(both("api_trainer_opens"))  # the role may not: 403, as every role refusal
    if who.role in ("agent", "supervisor") and opening.team_id not in who.team_ids:
        raise InvalidError(both("api_other_team", team=opening.team_id))
    if opening.agent_id is not None:
        _assignable(session, who, opening.agent_id, opening.team_id)
    if opening.external_id is not None and (
        by_external_id(session, who.organisation_id, opening.source, opening.external_id) is not None
    ):
        raise ConflictError(both("api_external_id_exists", external_id=opening.external_id))
    customer = _customer(session, who.organisation_id, opening)
    conversation = Conversation(
        organisation_id=who.organisation_id,
        source=opening.source,
        external_id=opening.external_id,
        customer_id=customer.id,
        team_id=opening.team_id,
        agent_id=opening.agent_id,
        channel=opening.channel,
        lang=opening.lang,
        status="open",
        message_count=0,
    )
    session.add(conversation)
    session.flush()
    audit.record(session, who, "conversation.open", "conversation", conversation.id)
    return conversation


def close_conversation(
    session: Session, who: Principal, conversation_id: int
) -> tuple[Conversation, list[Event]]:
    conversation = visible_conversation(session, who, conversation_id, lock=True)
    require_write(who, conversation)
    if conversation.status == "closed":
        return conversation, []
    conversation.status = "closed"
    conversation.closed_at = utcnow()
    audit.record(session, who, "conversation.close", "conversation", conversation.id)
    payload = {"type": "closed", "conversation_id": conversation.id}
    org = conversation.organisation_id
    return conversation, [
        Event(conversation_channel(org, conversation.id), payload),
        Event(team_channel(org, conversation.team_id), payload),
    ]


def _reading(message: Message, analysis: Analysis) -> Reading:
    data = analysis.to_dict()
    data.pop("text", None)
    return Reading(
        organisation_id=message.organisation_id,
        message_id=message.id,
        conversation_id=message.conversation_id,
        engine_version=analysis.engine_version,
        lang=analysis.lang,
        emotion=analysis.emotion,
        sentiment=analysis.sentiment,
        valence=analysis.valence,
        intensity=analysis.intensity,
        emoticon=analysis.emoticon.symbol,
        motive=analysis.motive,
        analysis=data,
        **{name: analysis.signals[name].value for name in SIGNAL_NAMES},
    )


def _alerts(
    session: Session, conversation: Conversation, message: Message, analysis: Analysis
) -> list[Alert]:
    """The alerts this reading raises, given the conversation's earlier readings and open alerts."""
    earlier = session.scalars(
        select(Reading.valence)
        .where(Reading.conversation_id == conversation.id)
        .order_by(Reading.id.desc())
        .limit(RECENT_TURNS)
    ).all()
    already_open = set(
        session.scalars(
            select(Alert.kind).where(Alert.conversation_id == conversation.id, Alert.status == "open")
        ).all()
    )
    findings = evaluate(analysis, [RecentReading(v) for v in reversed(earlier)], already_open)
    return [
        Alert(
            organisation_id=conversation.organisation_id,
            conversation_id=conversation.id,
            message_id=message.id,
            kind=finding.kind,
            severity=finding.severity,
            reasons=finding.reasons(),
            status="open",
        )
        for finding in findings
    ]


def _existing(session: Session, conversation: Conversation, message: Message) -> Ingested:
    """A message sent again with its ``external_id``: what was stored the first time."""
    reading = session.scalars(select(Reading).where(Reading.message_id == message.id)).first()
    alerts = list(session.scalars(select(Alert).where(Alert.message_id == message.id)))
    return Ingested(conversation, message, reading, alerts, duplicate=True)


def ingest_message(
    session: Session,
    who: Principal,
    conversation_id: int,
    *,
    author: str,
    text: str,
    external_id: str | None = None,
    sent_at: datetime | None = None,
) -> Ingested:
    """Store one message (redacted) and, for a customer's, its reading and the alerts it raises."""
    if author not in ("customer", "agent"):
        raise InvalidError(both("api_bad_author"))
    if not text.strip():
        raise InvalidError(both("api_empty_message"))
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidError(both("api_message_too_long", limit=MAX_MESSAGE_CHARS, count=len(text)))
    now = utcnow()
    if sent_at is not None and sent_at > now + SENT_AT_AHEAD:
        raise InvalidError(both("api_sent_at_future", hours=int(SENT_AT_AHEAD.total_seconds() // 3600)))
    conversation = visible_conversation(session, who, conversation_id, lock=True)
    require_write(who, conversation)
    if external_id is not None:
        seen = session.scalars(
            select(Message).where(
                Message.conversation_id == conversation.id, Message.external_id == external_id
            )
        ).first()
        if seen is not None:
            return _existing(session, conversation, seen)
    if conversation.status == "closed":
        raise ConflictError(both("api_conversation_closed", id=conversation.id))
    redacted = redact(text)
    # Read before anything is written: the conversation row is then updated once, with its new
    # temperature, in the same flush as the message's insert.
    analysis = default_engine().analyze(redacted.text, conversation.lang) if author == "customer" else None
    conversation.message_count += 1
    message = Message(
        organisation_id=conversation.organisation_id,
        conversation_id=conversation.id,
        seq=conversation.message_count,
        author=author,
        author_user_id=who.user_id if author == "agent" else None,
        external_id=external_id,
        text=redacted.text,
        redactions=redacted.counts(),
        sent_at=sent_at or now,
    )
    if author == "agent" and conversation.agent_id is None and who.role == "agent":
        conversation.agent_id = who.user_id  # the agent who answers a queued conversation takes it
    # A message sent earlier than the last one (history imported late) does not move activity back.
    last = conversation.last_message_at
    conversation.last_message_at = message.sent_at if last is None else max(last, message.sent_at)
    if analysis is not None:
        if conversation.lang is None:
            conversation.lang = analysis.lang
        conversation.emotion = analysis.emotion
        conversation.sentiment = analysis.sentiment
        conversation.valence = analysis.valence
        conversation.intensity = analysis.intensity
        conversation.emoticon = analysis.emoticon.symbol
    session.add(message)
    session.flush()
    reading = None
    alerts: list[Alert] = []
    if analysis is not None:
        alerts = _alerts(session, conversation, message, analysis)
        reading = _reading(message, analysis)
        session.add(reading)
        session.add_all(alerts)
        session.flush()
    audit.record(session, who, "message.ingest", "message", message.id)
    done = Ingested(conversation, message, reading, alerts)
    done.events = _message_events(done)
    return done


def _team_update(conversation: Conversation, message: Message | None = None) -> dict[str, Any]:
    """The ``conversation`` event a supervisor's board lives on: the row's new state."""
    return {
        "type": "conversation",
        "conversation_id": conversation.id,
        "message_id": None if message is None else message.id,
        "seq": None if message is None else message.seq,
        "author": None if message is None else message.author,
        "temperature": temperature(conversation),
        "status": conversation.status,
        "agent_id": conversation.agent_id,
        "agent_name": None if conversation.agent is None else conversation.agent.name,
        "channel": conversation.channel,
        "last_message_at": when(conversation.last_message_at),
    }


def opened_events(conversation: Conversation) -> list[Event]:
    """A new conversation appears on its team's board, and in its agent's console when assigned."""
    org = conversation.organisation_id
    events = [Event(team_channel(org, conversation.team_id), _team_update(conversation))]
    if conversation.agent_id is not None:
        assigned = {"type": "assigned", "conversation": conversation_view(conversation)}
        events.append(Event(user_channel(org, conversation.agent_id), assigned))
    return events


def _message_events(done: Ingested) -> list[Event]:
    conversation = done.conversation
    org = conversation.organisation_id
    to_conversation = conversation_channel(org, conversation.id)
    to_team = team_channel(org, conversation.team_id)
    events = [
        Event(
            to_conversation,
            {
                "type": "message",
                "conversation_id": conversation.id,
                "message": message_view(done.message),
                "reading": None if done.reading is None else reading_view(done.reading),
            },
        ),
        Event(to_team, _team_update(conversation, done.message)),
    ]
    for alert in done.alerts:
        payload = {"type": "alert", "alert": alert_view(alert)}
        events += [Event(to_conversation, payload), Event(to_team, payload)]
    return events


@dataclass
class Search:
    status: str | None = None
    emotion: str | None = None
    motive: str | None = None
    signal: str | None = None
    agent_id: int | None = None
    team_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 50
    offset: int = 0


def _reading_exists(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(Reading.conversation_id == Conversation.id, condition)


def search_conversations(session: Session, who: Principal, search: Search) -> tuple[int, list[Conversation]]:
    if search.motive is not None and search.motive not in MOTIVE_LABELS:
        raise InvalidError(both("api_bad_value", field="motive", allowed=", ".join(MOTIVE_LABELS)))
    if search.signal is not None and search.signal not in SIGNAL_NAMES:
        raise InvalidError(both("api_bad_value", field="signal", allowed=", ".join(SIGNAL_NAMES)))
    conditions: list[ColumnElement[bool]] = [conversation_scope(who)]
    if search.status is not None:
        conditions.append(Conversation.status == search.status)
    if search.emotion is not None:
        conditions.append(_reading_exists(Reading.emotion == search.emotion))
    if search.motive is not None:
        conditions.append(_reading_exists(Reading.motive == search.motive))
    if search.signal is not None:
        conditions.append(_reading_exists(getattr(Reading, search.signal).is_(True)))
    if search.agent_id is not None:
        conditions.append(Conversation.agent_id == search.agent_id)
    if search.team_id is not None:
        conditions.append(Conversation.team_id == search.team_id)
    if search.since is not None:
        conditions.append(Conversation.opened_at >= search.since)
    if search.until is not None:
        conditions.append(Conversation.opened_at < search.until)
    total = session.scalar(select(func.count()).select_from(Conversation).where(*conditions)) or 0
    rows = session.scalars(
        select(Conversation)
        .where(*conditions)
        .order_by(Conversation.last_message_at.desc().nulls_last(), Conversation.id.desc())
        .limit(search.limit)
        .offset(search.offset)
    ).all()
    audit.record(session, who, "conversation.search", "conversation")
    return total, list(rows)


def get_conversation(session: Session, who: Principal, conversation_id: int) -> Conversation:
    conversation = visible_conversation(session, who, conversation_id)
    audit.record(session, who, "conversation.read", "conversation", conversation.id)
    return conversation


def list_messages(
    session: Session, who: Principal, conversation_id: int, after_seq: int = 0
) -> list[dict[str, Any]]:
    conversation = visible_conversation(session, who, conversation_id)
    rows = session.execute(
        select(Message, Reading)
        .outerjoin(Reading, Reading.message_id == Message.id)
        .where(Message.conversation_id == conversation.id, Message.seq > after_seq)
        .order_by(Message.seq)
    ).all()
    audit.record(session, who, "message.read", "conversation", conversation.id)
    return [{**message_view(m), "reading": None if r is None else reading_view(r)} for m, r in rows]


_analyzer: ConversationAnalyzer | None = None


def conversation_report(
    session: Session, who: Principal, conversation_id: int, reader_lang: str | None = None
) -> dict[str, Any]:
    """The post-interaction report (issue "Conversations") of the stored, redacted messages; its
    sentences for the reader in ``reader_lang`` when given."""
    global _analyzer  # one analyzer per process, built on first use
    conversation = visible_conversation(session, who, conversation_id)
    messages: Sequence[Message] = session.scalars(
        select(Message).where(Message.conversation_id == conversation.id).order_by(Message.seq)
    ).all()
    if not messages:
        raise ConflictError(both("api_no_message_yet", id=conversation.id))
    record: dict[str, Any] = {
        "id": str(conversation.external_id or conversation.id),
        "channel": conversation.channel,
        "agent_id": None if conversation.agent_id is None else str(conversation.agent_id),
        "team_id": str(conversation.team_id),
        "metadata": {"lang": conversation.lang} if conversation.lang else {},
        "turns": [{"speaker": m.author, "text": m.text, "ts": when(m.sent_at)} for m in messages],
    }
    if _analyzer is None:
        _analyzer = ConversationAnalyzer(default_engine())
    audit.record(session, who, "report.read", "conversation", conversation.id)
    return _analyzer.analyze(conversation_from_dict(record), reader_lang)
