"""`/journey revise`, `cadence` and `history`: a published map's versions."""

from __future__ import annotations

import re

from slack_bolt import Ack
from slack_sdk import WebClient

from bot import revision_blocks
from bot.services import Services
from workflows.revisions import service as revisions


def _revise(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        view = revisions.start_revision(session, command["team_id"], command["channel_id"], command["user_id"])
    services.worker.kick()
    ack(
        text=f"Starting revision workshop #{view.id}: each step's thread will show the previous version's themes.",
        response_type="ephemeral",
    )


_DAYS = re.compile(r"^(?P<days>\d{1,3})\s*(?:d|days?)?$", re.I)


def _cadence(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    match = _DAYS.match(text.strip())
    if match is None:
        ack(
            text="Usage: `/journey cadence 60d` (how many days between reviews of this channel's map)",
            response_type="ephemeral",
        )
        return
    with services.db.session() as session:
        workshop = revisions.set_cadence(
            session, command["team_id"], command["channel_id"], command["user_id"], int(match["days"])
        )
        days, due = workshop.cadence_days, workshop.next_revision_at
    ack(text=f"This map is now reviewed every {days} days; next review {due:%d %b %Y}.", response_type="ephemeral")


def _history(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        versions = revisions.history(session, command["team_id"], command["channel_id"])
    ack(text="Map versions", blocks=revision_blocks.history(versions), response_type="ephemeral")


SUBCOMMANDS = {
    "revise": _revise,
    "cadence": _cadence,
    "history": _history,
}
