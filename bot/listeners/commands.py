"""`/journey` and its subcommands. Each answers within Slack's 3 seconds; slow work goes to the worker."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import blocks
from bot.modals import start_modal
from bot.services import Services
from bot.text import decode
from workflows import actions as action_service
from workflows import workshop as workshop_service
from workflows.errors import WorkshopError
from workflows.stages import StageModelError
from workflows.steps import STEPS

log = logging.getLogger(__name__)

_STAGES_OPTION = re.compile(r"\s--stages[ =](?P<stages>.+)$", re.S)
_USER = re.compile(r"<@(?P<id>[UW][A-Z0-9]+)(?:\|[^>]*)?>")

Handler = Callable[[Services, dict, str, Ack, WebClient], None]


def register(app: App, services: Services) -> None:
    @app.command("/journey")
    def journey(ack: Ack, command: dict, client: WebClient) -> None:
        name, _, rest = command.get("text", "").strip().partition(" ")
        handler = SUBCOMMANDS.get(name.lower())
        if handler is None:
            prefix = f"I don't know `{blocks.escape(name)}`." if name and name.lower() != "help" else None
            ack(text="journeybot help", blocks=blocks.help_blocks(prefix), response_type="ephemeral")
            return
        try:
            handler(services, command, rest.strip(), ack, client)
        except (WorkshopError, StageModelError) as refusal:
            ack(text=str(refusal), response_type="ephemeral")


def _start(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    if not text:
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=start_modal(command["channel_id"]))
        return
    match = _STAGES_OPTION.search(" " + text)
    objective, _mentions = decode((" " + text)[: match.start()] if match else text, services.users.name)
    with services.db.session() as session:
        view = workshop_service.start(
            session,
            command["team_id"],
            command["channel_id"],
            command["user_id"],
            objective.strip(),
            match["stages"].strip() if match else None,
        )
    services.worker.kick()
    ack(
        text=f"Starting workshop #{view.id}: the kick-off and the first step are on their way.",
        response_type="ephemeral",
    )


def _next(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        _view, step = workshop_service.advance(session, command["team_id"], command["channel_id"], command["user_id"])
    services.worker.kick()
    ack(
        text=f"Closing *{STEPS[step].title}*: its themes will appear in its thread in a moment.",
        response_type="ephemeral",
    )


def _status(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        status = workshop_service.status(session, command["team_id"], command["channel_id"])
    ack(text=f"Workshop #{status.workshop.id}", blocks=blocks.status_blocks(status), response_type="ephemeral")


def _map(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        journey_map = action_service.latest_map(session, command["team_id"], command["channel_id"])
    ack(
        text="Journey map",
        blocks=blocks.chunk_blocks(blocks.map_summary(journey_map))[0],
        response_type="ephemeral",
    )


def _actions(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    everyone = text.lower() == "all"
    with services.db.session() as session:
        items = action_service.list_actions(
            session, command["team_id"], command["channel_id"], None if everyone else command["user_id"]
        )
    title = "All actions of this channel's map" if everyone else "Your actions"
    ack(text=title, blocks=blocks.actions_blocks(title, items), response_type="ephemeral")


def _done(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        item = action_service.set_status(session, command["team_id"], text.split(" ")[0], "done", command["user_id"])
    ack(text=f"`{item.id}` is done: {blocks.fit(item.title, 200)}. Thank you!", response_type="ephemeral")


def _assign(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    action_id, _, who = text.partition(" ")
    user = _USER.search(who)
    if not action_id or user is None:
        ack(text="Usage: `/journey assign ACTION_ID @someone`", response_type="ephemeral")
        return
    with services.db.session() as session:
        item = action_service.assign(session, command["team_id"], action_id, user["id"], command["user_id"])
    ack(text=f"`{item.id}` now belongs to {blocks.mention(user['id'])}.", response_type="ephemeral")


def _cancel(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        view = workshop_service.cancel(session, command["team_id"], command["channel_id"], command["user_id"])
    ack(text=f"Workshop #{view.id} cancelled.", response_type="ephemeral")
    services.notifier.workshop_cancelled(view, command["user_id"])


def _revise(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    ack(
        text="Revision workshops are not available yet in this version: the published map and its files stay "
        "as they are. Use `/journey start` to run a fresh workshop.",
        response_type="ephemeral",
    )


def _settings(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    setting, _, value = text.lower().partition(" ")
    if setting != "llm" or value.strip() not in ("on", "off"):
        ack(text="Usage: `/journey settings llm on` or `/journey settings llm off`", response_type="ephemeral")
        return
    user = client.users_info(user=command["user_id"])["user"]
    with services.db.session() as session:
        workshop_service.set_llm(
            session,
            command["team_id"],
            command["channel_id"],
            command["user_id"],
            enabled=value.strip() == "on",
            is_admin=bool(user.get("is_admin") or user.get("is_owner")),
        )
    engine = (
        "may use the LLM engine" if value.strip() == "on" else "stays on the embedded engine: no text goes to an LLM"
    )
    ack(text=f"This workspace {engine}.", response_type="ephemeral")


SUBCOMMANDS: dict[str, Handler] = {
    "start": _start,
    "next": _next,
    "status": _status,
    "map": _map,
    "actions": _actions,
    "done": _done,
    "assign": _assign,
    "cancel": _cancel,
    "revise": _revise,
    "settings": _settings,
}
