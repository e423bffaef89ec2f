"""Step deadlines: a nudge a day before, and the step closing by itself when its deadline comes.

Both jobs are enqueued when the step opens (see `workshop.mark_step_opened`) and re-check everything when they
run: a step closed by hand, a cancelled workshop, manual advance or a moved deadline make them do nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Step
from workflows.mapping.models import StepKey
from workflows.ports import Notifier
from workflows.workshop import service as workshop_service
from workflows.workshop.models import StepState, WorkshopState
from workflows.workshop.steps import STEPS


def _due_step(session: Session, payload: dict[str, Any]) -> Step | None:
    """The job's step if it is still open in an open workshop, with the deadline this job was made for."""
    step = session.get(Step, payload["step_id"])
    if step is None or step.workshop.status != WorkshopState.open or step.status != StepState.open:
        return None
    return step if step.deadline == datetime.fromisoformat(payload["deadline"]) else None


class StepDeadlines:
    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier

    def nudge(self, payload: dict[str, Any], now: datetime) -> None:
        """A day before the deadline: a reminder in the step's thread, and a DM to whoever has not contributed."""
        with self.db.session() as session:
            step = _due_step(session, payload)
            if step is None or step.deadline is None:
                return
            contributors = {c.user_id for c in step.contributions if c.carried_from_id is None}  # not last version's
            view = workshop_service.view_of(step.workshop)
            info, step_ts, deadline = STEPS[StepKey(step.key)], step.message_ts or "", step.deadline
        waiting = [u for u in self.notifier.channel_members(view.channel_id) if u not in contributors]
        self.notifier.nudge_step(view, info, step_ts, deadline, waiting)

    def close(self, payload: dict[str, Any], now: datetime) -> None:
        """At the deadline the step closes as `/journey next` would, unless the facilitator advances by hand."""
        with self.db.session() as session:
            step = _due_step(session, payload)
            if step is None or step.workshop.manual_advance or step.workshop.current_step != step.key:
                return
            closing = workshop_service.close_current_step(session, step.workshop, now)
            view = workshop_service.view_of(step.workshop)
        if not closing.already:
            self.notifier.step_closed_at_deadline(view, STEPS[closing.step])
