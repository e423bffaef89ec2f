"""Faults injected by the fake OpenAI server: retried in the client, repaired once, or `LLMUnavailable`.

A workshop never stalls on the LLM: what the client's retries and the one repair attempt cannot fix becomes
`LLMUnavailable`, on which the caller uses the embedded engine.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import LLMCall
from tests.fake_openai import INVALID_JSON, FakeOpenAI
from tests.llm_fixtures import (
    ACTION_NOTES,
    BOARD_NOTES,
    PAIN_THEMES,
    PEOPLE,
    PERSONA_THEMES,
    STAGES,
    TODAY,
    TOUCHPOINT_THEMES,
    journey_map,
)
from workflows.llm import LLMConfig, LLMEngine, LLMSynthesis, LLMUnavailable
from workflows.themes.clustering.base import ThemeDraft


def cluster(config: LLMConfig, db: Database) -> list[ThemeDraft]:
    return LLMEngine(config, db, people=PEOPLE).cluster(BOARD_NOTES)


def assert_every_note_once(drafts: Sequence[ThemeDraft]) -> None:
    assert Counter(i for draft in drafts for i in draft.ids) == Counter(note.id for note in BOARD_NOTES)


def test_a_rate_limit_is_retried_after_the_servers_retry_after(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.fail_with(429, headers={"Retry-After": "1"})

    drafts = cluster(fake_config, llm_db)

    first, second = fake_llm.completion_requests
    assert second.received_at - first.received_at >= 0.95
    assert_every_note_once(drafts)
    assert len(drafts) == 6


def test_a_server_error_is_retried(fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database) -> None:
    fake_llm.fail_with(500)

    assert_every_note_once(cluster(fake_config, llm_db))
    assert len(fake_llm.completion_requests) == 2


def test_a_hang_past_the_timeout_is_retried(fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database) -> None:
    fake_llm.hang(5)

    drafts = cluster(fake_config.model_copy(update={"timeout": 0.5}), llm_db)

    assert_every_note_once(drafts)
    first, second = fake_llm.completion_requests
    assert second.received_at - first.received_at >= 0.5


def test_invalid_json_gets_one_repair_attempt_then_succeeds(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.answer_invalid_json()

    drafts = cluster(fake_config, llm_db)

    assert_every_note_once(drafts)
    first, second = fake_llm.completion_requests
    follow_up = second.body["messages"][len(first.body["messages"]) :]
    assert [message["role"] for message in follow_up] == ["assistant", "user"]
    assert follow_up[0]["content"] == INVALID_JSON
    assert "not valid JSON" in follow_up[1]["content"]
    with llm_db.session() as session:
        assert len(session.scalars(select(LLMCall).where(LLMCall.cached.is_(False))).all()) == 2


def test_invalid_json_twice_makes_the_llm_unavailable(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.answer_invalid_json(times=2)

    with pytest.raises(LLMUnavailable, match="invalid twice"):
        cluster(fake_config, llm_db)
    assert len(fake_llm.completion_requests) == 2


def test_a_schema_invalid_answer_is_re_asked_with_the_validation_error(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    out_of_range = {"touchpoints": [{"theme": "t1", "stage": "Awareness", "channel": None, "emotion": 7}]}
    fake_llm.answer_with(json.dumps(out_of_range))

    placed = LLMSynthesis(fake_config, llm_db).touchpoints(TOUCHPOINT_THEMES, STAGES)

    assert len(placed) == len(TOUCHPOINT_THEMES)
    repair_turn = fake_llm.completion_requests[1].body["messages"][-1]["content"]
    assert "touchpoints.0.emotion" in repair_turn
    assert "less than or equal to 2" in repair_turn


def forgetful(keep: Callable[[list[str]], list[str]]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A valid answer that puts only some of the note ids in one theme, and invents one."""

    def answer(body: dict[str, Any]) -> dict[str, Any]:
        ids = [line.split(":")[0] for line in body["messages"][-1]["content"].splitlines() if line[:1] == "n"]
        return {"themes": [{"title": "Half the board", "summary": "Some notes.", "notes": [*keep(ids), "n999"]}]}

    return answer


def test_an_answer_that_forgets_half_the_notes_drops_none(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.responder = forgetful(lambda ids: ids[: len(ids) // 2])

    drafts = cluster(fake_config, llm_db)

    assert_every_note_once(drafts)
    half = len(BOARD_NOTES) // 2
    assert drafts[0].title == "Half the board" and drafts[0].ids == [note.id for note in BOARD_NOTES[:half]]
    assert [draft.ids for draft in drafts[1:]] == [[note.id] for note in BOARD_NOTES[half:]]  # each alone


def test_a_server_that_always_fails_makes_the_llm_unavailable_after_the_retries(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.always_fail(503)

    with pytest.raises(LLMUnavailable) as raised:
        cluster(fake_config, llm_db)

    assert len(fake_llm.completion_requests) == fake_config.max_retries + 1
    assert raised.value.reason == (
        "after 3 requests, the LLM server answered HTTP 503: The engine is currently overloaded, please try again later"
    )


@pytest.mark.parametrize(
    "task",
    [
        lambda tasks: tasks.persona(PERSONA_THEMES),
        lambda tasks: tasks.touchpoints(TOUCHPOINT_THEMES, STAGES),
        lambda tasks: tasks.pain_points(PAIN_THEMES, TOUCHPOINT_THEMES, [], STAGES),
        lambda tasks: tasks.actions(ACTION_NOTES, PAIN_THEMES, TODAY),
        lambda tasks: tasks.summary(journey_map()),
    ],
    ids=["persona", "touchpoints", "pain_points", "actions", "summary"],
)
def test_every_synthesis_task_reports_an_unavailable_llm_for_the_fallback(
    task: Callable[[LLMSynthesis], object], fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    fake_llm.always_fail(500)

    with pytest.raises(LLMUnavailable):
        task(LLMSynthesis(fake_config.model_copy(update={"max_retries": 0}), llm_db))
