"""Durable jobs: slow or timed work is a row first, so a crash or restart loses nothing and doubles nothing.

A job is claimed by one process at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers).
The claim is a lease the running worker renews while the job runs: a process killed mid-job stops renewing, and
after `STALE_AFTER` another process takes the job over. A job that must wait for another (`Postpone`) runs again
after its delay, without counting an attempt. Each runner claims only the kinds it has handlers for, so
Slack's stored events and the workshop's slow jobs run in separate lanes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from storage.db import Database, insert_new
from storage.models import Job, utcnow
from workflows.logs import log_scope
from workflows.metrics import JOB_FAILURES, JOBS_GIVEN_UP

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(seconds=60)
RENEW_EVERY = STALE_AFTER / 4
MAX_ATTEMPTS = 5


class JobKind(StrEnum):
    """What a job does; each runner claims the kinds it has handlers for."""

    open_step = "open_step"
    close_step = "close_step"
    publish = "publish"
    draft = "draft"  # the map as a draft, to the facilitator, before publishing
    step_nudge = "step_nudge"
    step_deadline = "step_deadline"
    revision_prompt = "revision_prompt"
    remind_owner = "remind_owner"
    weekly_digest = "weekly_digest"
    notify_actions = "notify_actions"
    slack_event = "slack_event"  # one of Slack's events, stored before its ack (`workflows.jobs.intake`)


class JobStatus(StrEnum):
    pending = "pending"
    running = "running"
    done = "done"
    failed = "failed"


JobHandler = Callable[[dict[str, Any], datetime], None]  # (payload, the tick's now)


class Postpone(Exception):
    """Raised by a handler whose job cannot run yet (what it needs is still being made): it runs again after
    `delay`, and the wait counts neither as an attempt nor as a failure."""

    def __init__(self, reason: str, delay: timedelta) -> None:
        super().__init__(reason)
        self.delay = delay


def enqueue(
    session: Session,
    kind: str,
    key: str,
    payload: dict[str, Any],
    run_at: datetime | None = None,
    *,
    team_id: str | None,
) -> bool:
    """Adds a job unless one with the same key exists; returns whether it was added. `team_id`: the workspace
    it works for (its Slack calls use that workspace's token)."""
    values = {"kind": kind, "key": key, "payload": payload, "run_at": run_at or utcnow(), "team_id": team_id}
    return insert_new(session, Job, **values)


def exists(session: Session, key: str) -> bool:
    return session.scalar(select(Job.id).where(Job.key == key)) is not None


def run_again_now(session: Session, key: str, now: datetime) -> bool:
    """Starts a job that stopped (on an error, waiting for its retry or given up, or held by a worker that died)
    again now; False when it is done, has not run yet, or is running under a live lease."""
    job = session.scalar(select(Job).where(Job.key == key))
    if job is None or job.status == JobStatus.done or (job.status == JobStatus.pending and job.attempts == 0):
        return False
    if job.status == JobStatus.running and job.claimed_at is not None and job.claimed_at >= now - STALE_AFTER:
        return False
    job.status, job.run_at, job.attempts = JobStatus.pending, now, min(job.attempts, MAX_ATTEMPTS - 1)
    return True


def claim_due(
    db: Database, now: datetime, kinds: Collection[str], limit: int = 1, lease: timedelta = STALE_AFTER
) -> list[Job]:
    """Marks up to `limit` due jobs of `kinds` `running` (oldest first) and returns them; [] when none is due.

    One UPDATE whose WHERE re-checks that each row is still due: of two processes that picked the same rows, only
    the first to write gets them, even on SQLite where `SKIP LOCKED` does not exist.
    """
    due = or_(
        (Job.status == JobStatus.pending) & (Job.run_at <= now),
        (Job.status == JobStatus.running) & (Job.claimed_at < now - lease),
    )
    oldest = (
        select(Job.id)
        .where(due, Job.kind.in_(kinds))
        .order_by(Job.run_at, Job.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    with db.session() as session:
        claimed = session.scalars(
            update(Job)
            .where(Job.id.in_(oldest.scalar_subquery()), due)
            .values(status=JobStatus.running, attempts=Job.attempts + 1, claimed_at=now)
            .returning(Job)
            .execution_options(synchronize_session=False)
        ).all()
    return sorted(claimed, key=lambda job: (job.run_at, job.id))


def run_due_jobs(
    db: Database,
    handlers: Mapping[str, JobHandler],
    now: datetime | None = None,
    batch: int = 1,
    clock: Callable[[], datetime] = utcnow,
    lease: timedelta = STALE_AFTER,
) -> int:
    """Runs every job due as of `now` (default: `clock`, read again for each claim), `batch` claimed at a time.

    Returns how many ran. A job enqueued by another (the next step after a close, say) runs in the same call.
    `lease` is how long a claim lasts unrenewed: how soon another process takes over from one that died.
    """
    ran = 0
    while claimed := claim_due(db, current := now or clock(), handlers.keys(), batch, lease):
        with _lease(db, claimed, lease):
            for job in claimed:
                ran += 1
                with log_scope(**_ids_of(job)):
                    try:
                        handlers[job.kind](job.payload, current)
                    except Postpone as wait:
                        _postpone(db, job, current + wait.delay)
                    except Exception as exc:  # a failing job must not stop the others
                        log.exception("job %s (%s) failed on attempt %d", job.id, job.kind, job.attempts)
                        JOB_FAILURES.labels(job.kind).inc()
                        _finish(db, job, current, error=f"{type(exc).__name__}: {exc}")
                    else:
                        _finish(db, job, current)
    return ran


def _ids_of(job: Job) -> dict[str, Any]:
    """What a job's log lines say they are about: the job, and the workshop or step its payload names."""
    payload = job.payload if isinstance(job.payload, dict) else {}
    return {
        "job_id": job.id,
        "job_kind": job.kind,
        "team_id": job.team_id,
        "workshop_id": payload.get("workshop_id"),
        "step_id": payload.get("step_id"),
    }


@contextmanager
def _lease(db: Database, claimed: list[Job], lease: timedelta) -> Iterator[None]:
    """Renews the claims while the jobs run, so only a worker that died loses them (to a takeover after
    STALE_AFTER). A job another worker took over meanwhile (its attempts moved on) is not renewed."""
    done = threading.Event()
    ours = or_(*((Job.id == job.id) & (Job.attempts == job.attempts) for job in claimed))

    def renew() -> None:
        while not done.wait(min(RENEW_EVERY, lease / 4).total_seconds()):
            try:
                with db.session() as session:
                    session.execute(
                        update(Job).where(ours, Job.status == JobStatus.running).values(claimed_at=utcnow())
                    )
            except Exception:  # a failed renewal is retried at the next beat; the jobs themselves go on
                log.warning("could not renew the lease of %d jobs", len(claimed), exc_info=True)

    renewer = threading.Thread(target=renew, name="journeybot-lease", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        done.set()
        renewer.join()


def _postpone(db: Database, job: Job, run_at: datetime) -> None:
    with db.session() as session:
        values = {"status": JobStatus.pending, "run_at": run_at, "attempts": Job.attempts - 1}
        session.execute(update(Job).where(Job.id == job.id).values(**values))


def _finish(db: Database, job: Job, now: datetime, error: str | None = None) -> None:
    """Done, or failed: tried again later with a growing backoff, until MAX_ATTEMPTS."""
    if error is None:
        values = {"status": JobStatus.done, "finished_at": now, "last_error": None}
    elif job.attempts < MAX_ATTEMPTS:
        values = {
            "status": JobStatus.pending,
            "run_at": now + timedelta(seconds=15 * 2**job.attempts),
            "last_error": error,
        }
    else:
        values = {"status": JobStatus.failed, "finished_at": now, "last_error": error}
        JOBS_GIVEN_UP.labels(job.kind).inc()
    with db.session() as session:
        session.execute(update(Job).where(Job.id == job.id).values(**values))
