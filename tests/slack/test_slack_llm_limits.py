"""The LLM's limits in a workshop, as the facilitator and the demo live them: a step whose LLM budget runs out is
grouped by the embedded engine and the facilitator is told why, in the server's own words when it sent some; a
publish asks for touchpoints and pain points once; the demo waits as long as the LLM may take, and no longer."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from journeybot.cli import main
from journeybot.demo import driver
from journeybot.demo.errors import DemoError
from storage.models import LLMCall
from tests.cassettes.responders import responder
from tests.conftest import ANA, BEN, FACILITATOR
from tests.fake_openai import FakeOpenAI
from tests.workshop_play import published_map, run_workshop
from workflows.mapping.models import StepKey

STEP_BUDGET = 2  # seconds: JOURNEYBOT_LLM_STEP_BUDGET for this module's bot


@pytest.fixture
def llm_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def extra_settings(llm_server: FakeOpenAI) -> dict:
    return {
        "openai_api_key": "sk-test",
        "openai_base_url": llm_server.base_url,
        "journeybot_llm_timeout": 5,
        "journeybot_llm_max_retries": 10,
        "journeybot_llm_step_budget": STEP_BUDGET,
    }


def close_objective_step(slack) -> None:
    slack.command("start Why do trials stall?", FACILITATOR)
    thread = slack.step_ts(StepKey.objective)
    slack.reply(thread, ANA, "Understand why new customers stall before their first invoice")
    slack.reply(thread, BEN, "[analytics] Trial-to-paid conversion dropped from 18% to 12%")
    slack.settle()
    slack.command("next", FACILITATOR)


def told_facilitator(slack) -> list[str]:
    return [e["text"] for e in slack.standin.ephemerals if e.get("user") == FACILITATOR]


def test_a_step_whose_llm_budget_runs_out_is_grouped_by_the_embedded_engine_and_says_so(slack, llm_server):
    llm_server.hang(60, times=None)

    started = time.monotonic()
    close_objective_step(slack)

    assert time.monotonic() - started < 30, "ten retries of a 5 s timeout were not waited for"
    (note,) = [text for text in told_facilitator(slack) if "embedded engine" in text]
    assert f"could not answer within the {STEP_BUDGET} s allowed for one step" in note
    assert "the server gave no answer within" in note
    assert note.endswith("so the embedded engine made these themes.")
    assert slack.step_ts(StepKey.persona), "the workshop went on"


def test_the_llm_servers_own_error_reaches_the_facilitator(slack, llm_server, caplog):
    body = {"error": {"message": "Input should be 'text' or 'json_object'", "type": "internal_server_error"}}
    llm_server.fail_with(500, body=body, headers={"retry-after-ms": "10"}, times=None)

    with caplog.at_level(logging.WARNING):
        close_objective_step(slack)

    (note,) = [text for text in told_facilitator(slack) if "embedded engine" in text]
    assert "the LLM server answered HTTP 500: Input should be 'text' or 'json_object'" in note
    assert "answered HTTP 500: Input should be 'text' or 'json_object'" in caplog.text
    assert "first invoice" not in caplog.text, "no note text in the operator's log"


def test_a_publish_asks_for_touchpoints_and_pain_points_once(slack, llm_server):
    llm_server.responder = responder({})  # task-correct answers; each note its own theme
    run_workshop(slack)

    asked = Counter(r.body["response_format"]["json_schema"]["name"] for r in llm_server.completion_requests)
    assert asked["TouchpointsAnswer"] == 1 and asked["PainPointsAnswer"] == 1
    with slack.server.services.db.session() as session:
        calls = Counter(session.scalars(select(LLMCall.task)).all())
    assert calls["touchpoints"] == 1 and calls["pain_points"] == 1, "not even a second look in the cache"
    journey_map = published_map(slack)
    assert journey_map.provenance["touchpoints"].startswith("llm gpt-4o-mini touchpoints@")
    assert journey_map.provenance["pain_points"].startswith("llm gpt-4o-mini pain_points@")
    assert journey_map.action_items, "the actions were linked with the same placement"


def test_the_demos_wait_follows_the_llms_budget(slack, llm_server, monkeypatch):
    """A wait of half a second would end before one LLM step gives up; the demo adds the steps' budgets."""
    llm_server.hang(60, times=None)
    monkeypatch.setattr(driver, "BASE_WAIT", 0.5)

    close_objective_step(slack)  # settles: the worker took a whole step budget, then the embedded engine

    assert slack.step_ts(StepKey.persona)
    assert driver.worker_wait(slack.server.services.flows.engines.config) == 0.5 + 6 * STEP_BUDGET


def test_a_demo_that_times_out_says_what_it_waited_for(slack, llm_server, monkeypatch):
    llm_server.hang(60, times=None)
    monkeypatch.setattr(driver, "BASE_WAIT", 0.5)
    monkeypatch.setattr(driver, "LLM_STEPS_PER_WAIT", 0)

    with pytest.raises(DemoError) as raised:
        close_objective_step(slack)

    assert str(raised.value) == (
        "timed out after 0.5 s waiting for the bot's worker (the LLM engine is on: each of its steps may take up "
        f"to {STEP_BUDGET} s, JOURNEYBOT_LLM_STEP_BUDGET)"
    )
    assert slack.server.services.worker.wait_idle(30), "the step finishes all the same"


def test_journeybot_demo_ends_a_timeout_with_its_message_not_a_traceback(monkeypatch, tmp_path: Path, capsys, caplog):
    def stalls(out: Path, months: int = 0) -> Path:
        raise DemoError("timed out after 60 s waiting for the bot's worker")

    monkeypatch.setattr(driver, "run_demo", stalls)

    assert main(["demo", "--out", str(tmp_path)]) == 1
    assert "the demo stopped: timed out after 60 s waiting for the bot's worker" in caplog.messages
    assert "Traceback" not in capsys.readouterr().err + caplog.text
