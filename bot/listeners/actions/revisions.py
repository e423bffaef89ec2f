"""A review prompt's buttons: "Still accurate" and "Revise"."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import revision_blocks
from bot.services import Services
from bot.text import mention
from workflows.revisions import service as revisions
from workflows.workshop.errors import WorkshopError


def _refuse(client: WebClient, body: dict, error: Exception) -> None:
    client.chat_postEphemeral(channel=body["channel"]["id"], user=body["user"]["id"], text=str(error))


def _close_prompt(client: WebClient, body: dict, outcome: str) -> None:
    message = body["message"]
    client.chat_update(
        channel=body["channel"]["id"],
        ts=message["ts"],
        text=f"{message.get('text', '')}: {outcome}",
        blocks=revision_blocks.review_outcome(message.get("blocks", []), outcome),
    )


def register(app: App, services: Services) -> None:
    @app.action(revision_blocks.VALIDATE)
    def still_accurate(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        try:
            with services.db.session() as session:
                next_review = revisions.validate(
                    session, body["team"]["id"], int(action["value"]), user, services.flows.clock()
                )
        except WorkshopError as refusal:
            _refuse(client, body, refusal)
            return
        _close_prompt(
            client,
            body,
            f":white_check_mark: {mention(user)} confirmed the map is still accurate. "
            f"Next review: {next_review:%d %b %Y}.",
        )

    @app.action(revision_blocks.REVISE)
    def revise(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        try:
            with services.db.session() as session:
                view = revisions.start_revision(
                    session, body["team"]["id"], body["channel"]["id"], user, int(action["value"])
                )
        except WorkshopError as refusal:
            _refuse(client, body, refusal)
            return
        services.worker.kick()
        _close_prompt(client, body, f":arrows_counterclockwise: {mention(user)} started revision workshop #{view.id}.")
