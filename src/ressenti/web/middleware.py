"""Bodies are checked before any route sees them: over 1 MB → 413; JSON that is not UTF-8 or not JSON →
400 with the reason (byte offset, line and column), in the language ``Accept-Language`` prefers. Pure
ASGI, so it also guards the webhook route, which reads the raw body to check its signature."""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ressenti import jsontext
from ressenti.i18n import UNREADABLE_ERRORS, accepted_language, json_reason, message, size, unreadable_line

log = logging.getLogger(__name__)
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def refusal_language(accept_language: str | None) -> str:
    """The language a refusal is said in: the one the request's ``Accept-Language`` prefers (the pages
    send their own), English when it names neither French nor English, as programs expect."""
    return accepted_language(accept_language) or "en"


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _json_problem(body: bytes, lang: str) -> str | None:
    """Why ``body`` is not JSON, in ``lang``, as a file's line is said (the byte, or the line and column
    and the parser's reason); None when it is JSON."""
    try:
        jsontext.loads(body.decode("utf-8"))
    except json.JSONDecodeError as error:
        return message("body_not_json", lang, line=error.lineno, reason=json_reason(error, lang, lines=True))
    except UNREADABLE_ERRORS as error:  # not UTF-8, NaN, a number too long, a nesting too deep
        return unreadable_line(error, lang)
    return None


class BodyGuard:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        lang = refusal_language(headers.get(b"accept-language", b"").decode("latin-1"))
        too_large = message("body_too_large", lang, limit=size(self.max_bytes, lang))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _answer(send, 413, too_large)
            return
        chunks: list[bytes] = []
        received_bytes = 0
        more = True
        while more:
            received = await receive()
            if received["type"] == "http.disconnect":
                return
            chunk = received.get("body", b"")
            received_bytes += len(chunk)
            if received_bytes > self.max_bytes:
                await _answer(send, 413, too_large)
                return
            chunks.append(chunk)
            more = received.get("more_body", False)
        body = b"".join(chunks)
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if body and content_type in (b"application/json", b""):
            problem = _json_problem(body, lang)
            if problem is not None:
                await _answer(send, 400, problem)
                return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class QuietErrors:
    """The last net: an unexpected error answers 500 with no detail and is logged by its type and route
    only. Starlette's own net re-raises for the server to print a traceback, and a traceback can carry
    what the failing call was given (an SQL error quotes its parameters: message text), so nothing
    reaches it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] in ("http.response.start", "websocket.accept", "websocket.close"):
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as error:
            log.error("unexpected %s on %s", type(error).__name__, scope.get("path", "?"))
            if scope["type"] == "http" and not started:
                await _answer(send, 500, "internal error; it has been logged")
            elif scope["type"] == "websocket" and not started:
                await send({"type": "websocket.close", "code": 1011})
