"""Deleting one workshop (`/journey delete`): every row about it goes, in every table, and nothing of the other
workshops or the other workspace does; only its facilitator or a workspace admin may."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import ContributionRow, Job, ProcessedEvent, Step, Workshop
from tests.workspace_play import (
    CHANNEL,
    NOW,
    PEOPLE,
    TEAM_A,
    TEAM_B,
    contents,
    count_rows,
    footprint,
    seed_team_events,
    seed_workshop,
)
from workflows.jobs.queue import JobKind
from workflows.retention.service import NothingToDelete, delete_workshop, preview_deletion
from workflows.revisions.service import carry_over, start_revision
from workflows.workshop.errors import NotAllowed


@pytest.fixture
def two_workspaces(db: Database) -> dict[str, list[int]]:
    """Workspace A with two maps (an old one and the latest), workspace B with one, in the same channel id."""
    old = seed_workshop(db, TEAM_A, label="Alpha v1", published_at=NOW.replace(month=6))
    latest = seed_workshop(db, TEAM_A, label="Alpha latest", published_at=NOW.replace(month=9))
    other = seed_workshop(db, TEAM_B, label="Bravo")
    seed_team_events(db, TEAM_A)
    seed_team_events(db, TEAM_B)
    return {TEAM_A: [old.workshop_id, latest.workshop_id], TEAM_B: [other.workshop_id]}


def test_deleting_a_workshop_removes_every_row_about_it_and_nothing_else(db, two_workspaces) -> None:
    old, latest = two_workspaces[TEAM_A]
    gone = footprint(db, TEAM_A, [latest])
    before = count_rows(db, gone)
    # Every table holds something about it but the workspace's own rows, event ids and revision reviews.
    assert {table for table, count in before.items() if not count} == {
        "workspaces",
        "processed_events",
        "theme_reviews",
    }
    kept_a, kept_b = footprint(db, TEAM_A, [old]), footprint(db, TEAM_B)
    counts_a, counts_b = count_rows(db, kept_a), count_rows(db, kept_b)
    seen_b = contents(db, TEAM_B)
    facilitator = PEOPLE[TEAM_A][0]

    with db.session() as session:
        preview = preview_deletion(session, TEAM_A, CHANNEL, facilitator, is_admin=False)
    assert preview.workshop_id == latest  # no workshop is open: the latest published one
    assert (preview.notes, preview.themes, preview.actions, preview.map_versions) == (10, 5, 1, 1)
    with db.session() as session:
        deleted = delete_workshop(session, TEAM_A, latest, facilitator, is_admin=False)

    assert deleted is not None
    assert count_rows(db, gone) == dict.fromkeys(before, 0)
    # What it reports is what there was, table by table (its own events' ids stay: they hold no content).
    assert {t: n for t, n in deleted.rows.items() if n} == {t: n for t, n in before.items() if n}
    assert count_rows(db, kept_a) == counts_a
    assert count_rows(db, kept_b) == counts_b
    assert contents(db, TEAM_B) == seen_b
    with db.session() as session:
        assert session.scalar(select(ProcessedEvent).where(ProcessedEvent.event_id == f"Ev{TEAM_A}HOME"))
        # The Home tabs that showed it are refreshed by a job that names only the people.
        (refresh,) = session.scalars(select(Job).where(Job.key.startswith("notify_actions:homes:"))).all()
    assert set(refresh.payload["homes"]) == set(PEOPLE[TEAM_A]) and refresh.payload["action_id"] is None


def test_a_second_delete_finds_it_gone(db, two_workspaces) -> None:
    latest = two_workspaces[TEAM_A][1]
    facilitator = PEOPLE[TEAM_A][0]
    with db.session() as session:
        assert delete_workshop(session, TEAM_A, latest, facilitator, is_admin=False) is not None
    with db.session() as session:
        assert delete_workshop(session, TEAM_A, latest, facilitator, is_admin=False) is None


def test_a_participant_may_not_delete_and_nothing_changes(db, two_workspaces) -> None:
    latest = two_workspaces[TEAM_A][1]
    participant = PEOPLE[TEAM_A][1]
    everything = footprint(db, TEAM_A)
    before, seen = count_rows(db, everything), contents(db, TEAM_A)

    with pytest.raises(NotAllowed, match="only the workshop's facilitator or a workspace admin"), db.session() as s:
        preview_deletion(s, TEAM_A, CHANNEL, participant, is_admin=False)
    with pytest.raises(NotAllowed), db.session() as session:
        delete_workshop(session, TEAM_A, latest, participant, is_admin=False)

    assert count_rows(db, everything) == before
    assert contents(db, TEAM_A) == seen


def test_a_workspace_admin_may_delete_any_workshop_of_the_channel_by_number(db, two_workspaces) -> None:
    old, latest = two_workspaces[TEAM_A]
    admin = PEOPLE[TEAM_A][2]
    with db.session() as session:
        preview = preview_deletion(session, TEAM_A, CHANNEL, admin, is_admin=True, workshop_id=old)
        assert preview.workshop_id == old
        assert delete_workshop(session, TEAM_A, old, admin, is_admin=True) is not None
    with db.session() as session:
        assert session.get(Workshop, latest) is not None and session.get(Workshop, old) is None


def test_another_workspace_cannot_reach_a_workshop_by_its_number(db, two_workspaces) -> None:
    theirs = two_workspaces[TEAM_A][1]
    everything = footprint(db, TEAM_A)
    before = count_rows(db, everything)
    with pytest.raises(NothingToDelete), db.session() as session:  # same channel id, other workspace
        preview_deletion(session, TEAM_B, CHANNEL, PEOPLE[TEAM_B][0], is_admin=True, workshop_id=theirs)
    with db.session() as session:
        assert delete_workshop(session, TEAM_B, theirs, PEOPLE[TEAM_B][0], is_admin=True) is None
    with pytest.raises(NothingToDelete), db.session() as session:  # same workspace, another channel
        preview_deletion(session, TEAM_A, "C0ELSEWHR1", PEOPLE[TEAM_A][0], is_admin=True, workshop_id=theirs)
    assert count_rows(db, everything) == before


def test_the_open_workshop_comes_before_the_published_map(db, two_workspaces) -> None:
    running = seed_workshop(db, TEAM_A, label="Alpha running", published_at=None)
    with db.session() as session:
        preview = preview_deletion(session, TEAM_A, CHANNEL, PEOPLE[TEAM_A][0], is_admin=False)
    assert (preview.workshop_id, preview.status) == (running.workshop_id, "open")


def test_a_reminder_listing_actions_of_two_maps_keeps_the_other_maps_action(db, two_workspaces) -> None:
    old, latest = two_workspaces[TEAM_A]
    with db.session() as session:
        reminders = {
            job.payload["actions"][0]["action_id"]: job
            for job in session.scalars(select(Job).where(Job.kind == JobKind.remind_owner))
            if job.payload["owner_id"] == PEOPLE[TEAM_A][2]
        }
        (old_action,) = session.get_one(Workshop, old).action_items
        (latest_action,) = session.get_one(Workshop, latest).action_items
        shared = reminders[latest_action.id]
        shared.payload = {**shared.payload, "actions": [*shared.payload["actions"], {"action_id": old_action.id}]}
        shared_id = shared.id
    with db.session() as session:
        delete_workshop(session, TEAM_A, latest, PEOPLE[TEAM_A][0], is_admin=False)
    with db.session() as session:
        assert session.get_one(Job, shared_id).payload["actions"] == [{"action_id": old_action.id}]


def test_deleting_a_version_leaves_its_revision_whole(db, two_workspaces) -> None:
    latest = two_workspaces[TEAM_A][1]
    facilitator = PEOPLE[TEAM_A][0]
    with db.session() as session:
        revision = start_revision(session, TEAM_A, CHANNEL, facilitator)
        step = session.scalar(select(Step).where(Step.workshop_id == revision.id, Step.key == "touchpoints"))
        carry_over(session, step)
    with db.session() as session:
        delete_workshop(session, TEAM_A, latest, facilitator, is_admin=False)
    with db.session() as session:
        kept = session.get_one(Workshop, revision.id)
        carried = session.scalars(select(ContributionRow).join(Step).where(Step.workshop_id == revision.id)).all()
    assert kept.revision_of_id is None and kept.version == 2
    assert len(carried) == 2 and all(note.carried_from_id is None and note.text for note in carried)
