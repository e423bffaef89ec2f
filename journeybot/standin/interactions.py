"""Slash command and interactivity payloads, in the shapes of slack-samples/ (SlashCommandPayload,
BlockActionPayload, ViewSubmissionPayload)."""

from __future__ import annotations

from typing import Any

from journeybot.standin.directory import User
from journeybot.standin.ids import Identity
from journeybot.standin.payloads import VERIFICATION_TOKEN


def slash_command(
    identity: Identity,
    *,
    command: str,
    text: str,
    user_id: str,
    user_name: str,
    channel_id: str,
    channel_name: str,
    response_url: str,
    trigger_id: str,
) -> dict[str, str]:
    """Every field of the sample, as form values; Slack sends the enterprise fields empty outside Grid."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": identity.team_id,
        "team_domain": identity.team_domain,
        "enterprise_id": "",
        "enterprise_name": "",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": identity.app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def interaction(identity: Identity, kind: str, user: User, trigger_id: str, **fields: Any) -> dict[str, Any]:
    """The fields every interactive payload shares, plus the kind-specific ones."""
    return {
        "type": kind,
        "user": {"id": user.id, "username": user.name, "name": user.name, "team_id": identity.team_id},
        "api_app_id": identity.app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "team": {"id": identity.team_id, "domain": identity.team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
        **fields,
    }


def clicked(
    blocks: list[dict[str, Any]], action_id: str, value: str | None, extra: dict[str, Any], action_ts: str
) -> dict[str, Any]:
    """The actions[] entry Slack reports for the element with action_id (missing: a test mistake)."""
    for block in blocks:
        elements = [block["element"]] if "element" in block else block.get("elements") or []
        if "accessory" in block:
            elements = [block["accessory"]]
        for element in elements:
            if element.get("action_id") != action_id:
                continue
            action = {"action_id": action_id, "block_id": block.get("block_id", ""), "type": element["type"]}
            if "text" in element:
                action["text"] = element["text"]
            if value is not None or "value" in element:
                action["value"] = element["value"] if value is None else value
            return {**action, **extra, "action_ts": action_ts}
    raise ValueError(f"no element with action_id {action_id!r} in these blocks")
