"""Who may see and do what. Every query goes through here: scoped by organisation, then by role.

An object of another organisation, or one the caller may not see, is "not found" (404): its existence
is not disclosed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session

from ressenti.db.models import Conversation
from ressenti.errors import ForbiddenError, NotFoundError
from ressenti.i18n import both, roles_said

PEOPLE_ROLES = ("agent", "supervisor", "trainer", "admin")
INTEGRATION = "integration"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting: a person (``user_id``) through a login (``session_key``, its token's digest: the
    live tickets and sockets it opens end with it), or an integration's API key (``api_key_id``)."""

    organisation_id: int
    role: str
    team_ids: frozenset[int]
    user_id: int | None = None
    api_key_id: int | None = None
    name: str = ""
    session_key: str | None = None

    @property
    def is_person(self) -> bool:
        return self.user_id is not None

    @property
    def sees_everything(self) -> bool:
        return self.role in ("admin", INTEGRATION)


def conversation_scope(who: Principal) -> ColumnElement[bool]:
    """The SQL condition for the conversations ``who`` may see."""
    in_org = Conversation.organisation_id == who.organisation_id
    if who.sees_everything:
        rule: ColumnElement[bool] = true()
    elif who.role in ("supervisor", "trainer"):
        rule = Conversation.team_id.in_(who.team_ids) if who.team_ids else false()
    elif who.role == "agent":
        own = Conversation.agent_id == who.user_id
        queue = and_(Conversation.agent_id.is_(None), Conversation.team_id.in_(who.team_ids))
        rule = or_(own, queue) if who.team_ids else own
    else:
        rule = false()
    return and_(in_org, rule)


def visible_conversation(
    session: Session,
    who: Principal,
    conversation_id: int,
    *,
    lock: bool = False,
    missing: tuple[str, str] | None = None,
) -> Conversation:
    """The conversation if ``who`` may see it, else not found. Reached through something of it (an
    alert, a reading), it is that thing which is ``missing``: "conversation 24 not found" would tell the
    id of a conversation the caller may not see."""
    query = select(Conversation).where(Conversation.id == conversation_id, conversation_scope(who))
    if lock:
        query = query.with_for_update()
    conversation = session.scalars(query).first()
    if conversation is None:
        raise NotFoundError(missing or both("api_conversation_not_found", id=conversation_id))
    return conversation


def require_role(who: Principal, *roles: str) -> None:
    if who.role not in roles:
        raise ForbiddenError(both("api_role_needed", roles=roles_said(*roles), role=roles_said(who.role)))


def require_person(who: Principal) -> None:
    if not who.is_person:
        raise ForbiddenError(both("api_people_only"))


def require_write(who: Principal, conversation: Conversation) -> None:
    """Close, ingest into: everyone who sees the conversation but trainers (who read only)."""
    if who.role == "trainer":
        raise ForbiddenError(both("api_trainer_writes"))


def supervises(who: Principal, team_id: int) -> bool:
    return who.role == "admin" or (who.role == "supervisor" and team_id in who.team_ids)


def may_follow_conversation(who: Principal, conversation: Conversation) -> bool:
    """Live subscription to a conversation: its agent, or who supervises its team."""
    if conversation.organisation_id != who.organisation_id:
        return False
    return (who.user_id is not None and conversation.agent_id == who.user_id) or supervises(
        who, conversation.team_id
    )
