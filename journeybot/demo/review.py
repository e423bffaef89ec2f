"""The facilitator's review of the draft in the demo: read it, fix one note's theme in the step's editor, publish."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from bot.theme_editor_blocks import EDIT_THEMES, NEW_THEME, PUBLISH_DRAFT, THEME_MENU
from journeybot.demo.errors import DemoError
from journeybot.demo.script import ReviewMove
from workflows.workshop.steps import STEPS

if TYPE_CHECKING:  # the driver imports this module
    from journeybot.demo.driver import SlackDriver


def review_and_publish(driver: SlackDriver, facilitator: str, move: ReviewMove | None) -> str:
    """The facilitator reads the draft the bot sent them, fixes one note's theme in the step's editor, and
    presses Publish; returns what the review changed, for the demo's account."""
    dm = driver.standin.open_dm(facilitator).id
    draft = next((m for m in reversed(driver.standin.messages(dm)) if _button(m, PUBLISH_DRAFT) is not None), None)
    if draft is None:
        raise DemoError("the bot never sent the facilitator the map's draft")
    changed = "no change"
    if move is not None:
        changed = _move_note(driver, facilitator, dm, draft, move)
    publish = _button(draft, PUBLISH_DRAFT) or {}
    driver.sender.block_action(
        facilitator, PUBLISH_DRAFT, value=publish["value"], channel_id=dm, message_ts=draft["ts"]
    )
    driver.settle()
    return changed


def _move_note(driver: SlackDriver, facilitator: str, dm: str, draft: dict, move: ReviewMove) -> str:
    step_title = STEPS[move.step].title
    review = next((b for b in _buttons(draft, EDIT_THEMES) if b["text"]["text"] == f"Edit {step_title}"), None)
    if review is None:
        raise DemoError(f"the draft has no review button for {step_title}")
    driver.sender.block_action(facilitator, EDIT_THEMES, value=review["value"], channel_id=dm, message_ts=draft["ts"])
    driver.settle()
    editor = driver.standin.modal_stack(facilitator)[-1]
    themes = _editor_themes(editor)
    source = next((t for t, text in themes.items() if move.note in text), None)
    target = next((t for t, text in themes.items() if move.to in text), None)
    if source is None:
        raise DemoError(f"no theme of {step_title} holds the note “{move.note}”")
    driver.sender.block_action(
        facilitator, THEME_MENU, view_id=editor["id"], selected_option={"value": f"move:{source}"}
    )
    driver.settle()
    form = driver.standin.modal_stack(facilitator)[-1]
    options = next(b for b in form["blocks"] if b.get("block_id") == "notes")["element"]["options"]
    note = next(o for o in options if o["text"]["text"].startswith(move.note[:60]))
    to = NEW_THEME if target in (None, source) else target
    values = {
        "notes": {"value": {"type": "multi_static_select", "selected_options": [note]}},
        "to": {"value": {"type": "static_select", "selected_option": {"value": to}}},
        "title": {"value": {"type": "plain_text_input", "value": None}},
    }
    driver.sender.view_submission(form["id"], facilitator, values)
    driver.settle()
    where = "a theme of its own" if to == NEW_THEME else "the theme it belongs with"
    return f"moved “{move.note}” in {step_title} to {where}"


def _editor_themes(editor: dict) -> dict[str, str]:
    """Each theme's id (from its menu) and its section's text, in the editor modal."""
    found = {}
    for block in editor["blocks"]:
        menu = block.get("accessory") or {}
        if menu.get("action_id") == THEME_MENU:
            found[menu["options"][0]["value"].partition(":")[2]] = html.unescape(block["text"]["text"])
    return found


def _buttons(message: dict, action_id: str) -> list[dict]:
    return [
        element
        for block in message.get("blocks", [])
        for element in block.get("elements", []) + [block.get("accessory") or {}]
        if element.get("action_id") == action_id
    ]


def _button(message: dict, action_id: str) -> dict | None:
    found = _buttons(message, action_id)
    return found[0] if found else None
