"""Where the service keeps its data and what it talks to, read once from the environment.

Embedded default: a SQLite file in ``RESSENTI_DATA_DIR`` and live events inside the process — nothing
to install. At scale: ``RESSENTI_DATABASE_URL`` (PostgreSQL) and ``RESSENTI_REDIS_URL`` (live events
across API processes).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MAX_BODY_BYTES = 1024 * 1024
MAX_MESSAGE_CHARS = 20_000
SESSION_HOURS = 12
TICKET_SECONDS = 30
WEBHOOK_TOLERANCE_SECONDS = 300


def default_data_dir(env: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME/ressenti``, else ``~/.local/share/ressenti``."""
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ressenti"


def database_url(url: str) -> str:
    """The SQLAlchemy URL for a user's URL: PostgreSQL goes through pg8000 (BSD, pure Python)."""
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+pg8000://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str | None = None
    live_namespace: str = "default"
    allowed_origins: tuple[str, ...] = ()
    max_body_bytes: int = MAX_BODY_BYTES

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("RESSENTI_DATA_DIR") or default_data_dir(env)).expanduser()
        url = env.get("RESSENTI_DATABASE_URL") or f"sqlite:///{data_dir / 'ressenti.db'}"
        origins = tuple(
            o.strip().rstrip("/") for o in env.get("RESSENTI_ALLOWED_ORIGINS", "").split(",") if o.strip()
        )
        return cls(
            data_dir=data_dir,
            database_url=database_url(url),
            redis_url=env.get("RESSENTI_REDIS_URL") or None,
            live_namespace=env.get("RESSENTI_LIVE_NAMESPACE") or "default",
            allowed_origins=origins,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
