"""What Slack does with a POST to a response_url (Bolt's respond()): ephemeral or in-channel reply, replace or
delete the original message; at most 5 uses within 30 minutes."""

from __future__ import annotations

import json
import time
from typing import Any

from journeybot.standin.limits import message_content
from journeybot.standin.models import ResponsePost, ResponseTarget
from journeybot.standin.params import ApiError, Params
from journeybot.standin.workspace import Workspace

MAX_USES = 5
LIFETIME_SECONDS = 30 * 60


def _apply(ws: Workspace, target: ResponseTarget, payload: Any) -> None:
    if not isinstance(payload, dict):
        raise ApiError("invalid_payload")
    params = Params(payload)
    channel = ws.channel(target.channel)
    if params.flag("delete_original") and target.message_ts:
        ws.emit(ws.remove_message(channel, target.message_ts))
        return
    content = message_content(params)
    if params.flag("replace_original") and target.message_ts:
        changes = {"text": content.get("text", ""), "blocks": content.get("blocks")}
        ws.emit(ws.edit_message(channel, target.message_ts, changes, ws.identity.bot_user_id)[1])
    elif payload.get("response_type") == "in_channel":
        message = ws.new_bot_message(content, metadata=payload.get("metadata"))
        ws.emit(ws.add_message(channel, message, params.optional("thread_ts")))
    else:
        ws.ephemeral_store.append(
            {"channel": channel.id, "user": target.user, "ts": ws.clock.next(), "thread_ts": None, **content}
        )


def post(ws: Workspace, url_id: str, body: bytes) -> tuple[int, dict[str, Any]]:
    """Answers like Slack: 200 {"ok": true}, 400 with the error for bad content, 404 for spent URLs."""
    with ws.lock:
        target = ws.response_targets.get(url_id)
        if target is None:
            return 404, {"ok": False, "error": "no_service"}
        target.uses += 1
        try:
            payload = json.loads(body or b"null")
        except json.JSONDecodeError:
            payload = None
        status, error = 200, None
        if target.uses > MAX_USES:
            status, error = 404, "used_url"
        elif time.time() - target.issued_at > LIFETIME_SECONDS:
            status, error = 404, "expired_url"
        else:
            try:
                _apply(ws, target, payload)
            except ApiError as failure:
                status, error = 400, failure.error
        ws.response_posts.append(
            ResponsePost(
                url_id=url_id,
                channel=target.channel,
                user=target.user,
                message_ts=target.message_ts,
                payload=payload if isinstance(payload, dict) else {"raw": body.decode("utf-8", "replace")},
                status=status,
                error=error,
                at=time.monotonic(),
            )
        )
        return status, ({"ok": True} if error is None else {"ok": False, "error": error})
