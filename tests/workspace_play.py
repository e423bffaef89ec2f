"""Two workspaces side by side in one database, every table filled, and the rows that reference each one counted.

Shared by the data-retention tests (delete, forget, purge, export). Both workspaces use the same channel id, so only
the team id tells them apart. The counting is the tests' own: which rows name a workshop, one of its steps, themes,
notes or actions, by foreign key, job payload, outbox key or the Slack event's thread, written independently of
`workflows.retention`, with the ids taken before anything is deleted.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

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
    ProcessedEvent,
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
from tests.map_samples import sample_map
from workflows.jobs import queue as jobs
from workflows.jobs.intake import store_event
from workflows.jobs.queue import JobKind
from workflows.llm.cache import store_answer
from workflows.mapping.models import STEP_ORDER, StepKey
from workflows.retention.service import TABLES
from workflows.workshop.models import StepState, WorkshopState

TEAM_A, TEAM_B = "T0ALPHA001", "T0BRAVO001"
CHANNEL = "C0SHARED01"  # the same channel id in both workspaces: only the team id tells them apart
PEOPLE = {  # facilitator, two participants
    TEAM_A: ("U0AFAC0001", "U0AANA0001", "U0ABEN0001"),
    TEAM_B: ("U0BFAC0001", "U0BANA0001", "U0BBEN0001"),
}
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
_stamps = itertools.count(1)


def _ts() -> str:
    """A fresh Slack timestamp: step messages are unique per channel, whatever the workspace."""
    return f"{1_763_000_000 + next(_stamps)}.000100"


@dataclass
class Seeded:
    team_id: str
    workshop_id: int
    notes: list[str]  # every note's text
    event_ids: list[str]  # the Slack events stored about it


def _event(team_id: str, event_id: str, event: dict[str, Any]) -> str:
    body = {"token": "x", "team_id": team_id, "api_app_id": "A0JOURNEY1", "type": "event_callback"}
    return json.dumps(body | {"event": event, "event_id": event_id, "event_time": 1_763_000_000})


def seed_workshop(
    db: Database,
    team_id: str,
    *,
    label: str,
    published_at: datetime | None = NOW - timedelta(days=100),
    channel_id: str = CHANNEL,
    due: date | None = date(2026, 11, 20),
) -> Seeded:
    """A workshop with a row in every table that can be about it: published at `published_at` (None: still open),
    its action due on `due` (None: no reminder for a running bot to plan)."""
    facilitator, ana, ben = PEOPLE[team_id]
    published = published_at is not None
    notes: list[str] = []
    with db.session() as session:
        if session.get(Workspace, team_id) is None:
            session.add(Workspace(team_id=team_id, settings={"llm": "off"}))
            session.flush()
        workshop = Workshop(
            team_id=team_id,
            channel_id=channel_id,
            facilitator_id=facilitator,
            objective=f"{label}: why do trials stall?",
            stage_model=[{"name": "Awareness", "description": ""}, {"name": "Purchase", "description": ""}],
            status=WorkshopState.published if published else WorkshopState.open,
            current_step=StepKey.action_plan.value,
            kickoff_ts=_ts(),
            map_owner_id=facilitator,
            created_at=(published_at or NOW) - timedelta(days=3),
            published_at=published_at,
        )
        session.add(workshop)
        session.flush()
        themes: dict[StepKey, ThemeRow] = {}
        for position, key in enumerate(STEP_ORDER):
            step = Step(
                workshop_id=workshop.id,
                key=key.value,
                position=position,
                channel_id=channel_id,
                status=StepState.closed if published else StepState.open,
                message_ts=_ts(),
                themes_ts=_ts(),
            )
            session.add(step)
            session.flush()
            texts = [f"{label} {key.value}: the payment link fails @ben", f"{label} {key.value}: tax setup is slow"]
            rows = []
            for user, text in zip((ana, ben), texts, strict=True):
                rows.append(
                    ContributionRow(step_id=step.id, user_id=user, message_ts=_ts(), text=text, mentions=[[ben, "ben"]])
                )
                notes.append(text)
            session.add_all(rows)
            session.flush()
            theme = ThemeRow(
                step_id=step.id, position=0, title=f"{label} {key.value} theme", message_ts=_ts(), stage="Awareness"
            )
            theme.quote_contribution_id = rows[0].id
            session.add(theme)
            session.flush()
            themes[key] = theme
            session.add_all([ThemeMember(theme_id=theme.id, contribution_id=row.id) for row in rows])
            session.add(ThemeReaction(theme_id=theme.id, user_id=ben, reaction="+1", active=True, event_ts=_ts()))
            session.add_all(
                [ReplyState(step_id=step.id, message_ts=row.message_ts, version_ts=row.message_ts) for row in rows]
            )
            session.add(ThemeEdit(step_id=step.id, user_id=facilitator, kind="rename", detail={"title": theme.title}))
        action = ActionItemRow(
            workshop_id=workshop.id,
            title=f"{label}: fix the payment link",
            owner_id=ben,
            due=due,
            pain_point_theme_id=themes[StepKey.pain_points].id,
        )
        action.history.append(ActionEvent(actor_id=None, kind="created", new=action.title))
        action.history.append(ActionEvent(actor_id=ben, kind="status", old="open", new="in_progress"))
        action.status = "in_progress"
        session.add(action)
        session.flush()
        if published:
            journey_map = sample_map(stages=2, items=1).model_copy(
                update={"workshop_id": str(workshop.id), "version": 1, "objective": workshop.objective}
            )
            session.add(MapVersion(workshop_id=workshop.id, version=1, map_json=journey_map.model_dump(mode="json")))
            session.add(MapValidation(workshop_id=workshop.id, user_id=facilitator))
        session.add(LLMCall(workshop_id=workshop.id, task="cluster", model="gpt-4o-mini", prompt_version="1"))
        store_answer(
            session,
            f"{workshop.id:064d}",
            task="persona",
            model="gpt-4o-mini",
            prompt_version="1",
            result={"verbatims": [notes[2]]},
            workshop_id=workshop.id,
        )
        step_ids = [s.id for s in session.scalars(select(Step).where(Step.workshop_id == workshop.id))]
        day = f"2026-11-{workshop.id % 28 + 1:02d}"
        payload_jobs = [
            (JobKind.open_step, f"open_step:{workshop.id}:objective", {"workshop_id": workshop.id}),
            (JobKind.close_step, f"close_step:{step_ids[0]}", {"step_id": step_ids[0]}),
            (JobKind.step_deadline, f"step_deadline:{step_ids[1]}", {"step_id": step_ids[1], "deadline": "x"}),
            (JobKind.publish, f"publish:{workshop.id}:1", {"workshop_id": workshop.id}),
            (JobKind.revision_prompt, f"revision_prompt:{workshop.id}:x", {"workshop_id": workshop.id}),
            (JobKind.weekly_digest, f"digest:{workshop.id}:2026-W47", {"workshop_id": workshop.id, "day": day}),
            (JobKind.notify_actions, f"notify_actions:event:{action.history[0].id}", {"action_id": action.id}),
            (
                JobKind.notify_actions,
                f"notify_actions:published:{workshop.id}:1",
                {"action_id": None, "owner_id": None, "homes": [ben]},
            ),
            (
                JobKind.remind_owner,
                f"remind:{ben}:{day}",
                {"owner_id": ben, "day": day, "actions": [{"action_id": action.id, "reason": "overdue"}]},
            ),
        ]
        for kind, key, payload in payload_jobs:
            jobs.enqueue(session, kind, key, payload, team_id=team_id)
        session.execute(update(Job).where(Job.key.in_([key for _, key, _ in payload_jobs])).values(status="done"))
        for key in (
            f"w{workshop.id}:kickoff:0",
            f"w{workshop.id}:map:0",
            f"w{workshop.id}:canvas",
            f"remind:{ben}:{day}:0",
        ):
            session.add(SentEffect(key=key, result=_ts()))
        step_ts = session.scalar(select(Step.message_ts).where(Step.id == step_ids[2]))
        theme_ts = themes[StepKey.touchpoints].message_ts
        reply_ts = session.scalar(select(ContributionRow.message_ts).where(ContributionRow.step_id == step_ids[2]))
        workshop_id = workshop.id
    events = {
        f"Ev{team_id}{workshop_id}R": {
            "type": "message",
            "channel": channel_id,
            "user": ana,
            "text": notes[4],
            "ts": reply_ts,
            "thread_ts": step_ts,
        },
        f"Ev{team_id}{workshop_id}E": {
            "type": "message",
            "subtype": "message_changed",
            "channel": channel_id,
            "message": {"user": ana, "text": notes[4] + " (edited)", "ts": reply_ts, "thread_ts": step_ts},
            "previous_message": {"user": ana, "text": notes[4], "ts": reply_ts, "thread_ts": step_ts},
            "ts": _ts(),
        },
        f"Ev{team_id}{workshop_id}X": {
            "type": "reaction_added",
            "user": ben,
            "reaction": "+1",
            "item": {"type": "message", "channel": channel_id, "ts": theme_ts},
            "event_ts": _ts(),
        },
    }
    for event_id, event in events.items():
        store_event(db, _event(team_id, event_id, event), event_id, team_id)
    with db.session() as session:
        session.add_all([ProcessedEvent(event_id=event_id) for event_id in events])
        session.execute(update(Job).where(Job.kind == JobKind.slack_event).values(status="done"))
    return Seeded(team_id=team_id, workshop_id=workshop_id, notes=notes, event_ids=list(events))


def seed_team_events(db: Database, team_id: str) -> list[str]:
    """Events of the workspace about no workshop (someone opened the Home tab): a forgotten workspace loses them."""
    event_id = f"Ev{team_id}HOME"
    event = {"type": "app_home_opened", "user": PEOPLE[team_id][1], "channel": "D0HOME0001", "tab": "home"}
    store_event(db, _event(team_id, event_id, event), event_id, team_id)
    with db.session() as session:
        session.add(ProcessedEvent(event_id=event_id))
    return [event_id]


@dataclass
class Footprint:
    """The ids of what was stored about a workspace (or some of its workshops) when it was taken."""

    team_id: str
    whole_team: bool
    workshops: set[int] = field(default_factory=set)
    steps: set[int] = field(default_factory=set)
    themes: set[int] = field(default_factory=set)
    notes: set[int] = field(default_factory=set)
    actions: set[int] = field(default_factory=set)
    reminders: set[str] = field(default_factory=set)  # keys of daily reminders listing only its actions
    stamps: set[str] = field(default_factory=set)  # the workshops' Slack messages
    event_ids: set[str] = field(default_factory=set)  # processed event ids (whole team only)


def footprint(db: Database, team_id: str, workshop_ids: list[int] | None = None) -> Footprint:
    """Taken before anything is deleted: afterwards nothing may reference these ids any more."""
    whole = workshop_ids is None
    fp = Footprint(team_id=team_id, whole_team=whole)
    with db.session() as session:
        query = select(Workshop).where(Workshop.team_id == team_id)
        if not whole:
            query = query.where(Workshop.id.in_(workshop_ids))
        for workshop in session.scalars(query):
            fp.workshops.add(workshop.id)
            fp.stamps |= {workshop.kickoff_ts} if workshop.kickoff_ts else set()
            for step in workshop.steps:
                fp.steps.add(step.id)
                fp.stamps |= {ts for ts in (step.message_ts, step.themes_ts) if ts}
                fp.themes |= {theme.id for theme in step.themes}
                fp.stamps |= {theme.message_ts for theme in step.themes if theme.message_ts}
                fp.notes |= {note.id for note in step.contributions}
                fp.stamps |= {note.message_ts for note in step.contributions}
            fp.actions |= {row.id for row in workshop.action_items}
        for key, payload in session.execute(select(Job.key, Job.payload).where(Job.kind == JobKind.remind_owner)):
            if all(wanted["action_id"] in fp.actions for wanted in payload["actions"]):
                fp.reminders.add(key)
        if whole:
            fp.event_ids = {event["event_id"] for event in _team_events(session, team_id)}
    return fp


def job_ids(db: Database, fp: Footprint) -> set[int]:
    """The jobs that reference the footprint: none may go (a running bot may plan new ones meanwhile)."""
    with db.session() as session:
        found = session.execute(select(Job.id, Job.kind, Job.key, Job.payload)).all()
    return {job_id for job_id, kind, key, payload in found if _job_references(kind, key, payload or {}, fp)}


def _team_events(session, team_id: str) -> list[dict[str, Any]]:
    bodies = session.scalars(select(Job.payload).where(Job.kind == JobKind.slack_event))
    return [body for body in (json.loads(p["body"]) for p in bodies) if body.get("team_id") == team_id]


def _mentions_stamp(event: dict[str, Any], stamps: set[str]) -> bool:
    parts = [event, event.get("message") or {}, event.get("previous_message") or {}, event.get("item") or {}]
    return any(part.get(name) in stamps for part in parts for name in ("ts", "thread_ts", "deleted_ts"))


def count_rows(db: Database, fp: Footprint) -> dict[str, int]:
    """Rows per table that reference what the footprint names."""
    w, s, t, n, a = fp.workshops or {-1}, fp.steps or {-1}, fp.themes or {-1}, fp.notes or {-1}, fp.actions or {-1}
    with db.session() as session:

        def count(column, *where) -> int:
            return session.scalar(select(func.count(column)).where(*where)) or 0

        rows = {
            "workspaces": count(Workspace.team_id, Workspace.team_id == fp.team_id) if fp.whole_team else 0,
            "workshops": count(Workshop.id, Workshop.id.in_(w)),
            "steps": count(Step.id, Step.id.in_(s) | Step.workshop_id.in_(w)),
            "contributions": count(ContributionRow.id, ContributionRow.id.in_(n) | ContributionRow.step_id.in_(s)),
            "themes": count(ThemeRow.id, ThemeRow.id.in_(t) | ThemeRow.step_id.in_(s)),
            "theme_members": count(
                ThemeMember.theme_id, ThemeMember.theme_id.in_(t) | ThemeMember.contribution_id.in_(n)
            ),
            "theme_reactions": count(ThemeReaction.theme_id, ThemeReaction.theme_id.in_(t)),
            "theme_reviews": count(ThemeReview.id, ThemeReview.step_id.in_(s) | ThemeReview.previous_theme_id.in_(t)),
            "theme_edits": count(ThemeEdit.id, ThemeEdit.step_id.in_(s)),
            "reply_states": count(ReplyState.step_id, ReplyState.step_id.in_(s)),
            "action_items": count(ActionItemRow.id, ActionItemRow.id.in_(a) | ActionItemRow.workshop_id.in_(w)),
            "action_events": count(ActionEvent.id, ActionEvent.action_id.in_(a)),
            "map_validations": count(MapValidation.id, MapValidation.workshop_id.in_(w)),
            "map_versions": count(MapVersion.id, MapVersion.workshop_id.in_(w)),
            "llm_calls": count(LLMCall.id, LLMCall.workshop_id.in_(w)),
            "llm_cache": count(
                LLMCacheEntry.key,
                LLMCacheEntry.workshop_id.in_(w) | (LLMCacheEntry.team_id == (fp.team_id if fp.whole_team else "-")),
            ),
            "processed_events": count(ProcessedEvent.event_id, ProcessedEvent.event_id.in_(fp.event_ids or {"-"})),
        }
        job_rows = session.execute(select(Job.kind, Job.key, Job.payload)).all()
        effects = session.scalars(select(SentEffect.key)).all()
    rows["jobs"] = sum(_job_references(kind, key, payload or {}, fp) for kind, key, payload in job_rows)
    prefixes = tuple(f"w{workshop_id}:" for workshop_id in fp.workshops) + tuple(f"{key}:" for key in fp.reminders)
    rows["sent_effects"] = sum(key.startswith(prefixes) for key in effects) if prefixes else 0
    return {table: rows[table] for table in TABLES}


def _job_references(kind: str, key: str, payload: dict[str, Any], fp: Footprint) -> bool:
    if kind == JobKind.slack_event:
        event = json.loads(payload["body"])
        if event.get("team_id") != fp.team_id:
            return False
        return fp.whole_team or _mentions_stamp(event.get("event") or {}, fp.stamps)
    named = [payload.get("workshop_id") in fp.workshops, payload.get("step_id") in fp.steps]
    named.append(payload.get("action_id") in fp.actions)
    named += [wanted.get("action_id") in fp.actions for wanted in payload.get("actions") or []]
    named += [key.startswith(f"notify_actions:published:{workshop_id}:") for workshop_id in fp.workshops]
    return any(named)


def contents(db: Database, team_id: str) -> dict[str, Any]:
    """What a workspace's people would see of their data: to compare before and after the other one goes."""
    with db.session() as session:
        workshops = list(session.scalars(select(Workshop).where(Workshop.team_id == team_id).order_by(Workshop.id)))
        ids = [w.id for w in workshops]
        steps = select(Step.id).where(Step.workshop_id.in_(ids))
        return {
            "workspace": session.get(Workspace, team_id) is not None,
            "workshops": [(w.id, w.objective, w.status) for w in workshops],
            "notes": sorted(
                session.execute(
                    select(ContributionRow.id, ContributionRow.text).where(ContributionRow.step_id.in_(steps))
                ).all()
            ),
            "reactions": sorted(
                session.execute(
                    select(ThemeReaction.theme_id, ThemeReaction.user_id, ThemeReaction.reaction)
                    .join(ThemeRow)
                    .where(ThemeRow.step_id.in_(steps))
                ).all()
            ),
            "actions": sorted(
                session.execute(
                    select(ActionItemRow.id, ActionItemRow.title, ActionItemRow.status).where(
                        ActionItemRow.workshop_id.in_(ids)
                    )
                ).all()
            ),
            "history": session.scalar(
                select(func.count(ActionEvent.id)).join(ActionItemRow).where(ActionItemRow.workshop_id.in_(ids))
            ),
            "map_versions": [
                m.map_json
                for m in session.scalars(
                    select(MapVersion).where(MapVersion.workshop_id.in_(ids)).order_by(MapVersion.id)
                )
            ],
        }
