"""REST routes under /api/v1. Each parses its input, hands one workflow to ``Services.run`` and shapes
the answer; who may do what is decided in ``ressenti.workflows``, not here."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ressenti.db.models import AuditEntry, Team, User
from ressenti.errors import InvalidError
from ressenti.i18n import validation_reason
from ressenti.web.schemas import (
    ApiKeyIn,
    ConversationIn,
    CorrectionIn,
    EmotionName,
    Locale,
    LoginIn,
    MessageIn,
    SignalName,
    TeamIn,
    UserIn,
    UserPatch,
    WebhookIn,
    WebhookSourceIn,
    WhisperIn,
)
from ressenti.web.services import Services
from ressenti.workflows import accounts, supervision, webhooks
from ressenti.workflows import conversations as flows
from ressenti.workflows.access import Principal, require_person, require_role
from ressenti.workflows.views import (
    alert_view,
    api_key_view,
    conversation_view,
    correction_view,
    team_view,
    user_view,
    when,
)

router = APIRouter(prefix="/api/v1")
bearer = HTTPBearer(auto_error=False, description="A session token (rs_…) or an API key (rk_…)")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
Json = dict[str, Any]
Id = Annotated[int, Query(ge=1, le=2**31 - 1)]
PathId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NOTHING: tuple[()] = ()


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


Svc = Annotated[Services, Depends(services)]


def token(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    return None if credentials is None else credentials.credentials


@router.get("/health", tags=["service"])
async def health(svc: Svc) -> Json:
    def ping(session: Session) -> tuple[bool, tuple[()]]:
        session.execute(select(1))
        return True, NOTHING

    database = await svc.run_plain(ping)
    return {"status": "ok", "database": database, "live": svc.bus.name, "live_ok": await svc.bus.healthy()}


# --- people, teams, keys -------------------------------------------------------------------------


@router.post("/auth/login", tags=["auth"])
async def login(body: LoginIn, svc: Svc) -> Json:
    def work(session: Session) -> tuple[Json, tuple[()]]:
        secret, expires, user = accounts.login(session, body.organisation, body.email, body.password)
        return {"token": secret, "expires_at": when(expires), "user": user_view(user)}, NOTHING

    return await svc.run_plain(work)


@router.delete("/auth/session", status_code=204, tags=["auth"])
async def logout(credentials: Credentials, svc: Svc) -> Response:
    def work(session: Session, who: Principal) -> tuple[None, list[Any]]:
        require_person(who)
        return None, accounts.logout(session, credentials.credentials if credentials else "")

    await svc.run(token(credentials), work)
    return Response(status_code=204)


def _me(session: Session, who: Principal) -> Json:
    if who.user_id is None:
        return {
            "id": None,
            "name": who.name,
            "role": who.role,
            "organisation_id": who.organisation_id,
            "teams": [],
        }
    user = accounts.user_in_org(session, who.organisation_id, who.user_id)
    return {**user_view(user), "organisation_id": who.organisation_id}


@router.get("/me", tags=["auth"])
async def me(credentials: Credentials, svc: Svc) -> Json:
    return await svc.run(token(credentials), lambda session, who: (_me(session, who), NOTHING))


@router.get("/teams", tags=["organisation"])
async def list_teams(credentials: Credentials, svc: Svc) -> list[Json]:
    def work(session: Session, who: Principal) -> tuple[list[Json], tuple[()]]:
        teams = session.scalars(
            select(Team).where(Team.organisation_id == who.organisation_id).order_by(Team.id)
        )
        return [team_view(t) for t in teams], NOTHING

    return await svc.run(token(credentials), work)


@router.post("/teams", status_code=201, tags=["organisation"])
async def create_team(body: TeamIn, credentials: Credentials, svc: Svc) -> Json:
    def work(session: Session, who: Principal) -> tuple[Json, tuple[()]]:
        require_role(who, "admin")
        team = accounts.create_team(session, who.organisation_id, body.name)
        return team_view(team), NOTHING

    return await svc.run(token(credentials), work)


@router.get("/users", tags=["organisation"])
async def list_users(credentials: Credentials, svc: Svc) -> list[Json]:
    def work(session: Session, who: Principal) -> tuple[list[Json], tuple[()]]:
        require_role(who, "admin", "supervisor", "trainer")
        users = session.scalars(
            select(User).where(User.organisation_id == who.organisation_id).order_by(User.id)
        )
        shown = [u for u in users if who.role == "admin" or {t.id for t in u.teams} & who.team_ids]
        return [user_view(u) for u in shown], NOTHING

    return await svc.run(token(credentials), work)


@router.post("/users", status_code=201, tags=["organisation"])
async def create_user(body: UserIn, credentials: Credentials, svc: Svc) -> Json:
    def work(session: Session, who: Principal) -> tuple[Json, tuple[()]]:
        require_role(who, "admin")
        user = accounts.create_user(
            session,
            who.organisation_id,
            email=body.email,
            name=body.name,
            role=body.role,
            password=body.password,
            team_ids=body.team_ids,
            locale=body.locale,
        )
        return user_view(user), NOTHING

    return await svc.run(token(credentials), work)


@router.patch("/users/{user_id}", tags=["organisation"])
async def update_user(user_id: PathId, body: UserPatch, credentials: Credentials, svc: Svc) -> Json:
    """``{"active": false}`` ends the person's logins and live sockets and refuses their next login."""

    def work(session: Session, who: Principal) -> tuple[Json, list[Any]]:
        user, events = accounts.set_user_active(session, who, user_id, body.active)
        return user_view(user), events

    return await svc.run(token(credentials), work)


@router.get("/api-keys", tags=["organisation"])
async def list_api_keys(credentials: Credentials, svc: Svc) -> list[Json]:
    def work(session: Session, who: Principal) -> tuple[list[Json], tuple[()]]:
        return [api_key_view(k) for k in accounts.api_keys(session, who)], NOTHING

    return await svc.run(token(credentials), work)


@router.delete("/api-keys/{key_id}", status_code=204, tags=["organisation"])
async def revoke_api_key(key_id: PathId, credentials: Credentials, svc: Svc) -> Response:
    def work(session: Session, who: Principal) -> tuple[None, tuple[()]]:
        accounts.revoke_api_key(session, who, key_id)
        return None, NOTHING

    await svc.run(token(credentials), work)
    return Response(status_code=204)


@router.post("/api-keys", status_code=201, tags=["organisation"])
async def create_api_key(body: ApiKeyIn, credentials: Credentials, svc: Svc) -> Json:
    def work(session: Session, who: Principal) -> tuple[Json, tuple[()]]:
        row, key = accounts.create_api_key(session, who, body.name)
        return {"id": row.id, "name": row.name, "key": key}, NOTHING

    return await svc.run(token(credentials), work)


@router.post("/webhook-sources", status_code=201, tags=["organisation"])
async def create_webhook_source(body: WebhookSourceIn, credentials: Credentials, svc: Svc) -> Json:
    def work(session: Session, who: Principal) -> tuple[Json, tuple[()]]:
        row = accounts.create_webhook_source(session, who, body.source)
        return {"source": row.source, "secret": row.secret}, NOTHING

    return await svc.run(token(credentials), work)


@router.get("/audit", tags=["organisation"])
async def audit_log(
    credentials: Credentials, svc: Svc, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[Json]:
    def work(session: Session, who: Principal) -> tuple[list[Json], tuple[()]]:
        require_role(who, "admin")
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.organisation_id == who.organisation_id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
        return [
            {
                "at": when(r.at),
                "user_id": r.user_id,
                "api_key_id": r.api_key_id,
                "action": r.action,
                "object_type": r.object_type,
                "object_id": r.object_id,
            }
            for r in rows
        ], NOTHING

    return await svc.run(token(credentials), work)


# --- conversations ---------------------------------------------------------------------------------


@router.post("/conversations", status_code=201, tags=["conversations"])
async def open_conversation(body: ConversationIn, credentials: Credentials, svc: Svc) -> Json:
    opening = flows.Opening(
        channel=body.channel,
        team_id=body.team_id,
        customer_external_id=body.customer.external_id,
        customer_name=body.customer.name,
        external_id=body.external_id,
        lang=body.lang,
        agent_id=body.agent_id,
    )

    def work(session: Session, who: Principal) -> tuple[Json, list[Any]]:
        conversation = flows.open_conversation(session, who, opening)
        return conversation_view(conversation), flows.opened_events(conversation)

    return await svc.run(token(credentials), work)


@router.get("/conversations", tags=["conversations"])
async def search_conversations(
    credentials: Credentials,
    svc: Svc,
    status: Literal["open", "closed"] | None = None,
    emotion: EmotionName | None = None,
    motive: str | None = None,
    signal: SignalName | None = None,
    agent_id: Id | None = None,
    team_id: Id | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Json:
    search = flows.Search(status, emotion, motive, signal, agent_id, team_id, since, until, limit, offset)

    def work(session: Session, who: Principal) -> tuple[Json, tuple[()]]:
        total, rows = flows.search_conversations(session, who, search)
        return {"total": total, "items": [conversation_view(c) for c in rows]}, NOTHING

    return await svc.run(token(credentials), work)


@router.get("/conversations/{conversation_id}", tags=["conversations"])
async def get_conversation(conversation_id: PathId, credentials: Credentials, svc: Svc) -> Json:
    def work(session: Session, who: Principal) -> tuple[Json, tuple[()]]:
        return conversation_view(flows.get_conversation(session, who, conversation_id)), NOTHING

    return await svc.run(token(credentials), work)


@router.post("/conversations/{conversation_id}/close", tags=["conversations"])
async def close_conversation(conversation_id: PathId, credentials: Credentials, svc: Svc) -> Json:
    def work(session: Session, who: Principal) -> tuple[Json, list[Any]]:
        conversation, events = flows.close_conversation(session, who, conversation_id)
        return conversation_view(conversation), events

    return await svc.run(token(credentials), work)


@router.post("/conversations/{conversation_id}/messages", status_code=201, tags=["conversations"])
async def ingest_message(
    conversation_id: PathId, body: MessageIn, credentials: Credentials, svc: Svc, response: Response
) -> Json:
    """Redact, read, store, raise alerts, commit, then broadcast. The same ``external_id`` twice: 200."""

    def work(session: Session, who: Principal) -> tuple[Json, list[Any]]:
        done = flows.ingest_message(
            session,
            who,
            conversation_id,
            author=body.author,
            text=body.text,
            external_id=body.external_id,
            sent_at=body.sent_at,
        )
        return done.view(), done.events

    result = await svc.run(token(credentials), work)
    if result["duplicate"]:
        response.status_code = 200
    return result


@router.get("/conversations/{conversation_id}/messages", tags=["conversations"])
async def list_messages(
    conversation_id: PathId,
    credentials: Credentials,
    svc: Svc,
    after_seq: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> list[Json]:
    def work(session: Session, who: Principal) -> tuple[list[Json], tuple[()]]:
        return flows.list_messages(session, who, conversation_id, after_seq), NOTHING

    return await svc.run(token(credentials), work)


@router.get("/conversations/{conversation_id}/report", tags=["conversations"])
async def conversation_report(
    conversation_id: PathId, credentials: Credentials, svc: Svc, lang: Locale | None = None
) -> Json:
    """The post-interaction report; ``lang`` chooses the language of its sentences for the reader
    (quotes and better phrasings stay in the conversation's language)."""

    def work(session: Session, who: Principal) -> tuple[Json, tuple[()]]:
        return flows.conversation_report(session, who, conversation_id, lang), NOTHING

    return await svc.run(token(credentials), work)


# --- supervision -----------------------------------------------------------------------------------


@router.post("/conversations/{conversation_id}/whispers", status_code=201, tags=["supervision"])
async def whisper(conversation_id: PathId, body: WhisperIn, credentials: Credentials, svc: Svc) -> Json:
    def work(session: Session, who: Principal) -> tuple[Json, list[Any]]:
        view, event = supervision.whisper(session, who, conversation_id, body.text)
        return view, [event]

    return await svc.run(token(credentials), work)


@router.get("/whispers", tags=["supervision"])
async def list_whispers(credentials: Credentials, svc: Svc) -> list[Json]:
    return await svc.run(
        token(credentials), lambda session, who: (supervision.list_whispers(session, who), NOTHING)
    )


@router.get("/alerts", tags=["supervision"])
async def list_alerts(
    credentials: Credentials,
    svc: Svc,
    status: Literal["open", "acknowledged"] | None = None,
    team_id: Id | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[Json]:
    def work(session: Session, who: Principal) -> tuple[list[Json], tuple[()]]:
        return [alert_view(a) for a in supervision.list_alerts(session, who, status, team_id, limit)], NOTHING

    return await svc.run(token(credentials), work)


@router.post("/alerts/{alert_id}/acknowledge", tags=["supervision"])
async def acknowledge_alert(alert_id: PathId, credentials: Credentials, svc: Svc) -> Json:
    def work(session: Session, who: Principal) -> tuple[Json, list[Any]]:
        alert, events = supervision.acknowledge_alert(session, who, alert_id)
        return alert_view(alert), events

    return await svc.run(token(credentials), work)


@router.post("/readings/{reading_id}/corrections", status_code=201, tags=["supervision"])
async def correct_reading(reading_id: PathId, body: CorrectionIn, credentials: Credentials, svc: Svc) -> Json:
    def work(session: Session, who: Principal) -> tuple[Json, tuple[()]]:
        done = supervision.correct_reading(session, who, reading_id, body.field, body.value, body.comment)
        return correction_view(done), NOTHING

    return await svc.run(token(credentials), work)


@router.get("/corrections", tags=["supervision"])
async def list_corrections(credentials: Credentials, svc: Svc) -> list[Json]:
    def work(session: Session, who: Principal) -> tuple[list[Json], tuple[()]]:
        return [correction_view(c) for c in supervision.list_corrections(session, who)], NOTHING

    return await svc.run(token(credentials), work)


@router.delete("/customers/{customer_id}", status_code=204, tags=["privacy"])
async def erase_customer(customer_id: PathId, credentials: Credentials, svc: Svc) -> Response:
    def work(session: Session, who: Principal) -> tuple[None, tuple[()]]:
        supervision.erase_customer(session, who, customer_id)
        return None, NOTHING

    await svc.run(token(credentials), work)
    return Response(status_code=204)


# --- live tickets and webhooks ---------------------------------------------------------------------


@router.post("/live/tickets", status_code=201, tags=["live"])
async def live_ticket(credentials: Credentials, svc: Svc) -> Json:
    def work(session: Session, who: Principal) -> tuple[Json, tuple[()]]:
        return {"ticket": accounts.create_ticket(session, who), "expires_in": 30}, NOTHING

    return await svc.run(token(credentials), work)


# The body is read raw (its signature covers the bytes), so FastAPI cannot document it by itself:
# app.py adds WebhookIn and the models it nests to the schema's components.
WEBHOOK_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WebhookIn"}}},
    }
}


@router.post("/webhooks/{source}", tags=["webhooks"], openapi_extra=WEBHOOK_BODY)
async def webhook(source: Annotated[str, Path(max_length=64)], request: Request, svc: Svc) -> Json:
    """Signed (HMAC-SHA256), idempotent on (organisation, source, event_id): see docs/api.md."""
    delivery = webhooks.Delivery(
        organisation=request.headers.get("x-ressenti-organisation", ""),
        source=source,
        timestamp=request.headers.get("x-ressenti-timestamp", ""),
        signature=request.headers.get("x-ressenti-signature", ""),
        body=await request.body(),
    )

    def work(session: Session) -> tuple[Json, list[Any]]:
        who = webhooks.verify(session, delivery)
        try:
            parsed = WebhookIn.model_validate_json(delivery.body)
        except ValidationError as error:
            raise InvalidError(_validation_reason(error)) from None
        outcome = webhooks.process(session, who, source, _webhook_event(parsed))
        answer = {
            "status": outcome.status,
            "conversation_id": outcome.conversation_id,
            "message_id": outcome.message_id,
        }
        return answer, outcome.events

    return await svc.run_plain(work)


def _validation_reason(error: ValidationError) -> tuple[str, str]:
    """The first problem of a webhook's body, in French and in English, naming the field."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    said = tuple(
        validation_reason(first["type"], first["msg"], first.get("ctx"), lang) for lang in ("fr", "en")
    )
    french, english = (f"{where} : {said[0]}", f"{where}: {said[1]}") if where else said
    return french, english


def _webhook_event(parsed: WebhookIn) -> webhooks.WebhookEventIn:
    conversation = parsed.conversation
    opening = None
    if conversation.channel and conversation.team_id and conversation.customer:
        opening = flows.Opening(
            channel=conversation.channel,
            team_id=conversation.team_id,
            customer_external_id=conversation.customer.external_id,
            customer_name=conversation.customer.name,
            external_id=conversation.external_id,
            lang=conversation.lang,
        )
    message = None
    if parsed.message is not None:
        message = webhooks.WebhookMessage(
            author=parsed.message.author,
            text=parsed.message.text,
            external_id=parsed.message.external_id,
            sent_at=parsed.message.sent_at,
        )
    return webhooks.WebhookEventIn(
        parsed.event_id,
        parsed.type,
        conversation.external_id,
        opening,
        message,
        team_id=conversation.team_id,
        customer_external_id=None if conversation.customer is None else conversation.customer.external_id,
    )
