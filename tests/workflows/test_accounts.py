"""Accounts: passwords, sessions, API keys and live tickets on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ressenti.db.models import ApiKey, AuditEntry, LiveTicket, SessionToken, utcnow
from ressenti.errors import AuthError, ConflictError, ForbiddenError, InvalidError, NotFoundError
from ressenti.realtime.events import session_channel
from ressenti.workflows import accounts
from ressenti.workflows.access import INTEGRATION
from tests.service_fixtures import PASSWORD, World


def test_login_stores_only_the_tokens_digest(session: Session, world: World) -> None:
    token, _, user = accounts.login(session, "acme", "agent@acme.test", PASSWORD)
    assert session.get(SessionToken, token) is None
    assert session.get(SessionToken, accounts.digest(token)) is not None
    assert accounts.authenticate(session, token).user_id == user.id


def test_expired_session_is_refused(session: Session, world: World) -> None:
    token, _, _ = accounts.login(session, "acme", "agent@acme.test", PASSWORD)
    row = session.get(SessionToken, accounts.digest(token))
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(AuthError):
        accounts.authenticate(session, token)


def test_api_key_acts_as_the_organisations_integration(session: Session, world: World) -> None:
    admin = accounts.principal_for(world.users["admin"])
    row, key = accounts.create_api_key(session, admin, "crm")
    who = accounts.authenticate(session, key)
    assert who.role == INTEGRATION
    assert who.organisation_id == world.org
    assert who.user_id is None
    revoked = session.get(ApiKey, row.id)
    assert revoked is not None
    revoked.revoked_at = utcnow()
    with pytest.raises(AuthError):
        accounts.authenticate(session, key)
    with pytest.raises(ForbiddenError):
        accounts.create_api_key(session, accounts.principal_for(world.users["supervisor"]), "x")


def test_a_ticket_is_redeemed_once_and_not_after_it_expires(session: Session, world: World) -> None:
    who = accounts.authenticate(session, world.tokens["agent"])
    ticket = accounts.create_ticket(session, who)
    assert accounts.redeem_ticket(session, ticket).user_id == who.user_id
    with pytest.raises(AuthError):
        accounts.redeem_ticket(session, ticket)
    late = accounts.create_ticket(session, who)
    row = session.get(LiveTicket, accounts.digest(late))
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()
    with pytest.raises(AuthError):
        accounts.redeem_ticket(session, late)


def test_users_are_checked(session: Session, world: World) -> None:
    with pytest.raises(ConflictError):
        accounts.create_user(
            session, world.org, email="AGENT@acme.test", name="x", role="agent", password="pw"
        )
    with pytest.raises(InvalidError):
        accounts.create_user(session, world.org, email="x@acme.test", name="x", role="boss", password="pw")
    with pytest.raises(InvalidError):  # a team of another organisation
        accounts.create_user(
            session,
            world.org,
            email="y@acme.test",
            name="y",
            role="agent",
            team_ids=[world.teams["elsewhere"]],
        )
    with pytest.raises(InvalidError):
        accounts.create_organisation(session, "Not A Slug!", "x")


def test_names_are_refused_blank_and_kept_without_surrounding_spaces(session: Session, world: World) -> None:
    """Every door (the API, ``ressenti org create``) goes through the same check."""
    for blank in ("", "   ", "\t\n"):
        with pytest.raises(InvalidError):
            accounts.create_team(session, world.org, blank)
        with pytest.raises(InvalidError):
            accounts.create_organisation(session, "blank-org", blank)
        with pytest.raises(InvalidError):
            accounts.create_user(session, world.org, email="b@acme.test", name=blank, role="agent")
        with pytest.raises(InvalidError):
            accounts.create_api_key(session, accounts.principal_for(world.users["admin"]), blank)
    assert accounts.create_team(session, world.org, " west ").name == "west"
    with pytest.raises(ConflictError):
        accounts.create_team(session, world.org, "north ")


def test_a_ticket_belongs_to_the_login_it_was_asked_with(session: Session, world: World) -> None:
    who = accounts.authenticate(session, world.tokens["agent"])
    assert who.session_key == accounts.digest(world.tokens["agent"])
    redeemed = accounts.redeem_ticket(session, accounts.create_ticket(session, who))
    assert redeemed.session_key == who.session_key
    with pytest.raises(ForbiddenError):  # a principal without a login (a key, a script) gets none: 403
        accounts.create_ticket(session, accounts.principal_for(world.users["agent"]))


def test_logout_ends_the_login_its_unused_tickets_and_says_so_on_its_channel(
    session: Session, world: World
) -> None:
    token, _, user = accounts.login(session, "acme", "agent@acme.test", PASSWORD)
    who = accounts.authenticate(session, token)
    unused = accounts.create_ticket(session, who)
    elsewhere = accounts.create_ticket(session, accounts.authenticate(session, world.tokens["agent"]))
    session.flush()
    events = accounts.logout(session, token)
    assert [(e.channel, e.payload) for e in events] == [
        (session_channel(world.org, accounts.digest(token)), {"type": "ended", "reason": "logout"})
    ]
    with pytest.raises(AuthError):
        accounts.authenticate(session, token)
    assert session.get(LiveTicket, accounts.digest(unused)) is None
    with pytest.raises(AuthError):
        accounts.redeem_ticket(session, unused)
    # the same person's other login keeps its ticket
    assert accounts.redeem_ticket(session, elsewhere).user_id == user.id
    assert accounts.logout(session, token) == []  # twice: nothing left to end


def _audited(session: Session, action: str) -> list[int | None]:
    rows = session.scalars(select(AuditEntry).where(AuditEntry.action == action))
    return [row.object_id for row in rows]


def test_an_admin_revokes_a_key_of_their_organisation_only(session: Session, world: World) -> None:
    admin = accounts.principal_for(world.users["admin"])
    row, key = accounts.create_api_key(session, admin, "crm")
    assert [k.id for k in accounts.api_keys(session, admin)] == [row.id]
    stranger = accounts.principal_for(world.users["other_admin"])
    assert accounts.api_keys(session, stranger) == []
    with pytest.raises(NotFoundError):
        accounts.revoke_api_key(session, stranger, row.id)
    with pytest.raises(ForbiddenError):
        accounts.revoke_api_key(session, accounts.principal_for(world.users["supervisor"]), row.id)
    assert accounts.authenticate(session, key).api_key_id == row.id  # untouched by the refusals
    revoked = accounts.revoke_api_key(session, admin, row.id)
    first = revoked.revoked_at
    assert first is not None
    with pytest.raises(AuthError):
        accounts.authenticate(session, key)
    assert accounts.revoke_api_key(session, admin, row.id).revoked_at == first  # again: nothing changes
    assert _audited(session, "api_key.revoke") == [row.id]


def test_deactivating_a_person_ends_every_login_and_refuses_the_next_as_any_wrong_login(
    session: Session, world: World
) -> None:
    admin = accounts.principal_for(world.users["admin"])
    agent = world.users["agent"]
    second, _, _ = accounts.login(session, "acme", "agent@acme.test", PASSWORD)
    ticket = accounts.create_ticket(session, accounts.authenticate(session, second))
    session.flush()
    user, events = accounts.set_user_active(session, admin, agent.id, False)
    assert user.active is False
    assert sorted(e.channel for e in events) == sorted(
        session_channel(world.org, accounts.digest(t)) for t in (world.tokens["agent"], second)
    )
    assert {e.payload["reason"] for e in events} == {"deactivated"}
    for token in (world.tokens["agent"], second):
        with pytest.raises(AuthError):
            accounts.authenticate(session, token)
    with pytest.raises(AuthError):
        accounts.redeem_ticket(session, ticket)
    with pytest.raises(AuthError) as refused:
        accounts.login(session, "acme", "agent@acme.test", PASSWORD)
    with pytest.raises(AuthError) as wrong:
        accounts.login(session, "acme", "agent@acme.test", "not the password")
    assert refused.value.args == wrong.value.args
    assert accounts.set_user_active(session, admin, agent.id, False)[1] == []  # already: nothing to end
    accounts.set_user_active(session, admin, agent.id, True)
    assert accounts.login(session, "acme", "agent@acme.test", PASSWORD)[2].id == agent.id
    assert _audited(session, "user.deactivate") == [agent.id]
    assert _audited(session, "user.reactivate") == [agent.id]


def test_deactivation_stays_within_the_organisation_and_spares_the_admin_themself(
    session: Session, world: World
) -> None:
    stranger = accounts.principal_for(world.users["other_admin"])
    with pytest.raises(NotFoundError):
        accounts.set_user_active(session, stranger, world.users["agent"].id, False)
    with pytest.raises(ForbiddenError):
        accounts.set_user_active(
            session, accounts.principal_for(world.users["supervisor"]), world.users["agent"].id, False
        )
    admin = accounts.principal_for(world.users["admin"])
    with pytest.raises(ConflictError):
        accounts.set_user_active(session, admin, world.users["admin"].id, False)
    assert world.users["admin"].active
