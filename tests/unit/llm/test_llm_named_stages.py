"""A note that names its stage lands in it on the LLM path too: whatever stage the model answers, and however it
grouped the notes."""

from __future__ import annotations

import json

from storage.db import Database
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import ANA, BEN, STAGES
from workflows.llm import LLMConfig, LLMSynthesis
from workflows.mapping.assembly import place_themes
from workflows.mapping.models import Contribution, StepKey, Theme
from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.themes.service import named_apart


def _theme(theme_id: str, title: str, *texts: str) -> Theme:
    notes = [Contribution(user=(ANA, BEN)[n % 2], ts=f"17640000{n:02d}.000100", text=t) for n, t in enumerate(texts)]
    return Theme(id=theme_id, title=title, contributions=notes)


def test_the_named_stage_wins_over_the_models_placement(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    touchpoints = [
        _theme("touchpoints-1", "Instagram ads", "Awareness: saw an ad for the boxes on Instagram"),
        _theme("touchpoints-2", "Checkout", "Checkout on the website, card or PayPal"),
    ]
    pains = [_theme("pain_points-1", "Card declined", "Purchase: card declined twice at checkout")]
    wrong = [
        {"theme": "t1", "stage": "Retention", "channel": "social", "emotion": 0},
        {"theme": "t2", "stage": "Purchase", "channel": "website", "emotion": -1},
    ]
    fake_llm.answer_with(json.dumps({"touchpoints": wrong}))
    fake_llm.answer_with(
        json.dumps({"pain_points": [{"pain": "p1", "touchpoint": "t1", "stage": "Awareness", "severity": 2}]})
    )

    steps = {StepKey.touchpoints: touchpoints, StepKey.pain_points: pains}
    placed, linked = place_themes(steps, STAGES, LLMSynthesis(fake_config, llm_db), {})

    assert [(stage, item.theme_id) for stage, item in placed] == [
        ("Awareness", "touchpoints-1"),
        ("Purchase", "touchpoints-2"),
    ]
    assert [(stage, item.touchpoint) for stage, item in linked] == [("Purchase", None)], "its touchpoint is elsewhere"


def test_a_theme_of_the_model_that_spans_named_stages_is_split_by_them() -> None:
    notes = [
        Note(id="1", text="Awareness: Google search for a free invoice template"),
        Note(id="2", text="Awareness: YouTube reviews by freelancer creators"),
        Note(id="3", text="Retention: the monthly summary email"),
        Note(id="4", text="People also search for invoice tips"),
    ]
    drafts = [ThemeDraft(title="Search and email", ids=["1", "2", "3", "4"]), ThemeDraft(title="Other", ids=[])]

    split = named_apart(drafts, notes, STAGES)

    assert [draft.ids for draft in split if draft.ids] == [["1", "2", "4"], ["3"]]
    assert split[0].title == "Search and email" and len({draft.title for draft in split}) == len(split)
