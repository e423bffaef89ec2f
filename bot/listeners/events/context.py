"""What every event listener reads off an event's envelope."""

from __future__ import annotations

from slack_bolt import BoltContext


def workspace_of(body: dict, context: BoltContext) -> str:
    """The workspace an event belongs to: Bolt's reading of it (which knows org-wide installs), else the body's."""
    return context.team_id or body.get("team_id") or ""
