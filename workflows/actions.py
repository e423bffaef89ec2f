"""Action items after publishing: list, complete, reassign; and the latest map with their current state."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ActionItemRow, MapVersion, ThemeRow, Workshop
from workflows.errors import NoWorkshop, WorkshopError
from workflows.journey_map import ActionItem, ActionStatus, JourneyMap
from workflows.workshop import latest_workshop


class UnknownAction(WorkshopError):
    def __init__(self, action_id: str) -> None:
        super().__init__(f"There is no action `{action_id}`. `/journey actions all` lists this channel's actions.")


class NotYourAction(WorkshopError):
    def __init__(self, action_id: str) -> None:
        super().__init__(
            f"Sorry, only the owner of `{action_id}`, the map's owner or the workshop's facilitator can change it."
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


def _row(session: Session, team_id: str, action_id: str) -> ActionItemRow:
    number = action_id.strip().upper().removeprefix("A")
    row = session.get(ActionItemRow, int(number)) if number.isdigit() else None
    if row is None or row.workshop.team_id != team_id:
        raise UnknownAction(action_id.strip() or "?")
    return row


def _require_may_change(row: ActionItemRow, user_id: str) -> None:
    workshop = row.workshop
    if user_id not in {row.owner_id, workshop.map_owner_id, workshop.facilitator_id}:
        raise NotYourAction(f"A{row.id}")


def set_status(session: Session, team_id: str, action_id: str, status: str, user_id: str) -> ActionItem:
    row = _row(session, team_id, action_id)
    _require_may_change(row, user_id)
    row.status = ActionStatus(status).value
    return action_of(row)


def assign(session: Session, team_id: str, action_id: str, owner_id: str, user_id: str) -> ActionItem:
    row = _row(session, team_id, action_id)
    _require_may_change(row, user_id)
    row.owner_id = owner_id
    return action_of(row)


def list_actions(session: Session, team_id: str, channel_id: str, owner_id: str | None) -> list[ActionItem]:
    """The owner's open actions anywhere in the workspace, or all actions of the channel's latest map."""
    query = select(ActionItemRow).join(Workshop).where(Workshop.team_id == team_id)
    if owner_id is not None:
        query = query.where(ActionItemRow.owner_id == owner_id, ActionItemRow.status.in_(["open", "in_progress"]))
    else:
        workshop = latest_workshop(session, team_id, channel_id)
        if workshop is None:
            raise NoWorkshop()
        query = query.where(ActionItemRow.workshop_id == workshop.id)
    rows = session.scalars(query.order_by(ActionItemRow.due.is_(None), ActionItemRow.due, ActionItemRow.id))
    return [action_of(r) for r in rows]


def latest_map(session: Session, team_id: str, channel_id: str) -> JourneyMap:
    """The channel's latest published map, with its action items as they stand now."""
    workshop = latest_workshop(session, team_id, channel_id)
    version = None
    if workshop is not None:
        version = session.scalar(
            select(MapVersion).where(MapVersion.workshop_id == workshop.id).order_by(MapVersion.version.desc()).limit(1)
        )
    if workshop is None or version is None:
        raise (
            NoWorkshop() if workshop is None else WorkshopError("This channel's workshop has not published a map yet.")
        )
    journey_map = JourneyMap.model_validate(version.map_json)
    journey_map.action_items = [action_of(r) for r in workshop.action_items]
    return journey_map
