"""The migrations match the models, and spend outlives a deleted workshop."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from storage.db import Database
from storage.migrate import alembic_config, upgrade
from storage.models import LLMCall, Workshop
from workflows.llm.usage import record_call


def test_migrations_match_the_models_and_downgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrate.db'}"
    upgrade(url)
    command.check(alembic_config(url))  # raises when the models and the migrations differ
    command.downgrade(alembic_config(url), "0003")
    assert "theme_reactions" not in set(inspect(Database(url).engine).get_table_names())
    command.downgrade(alembic_config(url), "0002")
    assert "action_events" not in set(inspect(Database(url).engine).get_table_names())
    command.downgrade(alembic_config(url), "0001")
    database = Database(url)
    assert not {"llm_calls", "llm_cache"} & set(inspect(database.engine).get_table_names())
    database.dispose()


def test_calls_are_kept_when_their_workshop_is_deleted(llm_db: Database, workshop_id: int) -> None:
    with llm_db.session() as session:
        record_call(session, workshop_id=workshop_id, task="cluster", model="gpt-4o-mini", prompt_version="1")
    with llm_db.session() as session:
        session.delete(session.get_one(Workshop, workshop_id))
    with llm_db.session() as session:
        (call,) = session.query(LLMCall).all()
        assert call.workshop_id is None
