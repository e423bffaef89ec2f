"""Events: thread replies become contributions; edits and deletions follow them; the rest is ignored."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot import blocks
from bot.services import Services
from bot.text import decode
from workflows.contributions import service as recording
from workflows.contributions.service import Outcome, Reply
from workflows.themes import reactions
from workflows.themes.reactions import ReactionChange

log = logging.getLogger(__name__)

# Message subtypes that are people writing; joins, bot posts, channel changes and the rest are not contributions.
PEOPLE_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}


def _workspace(body: dict, context: BoltContext) -> str:
    """The workspace an event belongs to: Bolt's reading of it (which knows org-wide installs), else the body's."""
    return context.team_id or body.get("team_id") or ""


def _reply(services: Services, message: dict, team_id: str, channel: str) -> Reply | None:
    if message.get("bot_id") or message.get("subtype") not in PEOPLE_SUBTYPES:
        return None
    thread_ts, ts, user = message.get("thread_ts"), message.get("ts"), message.get("user")
    if not (thread_ts and ts and user) or thread_ts == ts:
        return None
    text, mentions = decode(message.get("text") or "", services.users.name)
    edited = (message.get("edited") or {}).get("ts")
    return Reply(
        team_id=team_id,
        channel_id=channel,
        thread_ts=thread_ts,
        ts=ts,
        user_id=user,
        text=text,
        mentions=mentions,
        edited_ts=edited,
    )


def register(app: App, services: Services) -> None:
    @app.event("message")
    def on_message(body: dict, event: dict, client: WebClient, context: BoltContext) -> None:
        team, channel = _workspace(body, context), event.get("channel", "")
        subtype = event.get("subtype")
        with services.db.session() as session:
            if subtype == "message_deleted":
                previous = event.get("previous_message") or {}
                deleted_ts = event.get("deleted_ts") or previous.get("ts")
                if previous.get("thread_ts") and deleted_ts:
                    thread = previous["thread_ts"]
                    recording.remove_reply(session, team, channel, thread, deleted_ts, body.get("event_id"))
                return
            message = event.get("message", {}) if subtype == "message_changed" else event
            reply = _reply(services, message, team, channel)
            if reply is None:
                return
            result = recording.record_reply(session, reply, body.get("event_id"))
        log.info("reply in %s: %s (%d notes)", channel, result.outcome, result.count)
        _tell_author(client, reply, result.outcome)

    @app.event("app_mention")
    def on_mention(event: dict, client: WebClient) -> None:
        client.chat_postEphemeral(
            channel=event["channel"], user=event["user"], text="journeybot help", blocks=blocks.help_blocks()
        )

    @app.event("reaction_added")
    @app.event("reaction_removed")
    def on_reaction(body: dict, event: dict, context: BoltContext) -> None:
        """Ratings on touchpoint themes and votes on pain-point themes; removing the reaction takes it back."""
        change = _reaction(
            services, event, _workspace(body, context), context.bot_user_id, str(body.get("event_time", ""))
        )
        if change is None:
            return
        with services.db.session() as session:
            counted = reactions.record_reaction(session, change, body.get("event_id"))
        if counted:
            log.info("reaction %s %s in %s", change.reaction, "added" if change.added else "removed", change.channel_id)

    @app.event("app_home_opened")
    def on_home_opened(event: dict) -> None:
        """The Home tab is built fresh each time its user opens it (the Messages tab needs nothing)."""
        if event.get("tab", "home") == "home":
            services.notifier.refresh_home([event["user"]])


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


def _tell_author(client: WebClient, reply: Reply, outcome: Outcome) -> None:
    notices = {
        Outcome.late: "This step has closed: your note is saved and added to the map as a late addition.",
        Outcome.workshop_closed: "This workshop is finished, so this reply was not added to its map.",
    }
    if outcome in notices:
        client.chat_postEphemeral(channel=reply.channel_id, user=reply.user_id, text=notices[outcome])
