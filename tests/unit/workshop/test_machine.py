"""The state machine: the moves a workshop and its steps may make, and the ones that would be bugs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.models import Step, Workshop
from workflows.workshop.machine import IllegalMove, move_step, move_workshop
from workflows.workshop.models import StepState, WorkshopState

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def test_a_step_opens_closes_and_is_stamped_each_time() -> None:
    step = Step(key="persona", status=StepState.pending)
    move_step(step, StepState.open, NOW)
    move_step(step, StepState.closing)
    move_step(step, StepState.closed, NOW.replace(hour=17))
    assert (step.status, step.opened_at, step.closed_at) == (StepState.closed, NOW, NOW.replace(hour=17))
    move_step(step, StepState.open, NOW.replace(day=4))  # back to it from the draft
    assert (step.status, step.opened_at) == (StepState.open, NOW.replace(day=4))


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (StepState.closed, StepState.closing),  # a closed step reopens before it closes again
        (StepState.pending, StepState.closing),  # nor closes before its question was posted
        (StepState.open, StepState.closed),  # its themes are made first
        (StepState.closing, StepState.closing),
    ],
)
def test_a_step_never_skips_or_goes_back(start: StepState, to: StepState) -> None:
    step = Step(key="persona", status=start)
    with pytest.raises(IllegalMove):
        move_step(step, to, NOW)
    assert step.status == start


def test_publishing_ends_the_workshop_and_nothing_moves_it_again() -> None:
    workshop = Workshop(id=7, status=WorkshopState.open, current_step="action_plan")
    move_workshop(workshop, WorkshopState.published, NOW)
    assert (workshop.status, workshop.current_step, workshop.published_at) == (WorkshopState.published, None, NOW)
    for to in (WorkshopState.cancelled, WorkshopState.open, WorkshopState.published):
        with pytest.raises(IllegalMove, match="workshop #7 cannot go from published"):
            move_workshop(workshop, to, NOW)


def test_a_cancelled_workshop_is_never_published() -> None:
    workshop = Workshop(id=8, status=WorkshopState.open, current_step="touchpoints")
    move_workshop(workshop, WorkshopState.cancelled)
    with pytest.raises(IllegalMove):
        move_workshop(workshop, WorkshopState.published, NOW)
    assert (workshop.status, workshop.current_step) == (WorkshopState.cancelled, "touchpoints")
