"""`/journey settings llm on|off`: whether a workspace may use the LLM engine."""

from __future__ import annotations

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.services import Services
from workflows.workshop import service as workshop_service


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


SUBCOMMANDS = {
    "settings": _settings,
}
