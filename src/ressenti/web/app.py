"""The FastAPI application: ``create_app()`` is what ``ressenti serve`` runs (one process or several)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException

from ressenti import __version__
from ressenti.config import Settings
from ressenti.db.engine import make_engine, session_factory
from ressenti.errors import InvalidError, ServiceError
from ressenti.i18n import message, validation_reason
from ressenti.realtime.bus import Bus, LocalBus, RedisBus
from ressenti.realtime.hub import Hub
from ressenti.web import api, live, pages
from ressenti.web.middleware import BodyGuard, QuietErrors, refusal_language
from ressenti.web.pages import STATIC
from ressenti.web.schemas import WebhookIn
from ressenti.web.services import Services

log = logging.getLogger(__name__)


def _language(request: Request) -> str:
    return refusal_language(request.headers.get("accept-language"))


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    sessions: sessionmaker[Session] | None = None,
) -> FastAPI:
    """The app for ``settings`` (from the environment when None). Tests pass their own ``sessions``
    (bound to a connection that is rolled back after each test)."""
    settings = settings or Settings.from_env()
    engine = engine or make_engine(settings.database_url)
    hub = Hub()
    bus: Bus = (
        RedisBus(hub, settings.redis_url, settings.live_namespace) if settings.redis_url else LocalBus(hub)
    )
    services = Services(settings, engine, sessions or session_factory(engine), hub, bus)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await bus.start()
        try:
            yield
        finally:
            await bus.stop()

    # /docs from assets the app serves itself (Swagger UI shipped in the fastapi-offline package): no
    # page of ours loads a CDN. No /redoc: ReDoc still fetches its logo from cdn.redoc.ly.
    app = FastAPIOffline(
        static_url="/static/api-docs",
        redoc_url=None,
        title="Ressenti",
        version=__version__,
        description="Emotional intelligence for customer relations: REST and live API. See docs/api.md.",
        lifespan=lifespan,
    )
    app.state.services = services
    app.include_router(api.router)
    app.include_router(live.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, error: ServiceError) -> JSONResponse:
        detail = error.said(_language(request))
        return JSONResponse({"detail": detail, "code": error.code}, status_code=error.status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        """Starlette's own refusals (no such route, a method the route does not take) in the caller's
        language: "Not Found" followed a French request too."""
        said = {404: "api_no_route", 405: "api_no_method"}.get(error.status_code)
        detail = message(said, _language(request)) if said else error.detail
        return JSONResponse({"detail": detail}, status_code=error.status_code, headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        lang = _language(request)
        problems = [
            {
                "loc": list(e.get("loc", ())),
                "msg": validation_reason(e.get("type", ""), e.get("msg", ""), e.get("ctx"), lang),
                "type": e.get("type", ""),
            }
            for e in error.errors()
        ]
        return JSONResponse({"detail": problems, "code": InvalidError.code}, status_code=422)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            webhook = WebhookIn.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, definition in webhook.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components["WebhookIn"] = webhook
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_middleware(QuietErrors)
    app.add_middleware(BodyGuard, max_bytes=settings.max_body_bytes)
    return app
