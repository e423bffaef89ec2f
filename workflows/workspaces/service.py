"""The workspaces journeybot is installed in: which Enterprise Grid organisation each belongs to, and what stops
when one uninstalls the app."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Job, Workshop, Workspace
from workflows.jobs.queue import JobStatus
from workflows.workshop.machine import move_workshop
from workflows.workshop.models import WorkshopState
from workflows.workshop.service import ensure_workspace

UNINSTALLED = "the app was uninstalled from this workspace"


def record_install(session: Session, team_id: str, enterprise_id: str | None) -> None:
    """A workspace installed the app (again): its organisation is where an org-wide install's token is found."""
    ensure_workspace(session, team_id).enterprise_id = enterprise_id


def enterprise_of(session: Session, team_id: str) -> str | None:
    return session.scalar(select(Workspace.enterprise_id).where(Workspace.team_id == team_id))


def stop_workspace(session: Session, team_id: str) -> int:
    """The app was uninstalled (or its tokens revoked): the workspace's running workshops are cancelled and its
    jobs not yet done are given up, as nothing can reach Slack there any more. Its data stays until someone
    runs `journeybot forget` (or it comes back). Returns the jobs given up."""
    for workshop in session.scalars(
        select(Workshop).where(Workshop.team_id == team_id, Workshop.status == WorkshopState.open)
    ):
        move_workshop(workshop, WorkshopState.cancelled)
    waiting = (Job.team_id == team_id) & Job.status.in_([JobStatus.pending, JobStatus.running])
    stopped = session.execute(update(Job).where(waiting).values(status=JobStatus.failed, last_error=UNINSTALLED))
    return stopped.rowcount or 0
