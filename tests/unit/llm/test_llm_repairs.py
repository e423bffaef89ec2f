"""What a valid but wrong answer is turned into: unknown ids discarded, forgotten items placed by the embedded
engine, stages matched to the workshop's, owners only from the notes' mentions, quotes only as written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from storage.db import Database
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import (
    ACTION_NOTES,
    ANA,
    BEN,
    PAIN_THEMES,
    PEOPLE,
    PERSONA_THEMES,
    STAGES,
    TODAY,
    TOUCHPOINT_THEMES,
)
from workflows.llm import ActionNote, LLMConfig, LLMSynthesis
from workflows.llm.checks import copied_example
from workflows.mapping.models import Touchpoint


@pytest.fixture
def tasks(fake_config: LLMConfig, llm_db: Database) -> LLMSynthesis:
    return LLMSynthesis(fake_config, llm_db, people=PEOPLE)


def answer(fake: FakeOpenAI, content: dict[str, Any]) -> None:
    fake.answer_with(json.dumps(content))


def test_touchpoint_stages_are_matched_loosely_or_placed_by_the_embedded_engine(
    fake_llm: FakeOpenAI, tasks: LLMSynthesis
) -> None:
    answer(
        fake_llm,
        {
            "touchpoints": [
                {"theme": "t2", "stage": "purchase", "channel": "website", "emotion": -1.5},
                {"theme": "t3", "stage": "Onboarding", "channel": "delivery", "emotion": 0.5},
                {"theme": "t4", "stage": "Retention", "channel": "phone", "emotion": -2},
                {"theme": "t9", "stage": "Awareness", "channel": None, "emotion": 0},
            ]
        },
    )

    placed = tasks.touchpoints(TOUCHPOINT_THEMES, STAGES)

    assert [tp.theme_id for _, tp in placed] == [theme.id for theme in TOUCHPOINT_THEMES]
    stages = dict((tp.theme_id, stage) for stage, tp in placed)
    assert stages["touchpoints-2"] == "Purchase"
    assert stages["touchpoints-3"] in {stage.name for stage in STAGES}  # "Onboarding" is no stage here
    assert placed[2][1].channel == "delivery"  # the model's channel and emotion are kept
    assert placed[0][1].theme_id == "touchpoints-1"  # forgotten, placed by the embedded engine


def test_pain_points_keep_their_touchpoints_stage_and_drop_unknown_touchpoints(
    fake_llm: FakeOpenAI, tasks: LLMSynthesis
) -> None:
    placed = [("Purchase", Touchpoint(theme_id="touchpoints-2", title="Website checkout"))]
    answer(
        fake_llm,
        {
            "pain_points": [
                {"pain": "p1", "touchpoint": "t1", "stage": "Retention", "severity": 3},
                {"pain": "p2", "touchpoint": "t7", "stage": "retention", "severity": 2},
            ]
        },
    )

    linked = tasks.pain_points(PAIN_THEMES, TOUCHPOINT_THEMES, placed, STAGES)

    (stage1, pain1), (stage2, pain2), (stage3, pain3) = linked
    assert (stage1, pain1.touchpoint, pain1.severity) == ("Purchase", "touchpoints-2", 3)
    assert (stage2, pain2.touchpoint, pain2.severity) == ("Retention", None, 2)
    assert pain3.theme_id == "pain_points-3" and stage3 in {s.name for s in STAGES}  # forgotten: embedded


def test_persona_quotes_are_only_ever_a_customers_words_in_a_note_by_its_author(
    fake_llm: FakeOpenAI, tasks: LLMSynthesis
) -> None:
    answer(
        fake_llm,
        {
            "name": "Priya",
            "segment": None,
            "goals": [],
            "needs": [],
            "frustrations": [],
            "quotes": [
                {"note": "c3", "text": "I want healthy food fast"},  # not what the note says
                {"note": "c42", "text": "Invented"},
                {"note": "c1", "text": "a nurse with two kids"},  # the team's words ("Meet Priya, a nurse…")
                {"note": "c4", "text": "She needs recipes that use a single pan"},  # the team's too
                {"note": "c5", "text": "I hate throwing away half the vegetables"},
            ],
        },
    )

    persona = tasks.persona(PERSONA_THEMES)

    assert [(v.text, v.user) for v in persona.verbatims] == [
        ("I want something healthy on the table in 20 minutes", "U0CHO0001"),  # the note's quote, not the LLM's
        ("I hate throwing away half the vegetables", BEN),
    ]


def test_actions_take_owners_only_from_their_notes_and_lose_no_note(fake_llm: FakeOpenAI, tasks: LLMSynthesis) -> None:
    answer(
        fake_llm,
        {
            "actions": [
                {
                    "title": "Add a decline reason",
                    "owner": "@Person_3",
                    "due": None,
                    "pain_point": "p1",
                    "notes": ["a1", "a2"],
                },
                {"title": "Invented", "owner": None, "due": None, "pain_point": None, "notes": ["a99"]},
                {
                    "title": "Sturdier boxes",
                    "owner": "@Person_4",
                    "due": "2026-11-30",
                    "pain_point": "p8",
                    "notes": ["a4", "a1"],
                },
            ]
        },
    )

    items = tasks.actions(ACTION_NOTES, PAIN_THEMES, TODAY)

    decline, boxes, *forgotten = items
    assert decline.owner == ANA  # the model said @Person_3, Ben, whom neither note mentions: the notes say Ana
    assert decline.pain_point == "pain_points-1"
    assert (boxes.owner, boxes.pain_point, str(boxes.due)) == ("U0CHO0001", None, "2026-11-30")
    assert [item.title for item in forgotten][0].startswith("Call customers back")  # parsed by the embedded engine
    assert [item.id for item in items] == [f"A{n}" for n in range(1, len(items) + 1)]


def test_a_writer_who_takes_an_action_on_owns_it_on_the_llm_engine_too(
    fake_llm: FakeOpenAI, tasks: LLMSynthesis
) -> None:
    notes = [
        ActionNote(id="601", text="Rewrite the refund email, I'll take it, by Friday", author=BEN),
        ActionNote(id="602", text="Fix the seat map (owner: me)", author=ANA),
    ]
    answer(
        fake_llm,
        {
            "actions": [
                {"title": "Rewrite the refund email", "owner": None, "due": None, "pain_point": None, "notes": ["a1"]}
            ]
        },
    )

    items = tasks.actions(notes, PAIN_THEMES, TODAY)

    assert [(item.title, item.owner) for item in items] == [
        ("Rewrite the refund email", BEN),  # the model named no owner; the note says who
        ("Fix the seat map", ANA),  # forgotten by the model, parsed with its writer
    ]


def test_a_title_the_model_words_with_its_owner_and_date_keeps_neither(
    fake_llm: FakeOpenAI, tasks: LLMSynthesis
) -> None:
    answer(
        fake_llm,
        {
            "actions": [
                {
                    "title": "Add a clear decline reason at checkout, @Person_2 by Friday",
                    "owner": "@Person_2",
                    "due": None,
                    "pain_point": None,
                    "notes": ["a1", "a2"],
                },
                *(
                    {"title": f"Action {n}", "owner": None, "due": None, "pain_point": None, "notes": [f"a{n}"]}
                    for n in (3, 4, 5)
                ),
            ]
        },
    )

    decline = tasks.actions(ACTION_NOTES, PAIN_THEMES, TODAY)[0]

    assert (decline.title, decline.owner) == ("Add a clear decline reason at checkout", ANA)


EXAMPLE = {"title": "Account verification email fails", "summary": "Customers never receive the email to verify."}


def test_one_short_phrase_shared_with_the_worked_example_is_a_models_own_title() -> None:
    answer = {"title": "Account verification email fails", "summary": "Codes land in spam for Outlook users."}
    assert copied_example(answer, [EXAMPLE], given="n1: my code went to spam") is None


def test_an_answer_repeating_the_worked_example_is_unusable() -> None:
    reason = copied_example(dict(EXAMPLE), [EXAMPLE], given="n1: the invoice PDF is blank")
    assert reason is not None and reason.startswith("it repeated the worked example's answer")


def test_a_phrase_the_request_holds_is_no_copy() -> None:
    given = "n1: Account verification email fails\nn2: Customers never receive the email to verify."
    assert copied_example(dict(EXAMPLE), [EXAMPLE], given=given) is None
