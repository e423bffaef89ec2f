"""Request parameters and error answers, shared by every Web API method handler."""

from __future__ import annotations

import json
from typing import Any


class ApiError(Exception):
    """A Slack error answer; Slack adds human-readable detail in response_metadata.messages."""

    def __init__(self, error: str, *messages: str) -> None:
        super().__init__(error)
        self.error = error
        self.messages = list(messages)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


class Params:
    """Slack takes both form and JSON bodies, so values may be strings ("true", "10", '[{...}]') or native."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def has(self, name: str) -> bool:
        return name in self.values

    def optional(self, name: str) -> str | None:
        value = self.values.get(name)
        return None if value in (None, "") else str(value)

    def text(self, name: str, *, missing: str = "invalid_arguments") -> str:
        value = self.optional(name)
        if value is None:
            raise ApiError(missing, f"[ERROR] missing required field: {name}")
        return value

    def integer(self, name: str, default: int) -> int:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ApiError("invalid_arguments", f"[ERROR] {name} must be an integer") from None

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("1", "true")

    def decoded(self, name: str, *, invalid: str = "invalid_arguments") -> Any:
        """JSON-typed fields arrive as native values in JSON bodies and as JSON strings in form bodies."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise ApiError(invalid, f"[ERROR] {name} is not valid JSON") from None
