"""Reminders and digests in tests: a published map seeded with actions, the tick at a chosen time, the DMs sent."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from storage.db import Database
from storage.models import ActionItemRow, Workshop, Workspace
from tests.conftest import CHANNEL, FACILITATOR

BERLIN, LOS_ANGELES = ZoneInfo("Europe/Berlin"), ZoneInfo("America/Los_Angeles")
LOU = "U0LOU0001"  # works in Los Angeles
MONDAY = date(2031, 3, 3)


def at(day: date, hour: int, minute: int = 0, tz: ZoneInfo = BERLIN) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz).astimezone(UTC)


def seed_map(
    db: Database,
    team_id: str,
    actions: list[tuple[str | None, date | None]],
    channel_id: str = CHANNEL,
    published: datetime = datetime(2031, 2, 3, 10, tzinfo=UTC),
    stages: tuple[str, ...] = ("Awareness", "Purchase"),
) -> list[int]:
    """A published map with actions (owner, due), each on a stage in turn; returns the action ids."""
    with db.session() as session:
        if session.get(Workspace, team_id) is None:
            session.add(Workspace(team_id=team_id))
            session.flush()
        workshop = Workshop(
            team_id=team_id,
            channel_id=channel_id,
            facilitator_id=FACILITATOR,
            map_owner_id=FACILITATOR,
            objective="Why do trials stall?",
            stage_model=[{"name": s, "description": ""} for s in stages],
            status="published",
            published_at=published,
            action_items=[
                ActionItemRow(title=f"Action {i}", owner_id=owner, due=due, stage=stages[i % len(stages)])
                for i, (owner, due) in enumerate(actions)
            ],
        )
        session.add(workshop)
        session.flush()
        return [a.id for a in workshop.action_items]


def dms(slack, user_id: str) -> list[dict]:
    dm = slack.standin.open_dm(user_id).id
    return [c.params for c in slack.standin.calls_to("chat.postMessage") if c.params.get("channel") == dm]


def tick(slack, now: datetime) -> None:
    slack.server.services.flows.run_due(now)
    slack.settle()


def digests(slack) -> list[dict]:
    return [m for m in slack.standin.messages(CHANNEL) if m.get("text") == "Weekly digest of the journey map"]
