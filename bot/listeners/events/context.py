"""What every event listener reads off an event's envelope, and how it says an event must wait."""

from __future__ import annotations

from slack_bolt import BoltContext, BoltResponse

TRY_LATER_STATUS = 503  # the stored event waits on work under way; the intake hands it over again shortly


def workspace_of(body: dict, context: BoltContext) -> str:
    """The workspace an event belongs to: Bolt's reading of it (which knows org-wide installs), else the body's."""
    return context.team_id or body.get("team_id") or ""


def try_later() -> BoltResponse:
    """A listener's answer for an event that arrived before what it needs (a reply before its step's message is
    recorded): the intake tries it again in a moment, without counting a failure."""
    return BoltResponse(status=TRY_LATER_STATUS, body="")
