"""Deleting what the bot stores: one workshop (`/journey delete`) or a whole workspace (`journeybot forget`).

A workshop's own rows hang off it by foreign keys (steps, notes, themes, reactions, actions and their history, map
versions), but not everything that is about it does: its jobs name it in their payloads, the outbox names it in its
keys, Slack's stored events name its threads, LLM usage and cached answers point at it with SET NULL. Each is
found here and deleted explicitly, table by table, so the counts can be reported and nothing depends on which
foreign keys the database enforces. Messages already posted in Slack are Slack's to delete and stay.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from typing import Any, cast

from pydantic import BaseModel
from sqlalchemy import CursorResult, Delete, Update, delete, func, or_, select, update
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import (
    ActionEvent,
    ActionItemRow,
    ContributionRow,
    Job,
    LLMCacheEntry,
    LLMCall,
    MapValidation,
    MapVersion,
    ReplyState,
    SentEffect,
    Step,
    ThemeEdit,
    ThemeMember,
    ThemeReaction,
    ThemeReview,
    ThemeRow,
    Workshop,
    Workspace,
)
from workflows.jobs import queue as jobs
from workflows.jobs.queue import JobKind
from workflows.retention import events
from workflows.workshop.errors import NotAllowed, WorkshopError
from workflows.workshop.service import latest_workshop

# Every table that can hold something about a workspace, in the order they are emptied: what `forget` reports.
TABLES = (
    "jobs",
    "sent_effects",
    "processed_events",
    "action_events",
    "action_items",
    "map_validations",
    "map_versions",
    "theme_reactions",
    "theme_members",
    "theme_reviews",
    "theme_edits",
    "reply_states",
    "themes",
    "contributions",
    "steps",
    "llm_calls",
    "llm_cache",
    "workshops",
    "workspaces",
)
BATCH = 200  # ids per IN (...) list
ANNOUNCED = f"{JobKind.notify_actions}:published:"  # `actions.service.announce_published`'s key: the workshop id next


class DeletionPreview(BaseModel):
    """What `/journey delete` is about to delete, for the confirmation."""

    workshop_id: int
    channel_id: str
    objective: str
    status: str
    version: int
    notes: int
    themes: int
    actions: int
    map_versions: int


class Deleted(BaseModel):
    workshop_id: int
    rows: dict[str, int]  # rows deleted per table


class NothingToDelete(WorkshopError):
    def __init__(self, workshop_id: int | None = None) -> None:
        which = f"no workshop #{workshop_id}" if workshop_id else "no workshop"
        super().__init__(f"This channel has {which} to delete. `/journey history` lists its published maps.")


def _target(session: Session, team_id: str, channel_id: str, workshop_id: int | None) -> Workshop:
    """The workshop `/journey delete [N]` means: #N of this channel, else the open one, else the latest map."""
    if workshop_id is None:
        workshop = latest_workshop(session, team_id, channel_id)
    else:
        workshop = session.get(Workshop, workshop_id)
        if workshop is not None and (workshop.team_id != team_id or workshop.channel_id != channel_id):
            workshop = None
    if workshop is None:
        raise NothingToDelete(workshop_id)
    return workshop


def _require_may_delete(workshop: Workshop, user_id: str, is_admin: bool) -> None:
    """The facilitator decides about their workshop; a workspace admin about anything in the workspace."""
    if not is_admin and user_id != workshop.facilitator_id:
        raise NotAllowed("the workshop's facilitator or a workspace admin", f"delete workshop #{workshop.id}")


def _count(session: Session, column: object, *where: object) -> int:
    return session.scalar(select(func.count(column)).where(*where)) or 0


def preview_deletion(
    session: Session, team_id: str, channel_id: str, user_id: str, *, is_admin: bool, workshop_id: int | None = None
) -> DeletionPreview:
    """The confirmation's content; refuses (before anything is shown) whoever may not delete the workshop."""
    workshop = _target(session, team_id, channel_id, workshop_id)
    _require_may_delete(workshop, user_id, is_admin)
    steps = select(Step.id).where(Step.workshop_id == workshop.id)
    return DeletionPreview(
        workshop_id=workshop.id,
        channel_id=workshop.channel_id,
        objective=workshop.objective,
        status=workshop.status,
        version=workshop.version,
        notes=_count(session, ContributionRow.id, ContributionRow.step_id.in_(steps)),
        themes=_count(session, ThemeRow.id, ThemeRow.step_id.in_(steps)),
        actions=_count(session, ActionItemRow.id, ActionItemRow.workshop_id == workshop.id),
        map_versions=_count(session, MapVersion.id, MapVersion.workshop_id == workshop.id),
    )


def delete_workshop(
    session: Session, team_id: str, workshop_id: int, user_id: str, *, is_admin: bool
) -> Deleted | None:
    """Deletes everything stored about the workshop; None when it is already gone (a second click).

    The Home tabs that showed its map or its actions are refreshed by a job that names only the people."""
    workshop = session.get(Workshop, workshop_id)
    if workshop is None or workshop.team_id != team_id:
        return None
    _require_may_delete(workshop, user_id, is_admin)
    homes = _people(session, workshop)
    rows = _delete_workshops(session, team_id, [workshop.id])
    payload = {"action_id": None, "owner_id": None, "homes": sorted(homes)}
    key = f"{JobKind.notify_actions}:homes:{uuid.uuid4().hex}"
    jobs.enqueue(session, JobKind.notify_actions, key, payload, team_id=team_id)
    return Deleted(workshop_id=workshop_id, rows=_ordered(rows))


def forget_workspace(session: Session, team_id: str) -> dict[str, int]:
    """Deletes everything stored about a workspace: its settings, every workshop as `delete_workshop` does, the
    events Slack sent from it (and their ids), the LLM answers cached for it. Returns the rows deleted per table."""
    rows = Counter(events.delete_events(session, team_id, processed=True))
    ids = list(session.scalars(select(Workshop.id).where(Workshop.team_id == team_id).order_by(Workshop.id)))
    rows.update(_delete_workshops(session, team_id, ids, stored_events=False))
    rows["llm_cache"] += _execute(session, delete(LLMCacheEntry).where(LLMCacheEntry.team_id == team_id))
    rows["jobs"] += _execute(session, delete(Job).where(Job.team_id == team_id))  # any left: its homes, say
    rows["workspaces"] += _execute(session, delete(Workspace).where(Workspace.team_id == team_id))
    return _ordered(rows)


class _Preview(Exception):
    def __init__(self, rows: dict[str, int]) -> None:
        super().__init__("preview")
        self.rows = rows


def preview_forget(db: Database, team_id: str) -> dict[str, int]:
    """What `forget_workspace` would delete: it runs, and its transaction is rolled back, so the counts are exact."""
    try:
        with db.session() as session:
            raise _Preview(forget_workspace(session, team_id))
    except _Preview as preview:
        return preview.rows


def _ordered(rows: Counter[str]) -> dict[str, int]:
    return {table: rows[table] for table in TABLES}


def _execute(session: Session, statement: Delete | Update) -> int:
    """Runs a bulk statement (the session's loaded objects are not synchronised: nothing is used after it)."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount or 0


def _people(session: Session, workshop: Workshop) -> set[str]:
    """Whose Home tab may show the workshop: its facilitator, map owner, action owners and contributors."""
    people = {workshop.facilitator_id, workshop.map_owner_id}
    people |= set(session.scalars(select(ActionItemRow.owner_id).where(ActionItemRow.workshop_id == workshop.id)))
    people |= set(
        session.scalars(select(ContributionRow.user_id).join(Step).where(Step.workshop_id == workshop.id).distinct())
    )
    return {person for person in people if person}


def _batches(ids: Iterable[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[start : start + BATCH] for start in range(0, len(ordered), BATCH)]


def _delete_workshops(
    session: Session, team_id: str, workshop_ids: list[int], stored_events: bool = True
) -> Counter[str]:
    """Every row about these workshops, table by table, children before parents; with `stored_events`, Slack's
    stored events about their threads too (matched by their messages, so before those rows go)."""
    rows: Counter[str] = Counter()
    if not workshop_ids:
        return rows
    owned = _Owned.of(session, workshop_ids)
    if stored_events:
        rows.update(events.delete_events(session, team_id, events.of_workshops(session, workshop_ids), processed=False))
    rows.update(_delete_jobs(session, owned))
    for batch in _batches(workshop_ids):
        rows.update(_delete_rows(session, batch))
    return rows


class _Owned(BaseModel):
    """The ids that a workshop's jobs name in their payloads."""

    workshops: set[int]
    steps: set[int]
    actions: set[int]

    @classmethod
    def of(cls, session: Session, workshop_ids: list[int]) -> _Owned:
        steps: set[int] = set()
        actions: set[int] = set()
        for batch in _batches(workshop_ids):
            steps |= set(session.scalars(select(Step.id).where(Step.workshop_id.in_(batch))))
            actions |= set(session.scalars(select(ActionItemRow.id).where(ActionItemRow.workshop_id.in_(batch))))
        return cls(workshops=set(workshop_ids), steps=steps, actions=actions)


def _delete_rows(session: Session, ids: list[int]) -> Counter[str]:
    """The workshops' own rows and their outbox records, for one batch of workshops."""
    rows: Counter[str] = Counter()
    steps = select(Step.id).where(Step.workshop_id.in_(ids))
    themes = select(ThemeRow.id).where(ThemeRow.step_id.in_(steps))
    notes = select(ContributionRow.id).where(ContributionRow.step_id.in_(steps))
    actions = select(ActionItemRow.id).where(ActionItemRow.workshop_id.in_(ids))
    effects = or_(*(SentEffect.key.startswith(f"w{workshop_id}:", autoescape=True) for workshop_id in ids))
    rows["sent_effects"] += _execute(session, delete(SentEffect).where(effects))

    # Other workshops may point here: a revision at the version it revises and at the notes carried from it, an
    # action added to another version at a pain point. Their foreign keys say SET NULL; it is done here explicitly.
    _execute(session, update(Workshop).where(Workshop.revision_of_id.in_(ids)).values(revision_of_id=None))
    _execute(
        session, update(ContributionRow).where(ContributionRow.carried_from_id.in_(notes)).values(carried_from_id=None)
    )
    _execute(
        session, update(ThemeRow).where(ThemeRow.quote_contribution_id.in_(notes)).values(quote_contribution_id=None)
    )
    _execute(
        session,
        update(ActionItemRow).where(ActionItemRow.pain_point_theme_id.in_(themes)).values(pain_point_theme_id=None),
    )

    statements = [
        ("action_events", delete(ActionEvent).where(ActionEvent.action_id.in_(actions))),
        ("action_items", delete(ActionItemRow).where(ActionItemRow.workshop_id.in_(ids))),
        ("map_validations", delete(MapValidation).where(MapValidation.workshop_id.in_(ids))),
        ("map_versions", delete(MapVersion).where(MapVersion.workshop_id.in_(ids))),
        ("theme_reactions", delete(ThemeReaction).where(ThemeReaction.theme_id.in_(themes))),
        (
            "theme_members",
            delete(ThemeMember).where(or_(ThemeMember.theme_id.in_(themes), ThemeMember.contribution_id.in_(notes))),
        ),
        (
            "theme_reviews",
            delete(ThemeReview).where(or_(ThemeReview.step_id.in_(steps), ThemeReview.previous_theme_id.in_(themes))),
        ),
        ("theme_edits", delete(ThemeEdit).where(ThemeEdit.step_id.in_(steps))),
        ("reply_states", delete(ReplyState).where(ReplyState.step_id.in_(steps))),
        ("themes", delete(ThemeRow).where(ThemeRow.step_id.in_(steps))),
        ("contributions", delete(ContributionRow).where(ContributionRow.step_id.in_(steps))),
        ("steps", delete(Step).where(Step.workshop_id.in_(ids))),
        ("llm_calls", delete(LLMCall).where(LLMCall.workshop_id.in_(ids))),
        ("llm_cache", delete(LLMCacheEntry).where(LLMCacheEntry.workshop_id.in_(ids))),
        ("workshops", delete(Workshop).where(Workshop.id.in_(ids))),
    ]
    for table, statement in statements:
        rows[table] += _execute(session, statement)
    return rows


def _announced(key: str) -> int | None:
    """The workshop a "map published" announcement job is for (its payload names only people)."""
    if not key.startswith(ANNOUNCED):
        return None
    number = key.removeprefix(ANNOUNCED).split(":", 1)[0]
    return int(number) if number.isdigit() else None


def _delete_jobs(session: Session, owned: _Owned) -> Counter[str]:
    """The workshops' jobs, done or due: those whose payload names one of them, one of their steps or actions.

    An owner's daily reminder may list actions of several maps: it loses these actions, and goes (with the record of
    its direct message) only when none is left.
    """
    rows: Counter[str] = Counter()
    doomed: list[int] = []
    reminders: list[str] = []
    rewritten: dict[int, dict] = {}
    found = session.execute(
        select(Job.id, Job.kind, Job.key, Job.payload)
        .where(Job.kind != JobKind.slack_event)
        .execution_options(yield_per=events.BATCH)
    )
    for job_id, kind, key, payload in found:
        payload = payload or {}
        if (
            payload.get("workshop_id") in owned.workshops
            or payload.get("step_id") in owned.steps
            or payload.get("action_id") in owned.actions
            or _announced(key) in owned.workshops
        ):
            doomed.append(job_id)
        elif kind == JobKind.remind_owner and isinstance(payload.get("actions"), list):
            left = [wanted for wanted in payload["actions"] if wanted.get("action_id") not in owned.actions]
            if not left:
                doomed.append(job_id)
                reminders.append(key)
            elif len(left) < len(payload["actions"]):
                rewritten[job_id] = {**payload, "actions": left}
    for batch in _batches(doomed):
        rows["jobs"] += _execute(session, delete(Job).where(Job.id.in_(batch)))
    for job_id, payload in rewritten.items():
        _execute(session, update(Job).where(Job.id == job_id).values(payload=payload))
    for key in reminders:
        rows["sent_effects"] += _execute(
            session, delete(SentEffect).where(SentEffect.key.startswith(f"{key}:", autoescape=True))
        )
    return rows
