"""The one place a workshop or a step changes state: every move is checked against the table below.

The service (commands, deadlines) and the flows (jobs) decide *when* to move; this module decides *whether* the move
is allowed and stamps the time it happened, so a step can never, say, close before its themes are made, or a
cancelled workshop be published by a job that was already queued.
"""

from __future__ import annotations

from datetime import datetime

from storage.models import Step, Workshop
from workflows.workshop.models import StepState, WorkshopState

STEP_MOVES: dict[StepState, frozenset[StepState]] = {
    StepState.pending: frozenset({StepState.open}),  # its question is posted
    StepState.open: frozenset({StepState.closing}),  # `/journey next` or its deadline
    StepState.closing: frozenset({StepState.closed}),  # its themes are stored and posted
    StepState.closed: frozenset({StepState.open}),  # the facilitator goes back to it from the draft
}
WORKSHOP_MOVES: dict[WorkshopState, frozenset[WorkshopState]] = {
    WorkshopState.open: frozenset({WorkshopState.published, WorkshopState.cancelled}),
    WorkshopState.published: frozenset(),  # a revision is a new workshop
    WorkshopState.cancelled: frozenset(),
}


class IllegalMove(RuntimeError):
    """A bug, not a user's mistake: the caller should have checked the state first (commands refuse politely)."""

    def __init__(self, what: str, state: str, to: str) -> None:
        super().__init__(f"{what} cannot go from {state} to {to}")


def may_move_step(step: Step, to: StepState) -> bool:
    return to in STEP_MOVES[StepState(step.status)]


def move_step(step: Step, to: StepState, now: datetime | None = None) -> None:
    """`now` stamps the step's opening or closing time."""
    if not may_move_step(step, to):
        raise IllegalMove(f"step {step.key}", step.status, to)
    step.status = to
    if to is StepState.open:
        step.opened_at = now
    elif to is StepState.closed:
        step.closed_at = now


def move_workshop(workshop: Workshop, to: WorkshopState, now: datetime | None = None) -> None:
    """Publishing stamps `published_at` and ends the step sequence; cancelling keeps the steps as they were."""
    if to not in WORKSHOP_MOVES[WorkshopState(workshop.status)]:
        raise IllegalMove(f"workshop #{workshop.id}", workshop.status, to)
    workshop.status = to
    if to is WorkshopState.published:
        workshop.current_step, workshop.published_at = None, now
