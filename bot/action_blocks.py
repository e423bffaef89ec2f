"""Action items as Block Kit: the card with the owner's buttons (DMs, reminders, App Home), lists and modals."""

from __future__ import annotations

import json
from datetime import date

from bot.blocks import Block, action_line, actions, button, context, section
from bot.text import fit, truncate
from workflows.mapping.models import LIVE_STATUSES, ActionItem
from workflows.ports import ActionEntry

# action_id of each button; the value is the action's public id (`A12`).
DONE, IN_PROGRESS, SNOOZE, REASSIGN = "action_done", "action_in_progress", "action_snooze", "action_reassign"
BUTTONS = ((DONE, "Done", "primary"), (IN_PROGRESS, "In progress", None), (SNOOZE, "Snooze a week", None))
# callback_id of the message shortcut (app.yaml) and of the modals it and the Reassign button open
SHORTCUT_CALLBACK, ADD_CALLBACK, REASSIGN_CALLBACK = "add_action_shortcut", "add_action", "reassign_action"
MAX_LISTED = 40  # an ephemeral answer holds 50 blocks
TITLE_LIMIT = 3_000  # plain_text_input's longest value


def action_buttons(action_id: str) -> Block:
    elements = [button(name, label, action_id, style) for name, label, style in BUTTONS]
    elements.append(button(REASSIGN, "Reassign", action_id))
    return actions(elements) | {"block_id": f"action:{action_id}"}


def is_overdue(action: ActionItem, today: date) -> bool:
    return action.due is not None and action.due < today and action.status in LIVE_STATUSES


def _line(action: ActionItem, today: date, channel_id: str | None) -> str:
    overdue = ":rotating_light: *overdue* · " if is_overdue(action, today) else ""
    return overdue + action_line(action, {}) + (f" · in <#{channel_id}>" if channel_id else "")


def action_card(
    action: ActionItem,
    today: date,
    lead: str | None = None,
    buttons: bool = True,
    channel_id: str | None = None,
) -> list[Block]:
    """`lead` is the bot's own sentence above the card (already Slack-safe); the action's text is escaped here."""
    line = _line(action, today, channel_id)
    cards = [section(f"{lead}\n{line}" if lead else line)]
    if buttons and action.status in LIVE_STATUSES:
        cards.append(action_buttons(action.id))
    return cards


def action_list(title: str, entries: list[ActionEntry], today: date) -> list[Block]:
    """`/journey actions`: one line per action with status, owner, due date and an overdue marker."""
    if not entries:
        return [section(f"*{title}*: none.")]
    listed = [section(_line(e.action, today, e.channel_id)) for e in entries[:MAX_LISTED]]
    more = [context(f"…and {len(entries) - MAX_LISTED} more.")] if len(entries) > MAX_LISTED else []
    return [section(f"*{title}* ({len(entries)})"), *listed, *more]


def _modal(callback_id: str, title: str, blocks: list[Block], metadata: str, submit: str | None) -> dict:
    view = {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": title},
        "close": {"type": "plain_text", "text": "Cancel" if submit else "Close"},
        "blocks": blocks,
    }
    return view | ({"submit": {"type": "plain_text", "text": submit}} if submit else {})


def _owner_input(label: str, initial: str | None, optional: bool) -> Block:
    element = {"type": "users_select", "action_id": "value", "placeholder": {"type": "plain_text", "text": "Someone"}}
    return {
        "type": "input",
        "block_id": "owner",
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": element | ({"initial_user": initial} if initial else {}),
    }


def reassign_modal(action: ActionItem, origin: dict[str, str]) -> dict:
    """`origin` (the clicked message's channel and ts, if any) comes back with the submission to update it."""
    metadata = json.dumps({"action": action.id, **origin})
    return _modal(
        REASSIGN_CALLBACK,
        "Reassign action",
        [section(f"`{action.id}` {fit(action.title, 500)}"), _owner_input("New owner", action.owner, optional=False)],
        metadata,
        "Reassign",
    )


def add_action_modal(channel_id: str, title: str, owner: str | None, due: date | None) -> dict:
    """The message shortcut's form: the message (decoded to plain text) as the title, an owner, a due date."""
    title_input = {"type": "plain_text_input", "action_id": "value", "multiline": True, "max_length": TITLE_LIMIT}
    due_input = {"type": "datepicker", "action_id": "value"} | ({"initial_date": due.isoformat()} if due else {})
    return _modal(
        ADD_CALLBACK,
        "Add action to the map",
        [
            {
                "type": "input",
                "block_id": "title",
                "label": {"type": "plain_text", "text": "Action"},
                "element": title_input | ({"initial_value": truncate(title, TITLE_LIMIT)} if title.strip() else {}),
            },
            _owner_input("Owner", owner, optional=True),
            {
                "type": "input",
                "block_id": "due",
                "optional": True,
                "label": {"type": "plain_text", "text": "Due date"},
                "element": due_input,
            },
            context(f"It joins the latest journey map published in <#{channel_id}>; its owner gets a message."),
        ],
        channel_id,
        "Add action",
    )


def no_map_modal(reason: str, text: str) -> dict:
    """Instead of the form when the channel has no map: says why, and shows the message so nothing is lost."""
    quoted = "> " + fit(text, 2_500).replace("\n", "\n> ") if text.strip() else ""
    blocks = [section(reason)] + ([section(f"The message, to keep:\n{quoted}")] if quoted else [])
    return _modal(SHORTCUT_CALLBACK, "No journey map yet", blocks, "", None)
