"""Action items after publishing: add, list, complete, snooze, reassign; and the latest map with their state.

Every change writes an `ActionEvent` (the action's history) and enqueues a `notify_actions` job keyed by that
event, so it runs once: a new owner gets a direct message, and every Home tab showing the action is republished.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, or_, select, true
from sqlalchemy.orm import Session, aliased

from storage.db import Database
from storage.models import ActionEvent, ActionItemRow, ContributionRow, MapVersion, Step, ThemeRow, Workshop
from workflows.actions.parsing import ActionDraft, parse_action
from workflows.jobs import queue as jobs
from workflows.jobs.queue import JobKind
from workflows.mapping.models import LIVE_STATUSES, ActionItem, ActionStatus, JourneyMap
from workflows.ports import ActionEntry, HomeData, MapEntry, Notifier
from workflows.workshop.errors import WorkshopError, require_one_of
from workflows.workshop.models import WorkshopState
from workflows.workshop.service import published_workshop

SNOOZE = timedelta(days=7)
# ActionEvent.kind -> the column it changes
_FIELDS = {"status": "status", "owner": "owner_id", "due": "due", "title": "title"}


class UnknownAction(WorkshopError):
    def __init__(self, action_id: str) -> None:
        super().__init__(f"There is no action `{action_id}`. `/journey actions all` lists this channel's actions.")


class NoPublishedMap(WorkshopError):
    def __init__(self) -> None:
        super().__init__(
            "This channel has no published journey map yet, so there is no map to add the action to. "
            "Run a workshop here first: `/journey start <objective>`, and `/journey next` until it publishes."
        )


def theme_key(theme: ThemeRow) -> str:
    """The theme's id in the map file (`pain_points-2`): stable for a published version."""
    return f"{theme.step.key}-{theme.position + 1}"


def action_of(row: ActionItemRow) -> ActionItem:
    pain = row.pain_point_theme_id
    return ActionItem(
        id=f"A{row.id}",
        title=row.title,
        owner=row.owner_id,
        due=row.due,
        status=ActionStatus(row.status),
        pain_point=theme_key(row.pain_point) if pain and row.pain_point else None,
        stage=row.stage,
    )


def entry_of(row: ActionItemRow) -> ActionEntry:
    return ActionEntry(
        action=action_of(row),
        workshop_id=row.workshop_id,
        channel_id=row.workshop.channel_id,
        map_version=row.map_version,
    )


def _row(session: Session, team_id: str, action_id: str) -> ActionItemRow:
    number = action_id.strip().upper().removeprefix("A")
    row = session.get(ActionItemRow, int(number)) if number.isdigit() else None
    if row is None or row.workshop.team_id != team_id:
        raise UnknownAction(action_id.strip() or "?")
    return row


def _require_may_change(row: ActionItemRow, user_id: str) -> None:
    workshop = row.workshop
    who = f"the owner of `A{row.id}`, the map's owner or the workshop's facilitator"
    require_one_of(user_id, {row.owner_id, workshop.map_owner_id, workshop.facilitator_id}, who, "change it")


def record_created(row: ActionItemRow, actor_id: str | None) -> None:
    """The first line of an action's history (actor None: the bot made it from the action-plan step)."""
    row.history.append(ActionEvent(actor_id=actor_id, kind="created", new=row.title))


def _text(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def _announce(
    session: Session, row: ActionItemRow, event: ActionEvent, owner_id: str | None, homes: Iterable[str | None]
) -> None:
    """Enqueues the follow-up of one change: a DM to `owner_id` (if any) and the Home tabs of `homes`."""
    session.flush()  # the event's id keys the job
    payload = {"action_id": event.action_id, "owner_id": owner_id, "homes": sorted({u for u in homes if u})}
    key = f"{JobKind.notify_actions}:event:{event.id}"
    jobs.enqueue(session, JobKind.notify_actions, key, payload, team_id=row.workshop.team_id)


def _change(session: Session, row: ActionItemRow, actor_id: str, kind: str, value: Any) -> None:
    """Sets one field, records it in the history and announces it; setting the same value changes nothing."""
    old = getattr(row, _FIELDS[kind])
    if old == value:
        return
    setattr(row, _FIELDS[kind], value)
    event = ActionEvent(actor_id=actor_id, kind=kind, old=_text(old), new=_text(value))
    row.history.append(event)
    reassigned = kind == "owner"
    _announce(session, row, event, row.owner_id if reassigned else None, [row.owner_id, old if reassigned else None])


def editable(session: Session, team_id: str, action_id: str, user_id: str) -> ActionEntry:
    """The action, if this user may change it (asked before showing them a form to change it)."""
    row = _row(session, team_id, action_id)
    _require_may_change(row, user_id)
    return entry_of(row)


def set_status(session: Session, team_id: str, action_id: str, status: str, user_id: str) -> ActionEntry:
    row = _row(session, team_id, action_id)
    _require_may_change(row, user_id)
    _change(session, row, user_id, "status", ActionStatus(status).value)
    return entry_of(row)


def assign(session: Session, team_id: str, action_id: str, owner_id: str, user_id: str) -> ActionEntry:
    row = _row(session, team_id, action_id)
    _require_may_change(row, user_id)
    _change(session, row, user_id, "owner", owner_id)
    return entry_of(row)


def snooze(session: Session, team_id: str, action_id: str, user_id: str, today: date) -> ActionEntry:
    """A week later than the due date, or than today when there is none or it has passed."""
    row = _row(session, team_id, action_id)
    _require_may_change(row, user_id)
    start = row.due if row.due is not None and row.due >= today else today
    _change(session, row, user_id, "due", start + SNOOZE)
    return entry_of(row)


def has_published_map(session: Session, team_id: str, channel_id: str) -> bool:
    return published_workshop(session, team_id, channel_id) is not None


def command_draft(title: str | None, rest: str, mentions: Sequence[tuple[str, str]], today: date) -> ActionDraft:
    """`"title" @owner by DATE` (the title quoted) or `title @owner by DATE`: read as an action-plan note is."""
    draft = parse_action(rest, mentions, today)
    return draft if title is None else ActionDraft(title=" ".join(title.split()), owner=draft.owner, due=draft.due)


def add(session: Session, team_id: str, channel_id: str, user_id: str, draft: ActionDraft, source: str) -> ActionEntry:
    """A new action on the channel's latest published map (`source`: command or shortcut)."""
    if not draft.title.strip():
        raise WorkshopError("An action needs a title: say what is to be done.")
    workshop = published_workshop(session, team_id, channel_id)
    if workshop is None:
        raise NoPublishedMap()
    row = ActionItemRow(
        workshop=workshop,
        title=draft.title.strip(),
        owner_id=draft.owner,
        due=draft.due,
        map_version=workshop.version,
        source=source,
        created_by=user_id,
    )
    session.add(row)
    record_created(row, user_id)
    _announce(session, row, row.history[-1], row.owner_id, [row.owner_id])
    return entry_of(row)


def announce_published(session: Session, workshop: Workshop) -> None:
    """At publish: each owner hears of their new actions, and everyone in the map sees it on their Home tab."""
    for row in workshop.action_items:
        if row.owner_id and row.status in LIVE_STATUSES and row.history:
            _announce(session, row, row.history[0], row.owner_id, [row.owner_id])
    people = {workshop.facilitator_id, workshop.map_owner_id} | {r.owner_id for r in workshop.action_items}
    people |= set(
        session.scalars(select(ContributionRow.user_id).join(Step).where(Step.workshop_id == workshop.id).distinct())
    )
    payload = {"action_id": None, "owner_id": None, "homes": sorted(u for u in people if u)}
    key = f"{JobKind.notify_actions}:published:{workshop.id}:{workshop.version}"
    jobs.enqueue(session, JobKind.notify_actions, key, payload, team_id=workshop.team_id)


def deliver(db: Database, notifier: Notifier, payload: dict[str, Any]) -> None:
    """The `notify_actions` job: the DM goes only if the action is still that person's and still to do."""
    with db.session() as session:
        row = session.get(ActionItemRow, payload["action_id"]) if payload["action_id"] else None
        entry = entry_of(row) if row and row.owner_id == payload["owner_id"] and row.status in LIVE_STATUSES else None
    if entry is not None and payload["owner_id"]:
        notifier.action_assigned(entry)
    notifier.refresh_home(payload["homes"])


def list_actions(session: Session, team_id: str, channel_id: str, owner_id: str | None) -> list[ActionEntry]:
    """The owner's open actions anywhere in the workspace, or every action of the channel's published maps."""
    query = select(ActionItemRow).join(Workshop).where(Workshop.team_id == team_id)
    if owner_id is not None:
        query = query.where(ActionItemRow.owner_id == owner_id, ActionItemRow.status.in_(LIVE_STATUSES))
    else:
        if published_workshop(session, team_id, channel_id) is None:
            raise NoPublishedMap()
        query = query.where(Workshop.channel_id == channel_id, Workshop.status == WorkshopState.published)
    rows = session.scalars(query.order_by(ActionItemRow.due.is_(None), ActionItemRow.due, ActionItemRow.id))
    return [entry_of(r) for r in rows]


def _next_revision(workshop: Workshop) -> date | None:
    if workshop.next_revision_at is not None:
        return workshop.next_revision_at.date()
    published: datetime | None = workshop.published_at
    return (published + timedelta(days=workshop.cadence_days)).date() if published else None


def home_of(session: Session, user_id: str, team_id: str | None = None) -> HomeData:
    """What the user's Home tab shows: their actions to do (overdue first) and the current maps they are in, in
    the workspace whose Home tab it is (one person may be in several of an Enterprise Grid organisation)."""
    in_team = Workshop.team_id == team_id if team_id else true()
    rows = session.scalars(
        select(ActionItemRow)
        .join(Workshop)
        .where(ActionItemRow.owner_id == user_id, ActionItemRow.status.in_(LIVE_STATUSES), in_team)
        .order_by(ActionItemRow.due.is_(None), ActionItemRow.due, ActionItemRow.id)
    )
    newer = aliased(Workshop)
    contributed = exists().where(
        ContributionRow.step_id == Step.id, Step.workshop_id == Workshop.id, ContributionRow.user_id == user_id
    )
    superseded = exists().where(newer.revision_of_id == Workshop.id, newer.status == WorkshopState.published)
    workshops = session.scalars(
        select(Workshop)
        .where(
            Workshop.status == WorkshopState.published,
            or_(Workshop.facilitator_id == user_id, Workshop.map_owner_id == user_id, contributed),
            ~superseded,
            in_team,
        )
        .order_by(Workshop.published_at.desc(), Workshop.id.desc())
    )
    maps = [
        MapEntry(
            workshop_id=w.id,
            channel_id=w.channel_id,
            objective=w.objective,
            version=w.version,
            published_at=w.published_at,
            next_revision=_next_revision(w),
            role="map owner"
            if w.map_owner_id == user_id
            else "facilitator"
            if w.facilitator_id == user_id
            else "contributor",
        )
        for w in workshops
    ]
    return HomeData(user_id=user_id, actions=[entry_of(r) for r in rows], maps=maps)


def home_data(db: Database, user_id: str, team_id: str | None = None) -> HomeData:
    with db.session() as session:
        return home_of(session, user_id, team_id)


def require_published(session: Session, team_id: str, channel_id: str) -> Workshop:
    """The channel's latest published map, even while a revision of it runs; a clear refusal when there is none."""
    workshop = published_workshop(session, team_id, channel_id)
    if workshop is None:
        raise WorkshopError("This channel has no published journey map yet. Start a workshop with `/journey start`.")
    return workshop


def latest_map(session: Session, team_id: str, channel_id: str) -> JourneyMap:
    """The channel's latest published map, with its action items (and any added since) as they stand now."""
    workshop = require_published(session, team_id, channel_id)
    stored = session.scalar(
        select(MapVersion).where(MapVersion.workshop_id == workshop.id, MapVersion.version == workshop.version)
    )
    if stored is None:
        raise WorkshopError("This channel's map is still being published: try again in a moment.")
    journey_map = JourneyMap.model_validate(stored.map_json)
    ids = {int(a.id.removeprefix("A")) for a in journey_map.action_items} | {r.id for r in workshop.action_items}
    rows = session.scalars(select(ActionItemRow).where(ActionItemRow.id.in_(ids)).order_by(ActionItemRow.id))
    journey_map.action_items = [action_of(r) for r in rows]
    return journey_map


def done_at(row: ActionItemRow) -> datetime:
    """When the action was marked done: its history says so; an action without history, its last update."""
    marked = [e.at for e in row.history if e.kind == "status" and e.new == "done"]
    return max(marked) if marked else row.updated_at
