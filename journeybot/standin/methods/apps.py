"""apps.connections.open: where a Socket Mode app gets the URL of its next WebSocket connection."""

from __future__ import annotations

from typing import Any

from journeybot.standin.params import ApiError, Params
from journeybot.standin.workspace import Workspace


def connections_open(ws: Workspace, params: Params) -> dict[str, Any]:
    """Answered only with the app-level token (the stand-in checks it) and only with Socket Mode on."""
    socket_mode = getattr(ws, "socket_mode", None)
    if socket_mode is None:
        raise ApiError("socket_mode_disabled")  # Slack: the app has Socket Mode turned off
    return {"url": socket_mode.issue_url()}
