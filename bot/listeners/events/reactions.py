"""Reactions on a theme's message: ratings on touchpoints, votes on pain points; removing one takes it back."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext

from bot.listeners.events.context import workspace_of
from bot.services import Services
from workflows.themes import reactions
from workflows.themes.reactions import ReactionChange

log = logging.getLogger(__name__)


def _reaction(
    services: Services, event: dict, team_id: str, bot_user_id: str | None, event_time: str
) -> ReactionChange | None:
    """The event as a change to count, or None: not on a message, malformed, or not a person's (the bot's own
    one-click prompts arrive as events too)."""
    item, user = event.get("item") or {}, event.get("user")
    if item.get("type") != "message" or not (user and item.get("channel") and item.get("ts") and event.get("reaction")):
        if item.get("type") in (None, "message"):
            log.warning("reaction event without its message or user: skipped")
        return None
    if user == bot_user_id or not services.users.is_human(user):
        return None
    return ReactionChange(
        team_id=team_id,
        channel_id=item["channel"],
        ts=item["ts"],
        user_id=user,
        reaction=event["reaction"],
        added=event.get("type") == "reaction_added",
        event_ts=event.get("event_ts") or f"{event_time}.000000",
    )


def register(app: App, services: Services) -> None:
    @app.event("reaction_added")
    @app.event("reaction_removed")
    def on_reaction(body: dict, event: dict, context: BoltContext) -> None:
        """Ratings on touchpoint themes and votes on pain-point themes; removing the reaction takes it back."""
        change = _reaction(
            services, event, workspace_of(body, context), context.bot_user_id, str(body.get("event_time", ""))
        )
        if change is None:
            return
        with services.db.session() as session:
            counted = reactions.record_reaction(session, change, body.get("event_id"))
        if counted:
            log.info("reaction %s %s in %s", change.reaction, "added" if change.added else "removed", change.channel_id)
