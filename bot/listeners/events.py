"""Events: thread replies become contributions; edits and deletions follow them; the rest is ignored."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient

from bot import blocks
from bot.services import Services
from bot.text import decode
from workflows import recording
from workflows.recording import Outcome, Reply

log = logging.getLogger(__name__)

# Message subtypes that are people writing; joins, bot posts, channel changes and the rest are not contributions.
PEOPLE_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}


def _reply(services: Services, message: dict, channel: str) -> Reply | None:
    if message.get("bot_id") or message.get("subtype") not in PEOPLE_SUBTYPES:
        return None
    thread_ts, ts, user = message.get("thread_ts"), message.get("ts"), message.get("user")
    if not (thread_ts and ts and user) or thread_ts == ts:
        return None
    text, mentions = decode(message.get("text") or "", services.users.name)
    return Reply(channel_id=channel, thread_ts=thread_ts, ts=ts, user_id=user, text=text, mentions=mentions)


def register(app: App, services: Services) -> None:
    @app.event("message")
    def on_message(body: dict, event: dict, client: WebClient) -> None:
        channel = event.get("channel", "")
        subtype = event.get("subtype")
        with services.db.session() as session:
            if subtype == "message_deleted":
                previous = event.get("previous_message") or {}
                if previous.get("thread_ts"):
                    recording.remove_reply(
                        session, channel, previous["thread_ts"], previous.get("ts", ""), body.get("event_id")
                    )
                return
            message = event.get("message", {}) if subtype == "message_changed" else event
            reply = _reply(services, message, channel)
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
    def not_used_yet() -> None:
        """Subscribed in the manifest for features that read them; acknowledged so Slack stops retrying."""

    @app.event("app_home_opened")
    def on_home_opened(event: dict) -> None:
        """The Home tab is built fresh each time its user opens it (the Messages tab needs nothing)."""
        if event.get("tab", "home") == "home":
            services.notifier.refresh_home([event["user"]])


def _tell_author(client: WebClient, reply: Reply, outcome: Outcome) -> None:
    notices = {
        Outcome.late: "This step has closed: your note is saved and added to the map as a late addition.",
        Outcome.workshop_closed: "This workshop is finished, so this reply was not added to its map.",
    }
    if outcome in notices:
        client.chat_postEphemeral(channel=reply.channel_id, user=reply.user_id, text=notices[outcome])
