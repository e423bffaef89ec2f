"""canvases.create / canvases.edit, keeping each canvas as one markdown document."""

from __future__ import annotations

from typing import Any

from journeybot.standin.models import Canvas
from journeybot.standin.params import ApiError, Params
from journeybot.standin.workspace import Workspace


def _markdown(content: Any) -> str:
    if (
        not isinstance(content, dict)
        or content.get("type") != "markdown"
        or not isinstance(content.get("markdown"), str)
    ):
        raise ApiError("invalid_arguments", "[ERROR] document_content must be {type: markdown, markdown: ...}")
    return content["markdown"]


def create(ws: Workspace, params: Params) -> dict[str, Any]:
    content = params.decoded("document_content")
    channel_id = params.optional("channel_id")
    if channel_id:
        ws.require_bot_member(ws.channel(channel_id))
    canvas = Canvas(
        id=ws.ids.new("F"),
        title=params.optional("title") or "Untitled",
        markdown=_markdown(content) if content is not None else "",
        channel_id=channel_id,
    )
    ws.canvas_store[canvas.id] = canvas
    return {"canvas_id": canvas.id}


def edit(ws: Workspace, params: Params) -> dict[str, Any]:
    """Whole-document operations only: section edits need Slack's section ids, which are not modelled."""
    canvas = ws.canvas_store.get(params.text("canvas_id", missing="canvas_not_found"))
    if canvas is None:
        raise ApiError("canvas_not_found")
    changes = params.decoded("changes")
    if not isinstance(changes, list) or not changes:
        raise ApiError("invalid_arguments", "[ERROR] changes must be a non-empty JSON array")
    for change in changes:
        if not isinstance(change, dict):
            raise ApiError("invalid_arguments", "[ERROR] each change must be an object")
        if change.get("section_id"):
            raise ApiError("canvas_editing_failed", "[ERROR] the stand-in does not model canvas sections")
        operation = change.get("operation")
        if operation == "rename":
            canvas.title = _markdown(change.get("title_content"))
        elif operation == "replace":
            canvas.markdown = _markdown(change.get("document_content"))
        elif operation == "insert_at_start":
            canvas.markdown = _markdown(change.get("document_content")) + canvas.markdown
        elif operation == "insert_at_end":
            canvas.markdown += _markdown(change.get("document_content"))
        else:
            raise ApiError("invalid_arguments", f"[ERROR] unsupported operation: {operation}")
    return {}
