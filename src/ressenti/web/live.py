"""The live socket: opened with a single-use ticket from an allowed origin, subscriptions checked one by one.

A person's socket is on their private channel from the start (whispers reach the agent without asking);
``conversation`` and ``team`` channels need a subscription that ``ressenti.workflows.access`` allows.
It is also on its login's channel, which ends it: a logout, or its user deactivated, sends
``{"type": "ended", "reason": …}`` and closes it with ``SESSION_ENDED``, in whichever process holds it.
A login that runs out by itself ends its sockets the same way, at its expiry (``"reason": "expired"``),
by a timer of the process that holds them.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ressenti import jsontext
from ressenti.db.models import Conversation, utcnow
from ressenti.errors import AuthError
from ressenti.i18n import message
from ressenti.realtime.bus import frame
from ressenti.realtime.events import (
    conversation_channel,
    public_name,
    session_channel,
    session_ended,
    team_channel,
    user_channel,
)
from ressenti.realtime.hub import TOO_FAR_BEHIND, Listener
from ressenti.web.middleware import refusal_language
from ressenti.web.services import Services
from ressenti.workflows import accounts
from ressenti.workflows.access import Principal, may_follow_conversation, supervises

log = logging.getLogger(__name__)
router = APIRouter()
POLICY_VIOLATION = 1008
SESSION_ENDED = 4001
CLOSE_REASONS = {SESSION_ENDED: "session ended", TOO_FAR_BEHIND: "too far behind"}


def origin_allowed(websocket: WebSocket, allowed: tuple[str, ...]) -> bool:
    origin = websocket.headers.get("origin", "").rstrip("/")
    if not origin:
        return False
    if origin in allowed:
        return True
    scheme = "https" if websocket.url.scheme == "wss" else "http"
    return origin == f"{scheme}://{websocket.headers.get('host', '')}"


async def _refuse(websocket: WebSocket, code: str, lang: str, **fields: Any) -> None:
    """An error frame: its ``code`` for programs, its ``detail`` for people, in the language the socket's
    request asked for (``Accept-Language``, as the REST refusals)."""
    frame_ = {"type": "error", "code": code, "detail": message(f"live_{code}", lang), **fields}
    await websocket.send_text(json.dumps(frame_))


def _redeem(services: Services, ticket: str) -> Principal | None:
    try:
        with services.sessions() as session, session.begin():
            return accounts.redeem_ticket(session, ticket)
    except AuthError:
        return None


def _login_expiry(services: Services, session_key: str) -> datetime | None:
    with services.sessions() as session:
        return accounts.login_expiry(session, session_key)


def _channel_for(services: Services, who: Principal, request: dict[str, Any]) -> str | None:
    """The channel a subscription asks for, when ``who`` may listen to it; None otherwise."""
    org = who.organisation_id
    if isinstance(request.get("team"), int) and not isinstance(request["team"], bool):
        return team_channel(org, request["team"]) if supervises(who, request["team"]) else None
    conversation_id = request.get("conversation")
    if (
        isinstance(conversation_id, int)
        and not isinstance(conversation_id, bool)
        and 0 < conversation_id < 2**31
    ):
        session: Session
        with services.sessions() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is not None and may_follow_conversation(who, conversation):
                return conversation_channel(org, conversation_id)
    return None


@router.websocket("/api/v1/live")
async def live(websocket: WebSocket, ticket: str = "") -> None:
    services: Services = websocket.app.state.services
    if not origin_allowed(websocket, services.settings.allowed_origins):
        await websocket.close(code=POLICY_VIOLATION, reason="origin not allowed")
        return
    who = await run_in_threadpool(_redeem, services, ticket) if ticket else None
    if who is None or who.user_id is None or who.session_key is None:
        await websocket.close(code=POLICY_VIOLATION, reason="unknown, used or expired ticket")
        return
    listener = Listener(
        send=websocket.send_text,
        close=lambda code: websocket.close(code=code, reason=CLOSE_REASONS.get(code, "")),
    )
    services.hub.subscribe(listener, user_channel(who.organisation_id, who.user_id))
    login = session_channel(who.organisation_id, who.session_key)
    services.hub.subscribe(listener, login, ends_with=SESSION_ENDED)
    expiring: asyncio.TimerHandle | None = None
    try:
        # On the login's channel first, then look: a logout is either seen here or heard there. What
        # arrives before the socket is accepted waits in its queue until the sender starts.
        expiry = await run_in_threadpool(_login_expiry, services, who.session_key)
        if expiry is None:
            await websocket.close(code=POLICY_VIOLATION, reason="unknown, used or expired ticket")
            return
        await websocket.accept()
        lang = refusal_language(websocket.headers.get("accept-language"))  # what its refusals are said in
        await websocket.send_text(json.dumps({"type": "hello", "user_id": who.user_id}))
        services.hub.attach(listener)
        # The login's own end: what a logout sends, delivered here when it runs out (every socket of the
        # login in this process hears it; the others' processes have their own timers).
        ended = frame(session_ended(who.organisation_id, who.session_key, "expired"))
        left = max(0.0, (expiry - utcnow()).total_seconds())
        expiring = asyncio.get_running_loop().call_later(left, services.hub.deliver, login, ended)
        while True:
            try:
                request = jsontext.loads(await websocket.receive_text())
            except (ValueError, RecursionError):  # not JSON, NaN, a number too long, nesting too deep
                await _refuse(websocket, "invalid_json", lang)
                continue
            await _handle(services, websocket, listener, who, request, lang)
    except WebSocketDisconnect:
        pass
    finally:
        if expiring is not None:
            expiring.cancel()
        await services.hub.detach(listener)


async def _handle(
    services: Services, websocket: WebSocket, listener: Listener, who: Principal, request: Any, lang: str
) -> None:
    action = request.get("action") if isinstance(request, dict) else None
    if action == "ping":
        await websocket.send_text(json.dumps({"type": "pong"}))
        return
    if action not in ("subscribe", "unsubscribe"):
        await _refuse(websocket, "unknown_action", lang)
        return
    channel = await run_in_threadpool(_channel_for, services, who, request)
    if channel is None:
        await _refuse(websocket, "forbidden", lang, request=request)
        return
    if action == "subscribe":
        services.hub.subscribe(listener, channel)
        await websocket.send_text(json.dumps({"type": "subscribed", "channel": public_name(channel)}))
    else:
        services.hub.unsubscribe(listener, channel)
        await websocket.send_text(json.dumps({"type": "unsubscribed", "channel": public_name(channel)}))
