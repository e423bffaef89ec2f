"""SlackSender: plays Slack's side towards the bot's HTTP endpoint, signing requests as Slack does."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from journeybot.standin import interactions, payloads
from journeybot.standin.directory import Channel
from journeybot.standin.ids import Identity, TsClock, new_trigger_id
from journeybot.standin.methods.views import after_submission
from journeybot.standin.server import SlackStandIn


@dataclass
class Response:
    """The bot endpoint's answer (non-2xx included: they are what signature tests look at)."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


class SlackSender:
    """Signs and POSTs commands, events and interactions to the bot's request URL (e.g. .../slack/events).

    Linked to a stand-in (standin=...), it acts inside that workspace: people's messages, edits and reactions
    are stored there before the bot hears of them, response_url and trigger_id are ones the stand-in honours,
    and ids default to the stand-in's. Unlinked, it only builds and sends payloads.
    """

    def __init__(
        self,
        url: str,
        signing_secret: str,
        team_id: str | None = None,
        api_app_id: str | None = None,
        *,
        standin: SlackStandIn | None = None,
        timeout: float = 10.0,
        enterprise_id: str | None = None,
        org_wide: bool = False,
    ) -> None:
        self.url = url
        # An Enterprise Grid workspace: its organisation, and whether the app is installed for the whole of it.
        self.enterprise_id, self.org_wide = enterprise_id, org_wide
        self.signing_secret = signing_secret
        self.standin = standin
        self.timeout = timeout
        self.last_response: Response | None = None
        base = standin.identity if standin else Identity()
        self.identity = replace(base, team_id=team_id or base.team_id, app_id=api_app_id or base.app_id)
        self._clock = standin.clock if standin else TsClock()
        if standin is not None:
            standin.redact(signing_secret)

    # --- signing and transport -----------------------------------------------------------------------------

    def signed_headers(
        self, body: bytes, *, timestamp: int | None = None, content_type: str = "application/json"
    ) -> dict[str, str]:
        """X-Slack-Signature is v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}"); pass timestamp to forge a
        stale request."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        digest = hmac.new(self.signing_secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
        return {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": f"v0={digest.hexdigest()}",
        }

    def post_raw(self, body: bytes, headers: dict[str, str]) -> Response:
        """Sends exactly these bytes and headers: for unsigned, wrongly signed or malformed requests."""
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                response = Response(answer.status, answer.read().decode("utf-8", "replace"), dict(answer.headers))
        except urllib.error.HTTPError as error:
            response = Response(error.code, error.read().decode("utf-8", "replace"), dict(error.headers))
        self.last_response = response
        return response

    def _send_json(self, payload: dict[str, Any], extra_headers: dict[str, str] | None = None) -> Response:
        body = json.dumps(payload).encode()
        return self.post_raw(body, {**self.signed_headers(body), **(extra_headers or {})})

    def _send_form(self, fields: dict[str, str]) -> Response:
        body = urlencode(fields).encode()
        return self.post_raw(body, self.signed_headers(body, content_type="application/x-www-form-urlencoded"))

    # --- slash commands ------------------------------------------------------------------------------------

    def command(
        self,
        text: str,
        user_id: str,
        channel_id: str,
        command: str = "/journey",
        trigger_id: str | None = None,
    ) -> Response:
        """Form-encoded as Slack sends it; linked, its response_url and trigger_id work in the stand-in."""
        channel_name, user_name, response_url = "", user_id, ""
        if self.standin is not None:
            channel = self.standin.channel(channel_id)
            channel_name = "directmessage" if channel.is_im else channel.name
            user_name = self.standin.user(user_id).name
            response_url = self.standin.issue_response_url(channel.id, user_id)
            trigger_id = trigger_id or self.standin.issue_trigger_id(user_id)
        fields = interactions.slash_command(
            self.identity,
            command=command,
            text=text,
            user_id=user_id,
            user_name=user_name,
            channel_id=channel_id,
            channel_name=channel_name,
            response_url=response_url,
            trigger_id=trigger_id or new_trigger_id(),
        )
        if self.enterprise_id:
            fields |= {"enterprise_id": self.enterprise_id, "is_enterprise_install": str(self.org_wide).lower()}
        return self._send_form(fields)

    # --- events --------------------------------------------------------------------------------------------

    def event(
        self,
        event: dict[str, Any],
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> Response:
        """The event_callback envelope; a fresh event_id per call unless given (give the same one, with
        retry_num, to replay Slack's at-least-once redelivery)."""
        envelope = payloads.event_envelope(
            event,
            self.identity,
            event_id=event_id or f"Ev{secrets.token_hex(6).upper()}",
            event_time=int(time.time()),
        )
        retry = {} if retry_num is None else {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self._send_json(envelope, retry)

    def _channel_type(self, channel_id: str) -> str:
        if self.standin is not None:
            return self.standin.channel(channel_id).channel_type
        return payloads.channel_type_for(channel_id)

    def message(self, channel: str, user: str, text: str, thread_ts: str | None = None, ts: str | None = None) -> str:
        """A person posts (in a thread with thread_ts); returns the ts. The answer is in last_response."""
        if self.standin is not None:
            event = self.standin.post_user_message(channel, user, text, thread_ts, ts)
        else:
            message = self._unstored(user, ts or self._clock.next(), thread_ts)
            message.update(client_msg_id=secrets.token_hex(16), text=text)
            event = payloads.message_event(message, channel, self._channel_type(channel))
        self.event(event)
        return event["ts"]

    def _unstored(self, user: str | None, ts: str, thread_ts: str | None) -> dict[str, Any]:
        """Without a stand-in nothing remembers the message: only its author, ts and thread are known."""
        if user is None:
            raise ValueError("user is required without a stand-in")
        message = {"type": "message", "user": user, "text": "", "ts": ts, "team": self.identity.team_id}
        if thread_ts:
            message["thread_ts"] = thread_ts
        return message

    def _authored(self, channel: str, ts: str, user: str | None) -> tuple[Channel, str]:
        """The stored message's channel and author; a person may only edit or delete their own message."""
        standin = self._linked()
        found = standin.channel(channel)
        author = standin.message(found.id, ts).get("user", "")
        if user is not None and user != author:
            raise ValueError(f"{user} cannot change {author}'s message {ts}")
        return found, author

    def message_changed(
        self, channel: str, ts: str, text: str, *, user: str | None = None, thread_ts: str | None = None
    ) -> Response:
        """The author edits a message. Unlinked, `user` is required and the previous text is unknown ("")."""
        if self.standin is not None:
            found, author = self._authored(channel, ts, user)
            event = self.standin.edit_message(found, ts, {"text": text}, author)[1]
        else:
            previous = self._unstored(user, ts, thread_ts)
            event_ts = self._clock.next()
            current = {**copy.deepcopy(previous), "text": text, "edited": {"user": user, "ts": event_ts}}
            event = payloads.message_changed_event(channel, self._channel_type(channel), previous, current, event_ts)
        return self.event(event)

    def message_deleted(
        self, channel: str, ts: str, *, user: str | None = None, thread_ts: str | None = None
    ) -> Response:
        """The author deletes a message. Unlinked, `user` is required."""
        if self.standin is not None:
            found, _ = self._authored(channel, ts, user)
            event = self.standin.remove_message(found, ts)
        else:
            previous = self._unstored(user, ts, thread_ts)
            event = payloads.message_deleted_event(channel, self._channel_type(channel), previous, self._clock.next())
        return self.event(event)

    def _reaction(
        self, channel: str, ts: str, user: str, reaction: str, item_user: str | None, added: bool
    ) -> Response:
        if self.standin is not None:
            event = self.standin.set_reaction(self.standin.channel(channel), ts, user, reaction, added=added)
        else:
            event = payloads.reaction_event(
                added=added,
                user=user,
                channel=channel,
                ts=ts,
                reaction=reaction,
                item_user=item_user,
                event_ts=self._clock.next(),
            )
        return self.event(event)

    def reaction_added(self, channel: str, ts: str, user: str, reaction: str, item_user: str | None = None) -> Response:
        return self._reaction(channel, ts, user, reaction, item_user, True)

    def reaction_removed(
        self, channel: str, ts: str, user: str, reaction: str, item_user: str | None = None
    ) -> Response:
        return self._reaction(channel, ts, user, reaction, item_user, False)

    def url_verification(self, challenge: str | None = None) -> Response:
        """Slack's request URL handshake; the bot must echo the challenge."""
        return self._send_json(
            {
                "token": payloads.VERIFICATION_TOKEN,
                "challenge": challenge or secrets.token_urlsafe(24),
                "type": "url_verification",
            }
        )

    # --- interactivity -------------------------------------------------------------------------------------

    def interaction(self, payload: dict[str, Any]) -> Response:
        """Any interactive payload (block_actions, view_submission, shortcut) as form field payload=<json>."""
        return self._send_form({"payload": json.dumps(payload)})

    def _linked(self) -> SlackStandIn:
        if self.standin is None:
            raise ValueError("this builder needs a stand-in: construct the sender with standin=...")
        return self.standin

    def block_action(
        self,
        user_id: str,
        action_id: str,
        *,
        value: str | None = None,
        channel_id: str | None = None,
        message_ts: str | None = None,
        view_id: str | None = None,
        **action_fields: Any,
    ) -> Response:
        """A person clicks an element of a bot message (channel_id + message_ts) or of a view (view_id).
        Needs a stand-in; action_fields (e.g. selected_option) are added to the action."""
        standin = self._linked()
        user = standin.user(user_id)
        if view_id is not None:
            view = standin.views[view_id]
            blocks = view["blocks"]
            context = {
                "container": {"type": "view", "view_id": view_id},
                "view": view,
                "state": view["state"],
            }
        elif channel_id is not None and message_ts is not None:
            channel = standin.channel(channel_id)
            message = copy.deepcopy(standin.message(channel.id, message_ts))
            blocks = message.get("blocks", [])
            context = {
                "container": {
                    "type": "message",
                    "message_ts": message_ts,
                    "channel_id": channel.id,
                    "is_ephemeral": False,
                },
                "channel": {"id": channel.id, "name": channel.name or "directmessage"},
                "message": message,
                "state": {"values": {}},
                "response_url": standin.issue_response_url(channel.id, user.id, message_ts),
            }
        else:
            raise ValueError("give view_id, or channel_id and message_ts")
        action = interactions.clicked(blocks, action_id, value, action_fields, self._clock.next())
        trigger_id = standin.issue_trigger_id(user.id)
        return self.interaction(
            interactions.interaction(self.identity, "block_actions", user, trigger_id, **context, actions=[action])
        )

    def view_submission(self, view_id: str, user_id: str, values: dict[str, Any] | None = None) -> Response:
        """A person submits a modal; `values` is Slack's state.values ({block_id: {action_id: {...}}}).
        Slack then acts on the ack: closes the view, or follows response_action. Needs a stand-in."""
        standin = self._linked()
        user = standin.user(user_id)
        with standin.lock:
            standin.view_store[view_id]["state"] = {"values": values or {}}
            view = copy.deepcopy(standin.view_store[view_id])
        trigger_id = standin.issue_trigger_id(user.id)
        response = self.interaction(
            interactions.interaction(self.identity, "view_submission", user, trigger_id, view=view, response_urls=[])
        )
        after_submission(standin, user.id, view_id, response.status, response.body)
        return response
