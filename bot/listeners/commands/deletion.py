"""`/journey delete [N]`: the facilitator or a workspace admin deletes a workshop, after a confirmation."""

from __future__ import annotations

import re

from slack_bolt import Ack
from slack_sdk import WebClient

from bot import deletion_blocks
from bot.services import Services
from workflows.retention import service as retention

_NUMBER = re.compile(r"^#?(?P<id>\d{1,9})$")
USAGE = (
    "Usage: `/journey delete` (this channel's running workshop, else its latest map) or `/journey delete N` "
    "(workshop #N of this channel)."
)


def is_workspace_admin(client: WebClient, user_id: str) -> bool:
    """Asked of Slack each time (not the cached directory): a revoked admin must not keep the right to delete."""
    user = client.users_info(user=user_id)["user"]
    return bool(user.get("is_admin") or user.get("is_owner"))


def _delete(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    """Answers with what would go and a danger button; nothing is deleted until it is pressed."""
    match = _NUMBER.match(text.strip()) if text.strip() else None
    if text.strip() and match is None:
        ack(text=USAGE, response_type="ephemeral")
        return
    admin = is_workspace_admin(client, command["user_id"])
    with services.db.session() as session:
        preview = retention.preview_deletion(
            session,
            command["team_id"],
            command["channel_id"],
            command["user_id"],
            is_admin=admin,
            workshop_id=int(match["id"]) if match else None,
        )
    ack(
        text=f"Delete workshop #{preview.workshop_id}?",
        blocks=deletion_blocks.confirmation(preview),
        response_type="ephemeral",
    )


SUBCOMMANDS = {
    "delete": _delete,
}
