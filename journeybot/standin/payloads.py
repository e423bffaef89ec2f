"""Events API payloads, in the shapes of slack-samples/."""

from __future__ import annotations

import base64
import json
from typing import Any

from journeybot.standin.ids import Identity

VERIFICATION_TOKEN = "standin-verification-token"  # Slack still sends the deprecated token field


def channel_type_for(channel_id: str) -> str:
    """Best guess from the id prefix, for when no stand-in knows the channel."""
    return {"D": "im", "G": "group"}.get(channel_id[:1], "channel")


def bot_profile(identity: Identity, updated: int) -> dict[str, Any]:
    return {
        "id": identity.bot_id,
        "deleted": False,
        "name": identity.bot_name,
        "updated": updated,
        "app_id": identity.app_id,
        "icons": {
            f"image_{size}": f"https://avatars.standin.invalid/{identity.bot_id}-{size}.png" for size in (36, 48, 72)
        },
        "team_id": identity.team_id,
    }


def message_event(message: dict[str, Any], channel: str, channel_type: str) -> dict[str, Any]:
    return {**message, "channel": channel, "event_ts": message["ts"], "channel_type": channel_type}


def message_changed_event(
    channel: str, channel_type: str, previous: dict[str, Any], current: dict[str, Any], event_ts: str
) -> dict[str, Any]:
    return {
        "type": "message",
        "subtype": "message_changed",
        "channel": channel,
        "hidden": True,
        "message": current,
        "previous_message": previous,
        "event_ts": event_ts,
        "ts": event_ts,
        "channel_type": channel_type,
    }


def message_deleted_event(channel: str, channel_type: str, previous: dict[str, Any], event_ts: str) -> dict[str, Any]:
    return {
        "type": "message",
        "subtype": "message_deleted",
        "channel": channel,
        "hidden": True,
        "deleted_ts": previous["ts"],
        "previous_message": previous,
        "event_ts": event_ts,
        "ts": event_ts,
        "channel_type": channel_type,
    }


def reaction_event(
    *, added: bool, user: str, channel: str, ts: str, reaction: str, item_user: str | None, event_ts: str
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "reaction_added" if added else "reaction_removed",
        "user": user,
        "item": {"type": "message", "channel": channel, "ts": ts},
        "reaction": reaction,
        "event_ts": event_ts,
    }
    if item_user:
        event["item_user"] = item_user
    return event


def event_envelope(event: dict[str, Any], identity: Identity, *, event_id: str, event_time: int) -> dict[str, Any]:
    """The event_callback wrapper; authorizations name the installation the event is delivered for."""
    context = {"tid": identity.team_id, "aid": identity.app_id, "cid": event.get("channel")}
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": identity.team_id,
        "context_team_id": identity.team_id,
        "context_enterprise_id": None,
        "api_app_id": identity.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": identity.team_id,
                "user_id": identity.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-" + base64.urlsafe_b64encode(json.dumps(context).encode()).decode().rstrip("="),
    }
