"""What can go wrong in a workshop, said so the Slack layer can tell the user plainly."""

from __future__ import annotations

from collections.abc import Iterable


class WorkshopError(Exception):
    """A user-facing refusal; the message is plain text, safe to show as it is."""


class NoWorkshop(WorkshopError):
    def __init__(self) -> None:
        super().__init__("There is no workshop running in this channel. Start one with `/journey start <objective>`.")


class WorkshopAlreadyOpen(WorkshopError):
    def __init__(self, workshop_id: int, facilitator_id: str) -> None:
        self.workshop_id = workshop_id
        self.facilitator_id = facilitator_id
        super().__init__(
            f"A workshop (#{workshop_id}) is already running in this channel. "
            "Finish it with `/journey next` or stop it with `/journey cancel` before starting another."
        )


class DraftWaiting(WorkshopError):
    def __init__(self) -> None:
        super().__init__(
            "Every step has closed: the map's draft is in your direct messages. Press *Publish* there, or run "
            "`/journey publish`, once its themes look right."
        )


class NotAllowed(WorkshopError):
    def __init__(self, who: str, what: str) -> None:
        super().__init__(f"Sorry, only {who} can {what}.")


def require_one_of(user_id: str, allowed: Iterable[str | None], who: str, what: str) -> None:
    """The one permission check: `user_id` must be one of `allowed`, who are described to a refused user as
    `who` ("the facilitator of this workshop")."""
    if user_id not in {person for person in allowed if person}:
        raise NotAllowed(who, what)
