"""Slack's message and view limits, answered with Slack's error codes, so the bot's bugs show in tests."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from journeybot.standin.params import ApiError, Params

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3_000
MAX_SECTION_FIELD = 2_000
MAX_HEADER_TEXT = 150
MAX_BLOCK_TEXT = 12_000  # observed threshold of msg_blocks_too_long
MAX_TEXT = 40_000  # longer text is truncated, not refused
_TEXT_OBJECTS = ("plain_text", "mrkdwn")


def _invalid(reason: str, pointer: str) -> ApiError:
    return ApiError("invalid_blocks", f"[ERROR] {reason} [json-pointer:{pointer}]")


def _texts(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from _texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)


def _check_text_object(obj: Any, limit: int, pointer: str) -> None:
    if not isinstance(obj, dict) or obj.get("type") not in _TEXT_OBJECTS or not isinstance(obj.get("text"), str):
        raise _invalid("expected a text object", pointer)
    if not obj["text"]:
        raise _invalid("must be more than 0 characters", f"{pointer}/text")
    if len(obj["text"]) > limit:
        raise _invalid(f"must be less than {limit + 1} characters", f"{pointer}/text")


def _check_block(block: Any, pointer: str) -> None:
    if not isinstance(block, dict) or not isinstance(block.get("type"), str):
        raise _invalid("missing required field: type", pointer)
    if block["type"] == "section":
        if "text" in block:
            _check_text_object(block["text"], MAX_SECTION_TEXT, f"{pointer}/text")
        for index, field in enumerate(block.get("fields") or []):
            _check_text_object(field, MAX_SECTION_FIELD, f"{pointer}/fields/{index}")
    if block["type"] == "header":
        _check_text_object(block.get("text"), MAX_HEADER_TEXT, f"{pointer}/text")
    try:
        parsed = Block.parse(block)
        if parsed is None:
            raise ValueError(f"unsupported type: {block['type']}")
        parsed.validate_json()
    except Exception as error:  # slack_sdk raises several types; Slack answers all of them the same way
        raise _invalid(str(error), pointer) from None


def check_blocks(blocks: Any, *, max_blocks: int, pointer: str = "/blocks") -> list[dict[str, Any]]:
    if not isinstance(blocks, list):
        raise ApiError("invalid_blocks_format", "[ERROR] blocks must be a JSON array")
    if len(blocks) > max_blocks:
        raise _invalid(f"must be less than {max_blocks + 1} items", pointer)
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        _check_block(block, f"{pointer}/{index}")
        block_id = block.get("block_id")
        if block_id in block_ids:
            raise _invalid(f"duplicate block_id: {block_id}", f"{pointer}/{index}/block_id")
        if block_id:
            block_ids.add(block_id)
    return blocks


def message_content(params: Params, *, required: bool = True) -> dict[str, Any]:
    """text/blocks/attachments of chat.* calls, checked and normalised as Slack stores them: text over the
    limit truncated, a block_id on every block."""
    content: dict[str, Any] = {}
    if params.has("text"):
        content["text"] = str(params.values["text"] or "")[:MAX_TEXT]
    blocks = params.decoded("blocks", invalid="invalid_blocks_format")
    if blocks is not None:
        check_blocks(blocks, max_blocks=MAX_MESSAGE_BLOCKS)
        if sum(len(text) for text in _texts(blocks)) > MAX_BLOCK_TEXT:
            raise ApiError("msg_blocks_too_long")
        # Slack gives every block a block_id; actions on the message report it
        content["blocks"] = [{"block_id": secrets.token_urlsafe(3), **block} for block in blocks]
    attachments = params.decoded("attachments", invalid="invalid_attachments")
    if attachments is not None:
        if not isinstance(attachments, list):
            raise ApiError("invalid_attachments")
        content["attachments"] = attachments
    if required and not (content.get("text") or content.get("blocks") or content.get("attachments")):
        raise ApiError("no_text")
    return content


def check_view(view: Any) -> dict[str, Any]:
    """views.* refuse what Block Kit refuses; Slack answers invalid_arguments with the reason attached."""
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        raise ApiError("invalid_arguments", "[ERROR] view.type must be modal or home [json-pointer:/view/type]")
    try:
        check_blocks(view.get("blocks", []), max_blocks=MAX_VIEW_BLOCKS, pointer="/view/blocks")
        View(**view).validate_json()
    except ApiError as error:
        raise ApiError("invalid_arguments", *error.messages) from None
    except Exception as error:
        raise ApiError("invalid_arguments", f"[ERROR] {error} [json-pointer:/view]") from None
    return view
