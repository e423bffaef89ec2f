"""`journeybot forget --team T…`: everything stored about one workspace goes (its settings, workshops, events and
cached LLM answers), counted per table; the other workspace keeps every row; nothing goes without a yes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from journeybot.cli import main
from storage.db import Database
from storage.models import LLMCacheEntry, ThemeReview, Workshop
from tests.workspace_play import (
    NOW,
    TEAM_A,
    TEAM_B,
    contents,
    count_rows,
    footprint,
    seed_team_events,
    seed_workshop,
)
from workflows.llm.cache import store_answer
from workflows.retention.service import forget_workspace, preview_forget
from workflows.revisions.service import start_revision


@pytest.fixture
def two_workspaces(db: Database) -> None:
    """A: a published map, its revision running, an answer cached without a workshop; B: one published map."""
    first = seed_workshop(db, TEAM_A, label="Alpha")
    seed_workshop(db, TEAM_B, label="Bravo", published_at=NOW.replace(month=10))
    seed_team_events(db, TEAM_A)
    seed_team_events(db, TEAM_B)
    with db.session() as session:
        workshop = session.get_one(Workshop, first.workshop_id)
        revision = start_revision(session, TEAM_A, workshop.channel_id, workshop.facilitator_id)
        steps = {step.key: step for step in session.get_one(Workshop, revision.id).steps}
        previous = next(step for step in workshop.steps if step.key == "touchpoints").themes[0]
        session.add(
            ThemeReview(step_id=steps["touchpoints"].id, previous_theme_id=previous.id, decision="keep", user_id="U0")
        )
        store_answer(session, "f" * 64, task="summary", model="m", prompt_version="1", result={}, workshop_id=None)
        session.get_one(LLMCacheEntry, "f" * 64).team_id = TEAM_A  # cached for the workspace, no workshop left


def test_forgetting_a_workspace_removes_every_row_about_it_and_nothing_of_the_other(db, two_workspaces) -> None:
    gone, kept = footprint(db, TEAM_A), footprint(db, TEAM_B)
    before, kept_before, seen = count_rows(db, gone), count_rows(db, kept), contents(db, TEAM_B)
    assert all(before.values())  # every table holds something about it

    with db.session() as session:
        deleted = forget_workspace(session, TEAM_A)

    assert count_rows(db, gone) == dict.fromkeys(before, 0)
    assert count_rows(db, kept) == kept_before
    assert contents(db, TEAM_B) == seen
    assert deleted["workspaces"] == 1 and deleted["workshops"] == 2  # the map and its running revision
    assert deleted["llm_cache"] == before["llm_cache"] == 2
    assert {t: n for t, n in deleted.items() if n} == {t: n for t, n in before.items() if n}
    with db.session() as session:
        assert session.scalar(select(func.count(Workshop.id)).where(Workshop.team_id == TEAM_A)) == 0


def test_the_preview_counts_exactly_and_deletes_nothing(db, two_workspaces) -> None:
    gone = footprint(db, TEAM_A)
    before = count_rows(db, gone)
    preview = preview_forget(db, TEAM_A)
    assert count_rows(db, gone) == before
    with db.session() as session:
        assert forget_workspace(session, TEAM_A) == preview


def test_the_command_asks_first_and_prints_what_it_deleted(db, two_workspaces, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", db.url)
    gone = footprint(db, TEAM_A)
    before = count_rows(db, gone)

    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert main(["forget", "--team", TEAM_A]) == 1
    asked = capsys.readouterr().out
    assert f"workshops: {before['workshops']}" in asked and "Nothing was deleted" in asked
    assert count_rows(db, gone) == before

    monkeypatch.setattr("builtins.input", lambda prompt: TEAM_A)
    assert main(["forget", "--team", TEAM_A]) == 0
    printed = capsys.readouterr().out
    assert f"Deleted everything journeybot stored about workspace {TEAM_A}" in printed
    assert f"contributions: {before['contributions']}" in printed and f"jobs: {before['jobs']}" in printed
    assert count_rows(db, gone) == dict.fromkeys(before, 0)

    assert main(["forget", "--team", TEAM_B, "--yes"]) == 0  # no question asked
    assert "workspaces: 1" in capsys.readouterr().out
    assert main(["forget", "--team", TEAM_B]) == 0
    assert "stores nothing about workspace" in capsys.readouterr().out
