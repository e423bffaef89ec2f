"""Side effects done once: each Slack call a job makes is recorded under a key as it happens, so a job run again
(after a Slack error or a crash) skips what it already did instead of posting it twice.

A call is written down as started before it is made and as done after. A process killed between the two leaves
it started: the job run again first asks Slack whether the effect is there (`find`, for messages, which carry
their key), and only makes the call again if it is not. Without a `find`, that one call is repeated.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import update

from storage.db import Database, insert_new
from storage.models import SentEffect

Finder = Callable[[datetime], str | None]  # the effect's result if Slack has it, given when the call started


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    def once(self, key: str, call: Callable[[], str | None], find: Finder | None = None) -> str | None:
        """`call()`'s result (a message ts, a file or canvas id), from the record if it ran before under `key`."""
        with self.db.session() as session:
            record = session.get(SentEffect, key)
            if record is None:
                insert_new(session, SentEffect, key=key, pending=True)
            elif not record.pending:
                return record.result
            started = record.created_at if record else None
        found = find(started) if started is not None and find is not None else None
        result = found if found is not None else call()
        with self.db.session() as session:
            session.execute(update(SentEffect).where(SentEffect.key == key).values(result=result, pending=False))
        return result
