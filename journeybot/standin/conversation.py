"""One conversation's messages as Slack models them: a thread is those whose thread_ts names a parent."""

from __future__ import annotations

import copy
from typing import Any

from journeybot.standin.ids import ts_to_micros

Message = dict[str, Any]

TOMBSTONE_TEXT = "This message was deleted."


def _ordered(messages: list[Message]) -> list[Message]:
    return sorted(messages, key=lambda message: ts_to_micros(message["ts"]))


class Conversation:
    """Stores raw messages; reply counters are derived on read so edits and deletes never leave them stale."""

    def __init__(self) -> None:
        self._messages: dict[str, Message] = {}

    def add(self, message: Message) -> None:
        self._messages[message["ts"]] = message

    def get(self, ts: str) -> Message | None:
        return self._messages.get(ts)

    def root_of(self, ts: str) -> str | None:
        """A reply's ts leads to its thread's parent, as conversations.replies and thread_ts accept either."""
        message = self._messages.get(ts)
        if message is None:
            return None
        return message.get("thread_ts") or ts

    def replies(self, parent_ts: str) -> list[Message]:
        return _ordered(
            [m for m in self._messages.values() if m.get("thread_ts") == parent_ts and m["ts"] != parent_ts]
        )

    def top_level(self) -> list[Message]:
        """What the channel shows outside threads: parents, plain messages, replies broadcast to it."""
        return _ordered(
            [
                m
                for m in self._messages.values()
                if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
            ]
        )

    def view(self, message: Message, *, with_metadata: bool = True) -> Message:
        """A copy with Slack's thread counters on parents; metadata only if asked (include_all_metadata)."""
        shown = copy.deepcopy(message)
        if not with_metadata:
            shown.pop("metadata", None)
        replies = self.replies(message["ts"]) if message.get("thread_ts") in (None, message["ts"]) else []
        if replies:
            users = list(dict.fromkeys(reply.get("user", "") for reply in replies))
            shown.update(
                thread_ts=message["ts"],
                reply_count=len(replies),
                reply_users=users[:5],
                reply_users_count=len(users),
                latest_reply=replies[-1]["ts"],
                is_locked=False,
                subscribed=False,
            )
        return shown

    def delete(self, ts: str) -> None:
        """A parent that still has replies leaves a tombstone, as in Slack; anything else disappears."""
        message = self._messages[ts]
        if message.get("thread_ts") in (None, ts) and self.replies(ts):
            self._messages[ts] = {
                "type": "message",
                "subtype": "tombstone",
                "text": TOMBSTONE_TEXT,
                "user": "USLACKBOT",
                "hidden": True,
                "ts": ts,
                "thread_ts": ts,
            }
        else:
            del self._messages[ts]
