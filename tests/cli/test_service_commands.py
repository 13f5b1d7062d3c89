"""The service's commands as a user runs them: demo, db upgrade/check, org create, serve's refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ressenti.cli.main import cli
from tests.service_fixtures import create_postgres_database, drop_postgres_database


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env={"RESSENTI_LANG": "en", **env}, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def sqlite_env(tmp_path: Path) -> dict[str, str]:
    return {"RESSENTI_DATA_DIR": str(tmp_path / "data"), "RESSENTI_DATABASE_URL": ""}


def test_demo_seeds_once_and_reset_seeds_again(sqlite_env: dict[str, str]) -> None:
    code, out = run(sqlite_env, "demo")
    assert code == 0
    assert "26 conversations" in out
    assert "camille@maison-lumen.fr" in out
    assert (Path(sqlite_env["RESSENTI_DATA_DIR"]) / "ressenti.db").exists()
    code, out = run(sqlite_env, "demo")
    assert code == 0
    assert "already exists" in out
    code, out = run(sqlite_env, "demo", "--reset")
    assert code == 0
    assert "26 conversations" in out


def test_db_upgrade_and_check_on_postgresql() -> None:
    url = create_postgres_database()
    try:
        env = {"RESSENTI_DATABASE_URL": url.replace("postgresql+pg8000://", "postgresql://")}
        code, out = run(env, "db", "upgrade")
        assert code == 0, out
        assert "up to date" in out
        code, out = run(env, "db", "check")
        assert code == 0, out
        assert "agree" in out
    finally:
        drop_postgres_database(url)


def test_unreachable_database_is_a_clear_error_not_a_traceback() -> None:
    env = {"RESSENTI_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    result = CliRunner().invoke(cli, ["db", "upgrade"], env={"RESSENTI_LANG": "en", **env})
    assert result.exit_code == 1
    assert "Database unreachable" in result.output
    assert "Traceback" not in result.output


def test_org_create_makes_an_admin_who_can_log_in(sqlite_env: dict[str, str]) -> None:
    env = {**sqlite_env, "RESSENTI_ADMIN_PASSWORD": "a long password"}
    code, out = run(env, "org", "create", "acme-co", "--name", "Acme", "--admin-email", "boss@acme.test")
    assert code == 0, out
    assert "acme-co" in out
    code, out = run(env, "org", "create", "acme-co", "--name", "Acme", "--admin-email", "boss@acme.test")
    assert code == 1
    assert "already exists" in out
    code, out = run(
        {**env, "RESSENTI_LANG": "fr"}, "org", "create", "acme-co", "--name", "A", "--admin-email", "b@c.test"
    )
    assert code == 1
    assert "[E034] l'organisation 'acme-co' existe déjà" in out


def test_serve_refuses_several_workers_without_redis(sqlite_env: dict[str, str]) -> None:
    code, out = run(sqlite_env, "serve", "--workers", "2")
    assert code == 1
    assert "--workers above 1 needs RESSENTI_REDIS_URL" in out
    assert "il faut" not in out  # it used to be said in both languages


def test_serve_refuses_several_workers_without_redis_in_french(sqlite_env: dict[str, str]) -> None:
    code, out = run({**sqlite_env, "RESSENTI_LANG": "fr"}, "serve", "--workers", "2")
    assert code == 1
    assert "--workers au-delà de 1 demande RESSENTI_REDIS_URL" in out
    assert "needs" not in out


def test_org_create_asks_for_the_password_in_the_users_language(sqlite_env: dict[str, str]) -> None:
    """The prompt used to be "Password / mot de passe" whatever the language."""
    env = {"RESSENTI_LANG": "fr", **sqlite_env}
    args = ["org", "create", "acme-fr", "--name", "Acme", "--admin-email", "boss@acme.test"]
    result = CliRunner().invoke(cli, args, env=env, input="un long mot\nun long mot\n")
    assert result.exit_code == 0, result.output
    assert "Mot de passe : " in result.output
    assert "Password" not in result.output


def test_serve_refuses_a_postgresql_database_behind_the_migrations() -> None:
    url = create_postgres_database()
    try:
        env = {"RESSENTI_DATABASE_URL": url}
        code, out = run(env, "serve", "--port", "1")
        assert code == 1
        assert "ressenti db upgrade" in out
    finally:
        drop_postgres_database(url)
