"""Slack's cursor pagination: an opaque base64 cursor naming the first item of the next page."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import TypeVar

from journeybot.standin.params import ApiError

T = TypeVar("T")


def encode_cursor(kind: str, key: str) -> str:
    return base64.b64encode(f"{kind}:{key}".encode()).decode()


def paginate(
    items: Sequence[T], key: Callable[[T], str], *, cursor: str | None, limit: int, kind: str
) -> tuple[list[T], str]:
    """Returns one page and the next cursor ("" on the last page), failing on cursors Slack would reject."""
    start = 0
    if cursor:
        try:
            cursor_kind, _, wanted = base64.b64decode(cursor, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise ApiError("invalid_cursor") from None
        keys = [key(item) for item in items]
        if cursor_kind != kind or wanted not in keys:
            raise ApiError("invalid_cursor")
        start = keys.index(wanted)
    end = start + max(limit, 1)
    next_cursor = encode_cursor(kind, key(items[end])) if end < len(items) else ""
    return list(items[start:end]), next_cursor
