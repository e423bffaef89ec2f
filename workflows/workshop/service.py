"""The workshop's commands and queries: start, advance step by step, publish, cancel, report status.

These functions only change rows and enqueue jobs; anything slow or that talks to Slack (posting the step
message, clustering, publishing) runs afterwards as a job (see `workflows.workshop.flows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import ActionItemRow, ContributionRow, Step, ThemeRow, Workshop, Workspace, utcnow
from workflows.jobs import queue as jobs
from workflows.jobs.queue import JobKind
from workflows.llm.usage import workshop_usage
from workflows.mapping.models import STEP_ORDER, StepKey
from workflows.ports import StepStatus, WorkshopStatus, WorkshopView
from workflows.workshop.errors import DraftWaiting, NoWorkshop, WorkshopAlreadyOpen, WorkshopError, require_one_of
from workflows.workshop.machine import move_step, move_workshop
from workflows.workshop.models import PublishMode, StepState, WorkshopState
from workflows.workshop.stages import StageDef, resolve_stage_model, stored_stages
from workflows.workshop.steps import STEPS
from workflows.workshop.workdays import DEFAULT_STEP_DAYS, check_step_days, step_deadline, zone

NUDGE_BEFORE = timedelta(hours=24)  # how long before a step's deadline its thread and the quiet ones are nudged


def view_of(workshop: Workshop) -> WorkshopView:
    return WorkshopView(
        id=workshop.id,
        team_id=workshop.team_id,
        channel_id=workshop.channel_id,
        facilitator_id=workshop.facilitator_id,
        objective=workshop.objective,
        stage_names=[s["name"] for s in workshop.stage_model],
        status=workshop.status,
        current_step=StepKey(workshop.current_step) if workshop.current_step else None,
    )


def stage_defs(workshop: Workshop) -> list[StageDef]:
    return stored_stages(workshop.stage_model)


def in_channel(team_id: str, channel_id: str, state: WorkshopState) -> Select[tuple[Workshop]]:
    """The channel's workshops in one state, in the workspace it belongs to: the base of every channel query."""
    return select(Workshop).where(
        Workshop.team_id == team_id, Workshop.channel_id == channel_id, Workshop.status == state
    )


def open_workshop(session: Session, team_id: str, channel_id: str) -> Workshop | None:
    return session.scalar(in_channel(team_id, channel_id, WorkshopState.open))


def published_workshop(session: Session, team_id: str, channel_id: str) -> Workshop | None:
    """The channel's latest published map, which new actions join; None before the first is published."""
    newest_first = (Workshop.published_at.desc(), Workshop.id.desc())
    return session.scalar(in_channel(team_id, channel_id, WorkshopState.published).order_by(*newest_first).limit(1))


def require_open_workshop(session: Session, team_id: str, channel_id: str) -> Workshop:
    workshop = open_workshop(session, team_id, channel_id)
    if workshop is None:
        raise NoWorkshop()
    return workshop


def ensure_workspace(session: Session, team_id: str) -> Workspace:
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        workspace = Workspace(team_id=team_id)
        session.add(workspace)
        session.flush()
    return workspace


def start(
    session: Session,
    team_id: str,
    channel_id: str,
    user_id: str,
    objective: str,
    stage_model: str | None = None,
    step_days: int = DEFAULT_STEP_DAYS,
    manual_advance: bool = False,
    publish_mode: PublishMode = PublishMode.review,
) -> WorkshopView:
    """Creates the workshop with its five steps and schedules the kick-off; one open workshop per channel.

    Each step closes by itself `step_days` working days after it opens, unless the facilitator advances manually.
    With `PublishMode.review` the facilitator gets the map as a draft to check before it goes to the channel.
    """
    stages = resolve_stage_model(stage_model)  # raises ValueError with a readable message
    check_step_days(step_days)
    ensure_workspace(session, team_id)
    existing = open_workshop(session, team_id, channel_id)
    if existing is not None:
        raise WorkshopAlreadyOpen(existing.id, existing.facilitator_id)
    workshop = Workshop(
        team_id=team_id,
        channel_id=channel_id,
        facilitator_id=user_id,
        map_owner_id=user_id,
        objective=objective.strip() or "Map our customers' journey",
        stage_model=[s.model_dump() for s in stages],
        current_step=StepKey.objective.value,
        step_days=step_days,
        manual_advance=manual_advance,
        publish_mode=publish_mode,
        steps=[
            Step(key=key.value, position=i, channel_id=channel_id, status=StepState.pending)
            for i, key in enumerate(STEP_ORDER)
        ],
    )
    try:
        with session.begin_nested():
            session.add(workshop)
    except IntegrityError:  # lost a race with another `start` in the same channel
        existing = require_open_workshop(session, team_id, channel_id)
        raise WorkshopAlreadyOpen(existing.id, existing.facilitator_id) from None
    payload = {"workshop_id": workshop.id}
    jobs.enqueue(session, JobKind.open_step, f"open_step:{workshop.id}:objective", payload, team_id=team_id)
    return view_of(workshop)


def _require_facilitator(workshop: Workshop, user_id: str, what: str) -> None:
    require_one_of(user_id, {workshop.facilitator_id}, "the facilitator of this workshop", what)


def current_step(workshop: Workshop) -> Step:
    return next(s for s in workshop.steps if s.key == workshop.current_step)


@dataclass(frozen=True)
class Closing:
    """What `/journey next` did: closed `step`, or found it closing already (or its map publishing), and then
    `restarted` says whether the job had stopped (on an error, or with its worker gone) and was started again."""

    step: StepKey
    already: bool = False
    restarted: bool = False


def publish_job_key(workshop_id: int) -> str:
    return f"publish:{workshop_id}:1"


def step_job_key(kind: JobKind, step: Step) -> str:
    """A step's close, nudge and deadline jobs, one set per round: a step reopened from the draft runs them anew."""
    return f"{kind.value}:{step.id}" + (f":r{step.reopened}" if step.reopened else "")


def advance(session: Session, team_id: str, channel_id: str, user_id: str) -> tuple[WorkshopView, Closing]:
    """Closes the current step (its themes are built after the ack); the last step's close publishes."""
    workshop = require_open_workshop(session, team_id, channel_id)
    _require_facilitator(workshop, user_id, "move the workshop on")
    return view_of(workshop), close_current_step(session, workshop)


def close_current_step(session: Session, workshop: Workshop, now: datetime | None = None) -> Closing:
    """Closes the current step: `/journey next` (after its facilitator check) and the step's deadline both come here.

    Asked again while the step is closing (or the map publishing), it starts a stopped job again rather than
    leaving the facilitator to wait for its retry. Asked while the step's question is being posted (it shows in the
    channel a moment before the step is recorded open), the close waits for it to open (`Flows.close_step`).
    """
    step = current_step(workshop)
    key = StepKey(step.key)
    if awaiting_review(session, workshop):
        raise DraftWaiting()
    job_key, payload = step_job_key(JobKind.close_step, step), {"step_id": step.id}
    if step.status == StepState.pending:
        opening = jobs.run_again_now(session, f"open_step:{workshop.id}:{step.key}", now or utcnow())
        added = jobs.enqueue(session, JobKind.close_step, job_key, payload, run_at=now, team_id=workshop.team_id)
        return Closing(key, already=not added, restarted=opening)
    if step.status != StepState.open:
        job = {
            "closing": job_key,
            "closed": publish_job_key(workshop.id),  # the last step: the map is being made
        }[step.status]
        return Closing(key, already=True, restarted=jobs.run_again_now(session, job, now or utcnow()))
    move_step(step, StepState.closing)
    jobs.enqueue(session, JobKind.close_step, job_key, payload, run_at=now, team_id=workshop.team_id)
    return Closing(key)


def awaiting_review(session: Session, workshop: Workshop) -> bool:
    """Every step has closed and the map waits for the facilitator's Publish (no publish job yet)."""
    return (
        workshop.publish_mode == PublishMode.review
        and workshop.status == WorkshopState.open
        and all(step.status == StepState.closed for step in workshop.steps)
        and not jobs.exists(session, publish_job_key(workshop.id))
    )


def request_draft(session: Session, workshop: Workshop, now: datetime | None = None) -> int:
    """Asks the worker for a (new) draft of the map for the facilitator; returns its number."""
    workshop.drafts_sent += 1
    payload = {"workshop_id": workshop.id, "number": workshop.drafts_sent}
    key = f"draft:{workshop.id}:{workshop.drafts_sent}"
    jobs.enqueue(session, JobKind.draft, key, payload, run_at=now, team_id=workshop.team_id)
    return workshop.drafts_sent


def publish_draft(
    session: Session, team_id: str, user_id: str, *, workshop_id: int | None = None, channel_id: str | None = None
) -> WorkshopView:
    """The facilitator (or the map's owner) publishes the reviewed map, named by id (the draft's button) or by
    its channel (`/journey publish`): the publish job goes to the worker."""
    if workshop_id is not None:
        workshop = session.get(Workshop, workshop_id)
    else:
        workshop = open_workshop(session, team_id, channel_id or "")
    if workshop is None or workshop.team_id != team_id:
        raise NoWorkshop()
    allowed = {workshop.facilitator_id, workshop.map_owner_id}
    require_one_of(user_id, allowed, "the workshop's facilitator or the map's owner", "publish this map")
    if not awaiting_review(session, workshop):
        if workshop.status == WorkshopState.published or jobs.exists(session, publish_job_key(workshop.id)):
            raise WorkshopError(f"Workshop #{workshop.id}'s map is published (or on its way).")
        raise WorkshopError("The map can be published once every step has closed.")
    enqueue_publish(session, workshop)
    return view_of(workshop)


def enqueue_publish(session: Session, workshop: Workshop, now: datetime | None = None) -> None:
    """The map goes to the channel: one publish job per workshop, however often it is asked for."""
    payload = {"workshop_id": workshop.id}
    jobs.enqueue(session, JobKind.publish, publish_job_key(workshop.id), payload, run_at=now, team_id=workshop.team_id)


def cancel(session: Session, team_id: str, channel_id: str, user_id: str) -> WorkshopView:
    """Stops the workshop, unless its map is already on its way to the channel: that cannot be taken back."""
    workshop = require_open_workshop(session, team_id, channel_id)
    _require_facilitator(workshop, user_id, "cancel it")
    if jobs.exists(session, publish_job_key(workshop.id)):
        raise WorkshopError(f"Workshop #{workshop.id}'s map is being published, so it can no longer be cancelled.")
    move_workshop(workshop, WorkshopState.cancelled)
    return view_of(workshop)


def latest_workshop(session: Session, team_id: str, channel_id: str) -> Workshop | None:
    """The open workshop, else the most recently published one: what `status` and `map` talk about."""
    return open_workshop(session, team_id, channel_id) or published_workshop(session, team_id, channel_id)


def status(session: Session, team_id: str, channel_id: str) -> WorkshopStatus:
    workshop = latest_workshop(session, team_id, channel_id)
    if workshop is None:
        raise NoWorkshop()
    counts = {
        step_id: (n, people)
        for step_id, n, people in session.execute(
            select(
                ContributionRow.step_id,
                func.count(ContributionRow.id),
                func.count(func.distinct(ContributionRow.user_id)),
            )
            .join(Step)
            .where(Step.workshop_id == workshop.id, ContributionRow.carried_from_id.is_(None))  # new notes only
            .group_by(ContributionRow.step_id)
        )
    }
    theme_counts = dict(
        session.execute(
            select(ThemeRow.step_id, func.count(ThemeRow.id))
            .join(Step)
            .where(Step.workshop_id == workshop.id)
            .group_by(ThemeRow.step_id)
        ).all()
    )
    steps = [
        StepStatus(
            key=StepKey(s.key),
            title=STEPS[StepKey(s.key)].title,
            status=s.status,
            message_ts=s.message_ts,
            contributions=counts.get(s.id, (0, 0))[0],
            contributors=counts.get(s.id, (0, 0))[1],
            themes=theme_counts.get(s.id, 0),
            engine=s.engine,
            deadline=s.deadline if s.status == StepState.open else None,
        )
        for s in workshop.steps
    ]
    actions = session.scalars(select(ActionItemRow).where(ActionItemRow.workshop_id == workshop.id)).all()
    usage = workshop_usage(session, workshop.id)
    return WorkshopStatus(
        workshop=view_of(workshop),
        llm_tokens=usage.prompt_tokens + usage.completion_tokens,
        llm_cost_usd=usage.estimated_cost_usd,
        steps=steps,
        manual_advance=workshop.manual_advance,
        action_items=len(actions),
        unowned_action_items=sum(1 for a in actions if a.owner_id is None),
    )


def mark_step_opened(
    session: Session, step: Step, message_ts: str, now: datetime | None = None, tz: str | None = None
) -> None:
    """Opens the step with its deadline (counted in the facilitator's time zone `tz`) and that deadline's jobs:
    a nudge a day before and the close itself (see `workflows.workshop.scheduled`)."""
    move_step(step, StepState.open, now or utcnow())
    step.message_ts = message_ts
    step.deadline = step_deadline(step.opened_at, step.workshop.step_days, zone(tz))
    payload = {"step_id": step.id, "deadline": step.deadline.isoformat()}
    team = step.workshop.team_id
    nudge, close = step_job_key(JobKind.step_nudge, step), step_job_key(JobKind.step_deadline, step)
    jobs.enqueue(session, JobKind.step_nudge, nudge, payload, step.deadline - NUDGE_BEFORE, team_id=team)
    jobs.enqueue(session, JobKind.step_deadline, close, payload, step.deadline, team_id=team)


def reopen_step(
    session: Session, team_id: str, user_id: str, step_id: int, now: datetime | None = None, tz: str | None = None
) -> tuple[WorkshopView, Step]:
    """Back to a step from the draft: it takes notes again in its thread until its new deadline (or `/journey
    next`); then its themes are made again, keeping the ones people edited, and a new draft follows."""
    step = session.get(Step, step_id)
    if step is None or step.workshop.team_id != team_id:
        raise NoWorkshop()
    workshop = step.workshop
    allowed = {workshop.facilitator_id, workshop.map_owner_id}
    require_one_of(user_id, allowed, "the workshop's facilitator or the map's owner", "go back to a step")
    if not awaiting_review(session, workshop):
        raise WorkshopError("You can go back to a step while the map waits as a draft, before it is published.")
    step.reopened += 1
    workshop.current_step = step.key
    mark_step_opened(session, step, step.message_ts or "", now, tz)
    return view_of(workshop), step


def set_llm(session: Session, team_id: str, channel_id: str, user_id: str, enabled: bool, is_admin: bool) -> None:
    """Keeps a workspace on the embedded engine (or lets it use the LLM again): admins and facilitators only."""
    workshop = latest_workshop(session, team_id, channel_id)
    if not is_admin and (workshop is None or workshop.facilitator_id != user_id):
        raise WorkshopError("Sorry, only a workspace admin or this channel's facilitator can change the LLM setting.")
    workspace = ensure_workspace(session, team_id)
    workspace.settings = {**workspace.settings, "llm": "on" if enabled else "off"}
