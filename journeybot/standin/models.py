"""Records the stand-in keeps, for tests and the demo to inspect after the fact."""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, Field, computed_field


class Call(BaseModel):
    """One Web API call as the bot made it; the token is never part of params."""

    method: str
    params: dict[str, Any]
    response: dict[str, Any]
    status: int = 200
    at: float  # time.monotonic() when answered
    team_id: str | None = None  # the workspace whose token made it (None: no valid token)


class StoredFile(BaseModel):
    id: str
    name: str
    title: str
    length: int  # as declared to files.getUploadURLExternal
    content: bytes = b""
    uploaded: bool = False
    completed: bool = False
    channels: list[str] = Field(default_factory=list)
    thread_ts: str | None = None
    initial_comment: str | None = None
    alt_txt: str | None = None
    snippet_type: str | None = None
    user: str
    created: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def channel(self) -> str | None:
        """The first channel the file was shared in (most uploads go to exactly one)."""
        return self.channels[0] if self.channels else None


class Canvas(BaseModel):
    id: str
    title: str
    markdown: str
    channel_id: str | None = None


class ResponseTarget(BaseModel):
    """What a response_url is bound to: the command's channel and user, or the message an action came from."""

    channel: str
    user: str
    message_ts: str | None = None
    uses: int = 0
    issued_at: float = Field(default_factory=time.time)


class ResponsePost(BaseModel):
    """A POST to a response_url, as Bolt's respond() makes it."""

    url_id: str
    channel: str
    user: str
    message_ts: str | None = None
    payload: dict[str, Any]
    status: int
    error: str | None = None
    at: float


class Delivery(BaseModel):
    """One event the stand-in echoed to the bot and how the bot's endpoint answered."""

    event: dict[str, Any]
    status: int | None = None
    body: str = ""
    error: str | None = None
