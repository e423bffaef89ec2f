"""Block Kit for reviewing a step's themes: the editor modal (one section per theme, with its menu) and the small
forms behind each menu item (rename, merge, move notes), within Slack's limits for modals and menus."""

from __future__ import annotations

import json

from bot.blocks import Block, actions, button, context, section
from bot.text import fit, truncate
from workflows.themes.editing import StepThemes, ThemeCard
from workflows.workshop.steps import STEPS

EDIT_THEMES = "edit_themes"  # the button on a closed step's summary and on the draft: value = step id
EDITOR_VIEW = "theme_editor"
THEME_MENU = "theme_edit_menu"  # the overflow on each theme in the editor: value = "<operation>:<theme id>"
RENAME_FORM, MERGE_FORM, MOVE_FORM, STAGE_FORM = (
    "theme_rename_form",
    "theme_merge_form",
    "theme_move_form",
    "theme_stage_form",
)
NEW_THEME, ASIDE = "new", "aside"  # the move form's other destinations: a new theme, or off the map

MAX_BLOCKS = 100  # a modal's limit
MAX_OPTIONS = 100  # a select menu's limit
NOTES_SHOWN = 8  # per theme in the editor; the move form lists them all (up to MAX_OPTIONS)
OPERATIONS = {
    "rename": "Rename",
    "merge": "Merge into another theme",
    "move": "Move notes…",
    "stage": "Put on another stage…",
}


def editor_view(state: StepThemes) -> dict:
    step = STEPS[state.key]
    lead = (
        "Rename a theme, merge two, or move notes where they belong: the map is made from what you see here."
        if state.may_edit
        else "Read only: the workshop's facilitator or the map's owner can change these themes."
    )
    blocks: list[Block] = [context(lead)]
    room = MAX_BLOCKS - 2
    for theme in state.themes[:room]:
        blocks.append(_theme_section(theme, state.may_edit, bool(state.stages)))
    if len(state.themes) > room:
        blocks.append(context(f"…and {len(state.themes) - room} more themes, as listed in the step's thread."))
    return {
        "type": "modal",
        "callback_id": EDITOR_VIEW,
        "title": _title(step.title),
        "close": {"type": "plain_text", "text": "Done"},
        "private_metadata": json.dumps({"step_id": state.step_id}),
        "blocks": blocks,
    }


def _theme_section(theme: ThemeCard, editable: bool, staged: bool) -> Block:
    stage = f" · _{fit(theme.stage, 60)}_" if theme.stage else ""
    lines = [f"• {fit(note.text, 140)}" for note in theme.notes[:NOTES_SHOWN]]
    if len(theme.notes) > NOTES_SHOWN:
        lines.append(f"…and {len(theme.notes) - NOTES_SHOWN} more")
    block = section(f"*{fit(theme.title, 150)}*{stage} · {len(theme.notes)} notes\n" + "\n".join(lines))
    if editable:
        block["accessory"] = {
            "type": "overflow",
            "action_id": THEME_MENU,
            "options": [
                _option(label, f"{op}:{theme.id}") for op, label in OPERATIONS.items() if staged or op != "stage"
            ],
        }
    return block


def rename_form(state: StepThemes, theme: ThemeCard) -> dict:
    field = {
        "type": "plain_text_input",
        "action_id": "value",
        "initial_value": theme.title[:150],
        "max_length": 150,
    }
    return _form(RENAME_FORM, "Rename theme", state, theme, [_input("title", "New title", field)])


def merge_form(state: StepThemes, theme: ThemeCard) -> dict:
    others = [t for t in state.themes if t.id != theme.id][:MAX_OPTIONS]
    select = {"type": "static_select", "action_id": "value", "options": [_option(t.title, str(t.id)) for t in others]}
    blocks = [
        section(
            f"All {len(theme.notes)} notes of *{fit(theme.title, 150)}* join the theme you pick, which keeps its title."
        ),
        _input("into", "Merge into", select),
    ]
    return _form(MERGE_FORM, "Merge theme", state, theme, blocks)


def move_form(state: StepThemes, theme: ThemeCard) -> dict:
    notes = {
        "type": "multi_static_select",
        "action_id": "value",
        "options": [_option(note.text, str(note.id)) for note in theme.notes[:MAX_OPTIONS]],
    }
    elsewhere = [_option("A new theme", NEW_THEME), _option("Not a note: keep it off the map", ASIDE)]
    targets = elsewhere + [_option(t.title, str(t.id)) for t in state.themes if t.id != theme.id][: MAX_OPTIONS - 2]
    target = {"type": "static_select", "action_id": "value", "options": targets}
    title = {"type": "plain_text_input", "action_id": "value", "max_length": 150}
    blocks = [
        _input("notes", f"Notes of “{truncate(theme.title, 40)}” to move", notes),
        _input("to", "Move them to", target),
        _input("title", "Title, for a new theme", title, optional=True),
    ]
    return _form(MOVE_FORM, "Move notes", state, theme, blocks)


def stage_form(state: StepThemes, theme: ThemeCard) -> dict:
    select = {
        "type": "static_select",
        "action_id": "value",
        "options": [_option(stage, stage) for stage in state.stages[:MAX_OPTIONS]],
    }
    now = f"It is on *{fit(theme.stage, 60)}* now." if theme.stage else "It is on no stage yet."
    blocks = [
        section(f"Where on the journey does *{fit(theme.title, 150)}* happen? {now}"),
        _input("stage", "Stage", select),
    ]
    return _form(STAGE_FORM, "Put on a stage", state, theme, blocks)


def draft_buttons(workshop_id: int, steps: list[tuple[str, int]]) -> list[Block]:
    """Publish, or review a step's themes first (one button per step)."""
    return [
        actions([button(PUBLISH_DRAFT, "Publish", str(workshop_id), style="primary")]),
        context("Or review a step's themes first; the map is made again from them when you publish:"),
        actions([button(EDIT_THEMES, f"Edit {title}", str(step_id)) for title, step_id in steps]),
    ]


PUBLISH_DRAFT = "publish_draft"


def _form(callback_id: str, title: str, state: StepThemes, theme: ThemeCard, blocks: list[Block]) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _title(title),
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Back"},
        "private_metadata": json.dumps({"step_id": state.step_id, "theme_id": theme.id}),
        "blocks": blocks,
    }


def _input(block_id: str, label: str, element: dict, optional: bool = False) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": element,
        "optional": optional,
    }


def _option(text: str, value: str) -> dict:
    return {"text": {"type": "plain_text", "text": truncate(text, 75)}, "value": value}


def _title(text: str) -> dict:
    return {"type": "plain_text", "text": truncate(text, 24)}
