"""`JOURNEYBOT_NOTE_RETENTION_DAYS`: a tick blanks the notes (and deletes the raw Slack events and cached LLM
answers) of maps published longer ago than that, and only those; the map, its themes and actions stay, `/journey
map` and the Home tab still show it, and a revision of it carries no blank notes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import build_flows
from journeybot.settings import Settings
from storage.db import Database
from storage.models import ContributionRow, Job, LLMCacheEntry, Step, Workshop
from tests.recording_notifier import RecordingNotifier
from tests.workspace_play import CHANNEL, NOW, PEOPLE, TEAM_A, TEAM_B, Seeded, contents, seed_workshop
from workflows.actions.service import home_of, latest_map
from workflows.jobs.planner import plan_due_work
from workflows.retention.scheduled import purge_expired_notes
from workflows.revisions.service import carry_over, previous_themes, start_revision
from workflows.workshop.flows import Flows


@pytest.fixture
def maps(db: Database) -> dict[str, Seeded]:
    """In workspace A: a map published 100 days ago, one published 5 days ago, a workshop still running; in B a map
    published 10 days ago (same channel id as A's old one)."""
    return {
        "old": seed_workshop(db, TEAM_A, label="Alpha old", published_at=NOW - timedelta(days=100)),
        "recent": seed_workshop(
            db, TEAM_A, label="Alpha new", published_at=NOW - timedelta(days=5), channel_id="C0NEW"
        ),
        "running": seed_workshop(db, TEAM_A, label="Alpha run", published_at=None, channel_id="C0RUNNING"),
        "other": seed_workshop(db, TEAM_B, label="Bravo", published_at=NOW - timedelta(days=10)),
    }


def _notes(db: Database, workshop_id: int) -> list[ContributionRow]:
    with db.session() as session:
        return list(session.scalars(select(ContributionRow).join(Step).where(Step.workshop_id == workshop_id)))


def _stored_events(db: Database) -> set[str]:
    with db.session() as session:
        return {key.removeprefix("event:") for key in session.scalars(select(Job.key).where(Job.kind == "slack_event"))}


def test_only_maps_published_longer_ago_are_blanked_and_the_map_stays(db, maps) -> None:
    old = maps["old"].workshop_id
    with db.session() as session:
        map_before = latest_map(session, TEAM_A, CHANNEL).model_dump()
    seen_b, seen_a = contents(db, TEAM_B), contents(db, TEAM_A)

    assert purge_expired_notes(db, NOW, 30) == 1

    blanked = _notes(db, old)
    assert len(blanked) == 10 and {(n.text, tuple(n.mentions)) for n in blanked} == {("", ())}
    assert {n.user_id for n in blanked} == set(PEOPLE[TEAM_A][1:])  # who contributed stays: the Home tab needs it
    for kept in ("recent", "running", "other"):
        assert [n.text for n in _notes(db, maps[kept].workshop_id)] == maps[kept].notes
    # Slack's raw events about its threads go; the others' stay.
    assert not set(maps["old"].event_ids) & _stored_events(db)
    assert {e for k in ("recent", "running", "other") for e in maps[k].event_ids} <= _stored_events(db)
    with db.session() as session:
        owners = set(session.scalars(select(LLMCacheEntry.workshop_id)))
        assert owners == {maps[k].workshop_id for k in ("recent", "running", "other")}
        assert session.get_one(Workshop, old).notes_purged_at == NOW
        # The map, the themes, the actions and their history stay; `/journey map` and the Home tab still work.
        assert latest_map(session, TEAM_A, CHANNEL).model_dump() == map_before
        home = home_of(session, PEOPLE[TEAM_A][1])
    assert {(m.workshop_id, m.role) for m in home.maps} >= {(old, "contributor")}
    after_a = contents(db, TEAM_A)
    assert after_a["notes"] != seen_a["notes"]
    assert {k: v for k, v in after_a.items() if k != "notes"} == {k: v for k, v in seen_a.items() if k != "notes"}
    assert contents(db, TEAM_B) == seen_b

    assert purge_expired_notes(db, NOW + timedelta(days=1), 30) == 0  # once is enough
    assert purge_expired_notes(db, NOW + timedelta(days=60), None) == 0  # unset: kept forever


def test_a_revision_of_a_blanked_map_carries_no_blank_notes(db, maps) -> None:
    purge_expired_notes(db, NOW, 30)
    with db.session() as session:
        revision = start_revision(session, TEAM_A, CHANNEL, PEOPLE[TEAM_A][0])
        step = session.scalar(select(Step).where(Step.workshop_id == revision.id, Step.key == "pain_points"))
        shown = carry_over(session, step)
        assert step.contributions == []
        assert [(t.title, t.notes, t.quote) for t in previous_themes(session, step)] == [
            ("Alpha old pain_points theme", 2, None)
        ]
    assert [t.title for t in shown] == ["Alpha old pain_points theme"]


def test_the_tick_runs_the_pass_with_the_setting(db, maps) -> None:
    assert plan_due_work(db, RecordingNotifier(), NOW, None) >= 0
    assert _notes(db, maps["old"].workshop_id)[0].text  # unset: nothing blanked

    Flows(db, RecordingNotifier(), note_retention_days=3).run_due(NOW)

    assert {n.text for n in _notes(db, maps["old"].workshop_id)} == {""}
    assert {n.text for n in _notes(db, maps["recent"].workshop_id)} == {""}
    assert {n.text for n in _notes(db, maps["other"].workshop_id)} == {""}
    assert [n.text for n in _notes(db, maps["running"].workshop_id)] == maps["running"].notes  # not published


def test_the_setting_reaches_the_worker_and_the_tick(db, monkeypatch) -> None:
    monkeypatch.setenv("JOURNEYBOT_NOTE_RETENTION_DAYS", "30")
    settings = Settings(_env_file=None, database_url=db.url)
    assert settings.journeybot_note_retention_days == 30
    assert build_flows(settings, db)[1].note_retention_days == 30
    monkeypatch.delenv("JOURNEYBOT_NOTE_RETENTION_DAYS")
    assert build_flows(Settings(_env_file=None, database_url=db.url), db)[1].note_retention_days is None
