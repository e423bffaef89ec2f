"""Mentioning the bot gets its help, to the person who asked."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bot import blocks
from bot.services import Services


def register(app: App, services: Services) -> None:
    @app.event("app_mention")
    def on_mention(event: dict, client: WebClient) -> None:
        client.chat_postEphemeral(
            channel=event["channel"], user=event["user"], text="journeybot help", blocks=blocks.help_blocks()
        )
