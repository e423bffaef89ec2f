"""Alembic environment: runs online against the URL that storage.migrate puts in the config."""

from alembic import context
from sqlalchemy import pool, text

from storage.db import make_engine
from storage.models import Base

config = context.config
target_metadata = Base.metadata
# PostgreSQL advisory lock held while migrating: replicas booting together take turns, and the later ones find
# the schema already at head.
MIGRATION_LOCK = 7_430_211


def run_migrations() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True, compare_type=True
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            context.run_migrations()


run_migrations()
