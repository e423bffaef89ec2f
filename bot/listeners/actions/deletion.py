"""The danger button of `/journey delete`'s confirmation: it deletes the workshop, once."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import deletion_blocks
from bot.listeners.commands.deletion import is_workspace_admin
from bot.services import Services
from workflows.retention import service as retention
from workflows.workshop.errors import WorkshopError


def register(app: App, services: Services) -> None:
    @app.action(deletion_blocks.DELETE_WORKSHOP)
    def delete_clicked(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        """Checks the clicker's right again (the confirmation may be old), deletes, and replaces the confirmation
        with what was deleted; a second click finds nothing and says so."""
        ack()
        user, workshop_id = body["user"]["id"], int(action["value"])
        admin = is_workspace_admin(client, user)  # asked before the transaction opens
        try:
            with services.db.session() as session:
                done = retention.delete_workshop(session, body["team"]["id"], workshop_id, user, is_admin=admin)
        except WorkshopError as refusal:
            respond(text=str(refusal), response_type="ephemeral", replace_original=False)
            return
        if done is None:
            respond(text=deletion_blocks.already_gone(workshop_id), response_type="ephemeral", replace_original=False)
            return
        services.worker.kick()  # the Home tabs that showed it are refreshed by a job
        respond(
            text=f"Workshop #{workshop_id} is deleted.",
            blocks=deletion_blocks.deleted(done),
            response_type="ephemeral",
            replace_original=True,
        )
