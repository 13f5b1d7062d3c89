"""The pages: static files served by the app itself (no CDN, no build step)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse

STATIC = Path(__file__).with_name("static")
router = APIRouter(include_in_schema=False)


@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/login")


# The pages run no inline script or style and load nothing from elsewhere: the policy says so to the browser.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _page(name: str) -> FileResponse:
    return FileResponse(STATIC / f"{name}.html", media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


@router.get("/login")
async def login_page() -> FileResponse:
    return _page("login")


@router.get("/agent")
async def agent_page() -> FileResponse:
    return _page("agent")


@router.get("/board")
async def board_page() -> FileResponse:
    return _page("board")
