"""Action items through Slack in tests: reading the DMs and cards the bot sent, pressing their buttons."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from bot.action_blocks import DONE, IN_PROGRESS, REASSIGN, SNOOZE
from storage.models import ActionEvent, ActionItemRow
from tests.conftest import CHANNEL

TODAY = date(2026, 11, 23)  # the bot's today in tests


BUTTONS = [DONE, IN_PROGRESS, SNOOZE, REASSIGN]


OTHER_CHANNEL = "C0RANDOM01"


def shown(blocks: object) -> str:
    """Blocks as the text a test can search ("·" and "…" as themselves)."""
    return json.dumps(blocks, ensure_ascii=False)


def actions_by_title(slack) -> dict[str, ActionItemRow]:
    with slack.server.services.db.session() as session:
        rows = session.scalars(select(ActionItemRow)).all()
        for row in rows:
            _ = row.history  # loaded while the session is open
        return {row.title: row for row in rows}


def public_id(slack, title: str) -> str:
    return f"A{actions_by_title(slack)[title].id}"


def history(slack, action_id: str) -> list[tuple[str | None, str, str | None, str | None]]:
    with slack.server.services.db.session() as session:
        events = session.scalars(
            select(ActionEvent).where(ActionEvent.action_id == int(action_id[1:])).order_by(ActionEvent.id)
        )
        return [(e.actor_id, e.kind, e.old, e.new) for e in events]


def dm_messages(slack, user: str) -> list[dict]:
    return slack.standin.messages(slack.standin.open_dm(user).id)


def card_for(slack, user: str, action_id: str) -> dict:
    """The latest DM to `user` about `action_id`."""
    return [m for m in dm_messages(slack, user) if f"`{action_id}`" in shown(m.get("blocks", []))][-1]


def buttons_of(message: dict) -> list[str]:
    return [e["action_id"] for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


def click(slack, user: str, button: str, message: dict, owner: str) -> None:
    """`user` clicks `button` on `message`, a DM the bot sent to `owner`."""
    slack.sender.block_action(
        user, button, channel_id=slack.standin.open_dm(owner).id, message_ts=message["ts"], value=None
    )
    slack.settle()


def command(slack, text: str, user: str, channel: str = CHANNEL) -> dict:
    response = slack.sender.command(text, user, channel)
    assert response.status == 200
    slack.settle()
    return response.json()


MESSAGES = ("chat.postMessage", "chat.update", "chat.postEphemeral")


def everything_posted(slack, methods: tuple[str, ...] = (*MESSAGES, "views.open", "views.publish")) -> str:
    return shown([call.params for method in methods for call in slack.standin.calls_to(method)])
