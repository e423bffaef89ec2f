"""The facilitator's review: the map waits as a private draft until they publish it, and a closed step's themes
can be renamed, merged and re-sorted from Slack; the thread follows in place and the published map shows it."""

from __future__ import annotations

import json

from slack_sdk.models.views import View
from sqlalchemy import func, select

from bot.theme_editor_blocks import (
    BACK_TO_STEP,
    EDIT_THEMES,
    EDITOR_PAGE,
    MAX_OPTIONS,
    NEW_THEME,
    PUBLISH_DRAFT,
    REGROUP,
    THEME_MENU,
    channel_form,
    editor_view,
    merge_form,
    move_form,
    quote_form,
    regroup_form,
    split_form,
)
from storage.models import ThemeEdit
from tests.conftest import ANA, BEN, CHO, FACILITATOR
from tests.workshop_play import STEP_REPLIES, play_steps, published_map, run_workshop
from workflows.mapping.models import StepKey
from workflows.render.grid import map_grid
from workflows.themes.editing import NoteCard, StepThemes, ThemeCard
from workflows.workshop.steps import STEPS

MAX_BLOCKS = 100  # Slack's limit for a modal


def _summaries(slack) -> list[dict]:
    return [m for m in slack.standin.messages(slack.channel_id) if m.get("text", "").startswith("Journey map:")]


def _draft(slack) -> dict:
    dm = slack.standin.open_dm(FACILITATOR).id
    (draft,) = [m for m in slack.standin.messages(dm) if PUBLISH_DRAFT in json.dumps(m.get("blocks"))]
    return draft


def _close_action_plan(slack) -> None:
    for user, text in STEP_REPLIES[StepKey.action_plan]:
        slack.reply(slack.step_ts(StepKey.action_plan), user, text)
    slack.settle()
    slack.command("next", FACILITATOR)


def _review(slack, user: str, step: StepKey) -> dict:
    """`user` presses "Review themes" on the step's summary in the channel; returns the modal they see."""
    (closed,) = [m for m in slack.standin.messages(slack.channel_id) if m.get("text") == f"{STEPS[step].title} closed"]
    _click(slack, user, EDIT_THEMES, slack.channel_id, closed)
    return slack.standin.modal_stack(user)[-1]


def _click(slack, user: str, action_id: str, channel: str, message: dict) -> None:
    """`user` presses the button `action_id` on `message`."""
    (value,) = [
        element["value"]
        for block in message["blocks"]
        for element in [*block.get("elements", []), block.get("accessory") or {}]
        if element.get("action_id") == action_id
    ]
    slack.sender.block_action(user, action_id, value=value, channel_id=channel, message_ts=message["ts"])
    slack.settle()


def _themes_in(editor: dict) -> dict[int, str]:
    return {
        int(block["accessory"]["options"][0]["value"].partition(":")[2]): block["text"]["text"]
        for block in editor["blocks"]
        if (block.get("accessory") or {}).get("action_id") == THEME_MENU
    }


def _open_form(slack, editor: dict, operation: str, theme_id: int) -> dict:
    chosen = {"value": f"{operation}:{theme_id}"}
    slack.sender.block_action(FACILITATOR, THEME_MENU, view_id=editor["id"], selected_option=chosen)
    slack.settle()
    return slack.standin.modal_stack(FACILITATOR)[-1]


def _submit(slack, form: dict, values: dict) -> None:
    slack.sender.view_submission(form["id"], FACILITATOR, values)
    slack.settle()


def test_the_map_waits_as_a_private_draft_until_the_facilitator_publishes_it(slack):
    run_workshop(slack, until=StepKey.pain_points, review=True)
    _close_action_plan(slack)

    assert _summaries(slack) == [], "nothing reaches the channel before the facilitator publishes"
    draft = _draft(slack)
    assert "Publish" in json.dumps(draft["blocks"]) and "Edit Touchpoints" in json.dumps(draft["blocks"])
    assert [f.name for f in slack.standin.files] == ["draft-journey-map.png"]
    assert "direct messages" in slack.command("next", FACILITATOR).body

    dm = slack.standin.open_dm(FACILITATOR).id
    _click(slack, BEN, PUBLISH_DRAFT, dm, draft)
    assert _summaries(slack) == [], "a participant's click publishes nothing"

    _click(slack, FACILITATOR, PUBLISH_DRAFT, dm, draft)
    _click(slack, FACILITATOR, PUBLISH_DRAFT, dm, draft)
    assert len(_summaries(slack)) == 1, "published once, however often Publish is pressed"
    assert published_map(slack).steps[StepKey.action_plan]


def test_publish_auto_sends_the_map_when_the_last_step_closes(slack):
    slack.command("start Why do trials stall? --publish auto", FACILITATOR)
    for step in StepKey:
        slack.reply(slack.step_ts(step), ANA, STEP_REPLIES[step][0][1])
        slack.settle()
        slack.command("next", FACILITATOR)
    assert len(_summaries(slack)) == 1
    dm = slack.standin.open_dm(FACILITATOR).id
    assert not [m for m in slack.standin.messages(dm) if PUBLISH_DRAFT in json.dumps(m.get("blocks"))]


def test_the_facilitator_renames_merges_and_moves_notes_and_the_published_map_shows_it(slack):
    slack.command("start Why do trials stall before the first paid invoice?", FACILITATOR)
    play_steps(slack, [StepKey.objective, StepKey.persona])
    thread = slack.step_ts(StepKey.touchpoints)
    notes = [
        (ANA, "Finds us through a Google search for invoice templates"),
        (BEN, "Reads reviews of invoicing apps on YouTube"),
        (CHO, "Signs up on the website and gets a welcome email"),
        (ANA, "Creates a first invoice in the mobile app"),
        (BEN, "Calls support by phone when the payment link fails"),
        (CHO, "Emails support when a client cannot pay the invoice"),
    ]
    for user, text in notes:
        slack.reply(thread, user, text)
    slack.settle()
    slack.command("next", FACILITATOR)

    editor = _review(slack, FACILITATOR, StepKey.touchpoints)
    themes = _themes_in(editor)
    assert len(themes) >= 3
    first, second, third = list(themes)[:3]

    _submit(
        slack, _open_form(slack, editor, "rename", first), {"title": {"value": {"value": "Finding <us> & <!here>"}}}
    )
    merged_note = themes[second].split("• ")[1].split("\n")[0][:30]  # a note of the theme merged away
    kept_title = themes[third].split("*")[1]  # the theme it joins keeps its title
    merge = {"into": {"value": {"selected_option": {"value": str(third)}}}}
    _submit(slack, _open_form(slack, _current(slack), "merge", second), merge)
    form = _open_form(slack, _current(slack), "move", third)
    options = form["blocks"][0]["element"]["options"]
    moved = next(o for o in options if not o["text"]["text"].startswith(merged_note))
    values = {
        "notes": {"value": {"selected_options": [moved]}},
        "to": {"value": {"selected_option": {"value": NEW_THEME}}},
        "title": {"value": {"value": "Moved on its own"}},
    }
    _submit(slack, form, values)

    form = _open_form(slack, _current(slack), "stage", first)
    stages = [o["value"] for o in form["blocks"][1]["element"]["options"]]
    placed = stages[-1]  # the journey's last stage, wherever the engine put this theme
    _submit(slack, form, {"stage": {"value": {"selected_option": {"value": placed}}}})

    shown = _themes_in(_current(slack))
    assert any("Finding &lt;us&gt; &amp; &lt;!here&gt;" in text for text in shown.values()), "escaped, never a ping"
    assert second not in shown and any("Moved on its own" in text for text in shown.values())
    updates = [c.params for c in slack.standin.calls_to("chat.update")]
    assert any("Merged into" in u.get("text", "") for u in updates), "the merged theme's message says where it went"
    assert any(u.get("text", "").startswith("Finding") for u in updates), "the renamed theme's message follows"
    with slack.server.services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(ThemeEdit)) == 4

    play_steps(slack, [StepKey.pain_points, StepKey.action_plan], publish=True)
    titles = [t.title for t in published_map(slack).steps[StepKey.touchpoints]]
    assert "Finding <us> & <!here>" in titles and "Moved on its own" in titles
    holder = {c.text[:30]: t.title for t in published_map(slack).steps[StepKey.touchpoints] for c in t.contributions}
    assert holder[merged_note] == kept_title, "the merged theme's notes are in the theme it joined"
    assert holder[moved["text"]["text"][:30]] == "Moved on its own"
    last_stage = next(s for s in published_map(slack).stages if s.name == placed)
    assert "Finding <us> & <!here>" in [tp.title for tp in last_stage.touchpoints]
    canvas = next(iter(slack.standin.canvases.values())).markdown
    assert "Moved on its own" in canvas


def _current(slack) -> dict:
    return slack.standin.modal_stack(FACILITATOR)[-1]


def test_a_participant_sees_the_themes_read_only_and_changes_nothing(slack):
    run_workshop(slack, until=StepKey.persona)
    editor = _review(slack, BEN, StepKey.persona)
    assert "Read only" in json.dumps(editor["blocks"])
    assert _themes_in(editor) == {}, "no menus to change anything"
    with slack.server.services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(ThemeEdit)) == 0


def test_the_editor_of_a_large_step_stays_within_slacks_limits():
    notes = [NoteCard(id=n, text=f"Note {n}: " + "a long observation about onboarding " * 8) for n in range(150)]
    themes = [ThemeCard(id=1, title="One big theme " * 20, notes=notes)]
    themes += [ThemeCard(id=t, title=f"Theme {t}", notes=notes[t : t + 1]) for t in range(2, 140)]
    state = StepThemes(step_id=1, key=StepKey.touchpoints, themes=themes, may_edit=True, stages=["Buy"] * 120)
    pages = [editor_view(state, page) for page in range(5)]
    forms = [form(state, themes[0]) for form in (move_form, split_form, quote_form, merge_form, channel_form)]
    for view in [*pages, *forms, regroup_form(state)]:
        assert len(view["blocks"]) <= MAX_BLOCKS
        View(**view).validate_json()
        for block in view["blocks"]:
            options = (block.get("element") or block.get("accessory") or {}).get("options", [])
            assert len(options) <= MAX_OPTIONS
            assert all(len(o["text"]["text"]) <= 75 for o in options)
    shown = [theme_id for view in pages[:4] for theme_id in _themes_in(view)]
    assert sorted(shown) == [t.id for t in themes], "every theme is on exactly one page"
    assert _themes_in(pages[4]) == _themes_in(pages[3]), "past the last page, the last page"


def test_a_big_step_is_paged_and_a_form_saved_on_page_two_returns_there(slack):
    slack.command("start Why do trials stall? --manual", FACILITATOR)
    play_steps(slack, [StepKey.objective])
    thread = slack.step_ts(StepKey.persona)
    for n in range(45):
        slack.reply(thread, ANA, f"Customer segment {n} uses tool{n} for {'abc'[n % 3]}-work every day")
    slack.settle()
    slack.command("next", FACILITATOR)
    editor = _review(slack, FACILITATOR, StepKey.persona)
    assert _regroup(slack, editor, 44) is None, "more themes than one page holds"
    first_page = _themes_in(_current(slack))
    _click_in_modal(slack, _current(slack), EDITOR_PAGE)
    second_page = _themes_in(_current(slack))
    assert second_page and not set(first_page) & set(second_page)
    theme_id = next(iter(second_page))
    _submit(slack, _open_form(slack, _current(slack), "rename", theme_id), {"title": {"value": {"value": "Renamed"}}})
    assert any("Renamed" in text for text in _themes_in(_current(slack)).values()), "back on page two"


def _click_in_modal(slack, modal: dict, action_id: str) -> None:
    (value,) = [
        element["value"]
        for block in modal["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == action_id
    ]
    slack.sender.block_action(FACILITATOR, action_id, value=value, view_id=modal["id"])
    slack.settle()


def _regroup(slack, editor: dict, count: int | None) -> dict | None:
    """The facilitator presses "Group again…" and asks for `count` themes; returns the form if Slack kept it open
    (a refusal), else None."""
    _click_in_modal(slack, editor, REGROUP)
    form = _current(slack)
    _submit(slack, form, {"count": {"value": {"value": None if count is None else str(count)}}})
    stack = slack.standin.modal_stack(FACILITATOR)
    return None if stack[-1]["id"] != form["id"] else stack[-1]


def _option_text(form: dict, block: int, starts: str) -> dict:
    return next(o for o in form["blocks"][block]["element"]["options"] if o["text"]["text"].startswith(starts))


def test_split_quotes_and_channel_reach_the_published_map(slack):
    slack.command("start Why do trials stall before the first paid invoice?", FACILITATOR)
    play_steps(slack, [StepKey.objective, StepKey.persona])
    thread = slack.step_ts(StepKey.touchpoints)
    for user, text in [
        (ANA, "Creates a first invoice in the app and sends it to a client"),
        (BEN, "Sends the first invoice from the app, says this looks really professional"),
        (CHO, "Edits the invoice template in the app before sending"),
        (ANA, "Gets an email when the client opens the invoice"),
    ]:
        slack.reply(thread, user, text)
    slack.settle()
    slack.command("next", FACILITATOR)
    editor = _review(slack, FACILITATOR, StepKey.touchpoints)
    big = max(_themes_in(editor), key=lambda t: _themes_in(editor)[t].count("• "))

    form = _open_form(slack, editor, "split", big)
    part = form["blocks"][0]["element"]["options"][0]
    values = {"notes": {"value": {"selected_options": [part]}}, "title": {"value": {"value": "Split off"}}}
    _submit(slack, form, values)
    split = next(t for t, text in _themes_in(_current(slack)).items() if "Split off" in text)

    form = _open_form(slack, _current(slack), "quote", split)
    _submit(slack, form, {"notes": {"value": {"selected_options": [form["blocks"][1]["element"]["options"][0]]}}})
    form = _open_form(slack, _current(slack), "channel", split)
    _submit(slack, form, {"channel": {"value": {"value": "Mobile <app>"}}})
    assert "Mobile &lt;app&gt;" in _themes_in(_current(slack))[split], "shown, escaped"
    with slack.server.services.db.session() as session:
        kinds = session.scalars(select(ThemeEdit.kind).order_by(ThemeEdit.id)).all()
    assert kinds == ["split", "quote", "channel"]

    play_steps(slack, [StepKey.pain_points, StepKey.action_plan], publish=True)
    journey_map = published_map(slack)
    (theme,) = [t for t in journey_map.steps[StepKey.touchpoints] if t.title == "Split off"]
    assert [c.text[:30] for c in theme.contributions] == [part["text"]["text"][:30]]
    touchpoint = next(tp for s in journey_map.stages for tp in s.touchpoints if tp.theme_id == theme.id)
    assert touchpoint.channel == "Mobile <app>"
    thoughts = [item.text for column in map_grid(journey_map).stages for item in column.thoughts]
    assert any(part["text"]["text"][:30] in text for text in thoughts), "the marked note is quoted on the map"


def test_grouping_again_keeps_edited_themes_and_takes_in_late_notes(slack):
    run_workshop(slack, until=StepKey.persona)
    slack.reply(slack.step_ts(StepKey.persona), BEN, "Late: they invoice from their phone between client meetings")
    slack.settle()
    editor = _review(slack, FACILITATOR, StepKey.persona)
    assert "1 late notes are in no theme yet" in json.dumps(editor["blocks"])
    renamed = next(iter(_themes_in(editor)))
    _submit(slack, _open_form(slack, editor, "rename", renamed), {"title": {"value": {"value": "Kept as named"}}})
    kept_notes = _themes_in(_current(slack))[renamed].split("\n")[1:]
    others = len(_themes_in(_current(slack))) - 1

    refused = _regroup(slack, _current(slack), 1)
    assert refused is not None, "fewer themes than the edited ones: refused in the form"
    assert _regroup(slack, _review(slack, FACILITATOR, StepKey.persona), others + 2) is None

    shown = _themes_in(_current(slack))
    assert shown[renamed].split("\n")[1:] == kept_notes and "Kept as named" in shown[renamed]
    assert len(shown) == others + 2
    assert "late notes" not in json.dumps(_current(slack)["blocks"])
    play_steps(slack, [StepKey.touchpoints, StepKey.pain_points, StepKey.action_plan])
    persona = published_map(slack).steps[StepKey.persona]
    assert "Kept as named" in [t.title for t in persona]
    assert not any("-late-" in t.id for t in persona), "the late note joined a theme"
    assert any("between client meetings" in c.text for t in persona for c in t.contributions)


def test_a_note_set_aside_leaves_its_theme_and_the_map_keeps_it_aside(slack):
    run_workshop(slack, until=StepKey.persona)
    editor = _review(slack, FACILITATOR, StepKey.persona)
    theme_id = next(iter(_themes_in(editor)))
    form = _open_form(slack, editor, "move", theme_id)
    note = form["blocks"][0]["element"]["options"][0]
    aside = {
        "notes": {"value": {"selected_options": [note]}},
        "to": {"value": {"selected_option": {"value": "aside"}}},
        "title": {"value": {"value": None}},
    }
    _submit(slack, form, aside)
    listing = [
        c.params for c in slack.standin.calls_to("chat.update") if c.params.get("text", "").startswith("Persona")
    ]
    assert listing, "the thread's list of persona themes follows"
    play_steps(slack, [StepKey.touchpoints, StepKey.pain_points, StepKey.action_plan])
    journey_map = published_map(slack)
    kept = [c.text for c in journey_map.set_aside.get(StepKey.persona, [])]
    assert any(t.startswith(note["text"]["text"][:40]) for t in kept)
    themed = [c.text for t in journey_map.steps[StepKey.persona] for c in t.contributions]
    assert not any(t.startswith(note["text"]["text"][:40]) for t in themed)


def test_back_to_a_step_from_the_draft_takes_more_notes_keeps_edits_and_drafts_again(slack):
    run_workshop(slack, until=StepKey.pain_points, review=True)
    _close_action_plan(slack)
    editor = _review(slack, FACILITATOR, StepKey.persona)
    renamed = next(iter(_themes_in(editor)))
    _submit(slack, _open_form(slack, editor, "rename", renamed), {"title": {"value": {"value": "Reviewed persona"}}})
    draft = _draft(slack)
    dm = slack.standin.open_dm(FACILITATOR).id
    (menu,) = [e for b in draft["blocks"] for e in b.get("elements", []) if e.get("action_id") == BACK_TO_STEP]
    persona = next(o for o in menu["options"] if o["text"]["text"] == STEPS[StepKey.persona].title)

    slack.sender.block_action(BEN, BACK_TO_STEP, channel_id=dm, message_ts=draft["ts"], selected_option=persona)
    slack.settle()
    assert not [m for m in slack.standin.messages(slack.channel_id) if m.get("text", "").startswith("Back to")]

    slack.sender.block_action(FACILITATOR, BACK_TO_STEP, channel_id=dm, message_ts=draft["ts"], selected_option=persona)
    slack.settle()
    assert [m for m in slack.standin.messages(slack.channel_id) if m.get("text") == "Back to Persona"]
    _click(slack, FACILITATOR, PUBLISH_DRAFT, dm, draft)
    assert _summaries(slack) == [], "the old draft cannot be published while a step is open again"

    slack.reply(slack.step_ts(StepKey.persona), BEN, "Many bill clients from their phone between meetings")
    slack.settle()
    slack.command("next", FACILITATOR)
    drafts = [m for m in slack.standin.messages(dm) if PUBLISH_DRAFT in json.dumps(m.get("blocks"))]
    assert len(drafts) == 2, "a new draft once the step closed again"
    _click(slack, FACILITATOR, PUBLISH_DRAFT, dm, drafts[-1])
    persona_themes = published_map(slack).steps[StepKey.persona]
    assert "Reviewed persona" in [t.title for t in persona_themes], "the edited theme stayed as it was"
    assert any("between meetings" in c.text for t in persona_themes for c in t.contributions)
    assert len(_summaries(slack)) == 1


def test_a_form_submitted_twice_applies_once(slack):
    run_workshop(slack, until=StepKey.persona)
    editor = _review(slack, FACILITATOR, StepKey.persona)
    first, second, *_ = _themes_in(editor)
    form = _open_form(slack, editor, "merge", first)
    merge = {"into": {"value": {"selected_option": {"value": str(second)}}}}
    _submit(slack, form, merge)
    again = slack.sender.view_submission(form["id"], FACILITATOR, merge)  # a double click, or Slack's retry
    assert "changed meanwhile" in again.body, "the second one is refused in the form, not applied twice"
    with slack.server.services.db.session() as session:
        assert session.scalars(select(ThemeEdit.kind)).all() == ["merge"]
    assert first not in _themes_in(_review(slack, FACILITATOR, StepKey.persona))
