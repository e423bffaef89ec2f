"""Shared fixtures: a migrated database per test, on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL.

Migrating takes a fifth of a second, and hundreds of tests need a database. On SQLite each test worker migrates
one template and every test gets a file copy of it. On PostgreSQL each worker migrates a database of its own
(which needs a user allowed to create databases) and every test gets it emptied: the connections a test left
open closed, every table truncated and its ids restarted, a few milliseconds where creating a database from a
template and dropping it took almost half a second. Tests of migrating itself ask for `empty_database_url`: on
PostgreSQL a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Connection, create_engine, make_url, text

from bot.server import start_http_in_background
from journeybot.demo.driver import SUBSCRIPTIONS, SlackDriver
from journeybot.settings import Settings
from journeybot.standin import SlackSender, SlackStandIn
from storage.db import Database
from storage.migrate import upgrade

# The LLM tests' fixtures (a workshop, the fake server, cassettes), registered for every module that asks for them.
pytest_plugins = ["tests.llm_fixtures"]

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
DATABASES = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "journeybot.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """This worker's migrated database (no two workers share one); `database_url` empties it for each test."""
    name = f"jb_{uuid.uuid4().hex[:12]}"
    with _postgres_admin() as admin:
        admin.execute(text(f'CREATE DATABASE "{name}"'))
    url = _postgres_url(name)
    upgrade(url)
    yield url
    with _postgres_admin() as admin:
        admin.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database at the newest schema, empty, this test's own."""
    if request.param == "sqlite":
        path = tmp_path / "journeybot.db"
        with sqlite3.connect(request.getfixturevalue("sqlite_template")) as source, sqlite3.connect(path) as copy:
            source.backup(copy)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_database")
    _empty(url)
    return url


def _empty(url: str) -> None:
    """Every table as freshly migrated: the connections an earlier test left (a killed bot's) closed first, so
    none holds a lock, then every table but Alembic's truncated, its ids restarted."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            tables = connection.scalars(
                text(
                    "SELECT tablename FROM pg_tables"
                    " WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"
                )
            ).all()
            if tables:
                names = ", ".join(f'"{table}"' for table in tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=DATABASES)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database without a schema, for the tests of migrating it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'journeybot.db'}"
        return
    schema = f"jb_{uuid.uuid4().hex[:12]}"
    with _postgres_admin() as admin:
        admin.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    with _postgres_admin() as admin:
        admin.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


def _postgres_url(database: str) -> str:
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


@contextmanager
def _postgres_admin() -> Iterator[Connection]:
    """A connection outside any transaction, as CREATE DATABASE and DROP DATABASE need."""
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


FACILITATOR, ANA, BEN, CHO = "U0FACIL01", "U0ANA0001", "U0BEN0001", "U0CHO0001"
CHANNEL = "C0WORKSHP1"
SIGNING_SECRET = "test-signing-secret"


@pytest.fixture
def extra_settings() -> dict:
    """Settings a test module adds to the bot's (an LLM server, say); none by default."""
    return {}


@pytest.fixture
def slack(database_url: str, extra_settings: dict) -> Iterator[SlackDriver]:
    """A running bot (HTTP mode, signatures checked) against the Slack stand-in, and a driver playing Slack."""
    with SlackStandIn() as standin:
        for user_id, name in ((FACILITATOR, "fay"), (ANA, "ana"), (BEN, "ben"), (CHO, "cho")):
            standin.add_user(user_id, name, name.title(), tz="Europe/Berlin", display_name=name.title())
        standin.add_channel(CHANNEL, "journey-lab", members=[FACILITATOR, ANA, BEN, CHO])
        settings = Settings(
            slack_bot_token=standin.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=standin.api_url,
            database_url=database_url,
            _env_file=None,
            **extra_settings,
        )
        server = start_http_in_background(settings, today=lambda: date(2026, 11, 23))
        sender = SlackSender(server.url, SIGNING_SECRET, standin=standin)
        standin.deliver_events_to(sender, subscriptions=SUBSCRIPTIONS)
        try:
            yield SlackDriver(standin, server, sender, CHANNEL)
        finally:
            server.stop()
