"""views.* methods, plus what Slack does with a view_submission's ack (close, update, push, clear)."""

from __future__ import annotations

import json
import secrets
from typing import Any

from journeybot.standin.limits import check_view
from journeybot.standin.params import ApiError, Params
from journeybot.standin.workspace import Workspace

MAX_MODAL_STACK = 3
_COPIED = ("title", "submit", "close", "submit_disabled")


def _view_param(params: Params, *, kind: str) -> dict[str, Any]:
    view = check_view(params.decoded("view"))
    if view["type"] != kind:
        raise ApiError("invalid_arguments", f"[ERROR] view.type must be {kind} [json-pointer:/view/type]")
    return view


def _store(
    ws: Workspace, view: dict[str, Any], *, view_id: str | None = None, previous: str | None = None
) -> dict[str, Any]:
    """Keeps the view as Slack returns it (ids, hash, state, app); an update keeps id, root and state."""
    old = ws.view_store.get(view_id or "", {})
    external_id = view.get("external_id", "")
    if external_id and any(v["external_id"] == external_id and v["id"] != view_id for v in ws.view_store.values()):
        raise ApiError("duplicate_external_id")
    view_id = view_id or ws.ids.new("V")
    stored = {
        "id": view_id,
        "team_id": ws.identity.team_id,
        "type": view["type"],
        "blocks": view.get("blocks", []),
        "private_metadata": view.get("private_metadata", ""),
        "callback_id": view.get("callback_id", ""),
        "external_id": external_id,
        "state": old.get("state", {"values": {}}),
        "hash": f"{ws.clock.seconds()}.{secrets.token_hex(4)}",
        "clear_on_close": bool(view.get("clear_on_close", False)),
        "notify_on_close": bool(view.get("notify_on_close", False)),
        "root_view_id": old.get("root_view_id", view_id),
        "previous_view_id": old.get("previous_view_id", previous),
        "app_id": ws.identity.app_id,
        "app_installed_team_id": ws.identity.team_id,
        "bot_id": ws.identity.bot_id,
        **{key: view[key] for key in _COPIED if key in view},
    }
    if previous:
        stored["root_view_id"] = ws.view_store[previous]["root_view_id"]
    ws.view_store[view_id] = stored
    return stored


def open_view(ws: Workspace, params: Params) -> dict[str, Any]:
    user = ws.trigger_user(params.text("trigger_id", missing="invalid_trigger_id"))
    stored = _store(ws, _view_param(params, kind="modal"))
    ws.modal_stacks[user] = [stored["id"]]
    return {"view": stored}


def push(ws: Workspace, params: Params) -> dict[str, Any]:
    user = ws.trigger_user(params.text("trigger_id", missing="invalid_trigger_id"))
    stack = ws.modal_stacks.get(user)
    if not stack:
        raise ApiError("invalid_arguments", "[ERROR] views.push needs an open modal")
    if len(stack) >= MAX_MODAL_STACK:
        raise ApiError("push_limit_reached")
    stored = _store(ws, _view_param(params, kind="modal"), previous=stack[-1])
    stack.append(stored["id"])
    return {"view": stored}


def update(ws: Workspace, params: Params) -> dict[str, Any]:
    view_id = params.optional("view_id")
    external_id = params.optional("external_id")
    found = [
        v for v in ws.view_store.values() if v["id"] == view_id or (external_id and v["external_id"] == external_id)
    ]
    if not found:
        raise ApiError("not_found")
    current = found[0]
    expected_hash = params.optional("hash")
    if expected_hash and expected_hash != current["hash"]:
        raise ApiError("hash_conflict")
    return {"view": _store(ws, _view_param(params, kind=current["type"]), view_id=current["id"])}


def publish(ws: Workspace, params: Params) -> dict[str, Any]:
    user = ws.user(params.text("user_id", missing="user_not_found"))
    current_id = ws.home_tabs.get(user.id)
    expected_hash = params.optional("hash")
    if current_id and expected_hash and expected_hash != ws.view_store[current_id]["hash"]:
        raise ApiError("hash_conflict")
    stored = _store(ws, _view_param(params, kind="home"), view_id=current_id)
    ws.home_tabs[user.id] = stored["id"]
    return {"view": stored}


def after_submission(ws: Workspace, user: str, view_id: str, status: int, body: str) -> None:
    """Slack reads the ack of a view_submission: empty closes the view, response_action says otherwise;
    a failed or unreadable ack leaves the modal open (Slack shows the person an error)."""
    try:
        answer = json.loads(body) if body.strip() else {}
    except json.JSONDecodeError:
        return
    if status != 200 or not isinstance(answer, dict):
        return
    with ws.lock:
        stack = ws.modal_stacks.get(user, [])
        action = answer.get("response_action")
        if action == "clear":
            stack.clear()
        elif action in ("update", "push"):
            view = check_view(answer.get("view"))
            if action == "update":
                _store(ws, view, view_id=view_id)
            elif len(stack) < MAX_MODAL_STACK:
                stack.append(_store(ws, view, previous=view_id)["id"])
        elif action != "errors" and view_id in stack:
            del stack[stack.index(view_id) :]
