"""Thread replies become contributions; their edits and deletions follow them, in Slack's order."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.listeners.events.context import try_later, workspace_of
from bot.services import Services
from bot.text import decode
from workflows.contributions import service as recording
from workflows.contributions.service import Outcome, Recorded, Reply

log = logging.getLogger(__name__)


# Message subtypes that are people writing; joins, bot posts, channel changes and the rest are not contributions.
PEOPLE_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}


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


def _tell_author(client: WebClient, reply: Reply, outcome: Outcome) -> None:
    notices = {
        Outcome.late: "This step has closed: your note is saved and added to the map as a late addition.",
        Outcome.workshop_closed: "This workshop is finished, so this reply was not added to its map.",
    }
    if outcome in notices:
        client.chat_postEphemeral(channel=reply.channel_id, user=reply.user_id, text=notices[outcome])


def _deletion(session: Session, event: dict, body: dict, team: str, channel: str) -> Recorded | None:
    previous = event.get("previous_message") or {}
    deleted_ts = event.get("deleted_ts") or previous.get("ts")
    if not (previous.get("thread_ts") and deleted_ts):
        return None
    return recording.remove_reply(session, team, channel, previous["thread_ts"], deleted_ts, body.get("event_id"))


def register(app: App, services: Services) -> None:
    @app.event("message")
    def on_message(body: dict, event: dict, client: WebClient, context: BoltContext) -> BoltResponse | None:
        team, channel = workspace_of(body, context), event.get("channel", "")
        subtype, reply = event.get("subtype"), None
        with services.db.session() as session:
            if subtype == "message_deleted":
                result = _deletion(session, event, body, team, channel)
            else:
                message = event.get("message", {}) if subtype == "message_changed" else event
                reply = _reply(services, message, team, channel)
                result = recording.record_reply(session, reply, body.get("event_id")) if reply else None
        if result is None:
            return None
        log.info("reply in %s: %s (%d notes)", channel, result.outcome, result.count)
        if result.outcome is Outcome.step_opening:  # maybe a reply to the step's message being recorded right now
            return try_later()
        if reply is not None:
            _tell_author(client, reply, result.outcome)
        return None
