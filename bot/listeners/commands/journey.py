"""`/journey`: reads the subcommand and hands it to its module; unknown ones get help."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import blocks
from bot.listeners.commands import action_items, deletion, revisions, settings, workshop
from bot.services import Services
from workflows.workshop.errors import WorkshopError
from workflows.workshop.stages import StageModelError

Handler = Callable[[Services, dict, str, Ack, WebClient], None]
SUBCOMMANDS: dict[str, Handler] = (
    workshop.SUBCOMMANDS
    | action_items.SUBCOMMANDS
    | revisions.SUBCOMMANDS
    | settings.SUBCOMMANDS
    | deletion.SUBCOMMANDS
)


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
