"""Raw notes are kept `JOURNEYBOT_NOTE_RETENTION_DAYS` after a map is published, then blanked; the map stays.

Each tick (`workflows.jobs.planner`) blanks the text and mentions of every note of the workshops published longer
ago than that, and deletes what else holds their words: Slack's stored events about their threads and the LLM
answers cached for them. The published map (`map_versions`), the themes, the action items and their history stay,
so `/journey map`, the Home tab and the exports go on working; who contributed stays (the Home tab lists the maps
people contributed to). A revision of the map carries no blanked notes (`revisions.service.carry_over`).
A workshop is done once (`notes_purged_at`), so a tick with nothing due costs one indexed query.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from storage.db import Database
from storage.models import ContributionRow, LLMCacheEntry, Step, Workshop
from workflows.retention import events
from workflows.workshop.models import WorkshopState

log = logging.getLogger(__name__)

BATCH = 50  # workshops per transaction


def purge_expired_notes(db: Database, now: datetime, days: int | None) -> int:
    """Blanks the notes of workshops published more than `days` days before `now` (None: keep them forever);
    returns how many workshops it blanked."""
    if days is None:
        return 0
    cutoff = now - timedelta(days=days)
    purged = 0
    while True:
        with db.session() as session:
            due = list(
                session.execute(
                    select(Workshop.id, Workshop.team_id)
                    .where(
                        Workshop.status == WorkshopState.published,
                        Workshop.published_at < cutoff,
                        Workshop.notes_purged_at.is_(None),
                    )
                    .order_by(Workshop.id)
                    .limit(BATCH)
                    .with_for_update(skip_locked=True)  # two ticking processes take different workshops
                )
            )
            if not due:
                return purged
            ids = [workshop_id for workshop_id, _team in due]
            steps = select(Step.id).where(Step.workshop_id.in_(ids))
            session.execute(
                update(ContributionRow)
                .where(ContributionRow.step_id.in_(steps))
                .values(text="", mentions=[])
                .execution_options(synchronize_session=False)
            )
            for team_id in sorted({team for _id, team in due}):
                of_team = [workshop_id for workshop_id, team in due if team == team_id]
                events.delete_events(session, team_id, events.of_workshops(session, of_team), processed=False)
            session.execute(
                delete(LLMCacheEntry)
                .where(LLMCacheEntry.workshop_id.in_(ids))
                .execution_options(synchronize_session=False)
            )
            session.execute(
                update(Workshop)
                .where(Workshop.id.in_(ids))
                .values(notes_purged_at=now)
                .execution_options(synchronize_session=False)
            )
        purged += len(ids)
        log.info("blanked the notes of %d workshops published before %s", len(ids), cutoff.isoformat())
