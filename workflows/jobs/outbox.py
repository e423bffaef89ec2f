"""Side effects done once: each Slack call a job makes is recorded under a key as it happens, so a job run again
(after a Slack error or a crash) skips what it already did instead of posting it twice.

The record follows the call: a process killed between Slack's answer and the insert repeats that one call.
"""

from __future__ import annotations

from collections.abc import Callable

from storage.db import Database, insert_new
from storage.models import SentEffect


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    def once(self, key: str, call: Callable[[], str | None]) -> str | None:
        """`call()`'s result (a message ts, a file or canvas id), from the record if it ran before under `key`."""
        with self.db.session() as session:
            done = session.get(SentEffect, key)
            if done is not None:
                return done.result
        result = call()
        with self.db.session() as session:
            insert_new(session, SentEffect, key=key, result=result)
        return result
