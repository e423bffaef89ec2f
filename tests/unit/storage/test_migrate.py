"""Processes that boot together on one empty database (PostgreSQL or a SQLite file) all come up: one migrates."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine, text


def test_replicas_booting_together_migrate_once(empty_database_url: str):
    env = os.environ | {"DATABASE_URL": empty_database_url}
    replicas = [
        subprocess.Popen([sys.executable, "-m", "journeybot.cli", "migrate"], env=env, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    failures = [p.stderr.read().decode() for p in replicas if p.wait(timeout=120) != 0]
    assert failures == []
    engine = create_engine(empty_database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()
