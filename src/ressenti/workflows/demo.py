"""The demo organisation: Maison Lumen, a French home-goods retailer with an English-speaking care team.

Its conversations (``ressenti/demo/conversations.jsonl``, written by us) go through the same path as
live traffic: redaction, reading, alerts. Every demo user shares the password ``DEMO_PASSWORD``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ressenti.db.models import Organisation, User, utcnow
from ressenti.workflows import accounts
from ressenti.workflows.access import INTEGRATION, Principal
from ressenti.workflows.conversations import Opening, close_conversation, ingest_message, open_conversation

SLUG = "maison-lumen"
DEMO_PASSWORD = "demo-ressenti"  # noqa: S105 - the demo's published password
TEAMS = {"team-fr": "Service client FR", "team-en": "Customer care EN"}


@dataclass(frozen=True)
class DemoUser:
    key: str
    name: str
    email: str
    role: str
    teams: tuple[str, ...]
    locale: str


USERS = (
    DemoUser("camille", "Camille Laurent", "camille@maison-lumen.fr", "agent", ("team-fr",), "fr"),
    DemoUser("julien", "Julien Moreau", "julien@maison-lumen.fr", "agent", ("team-fr",), "fr"),
    DemoUser("ines", "Inès Haddad", "ines@maison-lumen.fr", "agent", ("team-fr",), "fr"),
    DemoUser("thomas", "Thomas Petit", "thomas@maison-lumen.fr", "agent", ("team-fr",), "fr"),
    DemoUser("lea", "Léa Girard", "lea@maison-lumen.fr", "agent", ("team-fr",), "fr"),
    DemoUser("sam", "Sam Carter", "sam@maison-lumen.example", "agent", ("team-en",), "en"),
    DemoUser("priya", "Priya Shah", "priya@maison-lumen.example", "agent", ("team-en",), "en"),
    DemoUser("daniel", "Daniel Okafor", "daniel@maison-lumen.example", "agent", ("team-en",), "en"),
    DemoUser("emma", "Emma Wilson", "emma@maison-lumen.example", "agent", ("team-en",), "en"),
    DemoUser("noah", "Noah Bennett", "noah@maison-lumen.example", "agent", ("team-en",), "en"),
    DemoUser("sophie", "Sophie Martin", "sophie@maison-lumen.fr", "supervisor", ("team-fr",), "fr"),
    DemoUser("olivia", "Olivia Brown", "olivia@maison-lumen.example", "supervisor", ("team-en",), "en"),
    DemoUser("marc", "Marc Dubois", "marc@maison-lumen.fr", "trainer", ("team-fr", "team-en"), "fr"),
    DemoUser("nadia", "Nadia Benali", "admin@maison-lumen.fr", "admin", ("team-fr", "team-en"), "fr"),
)


def demo_conversations() -> Iterator[dict[str, Any]]:
    with resources.files("ressenti").joinpath("demo/conversations.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def exists(session: Session) -> bool:
    return session.scalars(select(Organisation.id).where(Organisation.slug == SLUG)).first() is not None


def remove(session: Session) -> None:
    organisation = session.scalars(select(Organisation).where(Organisation.slug == SLUG)).first()
    if organisation is not None:
        session.delete(organisation)
        session.flush()


@dataclass
class Seeded:
    organisation_id: int
    users: dict[str, int]
    teams: dict[str, int]
    conversations: int
    messages: int
    alerts: int


def _shift(records: list[dict[str, Any]], now: datetime) -> timedelta:
    """How far to move the written timestamps so that the demo's last message was sent a few minutes
    ago: the open conversations then look live, whatever the day the demo is seeded."""
    latest = max(datetime.fromisoformat(t["ts"]) for r in records for t in r["turns"])
    return now - timedelta(minutes=3) - latest


def seed(
    session: Session, progress: Callable[[int], None] | None = None, now: datetime | None = None
) -> Seeded:
    """Create the demo organisation and replay its conversations. The caller commits."""
    organisation = accounts.create_organisation(session, SLUG, "Maison Lumen")
    teams = {key: accounts.create_team(session, organisation.id, name).id for key, name in TEAMS.items()}
    password_hash = accounts.hash_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for person in USERS:
        users[person.key] = accounts.create_user(
            session,
            organisation.id,
            email=person.email,
            name=person.name,
            role=person.role,
            password_hash=password_hash,
            team_ids=[teams[t] for t in person.teams],
            locale=person.locale,
        )
    robot = Principal(organisation.id, INTEGRATION, frozenset(), name="demo")
    counted = Seeded(organisation.id, {k: u.id for k, u in users.items()}, teams, 0, 0, 0)
    records = list(demo_conversations())
    shift = _shift(records, now or utcnow())

    def at(stamp: str) -> datetime:
        return datetime.fromisoformat(stamp) + shift

    for record in records:
        agent = users[record["agent_id"]]
        conversation = open_conversation(
            session,
            robot,
            Opening(
                channel=record["channel"],
                team_id=teams[record["team_id"]],
                customer_external_id=record["customer"]["external_id"],
                customer_name=record["customer"].get("name"),
                external_id=record["id"],
                lang=record.get("lang"),
                agent_id=agent.id,
            ),
        )
        conversation.opened_at = at(record["turns"][0]["ts"])
        as_agent = accounts.principal_for(agent)
        for turn in record["turns"]:
            author = "customer" if turn["speaker"] == "customer" else "agent"
            done = ingest_message(
                session,
                robot if author == "customer" else as_agent,
                conversation.id,
                author=author,
                text=turn["text"],
                sent_at=at(turn["ts"]),
            )
            counted.messages += 1
            counted.alerts += len(done.alerts)
        if record.get("status") == "closed":
            close_conversation(session, robot, conversation.id)
            conversation.closed_at = at(record["turns"][-1]["ts"])
        counted.conversations += 1
        if progress is not None:
            progress(1)
    return counted
