"""Organisations, teams, users, logins, API keys and live tickets.

Passwords are hashed with argon2; session tokens, API keys and tickets are random and only their
SHA-256 is stored, so a copy of the database opens nothing.

A login ends (logout, its user deactivated) in one transaction: its token and unused tickets are
deleted, and an event on its live channel is returned for the caller to publish once committed, which
closes the sockets it opened in whichever API process holds them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ressenti.config import SESSION_HOURS, TICKET_SECONDS
from ressenti.db.models import (
    ROLES,
    ApiKey,
    LiveTicket,
    Organisation,
    SessionToken,
    Team,
    User,
    WebhookSource,
    utcnow,
)
from ressenti.errors import AuthError, ConflictError, ForbiddenError, InvalidError, NotFoundError
from ressenti.i18n import both
from ressenti.realtime.events import Event, session_ended
from ressenti.workflows import audit
from ressenti.workflows.access import INTEGRATION, Principal, require_role

SESSION_PREFIX = "rs_"
KEY_PREFIX = "rk_"
TICKET_PREFIX = "rt_"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so that both answers take the same time.
_ABSENT = _hasher.hash("ressenti: no such user")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _name(value: str, field: str = "name") -> str:
    """A name as stored: without the spaces around it (" north " is the team north, not a second team
    that looks the same in every list), and refused when nothing is left, as a blank message is."""
    name = value.strip()
    if not name:
        raise InvalidError(both("api_blank", field=field))
    return name


def create_organisation(session: Session, slug: str, name: str) -> Organisation:
    name = _name(name)
    if not SLUG.match(slug):
        raise InvalidError(both("api_bad_slug"))
    if session.scalars(select(Organisation).where(Organisation.slug == slug)).first() is not None:
        raise ConflictError(both("api_organisation_exists", slug=slug))
    organisation = Organisation(slug=slug, name=name)
    session.add(organisation)
    session.flush()
    return organisation


def create_team(session: Session, organisation_id: int, name: str) -> Team:
    name = _name(name)
    exists = select(Team).where(Team.organisation_id == organisation_id, Team.name == name)
    if session.scalars(exists).first() is not None:
        raise ConflictError(both("api_team_exists", name=name))
    team = Team(organisation_id=organisation_id, name=name)
    session.add(team)
    session.flush()
    return team


def teams_of(session: Session, organisation_id: int, team_ids: Iterable[int]) -> list[Team]:
    wanted = set(team_ids)
    found = list(
        session.scalars(select(Team).where(Team.organisation_id == organisation_id, Team.id.in_(wanted)))
    )
    missing = wanted - {t.id for t in found}
    if missing:
        raise InvalidError(both("api_no_team", teams=", ".join(map(str, sorted(missing)))))
    return found


def create_user(
    session: Session,
    organisation_id: int,
    *,
    email: str,
    name: str,
    role: str,
    password: str | None = None,
    password_hash: str | None = None,
    team_ids: Iterable[int] = (),
    locale: str = "fr",
) -> User:
    if role not in ROLES:
        raise InvalidError(both("api_bad_value", field="role", allowed=", ".join(ROLES)))
    if locale not in ("fr", "en"):
        raise InvalidError(both("api_bad_locale"))
    email = email.strip().lower()
    name = _name(name)
    exists = select(User).where(User.organisation_id == organisation_id, User.email == email)
    if session.scalars(exists).first() is not None:
        raise ConflictError(both("api_user_exists", email=email))
    user = User(
        organisation_id=organisation_id,
        email=email,
        name=name,
        role=role,
        locale=locale,
        password_hash=password_hash if password is None else hash_password(password),
    )
    user.teams = teams_of(session, organisation_id, team_ids)
    session.add(user)
    session.flush()
    return user


def principal_for(user: User, session_key: str | None = None) -> Principal:
    return Principal(
        organisation_id=user.organisation_id,
        role=user.role,
        team_ids=frozenset(t.id for t in user.teams),
        user_id=user.id,
        name=user.name,
        session_key=session_key,
    )


def login(session: Session, organisation: str, email: str, password: str) -> tuple[str, datetime, User]:
    user = session.scalars(
        select(User)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(Organisation.slug == organisation, User.email == email.strip().lower(), User.active)
    ).first()
    ok = _check_password(user.password_hash if user and user.password_hash else _ABSENT, password)
    if user is None or not ok:
        raise AuthError(both("api_wrong_login"))
    token = SESSION_PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(hours=SESSION_HOURS)
    session.add(SessionToken(token_hash=digest(token), user_id=user.id, expires_at=expires))
    return token, expires, user


def logout(session: Session, token: str) -> list[Event]:
    """End the login behind ``token``; the event to publish once committed closes its sockets."""
    found = session.get(SessionToken, digest(token))
    if found is None:
        return []
    user = session.get(User, found.user_id)
    return [] if user is None else end_logins(session, user, [found], "logout")


def end_logins(session: Session, user: User, logins: Iterable[SessionToken], reason: str) -> list[Event]:
    """Delete ``logins`` of ``user`` and their unused tickets (explicitly: the foreign key's cascade
    would too, but only where the database enforces it); one ``ended`` event per login, ``reason``
    telling its sockets why."""
    keys = [login.token_hash for login in logins]
    if not keys:
        return []
    session.execute(delete(LiveTicket).where(LiveTicket.session_hash.in_(keys)))
    session.execute(delete(SessionToken).where(SessionToken.token_hash.in_(keys)))
    return [session_ended(user.organisation_id, key, reason) for key in keys]


def login_alive(session: Session, session_key: str) -> bool:
    """Whether the login is still there: a socket checks it once it listens on the login's channel, so
    a logout committed between its ticket and its subscription is not missed."""
    return login_expiry(session, session_key) is not None


def login_expiry(session: Session, session_key: str) -> datetime | None:
    """When the login ends by itself (its socket closes then), or None when it is gone already."""
    found = session.get(SessionToken, session_key)
    return found.expires_at if found is not None and found.expires_at > utcnow() else None


def authenticate(session: Session, token: str) -> Principal:
    """The principal behind a session token or an API key; AuthError otherwise."""
    if token.startswith(KEY_PREFIX):
        key = session.scalars(
            select(ApiKey).where(ApiKey.key_hash == digest(token), ApiKey.revoked_at.is_(None))
        ).first()
        if key is None:
            raise AuthError(both("api_bad_key"))
        return Principal(key.organisation_id, INTEGRATION, frozenset(), api_key_id=key.id, name=key.name)
    if token.startswith(SESSION_PREFIX):
        found = session.get(SessionToken, digest(token))
        if found is not None and found.expires_at > utcnow():
            user = session.get(User, found.user_id)
            if user is not None and user.active:
                return principal_for(user, found.token_hash)
    raise AuthError(both("api_session_expired"))


def create_api_key(session: Session, who: Principal, name: str) -> tuple[ApiKey, str]:
    require_role(who, "admin")
    name = _name(name)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(organisation_id=who.organisation_id, name=name, key_hash=digest(key))
    session.add(row)
    session.flush()
    return row, key


def api_keys(session: Session, who: Principal) -> list[ApiKey]:
    """The organisation's keys, revoked ones included (an admin sees what was cut off and when)."""
    require_role(who, "admin")
    query = select(ApiKey).where(ApiKey.organisation_id == who.organisation_id).order_by(ApiKey.id)
    return list(session.scalars(query))


def revoke_api_key(session: Session, who: Principal, key_id: int) -> ApiKey:
    """Cut a key off: ``authenticate`` refuses it from the next request on, in every process. Revoking
    it again changes nothing (the first time stays the one recorded); another organisation's is 404."""
    require_role(who, "admin")
    key = session.get(ApiKey, key_id)
    if key is None or key.organisation_id != who.organisation_id:
        raise NotFoundError(both("api_key_not_found", id=key_id))
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record(session, who, "api_key.revoke", "api_key", key.id)
    return key


def set_user_active(session: Session, who: Principal, user_id: int, active: bool) -> tuple[User, list[Event]]:
    """Deactivate or reactivate a person. Deactivating ends every login of theirs (tokens, unused
    tickets, and the events that close their sockets); they cannot log in again, and are told so as
    any failed login is. An admin may not deactivate themself: the organisation could be left with
    nobody to undo it."""
    require_role(who, "admin")
    user = user_in_org(session, who.organisation_id, user_id)
    if not active and user.id == who.user_id:
        raise ConflictError(both("api_deactivate_self"))
    if user.active == active:
        return user, []
    user.active = active
    audit.record(session, who, "user.reactivate" if active else "user.deactivate", "user", user.id)
    if active:
        return user, []
    logins = session.scalars(select(SessionToken).where(SessionToken.user_id == user.id))
    return user, end_logins(session, user, list(logins), "deactivated")


def create_ticket(session: Session, who: Principal) -> str:
    """A ticket of ``who``'s login: it dies with the login, and so does the socket it opens."""
    if who.user_id is None or who.session_key is None:
        raise ForbiddenError(both("api_ticket_for_people"))  # authenticated, but no login to tie it to
    ticket = TICKET_PREFIX + secrets.token_urlsafe(24)
    expires = utcnow() + timedelta(seconds=TICKET_SECONDS)
    session.add(
        LiveTicket(
            ticket_hash=digest(ticket),
            user_id=who.user_id,
            session_hash=who.session_key,
            expires_at=expires,
        )
    )
    return ticket


def redeem_ticket(session: Session, ticket: str) -> Principal:
    """Use a ticket once: the conditional update makes a second use fail, in any process. The principal
    carries the ticket's login, whose end closes the socket."""
    now = utcnow()
    used = session.execute(
        update(LiveTicket)
        .where(
            LiveTicket.ticket_hash == digest(ticket),
            LiveTicket.used_at.is_(None),
            LiveTicket.expires_at > now,
        )
        .values(used_at=now)
        .returning(LiveTicket.user_id, LiveTicket.session_hash)
    ).first()
    if used is None or not login_alive(session, used[1]):
        raise AuthError(both("api_bad_ticket"))
    user = session.get(User, used[0])
    if user is None or not user.active:
        raise AuthError(both("api_bad_ticket"))
    return principal_for(user, used[1])


def create_webhook_source(session: Session, who: Principal, source: str) -> WebhookSource:
    require_role(who, "admin")
    exists = select(WebhookSource).where(
        WebhookSource.organisation_id == who.organisation_id, WebhookSource.source == source
    )
    if session.scalars(exists).first() is not None:
        raise ConflictError(both("api_webhook_source_exists", source=source))
    row = WebhookSource(organisation_id=who.organisation_id, source=source, secret=secrets.token_hex(32))
    session.add(row)
    session.flush()
    return row


def user_in_org(session: Session, organisation_id: int, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.organisation_id != organisation_id:
        raise NotFoundError(both("api_user_not_found", id=user_id))
    return user
