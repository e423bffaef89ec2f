"""The `/journey delete` confirmation says what goes and what stays, escapes the objective, and offers one danger
button; the theme editor shows a note blanked by the retention pass as removed, not as an empty bullet."""

from __future__ import annotations

import json

from bot.deletion_blocks import DELETE_WORKSHOP, already_gone, confirmation, deleted
from bot.theme_editor_blocks import editor_view
from workflows.mapping.models import StepKey
from workflows.retention.service import Deleted, DeletionPreview
from workflows.themes.editing import NoteCard, StepThemes, ThemeCard


def test_the_confirmation_escapes_the_objective_and_has_one_danger_button() -> None:
    preview = DeletionPreview(
        workshop_id=7,
        channel_id="C0WORKSHP1",
        objective="Why <!channel> & <@U0BEN0001> stall?",
        status="published",
        version=2,
        notes=1,
        themes=4,
        actions=0,
        map_versions=2,
    )
    blocks = confirmation(preview)
    text = json.dumps(blocks)
    assert "<!channel>" not in text and "<@U0BEN0001>" not in text
    assert "&lt;!channel&gt; &amp; &lt;@U0BEN0001&gt;" in blocks[0]["text"]["text"]
    assert "1 note, 4 themes" in text and "0 actions" in text and "2 map versions" in text
    assert "published, version 2" in text and "already posted in Slack stay" in text
    (button,) = blocks[-1]["elements"]
    assert (button["action_id"], button["value"], button["style"]) == (DELETE_WORKSHOP, "7", "danger")


def test_what_the_click_says() -> None:
    rows = {"contributions": 12, "themes": 5, "action_items": 1, "map_versions": 1, "jobs": 30}
    text = json.dumps(deleted(Deleted(workshop_id=7, rows=rows)))
    assert "Workshop #7 is deleted" in text and "12 notes, 5 themes, 1 action and 1 map version" in text
    assert "already gone" in already_gone(7)


def test_the_editor_shows_a_blanked_note_as_removed() -> None:
    notes = [NoteCard(id=1, text=""), NoteCard(id=2, text="Slow <b>tax</b> setup")]
    state = StepThemes(
        step_id=1, key=StepKey.pain_points, themes=[ThemeCard(id=1, title="Tax", notes=notes)], may_edit=False
    )
    shown = json.dumps(editor_view(state))
    assert "removed after the retention period" in shown and "Slow &lt;b&gt;tax&lt;/b&gt; setup" in shown
