"""Real ``ressenti serve`` processes for the browser and cross-process tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ressenti.workflows.demo import DEMO_PASSWORD, SLUG

RESSENTI = [sys.executable, "-m", "ressenti"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    org: str = SLUG
    password: str = DEMO_PASSWORD

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def service_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESSENTI_")}
    env.update({"RESSENTI_DATA_DIR": str(data_dir), "RESSENTI_LANG": "en", **extra})
    return env


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RESSENTI, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def start_server(env: dict[str, str], log: Path, port: int | None = None) -> Server:
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [*RESSENTI, "serve", "--port", str(port)], env=env, stdout=handle, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ressenti serve exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(url + "/api/v1/health", timeout=1).status_code == 200:
                return Server(url, process, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"ressenti serve did not answer: {log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The embedded default, as a new user runs it: ``ressenti demo`` then ``ressenti serve`` (SQLite)."""
    folder = tmp_path_factory.mktemp("served")
    env = service_env(folder / "data")
    seeded = run_cli("demo", env=env)
    assert seeded.returncode == 0, seeded.stderr
    server = start_server(env, folder / "serve.log")
    yield server
    server.stop()


REDIS_URL = "redis://127.0.0.1:6379/0"


@contextmanager
def at_scale(folder: Path) -> Iterator[tuple[dict[str, str], str]]:
    """The environment of a deployment at scale: a fresh PostgreSQL database (migrated, dropped at the
    end) and the real Redis under a namespace of its own. Yields the environment and the database URL."""
    from tests.service_fixtures import create_postgres_database, drop_postgres_database

    url = create_postgres_database()
    env = service_env(
        folder,
        RESSENTI_DATABASE_URL=url,
        RESSENTI_REDIS_URL=REDIS_URL,
        RESSENTI_LIVE_NAMESPACE=uuid.uuid4().hex,
    )
    try:
        upgraded = run_cli("db", "upgrade", env=env)
        assert upgraded.returncode == 0, upgraded.stderr
        yield env, url
    finally:
        drop_postgres_database(url)
