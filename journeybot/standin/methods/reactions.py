"""reactions.add / reactions.remove, made by the bot user."""

from __future__ import annotations

from typing import Any

from journeybot.standin.params import ApiError, Params
from journeybot.standin.workspace import Workspace


def _react(ws: Workspace, params: Params, *, added: bool) -> dict[str, Any]:
    channel = ws.channel(params.text("channel", missing="channel_not_found"))
    ts = params.text("timestamp", missing="no_item_specified")
    name = params.text("name", missing="invalid_name")
    if name.startswith(":") or name.endswith(":") or " " in name:
        raise ApiError("invalid_name")  # Slack wants the bare name ("thumbsup"), not ":thumbsup:"
    ws.emit(ws.set_reaction(channel, ts, ws.identity.bot_user_id, name, added=added))
    return {}


def add(ws: Workspace, params: Params) -> dict[str, Any]:
    return _react(ws, params, added=True)


def remove(ws: Workspace, params: Params) -> dict[str, Any]:
    return _react(ws, params, added=False)
