"""Durable jobs: slow or timed work is a row first, so a crash or restart loses nothing and doubles nothing.

A job is claimed by one process at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers).
The claim is a lease the running worker renews while the job runs: a process killed mid-job stops renewing, and
after `STALE_AFTER` another process takes the job over. Each runner claims only the kinds it has handlers for, so
Slack's stored events and the workshop's slow jobs run in separate lanes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from storage.db import Database, insert_new
from storage.models import Job, utcnow

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(seconds=60)
RENEW_EVERY = STALE_AFTER / 4
MAX_ATTEMPTS = 5

JobHandler = Callable[[dict[str, Any], datetime], None]  # (payload, the tick's now)


def enqueue(session: Session, kind: str, key: str, payload: dict[str, Any], run_at: datetime | None = None) -> bool:
    """Adds a job unless one with the same key exists; returns whether it was added."""
    return insert_new(session, Job, kind=kind, key=key, payload=payload, run_at=run_at or utcnow())


def claim_next(db: Database, now: datetime, kinds: Collection[str]) -> Job | None:
    """Marks the next due job of one of `kinds` `running` and returns it; None when nothing is due.

    The claim is a compare-and-set on `attempts`, so two processes that both saw the same job cannot both win,
    even on SQLite where `SKIP LOCKED` does not exist.
    """
    due = or_(
        (Job.status == "pending") & (Job.run_at <= now),
        (Job.status == "running") & (Job.claimed_at < now - STALE_AFTER),
    )
    while True:
        with db.session() as session:
            job = session.scalar(
                select(Job)
                .where(due, Job.kind.in_(kinds))
                .order_by(Job.run_at, Job.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if job is None:
                return None
            claimed = session.execute(
                update(Job)
                .where(Job.id == job.id, Job.attempts == job.attempts)
                .values(status="running", attempts=job.attempts + 1, claimed_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            if claimed:
                session.refresh(job)
                return job


def run_due_jobs(db: Database, handlers: Mapping[str, JobHandler], now: datetime | None = None) -> int:
    """Runs every job due as of `now` (default: the clock, read again for each job), one at a time.

    Returns how many ran. A job enqueued by another (the next step after a close, say) runs in the same call.
    """
    ran = 0
    while (job := claim_next(db, current := now or utcnow(), handlers.keys())) is not None:
        ran += 1
        try:
            with _lease(db, job):
                handlers[job.kind](job.payload, current)
        except Exception as exc:  # a failing job must not stop the others
            log.exception("job %s (%s) failed on attempt %d", job.id, job.kind, job.attempts)
            _finish(db, job.id, current, error=f"{type(exc).__name__}: {exc}", retry=job.attempts < MAX_ATTEMPTS)
        else:
            _finish(db, job.id, current)
    return ran


@contextmanager
def _lease(db: Database, job: Job) -> Iterator[None]:
    """Renews the claim while the job runs, so only a worker that died loses it (to a takeover after STALE_AFTER)."""
    done = threading.Event()

    def renew() -> None:
        while not done.wait(RENEW_EVERY.total_seconds()):
            try:
                with db.session() as session:
                    session.execute(
                        update(Job)
                        .where(Job.id == job.id, Job.attempts == job.attempts, Job.status == "running")
                        .values(claimed_at=utcnow())
                    )
            except Exception:  # a failed renewal is retried at the next beat; the job itself goes on
                log.warning("could not renew the lease of job %s", job.id, exc_info=True)

    renewer = threading.Thread(target=renew, name=f"journeybot-lease-{job.id}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        done.set()
        renewer.join()


def _finish(db: Database, job_id: int, now: datetime, error: str | None = None, retry: bool = False) -> None:
    with db.session() as session:
        job = session.get_one(Job, job_id)
        job.last_error = error
        if error is None:
            job.status, job.finished_at = "done", now
        elif retry:
            job.status, job.run_at = "pending", now + timedelta(seconds=15 * 2**job.attempts)
        else:
            job.status, job.finished_at = "failed", now
