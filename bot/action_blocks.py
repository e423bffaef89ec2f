"""An action item as Block Kit: one card, with the owner's buttons, used in DMs, reminders and App Home."""

from __future__ import annotations

from datetime import date

from bot.blocks import Block, action_line, section
from workflows.journey_map import ActionItem

# action_id of each button; the value is the action's public id (`A12`).
DONE, IN_PROGRESS, SNOOZE, REASSIGN = "action_done", "action_in_progress", "action_snooze", "action_reassign"
BUTTONS = ((DONE, "Done", "primary"), (IN_PROGRESS, "In progress", None), (SNOOZE, "Snooze a week", None))


def action_buttons(action_id: str) -> Block:
    elements = [
        {"type": "button", "action_id": name, "text": {"type": "plain_text", "text": label}, "value": action_id}
        | ({"style": style} if style else {})
        for name, label, style in BUTTONS
    ]
    elements.append(
        {
            "type": "button",
            "action_id": REASSIGN,
            "text": {"type": "plain_text", "text": "Reassign"},
            "value": action_id,
        }
    )
    return {"type": "actions", "block_id": f"action:{action_id}", "elements": elements}


def action_card(action: ActionItem, today: date, lead: str | None = None, buttons: bool = True) -> list[Block]:
    """`lead` is the bot's own sentence above the card (already Slack-safe); the action's text is escaped here."""
    overdue = action.due is not None and action.due < today and action.status.value in ("open", "in_progress")
    line = (":rotating_light: *overdue* · " if overdue else "") + action_line(action, {})
    cards = [section(f"{lead}\n{line}" if lead else line)]
    if buttons and action.status.value in ("open", "in_progress"):
        cards.append(action_buttons(action.id))
    return cards
