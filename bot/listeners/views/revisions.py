"""A previous theme's new title, from its rename modal."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import revision_blocks
from bot.listeners.actions.revisions import show_decision
from bot.services import Services
from workflows.revisions import service as revisions
from workflows.workshop.errors import WorkshopError


def register(app: App, services: Services) -> None:
    @app.view(revision_blocks.RENAME_VIEW)
    def renamed(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        step_id, theme_id, channel, ts = view["private_metadata"].split(":")
        title = view["state"]["values"]["title"]["value"]["value"] or ""
        try:
            with services.db.session() as session:
                theme = revisions.review_theme(
                    session, int(step_id), int(theme_id), "rename", body["user"]["id"], title
                )
        except WorkshopError as refusal:
            ack(response_action="errors", errors={"title": str(refusal)})
            return
        ack()
        show_decision(services, client, channel, ts, theme)
