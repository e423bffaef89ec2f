"""chat.* methods."""

from __future__ import annotations

import copy
from typing import Any

from journeybot.standin.limits import message_content
from journeybot.standin.params import ApiError, Params
from journeybot.standin.workspace import Workspace


def _metadata(params: Params) -> dict[str, Any] | None:
    metadata = params.decoded("metadata", invalid="invalid_metadata_format")
    if metadata is None:
        return None
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        raise ApiError("invalid_metadata_format", "[ERROR] metadata needs event_type and an event_payload object")
    return {"event_type": metadata["event_type"], "event_payload": metadata["event_payload"]}


def post_message(ws: Workspace, params: Params) -> dict[str, Any]:
    channel = ws.channel(params.text("channel", missing="channel_not_found"))
    ws.require_bot_member(channel)
    content = message_content(params)
    thread_ts = params.optional("thread_ts")
    customised = params.has("username") or params.has("icon_emoji") or params.has("icon_url")
    message = ws.new_bot_message(
        content,
        metadata=_metadata(params),
        subtype="thread_broadcast" if thread_ts and params.flag("reply_broadcast") else None,
        username=params.optional("username"),
    )
    if customised and "subtype" not in message:
        message["subtype"] = "bot_message"  # Slack marks bot posts with an overridden identity this way
    ws.emit(ws.add_message(channel, message, thread_ts))
    return {"channel": channel.id, "ts": message["ts"], "message": copy.deepcopy(message)}


def post_ephemeral(ws: Workspace, params: Params) -> dict[str, Any]:
    channel = ws.channel(params.text("channel", missing="channel_not_found"))
    user = ws.user(params.text("user", missing="user_not_found"))
    if user.id not in channel.members:
        raise ApiError("user_not_in_channel")
    content = message_content(params)
    message_ts = ws.clock.next()
    thread_ts = params.optional("thread_ts")
    ws.ephemeral_store.append(
        {"channel": channel.id, "user": user.id, "ts": message_ts, "thread_ts": thread_ts, **content}
    )
    return {"message_ts": message_ts}


def _own_message(ws: Workspace, params: Params, refusal: str) -> tuple[Any, dict[str, Any]]:
    channel = ws.channel(params.text("channel", missing="channel_not_found"))
    message = ws.message(channel.id, params.text("ts", missing="message_not_found"))
    if message.get("bot_id") != ws.identity.bot_id:
        raise ApiError(refusal)  # a bot token may only change the app's own messages
    return channel, message


def update(ws: Workspace, params: Params) -> dict[str, Any]:
    channel, message = _own_message(ws, params, "cant_update_message")
    content = message_content(params)
    changes: dict[str, Any] = {"text": content["text"]} if "text" in content else {}
    if params.has("blocks"):  # absent keeps the blocks; an empty array removes them (as Slack documents)
        changes["blocks"] = content.get("blocks") or None
    if params.has("attachments"):
        changes["attachments"] = content.get("attachments") or None
    if params.has("metadata"):
        changes["metadata"] = _metadata(params)
    current, event = ws.edit_message(channel, message["ts"], changes, ws.identity.bot_user_id)
    ws.emit(event)
    return {"channel": channel.id, "ts": current["ts"], "text": current.get("text", ""), "message": current}


def delete(ws: Workspace, params: Params) -> dict[str, Any]:
    channel, message = _own_message(ws, params, "cant_delete_message")
    ws.emit(ws.remove_message(channel, message["ts"]))
    return {"channel": channel.id, "ts": message["ts"]}


def get_permalink(ws: Workspace, params: Params) -> dict[str, Any]:
    channel = ws.channel(params.text("channel", missing="channel_not_found"))
    message = ws.message(channel.id, params.text("message_ts", missing="message_not_found"))
    permalink = f"{ws.identity.workspace_url}archives/{channel.id}/p{message['ts'].replace('.', '')}"
    thread_ts = message.get("thread_ts")
    if thread_ts and thread_ts != message["ts"]:
        permalink += f"?thread_ts={thread_ts}&cid={channel.id}"
    return {"channel": channel.id, "permalink": permalink}
