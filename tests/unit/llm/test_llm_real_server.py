"""journeybot's LLM tasks replayed from a real server's answers: llama.cpp's `llama-server` serving
SmolLM2-135M-Instruct, as `make check-llm` builds and serves it, recorded with `make record-llm`.

The cassettes in tests/cassettes/test_llm_real_server/ hold what that server really sent: its answers, finish
reasons, token counts and timings, not the project's fake server's. A 135M model's answers are mostly unusable
(it loops until `max_tokens`, or forgets notes), so these tests assert the protocol, never the model's wisdom:
each request asked for a strict JSON schema (or a forced function call, in `tools` mode) and a `max_tokens`;
each answer was used whole, or repaired, or the task fell back with a reason that names what was wrong; the
tokens journeybot recorded are the server's own.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import LLMCall
from tests.llm_fixtures import BOARD_NOTES, PEOPLE, PERSONA_THEMES, STAGES, TOUCHPOINT_THEMES
from workflows.llm import LLMConfig, LLMEngine, LLMSynthesis, LLMUnavailable

pytestmark = pytest.mark.vcr
MODEL = "smollm2"  # the alias deploy/check-llm.sh serves the model under
FALLBACK_REASON = re.compile(r"cut off|invalid|placed only|placed none|left|unusable")


@pytest.fixture
def server_config() -> LLMConfig:
    """Replays need no server; recording (`make record-llm`) points OPENAI_BASE_URL at the local one. The limits are
    a CPU server's: one request may take minutes, and none is retried (a retry would not be in the cassette)."""
    return LLMConfig(
        api_key=os.environ.get("OPENAI_API_KEY", "sk-replay-no-key"),
        base_url=os.environ.get("OPENAI_BASE_URL") or "http://127.0.0.1:8080/v1",
        model=MODEL,
        timeout=600,
        max_retries=0,
        step_budget=1200,
    )


def outcome(task: Callable[[], Any]) -> tuple[Any, str | None]:
    """The task's result, or the reason it fell back."""
    try:
        return task(), None
    except LLMUnavailable as failure:
        return None, failure.reason


def asked_for_the_shape(request: dict[str, Any]) -> bool:
    """A strict JSON schema, or (JOURNEYBOT_LLM_STRUCTURED=tools) one forced function call with the schema."""
    if "tools" in request:
        return request["tool_choice"]["function"]["name"] == request["tools"][0]["function"]["name"]
    return request["response_format"]["type"] == "json_schema"


def assert_protocol(cassette: Any, db: Database, reason: str | None) -> None:
    requests = [json.loads(request.body) for request in cassette.requests]
    bodies = [json.loads(response["body"]["string"]) for response in cassette.responses]
    assert requests
    if cassette.record_mode == "none":  # replaying: every recorded exchange was asked for, once
        assert cassette.play_count == len(requests)
    assert all(asked_for_the_shape(r) and r["max_completion_tokens"] > 0 for r in requests)
    assert all(body["model"] and body["usage"]["completion_tokens"] > 0 for body in bodies), "a real server answered"
    with db.session() as session:
        recorded = [
            (c.prompt_tokens, c.completion_tokens) for c in session.scalars(select(LLMCall).order_by(LLMCall.id))
        ]
    assert recorded == [(b["usage"]["prompt_tokens"], b["usage"]["completion_tokens"]) for b in bodies]
    cut_off = [body["choices"][0]["finish_reason"] == "length" for body in bodies]
    if reason is None:
        assert len(requests) <= 2 and not cut_off[-1], "used as answered, or after one repair turn"
    else:
        assert len(requests) == 2, "an unusable answer gets one repair turn before the fallback"
        assert FALLBACK_REASON.search(reason), reason
        assert ("cut off" in reason) == cut_off[-1], "a cut-off answer is reported as cut off, and only then"


def test_clustering_places_every_note_once_or_falls_back_saying_why(
    server_config: LLMConfig, llm_db: Database, vcr: Any
) -> None:
    drafts, reason = outcome(lambda: LLMEngine(server_config, llm_db, people=PEOPLE).cluster(BOARD_NOTES))
    if drafts is not None:
        assert sorted(i for draft in drafts for i in draft.ids) == sorted(note.id for note in BOARD_NOTES)
    assert_protocol(vcr, llm_db, reason)


def test_the_persona_is_written_or_falls_back_saying_why(server_config: LLMConfig, llm_db: Database, vcr: Any) -> None:
    persona, reason = outcome(lambda: LLMSynthesis(server_config, llm_db, people=PEOPLE).persona(PERSONA_THEMES))
    if persona is not None:
        assert persona.name.strip()
    assert_protocol(vcr, llm_db, reason)


def test_touchpoints_land_on_the_workshops_stages_or_fall_back_saying_why(
    server_config: LLMConfig, llm_db: Database, vcr: Any
) -> None:
    synthesis = LLMSynthesis(server_config, llm_db, people=PEOPLE)
    placed, reason = outcome(lambda: synthesis.touchpoints(TOUCHPOINT_THEMES, STAGES))
    if placed is not None:
        assert [item.theme_id for _, item in placed] == [theme.id for theme in TOUCHPOINT_THEMES]
        assert {stage for stage, _ in placed} <= {stage.name for stage in STAGES}
    assert_protocol(vcr, llm_db, reason)


def test_a_persona_asked_for_as_a_forced_tool_call_is_read_whether_called_or_answered_plainly(
    server_config: LLMConfig, llm_db: Database, vcr: Any
) -> None:
    """llama-server with SmolLM2's chat template answers a forced call in plain content (the template has no tools);
    journeybot reads that the same way as a call's arguments (here: the worked example copied, so it falls back)."""
    config = server_config.model_copy(update={"structured": "tools"})
    persona, reason = outcome(lambda: LLMSynthesis(config, llm_db, people=PEOPLE).persona(PERSONA_THEMES))
    if persona is not None:
        assert persona.name.strip()
    assert all("tools" in json.loads(request.body) for request in vcr.requests)
    assert_protocol(vcr, llm_db, reason)
