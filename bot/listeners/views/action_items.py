"""The add-action and reassign forms' submissions."""

from __future__ import annotations

import json
from datetime import date

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.action_blocks import ADD_CALLBACK, REASSIGN_CALLBACK
from bot.listeners.actions.action_items import show
from bot.services import Services
from bot.text import fit, mention
from workflows.actions import service as action_service
from workflows.actions.parsing import ActionDraft
from workflows.workshop.errors import WorkshopError


def register(app: App, services: Services) -> None:
    @app.view(ADD_CALLBACK)
    def add_action_submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        """From the message shortcut's form; without a map the form stays open with the reason, nothing lost."""
        values = view["state"]["values"]
        due = values["due"]["value"].get("selected_date")
        draft = ActionDraft(
            title=values["title"]["value"].get("value") or "",
            owner=values["owner"]["value"].get("selected_user"),
            due=date.fromisoformat(due) if due else None,
        )
        channel, user = view["private_metadata"], body["user"]["id"]
        try:
            with services.db.session() as session:
                entry = action_service.add(session, body["team"]["id"], channel, user, draft, "shortcut")
        except WorkshopError as error:
            ack(response_action="errors", errors={"title": str(error)})
            return
        services.worker.kick()
        ack()
        client.chat_postEphemeral(
            channel=channel,
            user=user,
            text=f"Added `{entry.action.id}` to this channel's journey map: {fit(entry.action.title, 200)}",
        )

    @app.view(REASSIGN_CALLBACK)
    def reassign_submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        origin = json.loads(view["private_metadata"])
        owner, user = view["state"]["values"]["owner"]["value"]["selected_user"], body["user"]["id"]
        try:
            with services.db.session() as session:
                entry = action_service.assign(session, body["team"]["id"], origin.pop("action"), owner, user)
        except WorkshopError as error:
            ack(response_action="errors", errors={"owner": str(error)})
            return
        services.worker.kick()
        ack()
        lead = f":busts_in_silhouette: {mention(user)} reassigned it to {mention(owner)}."
        show(client, origin, entry, services.flows.today(), lead, buttons=False)
