"""The pure steps around the call, each alone: a task's `build_*` (what would be sent and cached), its `read_*`
(the answer back in the caller's terms) and the repair step's check of a raw answer. No server, no database."""

from __future__ import annotations

import json
import re

from langchain_core.messages import AIMessage

from tests.llm_fixtures import (
    ANA,
    BOARD,
    BOARD_NOTES,
    EMAIL,
    PAIN_THEMES,
    PEOPLE,
    STAGES,
    TOUCHPOINT_THEMES,
    scripted_groups,
)
from workflows.llm.answers import (
    LinkedPainPoint,
    NamedTheme,
    NameGroupsAnswer,
    PainPointsAnswer,
    SummaryAnswer,
    TouchpointsAnswer,
)
from workflows.llm.repair import validated
from workflows.llm.tasks.cluster import build_cluster
from workflows.llm.tasks.groups import SAMPLES_PER_GROUP, build_name_groups, read_name_groups
from workflows.llm.tasks.pain_points import build_pain_points, read_pain_points
from workflows.mapping.models import Touchpoint
from workflows.themes.clustering.base import Note


def test_build_shows_redacted_notes_under_short_ids_and_caches_on_the_callers_own() -> None:
    notes = [Note(id="901", text=f"@Ana never got the code sent to {EMAIL}"), Note(id="902", text="Checkout is slow")]

    request = build_cluster(notes, PEOPLE)

    first, second = request.variables["notes"].splitlines()
    assert second == "n2: Checkout is slow"
    assert first.startswith("n1: ") and "[EMAIL_1]" in first
    assert "@Ana" not in first and EMAIL not in first
    pseudonym = re.search(r"@Person_\d+", first)
    assert pseudonym and request.shield.user_of(pseudonym.group()) == ANA  # so the read step can map it back
    assert request.inputs == [("901", notes[0].text), ("902", notes[1].text)]
    assert request.context == {"n1": notes[0], "n2": notes[1]}


def test_reading_named_groups_drops_invented_ids_and_keeps_forgotten_groups_under_their_titles() -> None:
    groups = scripted_groups()
    request = build_name_groups(BOARD_NOTES, groups, [group.ids[:SAMPLES_PER_GROUP] for group in groups], PEOPLE)
    dark_mode = next(note.id for note in BOARD_NOTES if note.text == BOARD["Dark mode request"][0])
    moved = next(short for short, note_id in request.context.samples.items() if note_id == dark_mode)
    answer = NameGroupsAnswer(
        themes=[
            NamedTheme(title="Recipe newsletter", summary="Loved.", groups=["g4", "g5", "g99"], notes=[]),
            NamedTheme(title="Dark mode", summary="Asked for.", groups=[], notes=[moved, "n999"]),
        ]
    )

    drafts = read_name_groups(answer, request)

    assert [(draft.title, draft.ids) for draft in drafts] == [
        ("Recipe newsletter", groups[3].ids + groups[4].ids),
        ("Dark mode", [dark_mode]),
        *((group.title, group.ids) for group in groups[:3]),  # forgotten: whole, with the embedded title
        ("box arrived", [note_id for note_id in groups[5].ids if note_id != dark_mode]),  # less the moved note
    ]


def test_reading_pain_points_keeps_the_models_first_severity_when_the_embedded_engine_links_it() -> None:
    placed = [("Purchase", Touchpoint(theme_id="touchpoints-2", title="Website checkout"))]
    request = build_pain_points(PAIN_THEMES, TOUCHPOINT_THEMES, placed, STAGES, PEOPLE)
    answer = PainPointsAnswer(
        pain_points=[
            LinkedPainPoint(pain="p1", touchpoint=None, stage="Nowhere", severity=3),  # no such stage
            LinkedPainPoint(pain="p1", touchpoint="t1", stage="Purchase", severity=1),  # a second link: ignored
            LinkedPainPoint(pain="p9", touchpoint="t1", stage="Purchase", severity=2),  # no such pain point
        ]
    )

    linked = read_pain_points(answer, request)

    assert [(pain.theme_id, pain.severity) for _, pain in linked] == [
        ("pain_points-1", 3),
        ("pain_points-2", None),  # forgotten: no severity to keep
        ("pain_points-3", None),
    ]
    assert {stage for stage, _ in linked} <= {stage.name for stage in STAGES}


def test_a_fenced_answer_is_accepted_and_a_problem_says_where_never_what() -> None:
    fenced = '```json\n{"sentences": ["One.", "Two.", "Three."], "opportunities": ["Faster checkout"]}\n```'

    parsed, problem = validated(SummaryAnswer, AIMessage(fenced))

    assert parsed == SummaryAnswer(sentences=["One.", "Two.", "Three."], opportunities=["Faster checkout"])
    assert problem == ""

    wrong = {"touchpoints": [{"theme": "t1", "stage": "Awareness", "channel": None, "emotion": f"mail {EMAIL}"}]}

    parsed, problem = validated(TouchpointsAnswer, AIMessage(json.dumps(wrong)))

    assert parsed is None
    assert problem.startswith("touchpoints.0.emotion: ") and EMAIL not in problem
