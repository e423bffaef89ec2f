"""What can go wrong in a workshop, said so the Slack layer can tell the user plainly."""

from __future__ import annotations


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


class NotAllowed(WorkshopError):
    def __init__(self, what: str, allowed_user_id: str) -> None:
        self.allowed_user_id = allowed_user_id
        super().__init__(f"Sorry, only the facilitator of this workshop can {what}.")
