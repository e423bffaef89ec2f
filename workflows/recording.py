"""Thread replies to a step's message become contributions; edits update them and deletions remove them."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.db import insert_new
from storage.models import ContributionRow, ProcessedEvent, Step, Workshop
from workflows.contributions import parse_reply
from workflows.journey_map import StepKey


class Reply(BaseModel):
    """A thread reply as the domain sees it: plain text, mentions as (user id, label) in order."""

    channel_id: str
    thread_ts: str
    ts: str
    user_id: str
    text: str
    mentions: Sequence[tuple[str, str]] = Field(default_factory=list)


class Outcome(StrEnum):
    recorded = "recorded"  # stored as one or more contributions of an open step
    late = "late"  # the step had closed: stored, and added to the map as a late addition
    removed = "removed"
    empty = "empty"  # nothing to store (an empty or tag-only reply)
    workshop_closed = "workshop_closed"  # the workshop is published or cancelled
    not_a_step = "not_a_step"  # a thread that is not one of our step messages
    duplicate = "duplicate"  # an event id seen before (Slack retries)


class Recorded(BaseModel):
    outcome: Outcome
    count: int = 0
    workshop_id: int | None = None
    step_key: str | None = None


def first_delivery(session: Session, event_id: str | None) -> bool:
    """Stores the event id; False when it was processed before. Same transaction as the work it guards."""
    if not event_id:
        return True
    return insert_new(session, ProcessedEvent, event_id=event_id)


def _step_for_thread(session: Session, channel_id: str, thread_ts: str) -> Step | None:
    return session.scalar(select(Step).where(Step.channel_id == channel_id, Step.message_ts == thread_ts))


def record_reply(session: Session, reply: Reply, event_id: str | None = None) -> Recorded:
    """Stores a new or edited reply; a reply with several bullet lines is several contributions."""
    step = _step_for_thread(session, reply.channel_id, reply.thread_ts)
    if step is None:
        return Recorded(outcome=Outcome.not_a_step)
    workshop: Workshop = step.workshop
    found = Recorded(outcome=Outcome.recorded, workshop_id=workshop.id, step_key=step.key)
    if workshop.status != "open":
        return found.model_copy(update={"outcome": Outcome.workshop_closed})
    if not first_delivery(session, event_id):
        return found.model_copy(update={"outcome": Outcome.duplicate})
    notes = parse_reply(reply.text, keep_headings=step.key == StepKey.persona.value)
    existing = {
        c.part: c
        for c in session.scalars(
            select(ContributionRow).where(ContributionRow.step_id == step.id, ContributionRow.message_ts == reply.ts)
        )
    }
    for part, note in enumerate(notes):
        row = existing.pop(part, None) or ContributionRow(step_id=step.id, message_ts=reply.ts, part=part)
        row.user_id = reply.user_id
        row.text = note.text
        row.evidence = note.evidence.value
        row.mentions = [list(m) for m in reply.mentions if f"@{m[1]}" in note.text]
        session.add(row)
    for stale in existing.values():  # an edit that removed bullet lines
        session.delete(stale)
    if not notes:
        return found.model_copy(update={"outcome": Outcome.empty})
    outcome = Outcome.recorded if step.status == "open" else Outcome.late
    return found.model_copy(update={"outcome": outcome, "count": len(notes)})


def remove_reply(session: Session, channel_id: str, thread_ts: str, ts: str, event_id: str | None = None) -> Recorded:
    step = _step_for_thread(session, channel_id, thread_ts)
    if step is None:
        return Recorded(outcome=Outcome.not_a_step)
    if not first_delivery(session, event_id):
        return Recorded(outcome=Outcome.duplicate)
    removed = session.execute(
        delete(ContributionRow).where(ContributionRow.step_id == step.id, ContributionRow.message_ts == ts)
    ).rowcount
    return Recorded(outcome=Outcome.removed, count=removed or 0, workshop_id=step.workshop_id, step_key=step.key)
