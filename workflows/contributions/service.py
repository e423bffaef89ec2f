"""Thread replies to a step's message become contributions; edits update them and deletions remove them.

Slack delivers events at least once and in no particular order, so a reply's state is decided by Slack's own
timestamps, not by arrival: the newest version (the message's `ts`, then each edit's `edited.ts`) wins, and a
deletion leaves a tombstone that nothing brings back. Any order of create, edits and delete ends as Slack shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, Field
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from storage.db import insert_new
from storage.models import ContributionRow, ProcessedEvent, ReplyState, Step, Workshop
from workflows.contributions.parsing import Headings, parse_reply
from workflows.contributions.text import readable, ts_order
from workflows.logs import bind
from workflows.mapping.models import StepKey
from workflows.themes.stage_placement import heading_stage, stage_heading
from workflows.workshop.models import StepState, WorkshopState
from workflows.workshop.stages import StageDef, stored_stages


class Reply(BaseModel):
    team_id: str  # the workspace the event came from: a thread is looked up in it only
    """A thread reply as the domain sees it: plain text, mentions as (user id, label) in order."""

    channel_id: str
    thread_ts: str
    ts: str
    user_id: str
    text: str
    mentions: Sequence[tuple[str, str]] = Field(default_factory=list)
    edited_ts: str | None = None  # an edit's own timestamp (`edited.ts`); None for the reply as first posted

    @property
    def version(self) -> str:
        return self.edited_ts or self.ts


class Outcome(StrEnum):
    recorded = "recorded"  # stored as one or more contributions of an open step
    late = "late"  # the step had closed: stored, and added to the map as a late addition
    removed = "removed"
    empty = "empty"  # nothing to store (an empty or tag-only reply)
    workshop_closed = "workshop_closed"  # the workshop is published or cancelled
    not_a_step = "not_a_step"  # a thread that is not one of our step messages
    step_opening = "step_opening"  # the channel's step is being posted: its message may be this thread
    duplicate = "duplicate"  # an event id seen before (Slack retries)
    stale = "stale"  # older than the version already applied, or the reply was deleted


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


def _step_for_thread(session: Session, team_id: str, channel_id: str, thread_ts: str) -> Step | None:
    return session.scalar(
        select(Step)
        .join(Workshop)
        .where(Workshop.team_id == team_id, Step.channel_id == channel_id, Step.message_ts == thread_ts)
    )


def _no_step(session: Session, team_id: str, channel_id: str, thread_ts: str) -> Outcome:
    """Why a thread is no step's: not ours, or maybe ours and not yet recorded (a reply can arrive between the
    step's message being posted and its ts being stored). Each read sees what was stored when it ran: the step may
    have been recorded since the thread was looked up, so this read takes it as opening too (the reply is tried
    again soon), rather than as no step's."""
    opening = (
        select(Step.id)
        .join(Workshop)
        .where(Workshop.team_id == team_id, Workshop.channel_id == channel_id, Workshop.status == "open")
        .where(or_(and_(Step.key == Workshop.current_step, Step.status == "pending"), Step.message_ts == thread_ts))
    )
    return Outcome.step_opening if session.scalar(opening) is not None else Outcome.not_a_step


def headings_kept(key: str, stages: Sequence[StageDef]) -> bool | Headings:
    """Which headings over a list stay on its items: all in the persona step ("Frustrations:"), a stage in the
    touchpoint and pain-point steps ("Awareness:", "*Awareness*" or "Awareness" over the touchpoints at Awareness;
    "Adoption is where it really hurts imo:" as "Adoption"), none elsewhere."""
    if key == StepKey.persona:
        return True
    if key in (StepKey.touchpoints, StepKey.pain_points):
        return Headings(
            lambda line: stage_heading(line, stages) is not None, lambda label: heading_stage(label, stages)
        )
    return False


def record_reply(session: Session, reply: Reply, event_id: str | None = None) -> Recorded:
    """Stores a new or edited reply; a reply with several bullet lines is several contributions."""
    step = _step_for_thread(session, reply.team_id, reply.channel_id, reply.thread_ts)
    if step is None:
        return Recorded(outcome=_no_step(session, reply.team_id, reply.channel_id, reply.thread_ts))
    workshop: Workshop = step.workshop
    bind(workshop_id=workshop.id)  # the event's later log lines name the workshop it went to
    found = Recorded(outcome=Outcome.recorded, workshop_id=workshop.id, step_key=step.key)
    if workshop.status != WorkshopState.open:
        return found.model_copy(update={"outcome": Outcome.workshop_closed})
    if not first_delivery(session, event_id):
        return found.model_copy(update={"outcome": Outcome.duplicate})
    if not newest(session, step.id, reply.ts, reply.version):
        return found.model_copy(update={"outcome": Outcome.stale})
    notes = parse_reply(
        readable(reply.text), keep_headings=headings_kept(step.key, stored_stages(workshop.stage_model))
    )
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
    outcome = Outcome.recorded if step.status == StepState.open else Outcome.late
    return found.model_copy(update={"outcome": outcome, "count": len(notes)})


def remove_reply(
    session: Session, team_id: str, channel_id: str, thread_ts: str, ts: str, event_id: str | None = None
) -> Recorded:
    step = _step_for_thread(session, team_id, channel_id, thread_ts)
    if step is None:
        return Recorded(outcome=_no_step(session, team_id, channel_id, thread_ts))
    if not first_delivery(session, event_id):
        return Recorded(outcome=Outcome.duplicate)
    newest(session, step.id, ts, deleting=True)
    removed = session.execute(
        delete(ContributionRow).where(ContributionRow.step_id == step.id, ContributionRow.message_ts == ts)
    ).rowcount
    return Recorded(outcome=Outcome.removed, count=removed or 0, workshop_id=step.workshop_id, step_key=step.key)


def newest(session: Session, step_id: int, ts: str, version: str = "", deleting: bool = False) -> bool:
    """Whether this version of the reply is to be applied, recording it: False for a reply already deleted or a
    version older than (or the same as) one applied before. A deletion always applies and leaves a tombstone.

    The reply's state row is locked for the rest of the transaction, so two events of one reply apply one at a
    time (on PostgreSQL; SQLite lets one writer in at a time anyway).
    """
    insert_new(session, ReplyState, step_id=step_id, message_ts=ts, version_ts="", deleted=False)
    state = session.scalars(
        select(ReplyState).where(ReplyState.step_id == step_id, ReplyState.message_ts == ts).with_for_update()
    ).one()
    if state.deleted:
        return False
    if deleting:
        state.deleted = True
        return True
    if state.version_ts and ts_order(version) <= ts_order(state.version_ts):
        return False
    state.version_ts = version
    return True
