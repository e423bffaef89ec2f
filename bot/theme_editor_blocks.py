"""Block Kit for reviewing a step's themes: the editor modal (one section per theme, with its menu, paged for big
steps) and the small forms behind each menu item, within Slack's limits for modals and menus."""

from __future__ import annotations

import json

from bot.blocks import Block, actions, button, context, section
from bot.text import escape, fit, truncate
from workflows.mapping.models import StepKey
from workflows.themes.editing import StepThemes, ThemeCard
from workflows.workshop.steps import STEPS

EDIT_THEMES = "edit_themes"  # the button on a closed step's summary and on the draft: value = step id
EDITOR_VIEW = "theme_editor"
THEME_MENU = "theme_edit_menu"  # the menu on each theme in the editor: value = "<operation>:<theme id>"
EDITOR_PAGE = "theme_editor_page"  # the editor's previous/next buttons: value = the page to show
REGROUP = "theme_regroup"  # the editor's "Group again…" button
RENAME_FORM, MERGE_FORM, MOVE_FORM, SPLIT_FORM, STAGE_FORM = (
    "theme_rename_form",
    "theme_merge_form",
    "theme_move_form",
    "theme_split_form",
    "theme_stage_form",
)
QUOTE_FORM, CHANNEL_FORM, REGROUP_FORM = "theme_quote_form", "theme_channel_form", "theme_regroup_form"
RETIRE_FORM = "theme_retire_form"
NEW_THEME, ASIDE = "new", "aside"  # the move form's other destinations: a new theme, or off the map

MAX_OPTIONS = 100  # a select menu's limit
THEMES_PER_PAGE = 40  # a page stays far under a modal's 100 blocks and its size limit
NOTES_SHOWN = 8  # per theme in the editor; the forms list them all (up to MAX_OPTIONS)
OPERATIONS = {
    "rename": "Rename",
    "merge": "Merge into another theme",
    "split": "Split: some notes to a new theme…",
    "move": "Move notes or set them aside…",
    "retire": "Retire: leave all its notes out…",
    "quote": "Mark customer quotes…",
    "stage": "Put on another stage…",
    "channel": "Name its channel…",
}


def editor_view(state: StepThemes, page: int = 0) -> dict:
    step = STEPS[state.key]
    lead = (
        "Rename, merge or split themes, move notes where they belong, mark customer quotes: the map is made from "
        "what you see here. A theme you edit keeps your edits when the step is grouped again."
        if state.may_edit
        else "Read only: the workshop's facilitator or the map's owner can change these themes."
    )
    blocks: list[Block] = [context(lead)]
    if state.may_edit and state.regroupable:
        waiting = f"{state.ungrouped} late notes are in no theme yet. " if state.ungrouped else ""
        blocks += [
            context(f"{waiting}*Group again* re-makes the themes you have not edited, in as many themes as you ask."),
            actions([button(REGROUP, "Group again…", str(state.step_id))]),
        ]
    pages = max(1, -(-len(state.themes) // THEMES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = state.themes[page * THEMES_PER_PAGE : (page + 1) * THEMES_PER_PAGE]
    blocks += [_theme_section(theme, state) for theme in shown]
    if pages > 1:
        turn = [button(EDITOR_PAGE, "◀ Previous", str(page - 1))] if page > 0 else []
        turn += [button(EDITOR_PAGE, "Next ▶", str(page + 1))] if page + 1 < pages else []
        blocks += [
            context(
                f"Themes {page * THEMES_PER_PAGE + 1}–{page * THEMES_PER_PAGE + len(shown)} of {len(state.themes)}"
            ),
            actions(turn),
        ]
    return {
        "type": "modal",
        "callback_id": EDITOR_VIEW,
        "title": _title(step.title),
        "close": {"type": "plain_text", "text": "Done"},
        "private_metadata": json.dumps({"step_id": state.step_id, "page": page}),
        "blocks": blocks,
    }


def _note_text(text: str) -> str:
    """A note as the editor lists it; one blanked after its map's retention period says so instead of nothing."""
    return fit(text, 140) if text.strip() else "_removed after the retention period_"


def _theme_section(theme: ThemeCard, state: StepThemes) -> Block:
    place = [fit(label, 60) for label in (theme.stage, theme.channel) if label]
    where = "".join(f" · _{label}_" for label in place)
    lines = [f"• {':speech_balloon: ' * note.quote}{_note_text(note.text)}" for note in theme.notes[:NOTES_SHOWN]]
    if len(theme.notes) > NOTES_SHOWN:
        lines.append(f"…and {len(theme.notes) - NOTES_SHOWN} more")
    block = section(f"*{fit(theme.title, 150)}*{where} · {len(theme.notes)} notes\n" + "\n".join(lines))
    if state.may_edit:
        block["accessory"] = {  # a select, not an overflow menu: those take five items at most
            "type": "static_select",
            "action_id": THEME_MENU,
            "placeholder": {"type": "plain_text", "text": "Edit…"},
            "options": [_option(label, f"{op}:{theme.id}") for op, label in OPERATIONS.items() if offered(op, state)],
        }
    return block


def offered(operation: str, state: StepThemes) -> bool:
    """Stages are for touchpoints and pain points, a channel for touchpoints only."""
    if operation == "stage":
        return bool(state.stages)
    if operation == "channel":
        return state.key is StepKey.touchpoints
    return True


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
    notes = _note_select(theme)
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


def split_form(state: StepThemes, theme: ThemeCard) -> dict:
    title = {"type": "plain_text_input", "action_id": "value", "max_length": 150}
    blocks = [
        _input("notes", f"Notes of “{truncate(theme.title, 40)}” for the new theme", _note_select(theme)),
        _input("title", "The new theme's title", title, optional=True),
        context("The other notes stay. Left empty, the title is taken from the first note."),
    ]
    return _form(SPLIT_FORM, "Split theme", state, theme, blocks)


def retire_form(state: StepThemes, theme: ThemeCard) -> dict:
    blocks = [
        section(
            f"*{fit(theme.title, 150)}* and its {len(theme.notes)} notes leave the map's themes. The notes are kept on "
            "the map's set-aside list, and a note can be moved back later from there."
        )
    ]
    view = _form(RETIRE_FORM, "Retire theme", state, theme, blocks)
    view["submit"]["text"] = "Retire"
    return view


def refused(form: dict, reason: str) -> dict:
    """A form without fields, answered with why nothing was done (Slack shows errors only under fields)."""
    keep = ("type", "callback_id", "title", "close", "private_metadata")
    return {key: form[key] for key in keep if key in form} | {"blocks": [section(f":no_entry: {escape(reason)}")]}


def quote_form(state: StepThemes, theme: ThemeCard) -> dict:
    select = _note_select(theme)
    marked = [_option(note.text, str(note.id)) for note in theme.notes[:MAX_OPTIONS] if note.quote]
    if marked:
        select["initial_options"] = marked
    blocks = [
        section(
            "Which of these notes are a customer's own words? The map shows them as quotes, whatever their wording."
        ),
        _input("notes", "Customer quotes", select, optional=True),
    ]
    return _form(QUOTE_FORM, "Customer quotes", state, theme, blocks)


def channel_form(state: StepThemes, theme: ThemeCard) -> dict:
    field = {"type": "plain_text_input", "action_id": "value", "max_length": 60}
    if theme.channel:
        field["initial_value"] = theme.channel
    blocks = [
        section(f"Where does the customer meet *{fit(theme.title, 150)}*: email, the app, the website, by phone?"),
        _input("channel", "Channel (empty: read it from the notes)", field, optional=True),
    ]
    return _form(CHANNEL_FORM, "Touchpoint channel", state, theme, blocks)


def regroup_form(state: StepThemes) -> dict:
    count = {"type": "number_input", "action_id": "value", "is_decimal_allowed": False, "min_value": "1"}
    kept = sum(1 for theme in state.themes if theme.kept)
    stays = f"The {kept} themes you edited stay as they are. " if kept else ""
    blocks = [
        section(f"{stays}All other notes are grouped again (late ones too); it takes a few seconds."),
        _input("count", f"How many themes? (now {len(state.themes)}; empty: as the notes call for)", count, True),
    ]
    view = _form(REGROUP_FORM, "Group again", state, None, blocks)
    view["submit"]["text"] = "Group again"
    return view


def on_page(form: dict, page: int) -> dict:
    """The form remembers the editor's page, so saving it brings the facilitator back where they were."""
    return {**form, "private_metadata": json.dumps({**json.loads(form["private_metadata"]), "page": page})}


def _note_select(theme: ThemeCard) -> dict:
    return {
        "type": "multi_static_select",
        "action_id": "value",
        "options": [_option(note.text, str(note.id)) for note in theme.notes[:MAX_OPTIONS]],
    }


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
    """Publish; or review a step's themes first (one button per step); or go back to a step for more notes."""
    back = {
        "type": "static_select",
        "action_id": BACK_TO_STEP,
        "placeholder": {"type": "plain_text", "text": "Back to a step…"},
        "options": [_option(title, str(step_id)) for title, step_id in steps],
    }
    return [
        actions([button(PUBLISH_DRAFT, "Publish", str(workshop_id), style="primary")]),
        context("Or review a step's themes first; the map is made again from them when you publish:"),
        actions([button(EDIT_THEMES, f"Edit {title}", str(step_id)) for title, step_id in steps]),
        context("Missing something? Go back to a step: its thread takes notes again, and a new draft follows."),
        actions([back]),
    ]


PUBLISH_DRAFT = "publish_draft"
BACK_TO_STEP = "back_to_step"  # the draft's menu: value = step id


def _form(callback_id: str, title: str, state: StepThemes, theme: ThemeCard | None, blocks: list[Block]) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _title(title),
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Back"},
        "private_metadata": json.dumps({"step_id": state.step_id, "theme_id": theme.id if theme else None}),
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
