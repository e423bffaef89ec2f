"""Alembic environment: runs online against the URL that storage.migrate puts in the config.

Processes booting together take turns: on PostgreSQL behind an advisory lock, on SQLite behind a lock on a file
beside the database; the later ones find the schema already at head.
"""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import context
from sqlalchemy import Connection, make_url, pool, text

from storage.db import make_engine
from storage.models import Base

config = context.config
target_metadata = Base.metadata
MIGRATION_LOCK = 7_430_211  # the PostgreSQL advisory lock's key


@contextmanager
def one_at_a_time(connection: Connection, url: str) -> Iterator[None]:
    """Held for the migration's transaction (PostgreSQL) or around it (a SQLite file)."""
    database = make_url(url).database
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        yield
    elif connection.dialect.name == "sqlite" and database and database != ":memory:":
        with Path(f"{database}.migrate-lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
    else:
        yield


def not_slack_sdks(name: str | None, type_: str, _parent_names: object) -> bool:
    """Installed through OAuth, the bot keeps workspaces' tokens in slack_sdk's own tables (`slack_bots`,
    `slack_installations`, `slack_oauth_states`), which slack_sdk creates and changes: not these migrations'."""
    return not (type_ == "table" and name is not None and name.startswith("slack_"))


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
            include_name=not_slack_sdks,
        )
        with context.begin_transaction(), one_at_a_time(connection, url):
            context.run_migrations()


run_migrations()
