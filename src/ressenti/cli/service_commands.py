"""The service's commands: ``ressenti serve``, ``demo``, ``db upgrade|check``, ``org create``."""

from __future__ import annotations

import os
import sys

import click
from rich.progress import Progress
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ressenti.cli.options import argument, command, group, option
from ressenti.cli.terminal import error_console
from ressenti.config import Settings
from ressenti.db import migrate
from ressenti.db.engine import make_engine, session_factory
from ressenti.errors import RessentiError, ServiceError
from ressenti.i18n import message, user_language
from ressenti.workflows import accounts, demo

PASSWORD_ENV = "RESSENTI_ADMIN_PASSWORD"  # noqa: S105 - the variable's name, not a password


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    head, at, tail = url.rpartition("@")
    if not at:
        return url
    scheme, _, credentials = head.partition("://")
    return f"{scheme}://{credentials.split(':')[0]}@{tail}"


def _fail(text: str) -> None:
    error_console().print(text, style="red", markup=False)
    sys.exit(1)


def _ready_engine(settings: Settings, *, upgrade: bool) -> Engine:
    """The engine, once the database is at the latest migration (SQLite is brought there by itself)."""
    try:
        if upgrade:
            migrate.upgrade(settings.database_url)
        engine = make_engine(settings.database_url)
        if migrate.current_revision(engine) != migrate.head_revision():
            engine.dispose()
            _fail(message("db_not_ready", url=_shown(settings.database_url)))
    except SQLAlchemyError as error:
        _fail(message("db_unreachable", url=_shown(settings.database_url), error=type(error).__name__))
    return engine


@group("db", fr="La base de données : ses migrations (Alembic).", en="The database: migrations (Alembic).")
def db_group() -> None:
    """``ressenti db``: the database's schema, brought up to date and checked."""


@command(
    "upgrade",
    fr="Mettre la base de données de RESSENTI_DATABASE_URL au dernier schéma.",
    en="Bring the database of RESSENTI_DATABASE_URL to the latest schema.",
)
def db_upgrade() -> None:
    """``ressenti db upgrade``: the migrations not yet applied, then the revision reached."""
    settings = Settings.from_env()
    engine = _ready_engine(settings, upgrade=True)
    revision = migrate.current_revision(engine)
    engine.dispose()
    click.echo(message("db_upgraded", revision=revision, url=_shown(settings.database_url)))


@command(
    "check",
    fr="Vérifier que les modèles et la base migrée concordent (code de sortie 1 sinon).",
    en="Exit 1 when the models and the migrated database differ.",
)
def db_check() -> None:
    """``ressenti db check``: what the models declare against what the migrations built."""
    settings = Settings.from_env()
    engine = _ready_engine(settings, upgrade=True)
    found = migrate.differences(engine)
    engine.dispose()
    if found:
        for difference in found:
            click.echo(f"  {difference}", err=True)
        _fail(message("db_differs", count=len(found)))
    click.echo(message("db_agrees"))


db_group.add_command(db_upgrade)
db_group.add_command(db_check)


@command(
    "demo",
    fr="Créer l'organisation de démonstration (Maison Lumen) : équipes, personnes, conversations en "
    "français et en anglais.",
    en="Create the demo organisation (Maison Lumen): teams, people, French and English conversations.",
)
@option(
    "--reset",
    is_flag=True,
    fr="Supprimer d'abord l'organisation de démonstration.",
    en="Delete the demo organisation first.",
)
@option(
    "--url",
    default="http://127.0.0.1:8000",
    show_default=True,
    fr="Adresse où `serve` écoute.",
    en="Where `serve` listens.",
)
def demo_command(reset: bool, url: str) -> None:
    """``ressenti demo``: the demo organisation, once (again with --reset), and how to log in to it."""
    engine = _ready_engine(Settings.from_env(), upgrade=True)
    try:
        seeded = _seed_demo(session_factory(engine), reset)
    finally:
        engine.dispose()
    if seeded is None:
        click.echo(message("demo_exists"))
    else:
        click.echo(
            message(
                "demo_done",
                slug=demo.SLUG,
                conversations=seeded.conversations,
                messages=seeded.messages,
                alerts=seeded.alerts,
            )
        )
    _print_logins(url)


def _seed_demo(sessions: sessionmaker[Session], reset: bool) -> demo.Seeded | None:
    with sessions() as session, session.begin():
        if demo.exists(session) and not reset:
            return None
        demo.remove(session)
    total = sum(1 for _ in demo.demo_conversations())
    with Progress(disable=not sys.stderr.isatty(), console=error_console()) as progress:
        task = progress.add_task(message("demo_progress"), total=total)
        with sessions() as session, session.begin():
            return demo.seed(session, lambda n: progress.advance(task, n))


def _print_logins(url: str) -> None:
    click.echo(message("demo_logins", url=url, slug=demo.SLUG, password=demo.DEMO_PASSWORD))
    for person in demo.USERS:
        if person.key in ("camille", "sam", "sophie", "olivia", "marc", "nadia"):
            click.echo(f"  {message('role_' + person.role):<14} {person.email}")


@group("org", fr="Les organisations (locataires).", en="Organisations (tenants).")
def org_group() -> None:
    """``ressenti org``: the service's tenants."""


@command(
    "create",
    fr="""Créer une organisation et son premier administrateur (mot de passe lu dans
    RESSENTI_ADMIN_PASSWORD, ou demandé).

    IDENTIFIANT : le nom court de l'organisation, de 2 à 63 lettres minuscules, chiffres ou tirets.
    """,
    en="""Create an organisation and its first administrator (password read from RESSENTI_ADMIN_PASSWORD
    or asked for).

    SLUG: the organisation's short name, 2 to 63 lower-case letters, digits or hyphens.
    """,
)
@argument("slug")
@option("--name", required=True, fr="Le nom de l'organisation.", en="The organisation's name.")
@option(
    "--admin-email",
    required=True,
    fr="E-mail de son premier administrateur.",
    en="E-mail of its first administrator.",
)
@option(
    "--admin-name",
    default="Admin",
    show_default=True,
    fr="Nom de son premier administrateur.",
    en="Name of its first administrator.",
)
def org_create(slug: str, name: str, admin_email: str, admin_name: str) -> None:
    """``ressenti org create``: a tenant and its first administrator, in one transaction."""
    password = os.environ.get(PASSWORD_ENV) or click.prompt(
        message("password_prompt"),
        prompt_suffix=message("prompt_suffix"),
        hide_input=True,
        confirmation_prompt=True,
    )
    engine = _ready_engine(Settings.from_env(), upgrade=True)
    try:
        with session_factory(engine)() as session, session.begin():
            organisation = accounts.create_organisation(session, slug, name)
            accounts.create_user(
                session, organisation.id, email=admin_email, name=admin_name, role="admin", password=password
            )
    except ServiceError as error:  # a slug taken or malformed: said in the reader's language
        _fail(f"[{error.code}] {error.said(user_language())}")
    except RessentiError as error:
        _fail(str(error))
    finally:
        engine.dispose()
    click.echo(message("org_created", slug=slug, email=admin_email))


org_group.add_command(org_create)


@command(
    "serve",
    fr="""Démarrer l'API, les événements en direct et les pages (FastAPI sur uvicorn).

    Par défaut, tout tient dans un processus : SQLite dans RESSENTI_DATA_DIR, les événements en direct
    dans le processus ; RESSENTI_DATABASE_URL et RESSENTI_REDIS_URL pour monter en charge.
    """,
    en="""Start the API, the live socket and the pages (FastAPI on uvicorn).

    Embedded default: SQLite in RESSENTI_DATA_DIR, live events in the process; RESSENTI_DATABASE_URL
    and RESSENTI_REDIS_URL at scale.
    """,
)
@option("--host", default="127.0.0.1", show_default=True, fr="Adresse d'écoute.", en="Address to listen on.")
@option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    fr="Port d'écoute.",
    en="Port to listen on.",
)
@option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    metavar="N",
    fr="Processus de l'API ; plus d'un demande RESSENTI_REDIS_URL.",
    en="API processes; more than one needs RESSENTI_REDIS_URL.",
)
def serve_command(host: str, port: int, workers: int) -> None:
    """``ressenti serve``: uvicorn on the app factory, once the database is at the latest migration."""
    import uvicorn

    settings = Settings.from_env()
    if workers > 1 and not settings.redis_url:
        _fail(message("serve_needs_redis"))
    _ready_engine(settings, upgrade=settings.is_sqlite).dispose()
    live = "Redis" if settings.redis_url else message("live_local")
    url = f"http://{host}:{port}"
    click.echo(message("serve_starting", url=url, db=_shown(settings.database_url), live=live))
    uvicorn.run(
        "ressenti.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,  # paths carry ids only, but a request log is not needed to run
        ws_max_size=64 * 1024,  # a client only ever sends small subscription frames
    )
