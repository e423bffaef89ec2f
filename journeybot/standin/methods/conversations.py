"""conversations.* methods."""

from __future__ import annotations

from typing import Any

from journeybot.standin.conversation import Message
from journeybot.standin.ids import is_ts, ts_to_micros
from journeybot.standin.paging import paginate
from journeybot.standin.params import ApiError, Params
from journeybot.standin.workspace import Workspace


def _in_window(messages: list[Message], params: Params) -> list[Message]:
    """oldest/latest bound the range; inclusive decides whether the bounds themselves count."""
    oldest, latest = params.optional("oldest"), params.optional("latest")
    inclusive = params.flag("inclusive")

    def keep(message: Message) -> bool:
        at = ts_to_micros(message["ts"])
        if oldest and not (at >= ts_to_micros(oldest) if inclusive else at > ts_to_micros(oldest)):
            return False
        return not latest or (at <= ts_to_micros(latest) if inclusive else at < ts_to_micros(latest))

    return [message for message in messages if keep(message)]


def _page_answer(page: list[Message], next_cursor: str, **extra: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {"messages": page, "has_more": bool(next_cursor), **extra}
    if next_cursor:
        answer["response_metadata"] = {"next_cursor": next_cursor}
    return answer


def history(ws: Workspace, params: Params) -> dict[str, Any]:
    """Top-level messages, newest first, as Slack pages them."""
    channel = ws.channel(params.text("channel", missing="channel_not_found"))
    ws.require_bot_member(channel)
    conversation = ws.conversations[channel.id]
    newest_first = list(reversed(_in_window(conversation.top_level(), params)))
    page, next_cursor = paginate(
        newest_first,
        lambda m: m["ts"],
        cursor=params.optional("cursor"),
        limit=params.integer("limit", 100),
        kind="next_ts",
    )
    with_metadata = params.flag("include_all_metadata")
    shown = [conversation.view(message, with_metadata=with_metadata) for message in page]
    return _page_answer(shown, next_cursor, pin_count=0, channel_actions_ts=None, channel_actions_count=0)


def replies(ws: Workspace, params: Params) -> dict[str, Any]:
    """The parent then its replies, oldest first; the parent heads every page, as in Slack."""
    channel = ws.channel(params.text("channel", missing="channel_not_found"))
    ws.require_bot_member(channel)
    ts = params.text("ts", missing="thread_not_found")
    if not is_ts(ts):
        raise ApiError("thread_not_found")
    root = ws.thread_root(channel.id, ts)
    conversation = ws.conversations[channel.id]
    page, next_cursor = paginate(
        _in_window(conversation.replies(root), params),
        lambda m: m["ts"],
        cursor=params.optional("cursor"),
        limit=params.integer("limit", 1000) - 1,
        kind="next_ts",
    )
    with_metadata = params.flag("include_all_metadata")
    parent = ws.message(channel.id, root)
    shown = [conversation.view(message, with_metadata=with_metadata) for message in [parent, *page]]
    return _page_answer(shown, next_cursor)


def info(ws: Workspace, params: Params) -> dict[str, Any]:
    channel = ws.channel(params.text("channel", missing="channel_not_found"))
    include_num_members = params.flag("include_num_members")
    return {"channel": channel.to_slack(ws.identity.bot_user_id, include_num_members=include_num_members)}


def members(ws: Workspace, params: Params) -> dict[str, Any]:
    channel = ws.channel(params.text("channel", missing="channel_not_found"))
    page, next_cursor = paginate(
        channel.members,
        lambda member: member,
        cursor=params.optional("cursor"),
        limit=params.integer("limit", 100),
        kind="user",
    )
    return {"members": page, "response_metadata": {"next_cursor": next_cursor}}


def open_conversation(ws: Workspace, params: Params) -> dict[str, Any]:
    """One user gives the DM with the bot (created once, then reused); Slack reports reuse as already_open."""
    if params.optional("channel"):
        channel = ws.channel(params.text("channel"))
        reused = True
    else:
        users = [u.strip() for u in params.text("users", missing="users_list_not_supplied").split(",") if u.strip()]
        if len(users) != 1:
            raise ApiError("not_supported", "[ERROR] the stand-in opens DMs with one user only")
        ws.user(users[0])
        reused = any(c.is_im and c.user == users[0] for c in ws.channels.values())
        channel = ws.open_dm(users[0])
    shown = channel.to_slack(ws.identity.bot_user_id) if params.flag("return_im") else {"id": channel.id}
    answer: dict[str, Any] = {"channel": shown}
    if reused:
        answer.update(no_op=True, already_open=True)
    return answer
