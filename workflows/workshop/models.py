"""The states a workshop and its steps move through; `workflows.workshop.machine` checks every transition."""

from __future__ import annotations

from enum import StrEnum


class WorkshopState(StrEnum):
    open = "open"  # running: its steps open and close in turn
    published = "published"  # its map is out; a revision is a new workshop
    cancelled = "cancelled"


class StepState(StrEnum):
    pending = "pending"  # its question is not posted yet
    open = "open"  # taking replies
    closing = "closing"  # its themes are being made
    closed = "closed"


class PublishMode(StrEnum):
    review = "review"  # the facilitator gets a draft and publishes it
    auto = "auto"  # the map goes to the channel as soon as the last step closes
