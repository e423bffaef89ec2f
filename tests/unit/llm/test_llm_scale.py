"""Above the pre-bucketing threshold the model sees groups (size and a few representative notes), not notes:
token use grows with the number of groups, not with the size of the board."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from storage.db import Database
from tests.fake_openai import FakeOpenAI, prompt_tokens
from tests.llm_fixtures import BOARD_NOTES
from workflows.llm import LLMConfig, LLMEngine
from workflows.llm.tasks.groups import SAMPLES_PER_GROUP
from workflows.themes.clustering.base import Note, ThemeDraft


class TwoGroups:
    """A pre-grouping into the first and the second half of the board."""

    name = "two-groups"

    def cluster(self, notes: Sequence[Note]) -> list[ThemeDraft]:
        half = len(notes) // 2
        return [
            ThemeDraft(title="first", ids=[n.id for n in notes[:half]]),
            ThemeDraft(title="second", ids=[n.id for n in notes[half:]]),
        ]


def each_group_a_theme(body: dict[str, Any]) -> dict[str, Any]:
    """Names every group as a theme of its own: the repeated notes would otherwise be merged into one theme, an
    answer the client rejects (`workflows.llm.checks`)."""
    groups = re.findall(r"^(g\d+) \(", body["messages"][-1]["content"], re.M)
    return {"themes": [{"title": f"Group {g}", "summary": "Notes.", "groups": [g], "notes": []} for g in groups]}


def board(copies: int) -> list[Note]:
    return [
        Note(id=f"{note.id}-{copy}", text=note.text if copy == 0 else f"{note.text} (again, {copy})")
        for copy in range(copies)
        for note in BOARD_NOTES
    ]


def test_a_large_board_shows_each_groups_size_and_a_few_samples(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    notes = board(3)
    engine = LLMEngine(fake_config.model_copy(update={"prebucket_threshold": 8}), llm_db, pregroup=TwoGroups())

    drafts = engine.cluster(notes)

    request = fake_llm.completion_requests[0].body["messages"][-1]["content"]
    assert re.findall(r"^g\d+ \(\d+ notes\)$", request, re.M) == ["g1 (21 notes)", "g2 (21 notes)"]
    assert len(re.findall(r"^  n\d+: ", request, re.M)) == 2 * SAMPLES_PER_GROUP
    assert Counter(i for draft in drafts for i in draft.ids) == Counter(note.id for note in notes)


def test_tokens_grow_with_the_groups_not_with_the_notes(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    config = fake_config.model_copy(update={"prebucket_threshold": 8})
    fake_llm.responder = each_group_a_theme
    for copies in (1, 10):
        LLMEngine(config, llm_db, pregroup=TwoGroups()).cluster(board(copies))

    small, large = (prompt_tokens(request.body) for request in fake_llm.completion_requests)
    assert large < 1.2 * small  # ten times the notes, about the same prompt
