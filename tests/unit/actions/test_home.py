"""The Home tab shows one workspace's maps and actions: in an Enterprise Grid organisation one person (one user id)
is in several workspaces, and each workspace's Home tab is its own."""

from __future__ import annotations

from sqlalchemy import update

from storage.models import ActionItemRow, Workshop
from tests.workspace_play import TEAM_A, TEAM_B, seed_workshop
from workflows.actions.service import home_of

SHARED = "U0GRIDUSER"  # the same person in both workspaces of the organisation


def test_each_workspaces_home_tab_shows_only_its_own_maps_and_actions(db):
    alpha = seed_workshop(db, TEAM_A, label="Alpha").workshop_id
    bravo = seed_workshop(db, TEAM_B, label="Bravo").workshop_id
    with db.session() as session:
        session.execute(update(Workshop).values(facilitator_id=SHARED))
        session.execute(update(ActionItemRow).values(owner_id=SHARED))
    with db.session() as session:
        homes = {team: home_of(session, SHARED, team) for team in (TEAM_A, TEAM_B)}
        everything = home_of(session, SHARED)
    assert [m.workshop_id for m in homes[TEAM_A].maps] == [alpha]
    assert [m.workshop_id for m in homes[TEAM_B].maps] == [bravo]
    assert {a.workshop_id for a in homes[TEAM_A].actions} == {alpha}
    assert {a.workshop_id for a in homes[TEAM_B].actions} == {bravo}
    assert len(everything.maps) == 2, "without a workspace (one-token mode) the tab is the person's own"
