"""LLM calls, tokens, cost and fallbacks in `/metrics`: counted where each call is recorded, and where the map
falls back to the embedded engine."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select

from storage.db import Database
from storage.models import LLMCall
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import BOARD_NOTES, PERSONA_THEMES
from workflows.llm import LLMConfig, LLMEngine, LLMSynthesis
from workflows.mapping.assembly import _with_fallback


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def snapshot(model: str) -> dict[str, float]:
    return {
        "answers": sample("journeybot_llm_calls_total", task="cluster", model=model, cached="false"),
        "hits": sample("journeybot_llm_calls_total", task="cluster", model=model, cached="true"),
        "prompt": sample("journeybot_llm_prompt_tokens_total", model=model),
        "completion": sample("journeybot_llm_completion_tokens_total", model=model),
        "cost": sample("journeybot_llm_estimated_cost_usd_total", model=model),
    }


def test_a_recorded_call_moves_the_call_token_and_cost_counters(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    before = snapshot(fake_config.model)
    LLMEngine(fake_config, llm_db).cluster(BOARD_NOTES)
    LLMEngine(fake_config, llm_db).cluster(BOARD_NOTES)  # the same inputs: answered from the cache
    after = snapshot(fake_config.model)

    with llm_db.session() as session:
        answer = session.scalars(select(LLMCall).where(LLMCall.cached.is_(False))).one()
    assert after["answers"] - before["answers"] == 1
    assert after["hits"] - before["hits"] == 1
    assert after["prompt"] - before["prompt"] == answer.prompt_tokens > 0
    assert after["completion"] - before["completion"] == answer.completion_tokens > 0
    expected = (answer.prompt_tokens * 0.15 + answer.completion_tokens * 0.60) / 1e6  # gpt-4o-mini's list price
    assert after["cost"] - before["cost"] == pytest.approx(expected)


def test_a_fallback_to_the_embedded_engine_is_counted_by_task(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.always_fail(500)
    llm = LLMSynthesis(fake_config.model_copy(update={"max_retries": 0}), llm_db)
    before = sample("journeybot_llm_fallbacks_total", task="persona")
    provenance: dict = {}

    result = _with_fallback(llm, "persona", lambda m: m.persona(PERSONA_THEMES), lambda: "embedded", provenance)

    assert (result, provenance["persona"]) == ("embedded", "embedded")
    assert sample("journeybot_llm_fallbacks_total", task="persona") - before == 1
