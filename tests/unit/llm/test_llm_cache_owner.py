"""A cached LLM answer records the workshop and workspace it was made for (so deleting or forgetting finds it),
outside the key: identical inputs from anywhere still reuse it, and who owns it does not change on reuse."""

from __future__ import annotations

from sqlalchemy import select

from storage.db import Database
from storage.models import LLMCacheEntry, Workshop, Workspace
from tests.fake_openai import FakeOpenAI
from tests.llm_fixtures import BOARD_NOTES, PEOPLE
from workflows.llm import LLMConfig, LLMEngine


def test_a_stored_answer_names_its_workshop_and_workspace_and_is_reused_by_anyone(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database, workshop_id: int
) -> None:
    with llm_db.session() as session:
        session.add(Workspace(team_id="T0OTHER001"))
        session.flush()
        other = Workshop(
            team_id="T0OTHER001", channel_id="C0OTHER001", facilitator_id="U0X", objective="x", stage_model=[]
        )
        session.add(other)
        session.flush()
        other_id = other.id

    first = LLMEngine(fake_config, llm_db, workshop_id, people=PEOPLE).cluster(BOARD_NOTES)
    again = LLMEngine(fake_config, llm_db, other_id, people=PEOPLE).cluster(BOARD_NOTES)
    anonymous = LLMEngine(fake_config, llm_db, people=PEOPLE).cluster(BOARD_NOTES)

    assert again == first == anonymous
    assert len(fake_llm.completion_requests) == 1  # the key did not change: one answer serves all three
    with llm_db.session() as session:
        (entry,) = session.scalars(select(LLMCacheEntry)).all()
    assert (entry.workshop_id, entry.team_id) == (workshop_id, "T0TEAM001")


def test_an_answer_made_outside_any_workshop_has_no_owner(
    fake_llm: FakeOpenAI, fake_config: LLMConfig, llm_db: Database
) -> None:
    LLMEngine(fake_config, llm_db).cluster(BOARD_NOTES)
    with llm_db.session() as session:
        (entry,) = session.scalars(select(LLMCacheEntry)).all()
    assert (entry.workshop_id, entry.team_id) == (None, None)
