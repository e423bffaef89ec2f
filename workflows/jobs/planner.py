"""The planner: on each tick, turns what has come due into job rows before the jobs run.

Timed work is rows with a due time and a unique key. Step deadlines are enqueued when a step opens; reminders and
digests depend on people's time zones and the state of their actions, so each tick plans the ones due today.
Several processes may plan at once: a job's unique key makes the second insert a no-op. The tick also blanks the
notes whose retention has run out (`workflows.retention.scheduled`): a few updates, done in place rather than as
a job.
"""

from __future__ import annotations

import logging
from datetime import datetime

from storage.db import Database
from workflows.actions.scheduled import Reminders
from workflows.ports import Notifier
from workflows.retention.scheduled import purge_expired_notes

log = logging.getLogger(__name__)


def plan_due_work(db: Database, notifier: Notifier, now: datetime, note_retention_days: int | None = None) -> int:
    """Enqueues the reminders and digests due as of `now`; returns how many jobs are new. With
    `note_retention_days`, first blanks the notes of maps published longer ago than that.

    A failure (Slack down for a time-zone lookup, say) is logged and planning is tried again next tick, so the
    jobs already due still run.
    """
    try:
        purge_expired_notes(db, now, note_retention_days)
    except Exception:
        log.exception("blanking expired notes failed; trying again next tick")
    try:
        return Reminders(db, notifier).plan(now)
    except Exception:
        log.exception("planning due work failed; trying again next tick")
        return 0
