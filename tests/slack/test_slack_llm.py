"""The LLM engine inside a real workshop: a failing LLM never stalls it, and a workspace can switch the LLM off."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.conftest import ANA, BEN, FACILITATOR
from tests.fake_openai import FakeOpenAI
from tests.workshop_play import posted_messages, published_map, run_workshop
from workflows.mapping.models import StepKey


@pytest.fixture
def llm_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def extra_settings(llm_server: FakeOpenAI) -> dict:
    return {"openai_api_key": "sk-test", "openai_base_url": llm_server.base_url}


def test_a_workshop_publishes_on_the_embedded_engine_when_the_llm_always_fails(slack, llm_server):
    llm_server.always_fail(500, retry_after_ms=10)
    run_workshop(slack)

    journey_map = published_map(slack)
    assert journey_map.engine == "embedded"
    assert set(journey_map.provenance.values()) == {"embedded"}
    assert llm_server.completion_requests, "the bot never tried the LLM"
    told = [e for e in slack.standin.ephemerals if e.get("user") == FACILITATOR and "embedded engine" in e["text"]]
    assert len(told) == 5, "the facilitator is told, for every step, which engine made the themes and why"
    assert "failed" in told[0]["text"]
    notes = json.dumps([m for m in posted_messages(slack) if m.get("thread_ts")])
    assert "embedded engine made these themes" in notes


def test_no_personal_data_reaches_the_llm(slack, llm_server):
    llm_server.always_fail(500, retry_after_ms=10)
    slack.command("start Why do payouts fail?", FACILITATOR)
    thread = slack.step_ts(StepKey.objective)
    slack.reply(thread, ANA, "[ticket] jess.moreno@example.com called from +1 415 555 0134, card 4111 1111 1111 1111")
    slack.settle()
    slack.command("next", FACILITATOR)
    bodies = json.dumps([r.body for r in llm_server.completion_requests])
    assert llm_server.completion_requests
    for secret in ("jess.moreno@example.com", "415 555 0134", "4111 1111 1111 1111"):
        assert secret not in bodies


def test_settings_llm_off_keeps_the_workspace_on_the_embedded_engine(slack, llm_server):
    slack.command("start Onboarding journey", FACILITATOR)
    refusal = slack.command("settings llm off", BEN).json()
    assert "only a workspace admin" in refusal["text"]
    assert "embedded engine" in slack.command("settings llm off", FACILITATOR).json()["text"]
    assert "Usage" in slack.command("settings llm maybe", FACILITATOR).json()["text"]
    slack.reply(slack.step_ts(StepKey.objective), ANA, "Find out why onboarding takes a week")
    slack.settle()
    slack.command("next", FACILITATOR)
    assert llm_server.completion_requests == []


def test_with_a_working_llm_the_map_says_which_model_and_prompt_made_it_and_status_counts_tokens(slack, llm_server):
    from tests.cassettes.responders import responder

    llm_server.responder = responder({})  # task-correct answers; each note its own theme
    run_workshop(slack)

    journey_map = published_map(slack)
    assert journey_map.engine.startswith("llm")
    assert journey_map.provenance["themes.persona"].startswith("llm gpt-4o-mini cluster@")
    assert journey_map.provenance["persona"].startswith("llm gpt-4o-mini persona@")
    assert journey_map.summary is not None and journey_map.summary.text
    assert not any("embedded engine" in e["text"] for e in slack.standin.ephemerals)
    progress = [
        e["text"] for e in slack.standin.ephemerals if e.get("user") == FACILITATOR and "with the LLM" in e["text"]
    ]
    grouping = [text for text in progress if text.startswith(":hourglass_flowing_sand: Grouping ")]
    assert [text.rsplit("… ", 1)[1] for text in grouping] == [f"step {n} of 5." for n in range(1, 6)]
    assert "notes with the LLM (gpt-4o-mini)" in grouping[0]
    assert any("Writing the map with the LLM (gpt-4o-mini)" in text for text in progress)
    status = json.dumps(slack.command("status", FACILITATOR).json())
    assert "LLM: " in status and " tokens" in status
