"""No e-mail, phone or card number from a contribution, no Slack name or id, ever reaches the LLM; what the model
answers is restored before anyone sees it."""

from __future__ import annotations

import json

from storage.db import Database
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import (
    ACTION_NOTES,
    ANA,
    BOARD_NOTES,
    EMAIL,
    PAIN_THEMES,
    PEOPLE,
    PERSONA_THEMES,
    SECRETS,
    STAGES,
    TODAY,
    TOUCHPOINT_THEMES,
    ScriptedPregroup,
    journey_map,
)
from workflows.contributions.privacy import contains_personal_data
from workflows.llm import LLMConfig, LLMEngine, LLMSynthesis


def run_every_task(config: LLMConfig, db: Database) -> None:
    LLMEngine(config, db, people=PEOPLE).cluster(BOARD_NOTES)
    large = config.model_copy(update={"prebucket_threshold": 8})
    LLMEngine(large, db, people=PEOPLE, pregroup=ScriptedPregroup()).cluster(BOARD_NOTES)
    tasks = LLMSynthesis(config, db, people=PEOPLE)
    tasks.persona(PERSONA_THEMES)
    placed = tasks.touchpoints(TOUCHPOINT_THEMES, STAGES)
    tasks.pain_points(PAIN_THEMES, TOUCHPOINT_THEMES, placed, STAGES)
    tasks.actions(ACTION_NOTES, PAIN_THEMES, TODAY)
    tasks.summary(journey_map())


def test_no_request_body_carries_personal_data(fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database) -> None:
    run_every_task(fake_config, llm_db)

    bodies = [request.body for request in fake_llm.completion_requests]
    assert len(bodies) == 7
    for body in bodies:
        sent = json.dumps(body, ensure_ascii=False)
        assert not [secret for secret in SECRETS if secret in sent]
        assert not [m["content"] for m in body["messages"] if contains_personal_data(m["content"])]
        assert not [f"@{label}" for _, label in PEOPLE if f"@{label}" in sent]
        assert not [user for user, _ in PEOPLE if user in sent]
    assert any("[EMAIL_1]" in json.dumps(body) for body in bodies)  # redacted, not dropped


def test_answers_are_restored_before_they_are_shown(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    tasks = LLMSynthesis(fake_config, llm_db, people=PEOPLE)

    items = tasks.actions(ACTION_NOTES, PAIN_THEMES, TODAY)

    assert items[0].owner == ANA  # "@Person_2" in the answer, Ana's Slack id on the map
    assert any(EMAIL in item.title for item in items)
    assert not any("[EMAIL_" in item.title or "@Person_" in item.title for item in items)
