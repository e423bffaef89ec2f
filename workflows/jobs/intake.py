"""Durable intake: each of Slack's events is stored before Slack is told it arrived, and handled from the store.

Slack never re-delivers an event it saw acknowledged, so an event held only in memory is lost when the process
stops. Here each event is one job row (keyed by Slack's `event_id`, so a re-delivery is stored once) written
before the acknowledgement; a worker of its own hands the rows to the listeners, and a restarted bot handles
whatever was acknowledged and not yet done.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum

from storage.db import Database
from workflows.jobs import queue as jobs
from workflows.jobs.queue import JobKind

BATCH = 50  # events claimed at a time: a stored event is cheap to handle, its claim is the costly part
# An event takes milliseconds: a batch held by a process that died is taken over after this, not a job's minute.
LEASE = timedelta(seconds=5)
# An event that waits on something still under way (a step's message being recorded) is tried again this soon.
WAIT = timedelta(seconds=2)


class Handling(StrEnum):
    """What became of a stored event handed to the listeners."""

    done = "done"
    later = "later"  # it needs what another job is still making: tried again shortly, without counting a failure
    failed = "failed"  # a listener failed: tried again with a backoff, then given up and logged


Dispatch = Callable[[str], Handling]  # a stored request body -> what became of it


class NotHandled(RuntimeError):
    """A listener failed on a stored event; the job is retried with a backoff, then given up and logged."""


def store_event(db: Database, body: str, event_id: str | None, team_id: str | None) -> bool:
    """Stores one event of workspace `team_id` for handling; False when the same event was stored before (Slack's
    retries)."""
    key = event_id or hashlib.sha256(body.encode()).hexdigest()[:40]
    with db.session() as session:
        return jobs.enqueue(session, JobKind.slack_event, f"event:{key}", {"body": body}, team_id=team_id)


def handle_stored_events(db: Database, dispatch: Dispatch, now: datetime | None = None) -> int:
    """Handles every stored event not yet done, oldest first; returns how many were taken."""

    def handle(payload: dict, _now: datetime) -> None:
        handling = dispatch(payload["body"])
        if handling is Handling.later:
            raise jobs.Postpone("the event waits on work under way", WAIT)
        if handling is Handling.failed:
            raise NotHandled("a listener failed on this event")

    return jobs.run_due_jobs(db, {JobKind.slack_event: handle}, now, batch=BATCH, lease=LEASE)
