"""What a self-hosted server taught (issue 14), replayed against the fake server's faults: answers are limited in
length by the size of their input, a cut-off answer is repaired or reported as cut off, every call's tokens are
counted as the server counted them, degenerate answers are rejected and never cached, the server's own error
message reaches the reason and the log (never a note), and a step's LLM work keeps to its budget."""

from __future__ import annotations

import json
import logging
import time
from importlib.resources import files
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from storage.db import Database
from storage.models import LLMCacheEntry, LLMCall
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import BOARD_NOTES, CARD, PEOPLE, STAGES, TOUCHPOINT_THEMES, journey_map
from workflows.llm import LLMConfig, LLMEngine, LLMSynthesis, LLMUnavailable
from workflows.llm.cache import cache_key, store_answer
from workflows.llm.prompts import Prompt, load_prompt
from workflows.llm.tasks.cluster import build_cluster
from workflows.themes.clustering.base import Note

CLUSTER_LIMIT = 256 + 64 * len(BOARD_NOTES)  # workflows.llm.prompts.DEFAULT_LIMITS["cluster"]


def cluster(config: LLMConfig, db: Database, notes: list[Note] = BOARD_NOTES) -> list:
    return LLMEngine(config, db, people=PEOPLE).cluster(notes)


def limit_of(fake: FakeOpenAI, index: int = 0) -> int:
    return fake.completion_requests[index].body["max_completion_tokens"]


def repair_turn(fake: FakeOpenAI, index: int = 1) -> str:
    return fake.completion_requests[index].body["messages"][-1]["content"]


def loop(body: dict[str, Any]) -> str:
    """A model stuck in a loop: the same words again and again, until something stops it."""
    return '{"themes": [{"title": "' + "again and again " * 20_000


def calls(db: Database) -> list[LLMCall]:
    with db.session() as session:
        return list(session.scalars(select(LLMCall).where(LLMCall.cached.is_(False)).order_by(LLMCall.id)))


def cache_entries(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(LLMCacheEntry)) or 0


# max_tokens, sized per task


def test_max_tokens_grows_with_the_input(fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database) -> None:
    cluster(fake_config, llm_db)
    LLMSynthesis(fake_config, llm_db).touchpoints(TOUCHPOINT_THEMES[:2], STAGES)
    LLMSynthesis(fake_config, llm_db).touchpoints(TOUCHPOINT_THEMES, STAGES)

    assert limit_of(fake_llm, 0) == CLUSTER_LIMIT
    assert limit_of(fake_llm, 1) < limit_of(fake_llm, 2) == 128 + 64 * len(TOUCHPOINT_THEMES)


def test_a_prompt_file_can_set_its_own_limit() -> None:
    data = yaml.safe_load((files("prompts") / "touchpoints.yaml").read_text(encoding="utf-8"))
    data["max_tokens"] = {"base": 100, "per_item": 10}

    prompt = Prompt(task="touchpoints", version=str(data.pop("version")), **data)

    assert prompt.answer_tokens(5) == 150
    assert load_prompt("touchpoints").answer_tokens(5) == 128 + 64 * 5  # the shipped file keeps the default


def test_a_looping_model_is_stopped_at_the_limit_and_asked_once_for_a_shorter_answer(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    answer_well = fake_llm.responder
    fake_llm.responder = lambda body: loop(body) if len(fake_llm.completion_requests) == 1 else answer_well(body)

    drafts = cluster(fake_config, llm_db)

    first, second = fake_llm.completion_requests
    assert sum(len(draft.ids) for draft in drafts) == len(BOARD_NOTES)
    assert fake_llm.reported_usage[0]["completion_tokens"] == CLUSTER_LIMIT, "stopped at the limit, not at 20,000"
    assert f"it was cut off at {CLUSTER_LIMIT} tokens" in repair_turn(fake_llm)
    assert "shorter" in repair_turn(fake_llm)
    assert second.body["messages"][-2]["role"] == "assistant", "the cut-off answer is shown back to the model"


# truncation reported as what it is, in one request


def test_an_answer_cut_off_twice_is_reported_as_cut_off_after_two_requests(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.responder = loop

    with pytest.raises(LLMUnavailable) as raised:
        cluster(fake_config, llm_db)

    assert raised.value.reason == f"the LLM's answer was cut off twice at its {CLUSTER_LIMIT}-token limit"
    assert len(fake_llm.completion_requests) == 2, "a cut-off answer is not retried as a server fault"
    assert cache_entries(llm_db) == 0


def test_a_cut_off_answer_the_server_marks_so_is_repaired(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.answer_with('{"themes": [{"title": "Verification email", "summary": "Codes', finish_reason="length")

    drafts = cluster(fake_config, llm_db)

    assert len(fake_llm.completion_requests) == 2
    assert "cut off" in repair_turn(fake_llm)
    assert sum(len(draft.ids) for draft in drafts) == len(BOARD_NOTES)


# tokens of every call, cut-off ones too


def test_every_calls_tokens_are_recorded_as_the_server_reported_them(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database, workshop_id: int
) -> None:
    answer_well = fake_llm.responder
    fake_llm.responder = lambda body: loop(body) if len(fake_llm.completion_requests) == 1 else answer_well(body)
    LLMEngine(fake_config, llm_db, workshop_id, people=PEOPLE).cluster(BOARD_NOTES)

    recorded = [(call.prompt_tokens, call.completion_tokens) for call in calls(llm_db)]
    reported = [(usage["prompt_tokens"], usage["completion_tokens"]) for usage in fake_llm.reported_usage]
    assert recorded == reported
    assert reported[0][1] == CLUSTER_LIMIT, "the cut-off answer's tokens are the bulk of the bill"


# degenerate answers: rejected, repaired once, never cached


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ({"themes": []}, "it has no themes for the 14 notes"),
        (
            {"themes": [{"title": "Some", "summary": "A few notes.", "notes": ["n1", "n2", "n3"]}]},
            "it placed only 3 of the 14 notes; every note id must appear once",
        ),
        (
            {"themes": [{"title": "Everything", "summary": "All.", "notes": [f"n{i}" for i in range(1, 15)]}]},
            "it put 14 of the 14 notes in one theme",
        ),
    ],
    ids=["no themes", "most notes left out", "one theme"],
)
def test_a_degenerate_answer_gets_the_repair_turn_and_is_never_cached(
    answer: dict, problem: str, fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.answer_with(json.dumps(answer), times=2)

    with pytest.raises(LLMUnavailable) as raised:
        cluster(fake_config, llm_db)

    assert problem in repair_turn(fake_llm)
    assert raised.value.reason.startswith("the LLM's answer was unusable twice (")
    assert problem in raised.value.reason
    assert cache_entries(llm_db) == 0
    assert len(calls(llm_db)) == 2, "both answers' tokens are counted all the same"


def test_a_degenerate_first_answer_is_repaired_and_only_the_good_one_cached(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.answer_with(json.dumps({"themes": []}))

    drafts = cluster(fake_config, llm_db)
    again = cluster(fake_config, llm_db)

    assert len(drafts) == 6 and again == drafts
    assert len(fake_llm.completion_requests) == 2, "the second run was answered from the cache"
    assert cache_entries(llm_db) == 1


def test_a_degenerate_answer_already_in_the_cache_is_not_served_again(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    request = build_cluster(BOARD_NOTES, PEOPLE)
    prompt = load_prompt("cluster")
    sent = [str(message.content) for message in prompt.messages(**request.variables)]
    key = cache_key("cluster", fake_config.model, prompt.version, request.inputs, sent)
    with llm_db.session() as session:  # what an earlier version of journeybot stored
        store_answer(session, key, task="cluster", model="gpt-4o-mini", prompt_version="1", result={"themes": []})

    drafts = cluster(fake_config, llm_db)

    assert len(fake_llm.completion_requests) == 1
    assert len(drafts) == 6


def test_a_synthesis_answer_that_leaves_most_themes_out_is_repaired(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.answer_with(json.dumps({"touchpoints": []}))

    placed = LLMSynthesis(fake_config, llm_db).touchpoints(TOUCHPOINT_THEMES, STAGES)

    assert "it placed none of the 5 themes" in repair_turn(fake_llm)
    assert len(placed) == len(TOUCHPOINT_THEMES)


def test_an_answer_copying_the_worked_example_is_repaired_then_falls_back_saying_so(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    example = load_prompt("summary").examples[0].assistant  # what a 135M model sent back for an invoicing workshop
    fake_llm.answer_with(json.dumps(example), times=None)

    with pytest.raises(LLMUnavailable) as raised:
        LLMSynthesis(fake_config, llm_db).summary(journey_map())

    assert "repeated the worked example's answer" in repair_turn(fake_llm)
    assert "repeated the worked example's answer" in raised.value.reason
    assert cache_entries(llm_db) == 0


# the server's own error message


LLAMA_CPP_PYTHON = {"error": {"message": "Input should be 'text' or 'json_object'", "type": "internal_server_error"}}


def test_an_http_error_keeps_the_servers_message_in_the_reason_and_the_log(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    fake_llm.fail_with(500, body=LLAMA_CPP_PYTHON, headers={"retry-after-ms": "10"}, times=None)

    with caplog.at_level(logging.WARNING), pytest.raises(LLMUnavailable) as raised:
        cluster(fake_config, llm_db)

    assert raised.value.reason == (
        "after 3 requests, the LLM server answered HTTP 500: Input should be 'text' or 'json_object'"
    )
    assert "answered HTTP 500: Input should be 'text' or 'json_object'" in caplog.text


def test_a_validation_error_names_the_problem_but_never_the_notes_it_quotes(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    note = BOARD_NOTES[3].text  # redacted on the way out: the server could only echo what it was sent
    echoed = note.replace(CARD, "[CARD_1]")
    detail = [{"type": "literal_error", "loc": ["body", "response_format", "type"], "msg": "Input should be 'text'"}]
    detail.append({"type": "string_type", "loc": ["body", "messages", 1], "msg": f"bad note: {echoed}"})
    fake_llm.fail_with(422, body={"detail": [{**item, "input": echoed} for item in detail]})

    with caplog.at_level(logging.WARNING), pytest.raises(LLMUnavailable) as raised:
        cluster(fake_config, llm_db)

    assert raised.value.reason.startswith("the LLM server answered HTTP 422: response_format.type: Input should be")
    assert len(fake_llm.completion_requests) == 1, "a 4xx is not retried"
    assert echoed not in raised.value.reason and echoed not in caplog.text
    assert "declined at checkout" not in caplog.text


def test_an_html_error_page_is_reduced_to_its_title(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.always_fail(502, retry_after_ms=10)

    with pytest.raises(LLMUnavailable) as raised:
        cluster(fake_config, llm_db)

    assert raised.value.reason == "after 3 requests, the LLM server answered HTTP 502: 502 Bad Gateway"


# the step's budget


def test_a_step_keeps_to_its_budget_across_hangs_and_retries(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.hang(30, times=None)
    config = fake_config.model_copy(update={"timeout": 0.6, "max_retries": 10, "step_budget": 1.5})

    started = time.monotonic()
    with pytest.raises(LLMUnavailable) as raised:
        cluster(config, llm_db)

    assert time.monotonic() - started < 2.5, "ten retries of 0.6 s would have taken over 6 s"
    assert raised.value.reason.startswith("the LLM could not answer within the 1.5 s allowed for one step: after ")
    assert "the server gave no answer within" in raised.value.reason
    assert 2 <= len(fake_llm.completion_requests) <= 3


def test_a_retry_after_longer_than_the_budget_left_gives_up_at_once(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.fail_with(429, headers={"Retry-After": "30"}, times=None)

    started = time.monotonic()
    with pytest.raises(LLMUnavailable) as raised:
        cluster(fake_config.model_copy(update={"step_budget": 10}), llm_db)

    assert time.monotonic() - started < 2
    assert raised.value.reason.startswith("the LLM could not answer within the 10 s allowed for one step: the server ")
    assert "HTTP 429: Rate limit reached" in raised.value.reason


# servers without strict JSON schemas


def test_a_server_without_json_schema_is_asked_for_a_json_object_with_the_schema_in_the_prompt(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    config = fake_config.model_copy(update={"structured": "json_object"})

    themes = cluster(config, llm_db)

    (request, *_) = fake_llm.completion_requests
    assert request.body["response_format"] == {"type": "json_object"}
    system = request.body["messages"][0]["content"]
    assert "follows this JSON schema" in system and '"themes"' in system
    assert sorted(i for theme in themes for i in theme.ids) == sorted(note.id for note in BOARD_NOTES)


def test_a_server_refusing_the_answers_format_is_not_asked_again(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    refusal = {
        "error": {
            "message": "1 validation error: loc ('body', 'response_format', 'type'): Input should be "
            "'text' or 'json_object'",
            "type": "internal_server_error",
        }
    }
    fake_llm.fail_with(500, body=refusal, times=None)

    with pytest.raises(LLMUnavailable) as raised:
        cluster(fake_config, llm_db)

    assert len(fake_llm.completion_requests) == 1, "the same request would be refused again"
    assert "Input should be 'text' or 'json_object'" in raised.value.reason


def test_a_server_with_tool_calling_only_is_asked_for_one_forced_function_call(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    config = fake_config.model_copy(update={"structured": "tools"})

    themes = cluster(config, llm_db)

    (request, *_) = fake_llm.completion_requests
    assert "response_format" not in request.body
    (tool,) = request.body["tools"]
    assert request.body["tool_choice"] == {"type": "function", "function": {"name": tool["function"]["name"]}}
    assert "themes" in tool["function"]["parameters"]["properties"]
    assert sorted(i for theme in themes for i in theme.ids) == sorted(note.id for note in BOARD_NOTES)
    assert [call.completion_tokens > 0 for call in calls(llm_db)] == [True], "the tool call's tokens are recorded"


def test_a_tool_call_cut_off_at_its_limit_is_reported_as_cut_off(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.responder = loop

    with pytest.raises(LLMUnavailable) as raised:
        cluster(fake_config.model_copy(update={"structured": "tools"}), llm_db)

    assert raised.value.reason == f"the LLM's answer was cut off twice at its {CLUSTER_LIMIT}-token limit"
    assert len(fake_llm.completion_requests) == 2
    assert "cut off" in repair_turn(fake_llm)
