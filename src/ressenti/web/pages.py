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


def _page(name: str) -> FileResponse:
    return FileResponse(STATIC / f"{name}.html", media_type="text/html; charset=utf-8")


@router.get("/login")
async def login_page() -> FileResponse:
    return _page("login")


@router.get("/agent")
async def agent_page() -> FileResponse:
    return _page("agent")


@router.get("/board")
async def board_page() -> FileResponse:
    return _page("board")
