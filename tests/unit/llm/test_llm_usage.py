"""Tokens per call from the response's usage (or an estimate), per workshop, with a cost; identical inputs are
answered from the cache; logs carry counts, never text."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import LLMCall
from tests.fake_openai import FakeOpenAI, build_completion, prompt_tokens
from tests.llm_fixtures import BOARD_NOTES, PEOPLE
from workflows.llm import LLMConfig, LLMEngine, workshop_usage
from workflows.llm.usage import price_of, record_call
from workflows.themes.clustering.base import Note


def test_a_second_identical_call_makes_no_request(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database, workshop_id: int
) -> None:
    engine = LLMEngine(fake_config, llm_db, workshop_id, people=PEOPLE)

    first = engine.cluster(BOARD_NOTES)
    second = LLMEngine(fake_config, llm_db, workshop_id, people=PEOPLE).cluster(BOARD_NOTES)

    assert second == first
    assert len(fake_llm.completion_requests) == 1
    with llm_db.session() as session:
        usage = workshop_usage(session, workshop_id)
    assert (usage.calls, usage.cached) == (1, 1)


def test_changed_notes_or_another_model_are_not_served_from_the_cache(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    LLMEngine(fake_config, llm_db).cluster(BOARD_NOTES)
    edited = [*BOARD_NOTES[:-1], Note(id=BOARD_NOTES[-1].id, text="Would love a dark theme on the website")]
    LLMEngine(fake_config, llm_db).cluster(edited)
    LLMEngine(fake_config.model_copy(update={"model": "gpt-4.1-mini"}), llm_db).cluster(BOARD_NOTES)

    assert len(fake_llm.completion_requests) == 3


def test_usage_counts_the_responses_tokens_and_prices_them(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database, workshop_id: int
) -> None:
    LLMEngine(fake_config, llm_db, workshop_id).cluster(BOARD_NOTES)

    with llm_db.session() as session:
        call = session.scalars(select(LLMCall)).one()
        usage = workshop_usage(session, workshop_id)
    assert (call.task, call.model, call.prompt_version, call.cached) == ("cluster", "gpt-4o-mini", "1", False)
    assert call.prompt_tokens == prompt_tokens(fake_llm.completion_requests[0].body)
    assert call.completion_tokens > 0
    assert usage.prompt_tokens == call.prompt_tokens and usage.completion_tokens == call.completion_tokens
    assert usage.estimated_cost_usd == pytest.approx((call.prompt_tokens * 0.15 + call.completion_tokens * 0.60) / 1e6)


def test_tokens_are_estimated_when_the_server_reports_no_usage(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    ids = [f"n{number}" for number in range(1, len(BOARD_NOTES) + 1)]
    answer = {"themes": [{"title": f"Theme {i}", "summary": "Some notes.", "notes": ids[i::3]} for i in range(3)]}
    completion = build_completion({"model": "gpt-4o-mini"}, answer, fingerprint="fp_test")
    del completion["usage"]
    fake_llm.fail_with(200, body=completion)

    LLMEngine(fake_config, llm_db).cluster(BOARD_NOTES)

    with llm_db.session() as session:
        call = session.scalars(select(LLMCall)).one()
    assert call.prompt_tokens > 100 and call.completion_tokens > 5


def test_a_model_without_a_known_price_has_no_cost_estimate(llm_db: Database, workshop_id: int) -> None:
    with llm_db.session() as session:
        record_call(
            session,
            workshop_id=workshop_id,
            task="cluster",
            model="gpt-4o-mini",
            prompt_version="1",
            prompt_tokens=1000,
        )
        record_call(
            session, workshop_id=workshop_id, task="persona", model="llama3.1:8b", prompt_version="1", prompt_tokens=10
        )
    with llm_db.session() as session:
        usage = workshop_usage(session, workshop_id)
    assert (usage.prompt_tokens, usage.calls, usage.estimated_cost_usd) == (1010, 2, None)


def test_dated_snapshots_are_priced_as_their_family() -> None:
    assert price_of("gpt-4o-mini-2024-07-18") == price_of("gpt-4o-mini") == (0.15, 0.60)
    assert price_of("gpt-4o-2024-08-06") == (2.50, 10.00)
    assert price_of("mistral-large") is None


def test_logs_carry_counts_never_contribution_text(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    fake_llm.answer_invalid_json()
    with caplog.at_level(logging.DEBUG, logger="workflows.llm"):
        LLMEngine(fake_config, llm_db).cluster(BOARD_NOTES)

    ours = [record.getMessage() for record in caplog.records if record.name.startswith("workflows.llm")]
    assert any("prompt_tokens=" in message for message in ours)
    words = {word for note in BOARD_NOTES for word in note.text.split() if len(word) > 6}
    assert not [message for message in ours if any(word in message for word in words)]
