"""The Slack side's state: people, conversations, messages, files, canvases, views, triggers."""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from journeybot.standin import payloads
from journeybot.standin.conversation import Conversation, Message
from journeybot.standin.directory import Channel, User
from journeybot.standin.ids import Identity, IdFactory, TsClock, new_trigger_id
from journeybot.standin.models import Canvas, ResponsePost, ResponseTarget, StoredFile
from journeybot.standin.params import ApiError

Event = dict[str, Any]


class Workspace:
    """One re-entrant lock guards it all: HTTP handler threads, the echo worker and tests share it."""

    def __init__(self, identity: Identity, *, clock: Callable[[], float] = time.time, trigger_ttl: float = 3.0) -> None:
        self.identity = identity
        self.lock = threading.RLock()
        self.ids = IdFactory()
        self.clock = TsClock(clock)
        self.trigger_ttl = trigger_ttl
        self.base_url = ""  # set once the server listens; upload, download and response URLs point at it
        self.emit: Callable[[Event], None] = lambda event: None
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.conversations: dict[str, Conversation] = {}
        self.uploads: dict[str, StoredFile] = {}
        self.upload_keys: dict[str, str] = {}
        self.canvas_store: dict[str, Canvas] = {}
        self.view_store: dict[str, dict[str, Any]] = {}
        self.modal_stacks: dict[str, list[str]] = {}
        self.home_tabs: dict[str, str] = {}
        self.triggers: dict[str, tuple[str, float]] = {}
        self.response_targets: dict[str, ResponseTarget] = {}
        self.ephemeral_store: list[Message] = []
        self.response_posts: list[ResponsePost] = []
        self.add_user(
            identity.bot_user_id,
            identity.bot_name,
            is_bot=True,
            bot_id=identity.bot_id,
            app_id=identity.app_id,
        )

    # --- seeding -------------------------------------------------------------------------------------------

    def add_user(
        self,
        id: str,
        name: str,
        real_name: str | None = None,
        tz: str = "Europe/Berlin",
        is_bot: bool = False,
        **profile: Any,
    ) -> User:
        """profile: display_name, email, title, deleted, is_admin, bot_id, app_id (see directory.User)."""
        user = User(id=id, name=name, real_name=real_name or name, tz=tz, is_bot=is_bot, **profile)
        with self.lock:
            self.users[id] = user
        return user

    def add_channel(
        self,
        id: str,
        name: str,
        members: Iterable[str] = (),
        *,
        is_private: bool = False,
        bot_member: bool = True,
        topic: str = "",
        purpose: str = "",
    ) -> Channel:
        """The bot is a member unless told otherwise, since posting elsewhere fails with not_in_channel."""
        member_ids = list(dict.fromkeys([*members, *([self.identity.bot_user_id] if bot_member else [])]))
        channel = Channel(
            id=id,
            name=name.lstrip("#"),
            members=member_ids,
            is_private=is_private,
            created=self.clock.seconds(),
            creator=member_ids[0] if member_ids else "",
            topic=topic,
            purpose=purpose,
        )
        with self.lock:
            self.channels[id] = channel
            self.conversations.setdefault(id, Conversation())
        return channel

    # --- lookups (raise the error Slack answers) -----------------------------------------------------------

    def user(self, user_id: str) -> User:
        with self.lock:
            if user_id not in self.users:
                raise ApiError("user_not_found")
            return self.users[user_id]

    def channel(self, ref: str) -> Channel:
        """Accepts what chat.postMessage does: an id, a name (with or without #), a user id (the DM)."""
        with self.lock:
            if ref in self.channels:
                return self.channels[ref]
            by_name = [c for c in self.channels.values() if c.name and c.name == ref.lstrip("#")]
            if by_name:
                return by_name[0]
            if ref in self.users:
                return self.open_dm(ref)
            raise ApiError("channel_not_found")

    def open_dm(self, user_id: str) -> Channel:
        with self.lock:
            for channel in self.channels.values():
                if channel.is_im and channel.user == user_id:
                    return channel
            self.user(user_id)
            channel = Channel(
                id=self.ids.new("D"),
                is_im=True,
                user=user_id,
                members=[user_id, self.identity.bot_user_id],
                created=self.clock.seconds(),
            )
            self.channels[channel.id] = channel
            self.conversations[channel.id] = Conversation()
            return channel

    def require_bot_member(self, channel: Channel) -> None:
        if self.identity.bot_user_id not in channel.members:
            raise ApiError("not_in_channel")

    def message(self, channel_id: str, ts: str) -> Message:
        with self.lock:
            message = self.conversations[channel_id].get(ts)
            if message is None:
                raise ApiError("message_not_found")
            return message

    def thread_root(self, channel_id: str, ts: str) -> str:
        with self.lock:
            root = self.conversations[channel_id].root_of(ts)
            if root is None:
                raise ApiError("thread_not_found")
            return root

    # --- messages: each mutation returns the event Slack would send about it -------------------------------

    def new_bot_message(self, content: dict[str, Any], **fields: Any) -> Message:
        """A message as the app's bot user posts it: user, bot_id, app_id and bot_profile all set."""
        message = {
            "user": self.identity.bot_user_id,
            "type": "message",
            "ts": self.clock.next(),
            "bot_id": self.identity.bot_id,
            "app_id": self.identity.app_id,
            "team": self.identity.team_id,
            "bot_profile": payloads.bot_profile(self.identity, self.clock.seconds()),
            **content,
        }
        message.update({key: value for key, value in fields.items() if value is not None})
        return message

    def add_message(self, channel: Channel, message: Message, thread_ts: str | None = None) -> Event:
        with self.lock:
            if thread_ts:
                root = self.thread_root(channel.id, thread_ts)
                message["thread_ts"] = root
                message["parent_user_id"] = self.message(channel.id, root).get("user", "")
            self.conversations[channel.id].add(message)
            return payloads.message_event(copy.deepcopy(message), channel.id, channel.channel_type)

    def edit_message(self, channel: Channel, ts: str, changes: dict[str, Any], editor: str) -> tuple[Message, Event]:
        with self.lock:
            message = self.message(channel.id, ts)
            previous = copy.deepcopy(message)
            for key, value in changes.items():
                if value is None:
                    message.pop(key, None)
                else:
                    message[key] = value
            event_ts = self.clock.next()
            message["edited"] = {"user": editor, "ts": event_ts}
            event = payloads.message_changed_event(
                channel.id, channel.channel_type, previous, copy.deepcopy(message), event_ts
            )
            return copy.deepcopy(message), event

    def remove_message(self, channel: Channel, ts: str) -> Event:
        with self.lock:
            previous = copy.deepcopy(self.message(channel.id, ts))
            self.conversations[channel.id].delete(ts)
            return payloads.message_deleted_event(channel.id, channel.channel_type, previous, self.clock.next())

    def set_reaction(self, channel: Channel, ts: str, user: str, name: str, *, added: bool) -> Event:
        with self.lock:
            message = self.message(channel.id, ts)
            reactions: list[dict[str, Any]] = message.setdefault("reactions", [])
            entry = next((r for r in reactions if r["name"] == name), None)
            if added:
                if entry and user in entry["users"]:
                    raise ApiError("already_reacted")
                if entry is None:
                    entry = {"name": name, "users": [], "count": 0}
                    reactions.append(entry)
                entry["users"].append(user)
            else:
                if entry is None or user not in entry["users"]:
                    raise ApiError("no_reaction")
                entry["users"].remove(user)
            if entry["users"]:
                entry["count"] = len(entry["users"])
            else:
                reactions.remove(entry)
            if not reactions:
                del message["reactions"]
            return payloads.reaction_event(
                added=added,
                user=user,
                channel=channel.id,
                ts=ts,
                reaction=name,
                item_user=message.get("user"),
                event_ts=self.clock.next(),
            )

    # --- people's side, used by the sender so what it tells the bot also exists in Slack ------------------

    def post_user_message(
        self, channel_id: str, user: str, text: str, thread_ts: str | None = None, ts: str | None = None
    ) -> Event:
        with self.lock:
            channel = self.channel(channel_id)
            self.user(user)
            if user not in channel.members:
                raise ValueError(f"{user} is not a member of {channel.id}; add them to the channel first")
            if ts is not None and self.conversations[channel.id].get(ts) is not None:
                raise ValueError(f"{channel.id} already has a message {ts}")
            message = {
                "client_msg_id": secrets.token_hex(16),
                "type": "message",
                "text": text,
                "user": user,
                "ts": ts or self.clock.next(),
                "team": self.identity.team_id,
            }
            return self.add_message(channel, message, thread_ts)

    # --- read views: what a person would see now -----------------------------------------------------------

    def messages(self, channel: str) -> list[Message]:
        """The channel's top-level messages, oldest first, after edits and deletes, with thread counters."""
        with self.lock:
            conversation = self.conversations[self.channel(channel).id]
            return [conversation.view(message) for message in conversation.top_level()]

    def thread(self, channel: str, ts: str) -> list[Message]:
        """The thread's parent followed by its replies, oldest first."""
        with self.lock:
            channel_id = self.channel(channel).id
            conversation = self.conversations[channel_id]
            root = self.thread_root(channel_id, ts)
            return [conversation.view(m) for m in [self.message(channel_id, root), *conversation.replies(root)]]

    @property
    def ephemerals(self) -> list[Message]:
        """Ephemeral messages (chat.postEphemeral, ephemeral response_url posts), each with its recipient."""
        with self.lock:
            return copy.deepcopy(self.ephemeral_store)

    @property
    def responses(self) -> list[ResponsePost]:
        with self.lock:
            return [post.model_copy(deep=True) for post in self.response_posts]

    @property
    def files(self) -> list[StoredFile]:
        """Files whose upload was completed (files.completeUploadExternal), in upload order."""
        with self.lock:
            return [f.model_copy(deep=True) for f in self.uploads.values() if f.completed]

    def file_content(self, file_id: str) -> bytes:
        with self.lock:
            return self.uploads[file_id].content

    @property
    def canvases(self) -> dict[str, Canvas]:
        with self.lock:
            return {key: canvas.model_copy(deep=True) for key, canvas in self.canvas_store.items()}

    @property
    def views(self) -> dict[str, dict[str, Any]]:
        """Every view by id, in its latest state."""
        with self.lock:
            return copy.deepcopy(self.view_store)

    def modal_stack(self, user: str) -> list[dict[str, Any]]:
        """The modals open for a user, bottom first; empty once they are closed."""
        with self.lock:
            return [copy.deepcopy(self.view_store[view_id]) for view_id in self.modal_stacks.get(user, [])]

    def home_tab(self, user: str) -> dict[str, Any] | None:
        with self.lock:
            view_id = self.home_tabs.get(user)
            return copy.deepcopy(self.view_store[view_id]) if view_id else None

    # --- triggers and response URLs, which Slack issues with interactions ----------------------------------

    def issue_trigger_id(self, user: str) -> str:
        """Slack's trigger_id lets an app open a modal for that user, for 3 seconds."""
        trigger_id = new_trigger_id()
        with self.lock:
            self.triggers[trigger_id] = (user, time.monotonic())
        return trigger_id

    def trigger_user(self, trigger_id: str) -> str:
        with self.lock:
            if trigger_id not in self.triggers:
                raise ApiError("invalid_trigger_id")
            user, issued = self.triggers[trigger_id]
        if time.monotonic() - issued > self.trigger_ttl:
            raise ApiError("expired_trigger_id")
        return user

    def issue_response_url(self, channel: str, user: str, message_ts: str | None = None) -> str:
        url_id = secrets.token_urlsafe(12)
        with self.lock:
            self.response_targets[url_id] = ResponseTarget(channel=channel, user=user, message_ts=message_ts)
        return f"{self.base_url}/response_url/{url_id}"
