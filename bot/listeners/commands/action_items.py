"""`/journey actions`, `action`, `done` and `assign`: action items from the command line."""

from __future__ import annotations

import re

from slack_bolt import Ack
from slack_sdk import WebClient

from bot import blocks
from bot.action_blocks import action_list
from bot.blocks import action_line
from bot.services import Services
from bot.text import decode
from workflows.actions import service as action_service

_USER = re.compile(r"<@(?P<id>[UW][A-Z0-9]+)(?:\|[^>]*)?>")


# `"title" @owner by DATE`: straight or typographic quotes around the title
_QUOTED = re.compile(r'^\s*["“”](?P<title>[^"“”]+)["“”](?P<rest>.*)$', re.S)


def _actions(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    everyone = text.lower() == "all"
    with services.db.session() as session:
        entries = action_service.list_actions(
            session, command["team_id"], command["channel_id"], None if everyone else command["user_id"]
        )
    title = "All actions of this channel's journey map" if everyone else "Your open actions"
    ack(text=title, blocks=action_list(title, entries, services.flows.today()), response_type="ephemeral")


def _action(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    verb, _, rest = text.partition(" ")
    if verb.lower() != "add" or not rest.strip():
        ack(
            text='Usage: `/journey action add "title" @owner by DATE` (owner and date optional)',
            response_type="ephemeral",
        )
        return
    quoted = _QUOTED.match(rest)
    title = decode(quoted["title"], services.users.name)[0] if quoted else None
    details, mentions = decode(quoted["rest"] if quoted else rest, services.users.name)
    draft = action_service.command_draft(title, details, mentions, services.flows.today())
    with services.db.session() as session:
        entry = action_service.add(
            session, command["team_id"], command["channel_id"], command["user_id"], draft, "command"
        )
    services.worker.kick()
    ack(
        text=f"Added to this channel's journey map: {action_line(entry.action, {})}",
        response_type="ephemeral",
    )


def _done(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        entry = action_service.set_status(session, command["team_id"], text.split(" ")[0], "done", command["user_id"])
    services.worker.kick()
    ack(
        text=f"`{entry.action.id}` is done: {blocks.fit(entry.action.title, 200)}. Thank you!",
        response_type="ephemeral",
    )


def _assign(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    action_id, _, who = text.partition(" ")
    user = _USER.search(who)
    if not action_id or user is None:
        ack(text="Usage: `/journey assign ACTION_ID @someone`", response_type="ephemeral")
        return
    with services.db.session() as session:
        entry = action_service.assign(session, command["team_id"], action_id, user["id"], command["user_id"])
    services.worker.kick()
    ack(text=f"`{entry.action.id}` now belongs to {blocks.mention(user['id'])}.", response_type="ephemeral")


SUBCOMMANDS = {
    "action": _action,
    "actions": _actions,
    "done": _done,
    "assign": _assign,
}
