"""What a process needs before it serves: the database, its schema brought to head (replicas take turns)."""

from __future__ import annotations

from storage.db import Database
from storage.migrate import upgrade

__all__ = ["Database", "open_database"]


def open_database(url: str) -> Database:
    upgrade(url)
    return Database(url)
