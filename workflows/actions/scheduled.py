"""Action reminders to their owners and the weekly digest in each published map's channel.

Both speak only on working days between 09:00 and 17:00 where the person lives (the map owner's time zone for a
digest). The planner (`workflows.jobs.planner`) makes one job per owner and local day (one DM, however many of their
actions are due), or per map and ISO week,
whose unique key is what guarantees nothing is sent twice; the job re-checks everything when it runs, so a done,
dropped or re-dated action, or a job that runs after the day's working hours (the bot was down), sends nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import ActionItemRow, Job, Workshop
from workflows.actions.service import action_of, done_at
from workflows.jobs import queue as jobs
from workflows.jobs.queue import JobKind
from workflows.logs import log_scope
from workflows.mapping.models import LIVE_STATUSES, ActionItem, ActionStatus
from workflows.ports import Notifier, ReminderReason, StageProgress, WeeklyDigest
from workflows.workshop.models import WorkshopState
from workflows.workshop.service import view_of
from workflows.workshop.workdays import (
    is_working_day,
    previous_working_day,
    within_working_hours,
    working_hours,
    zone,
)

NO_STAGE = "No stage"
LOOK_AHEAD = timedelta(days=5)  # a due-soon reminder comes at most this long before the due date (a long weekend)

TimezoneOf = Callable[[str], str]


def reminder_reason(due: date, today: date) -> ReminderReason | None:
    if due < today:
        return ReminderReason.overdue
    if today == previous_working_day(due):
        return ReminderReason.due_soon
    return None


def _new_jobs(session: Session, wanted: list[tuple[str, str, dict[str, Any], datetime, str]]) -> int:
    """Enqueues the jobs whose keys do not exist yet (a tick plans the same ones every minute); each tuple ends
    with the workspace the job is for."""
    existing = set(session.scalars(select(Job.key).where(Job.key.in_([key for _, key, _, _, _ in wanted]))))
    return sum(
        jobs.enqueue(session, kind, key, payload, run_at, team_id=team)
        for kind, key, payload, run_at, team in wanted
        if key not in existing
    )


def plan_reminders(db: Database, timezone_of: TimezoneOf, now: datetime) -> int:
    """Enqueues today's reminder for each active action whose owner is on a working day before 17:00."""
    with db.session() as session:
        rows = session.execute(
            select(ActionItemRow.id, ActionItemRow.owner_id, ActionItemRow.due, Workshop.team_id)
            .join(Workshop)
            .where(
                Workshop.status == WorkshopState.published,
                ActionItemRow.status.in_(LIVE_STATUSES),
                ActionItemRow.owner_id.is_not(None),
                ActionItemRow.due <= (now + LOOK_AHEAD).date(),
            )
        ).all()
    per_owner: dict[tuple[str, date], dict[str, Any]] = {}  # one DM per owner and local day, whatever they own
    team_of: dict[str, str] = {}
    for action_id, owner_id, due, team_id in sorted(rows, key=lambda row: (row.due, row.id)):
        team_of[owner_id] = team_id
        with log_scope(team_id=team_id):  # asked of the owner's own workspace
            tz_name = timezone_of(owner_id)
        tz = zone(tz_name)
        today = now.astimezone(tz).date()
        reason = reminder_reason(due, today)
        start, end = working_hours(today, tz)
        if reason is None or not is_working_day(today) or now >= end:
            continue
        payload = per_owner.setdefault(
            (owner_id, today),
            {"owner_id": owner_id, "day": today.isoformat(), "tz": tz_name, "actions": [], "at": start.isoformat()},
        )
        payload["actions"].append({"action_id": action_id, "reason": reason.value, "due": due.isoformat()})
    wanted = [
        (
            JobKind.remind_owner,
            f"remind:{owner_id}:{today.isoformat()}",
            payload,
            datetime.fromisoformat(payload["at"]),
            team_of[owner_id],
        )
        for (owner_id, today), payload in per_owner.items()
    ]
    if not wanted:
        return 0
    with db.session() as session:
        return _new_jobs(session, wanted)


def latest_published(session: Session) -> list[Workshop]:
    """Each channel's latest published map: a newer version supersedes the older ones."""
    latest: dict[tuple[str, str], Workshop] = {}
    for workshop in session.scalars(
        select(Workshop).where(Workshop.status == WorkshopState.published).order_by(Workshop.published_at, Workshop.id)
    ):
        latest[(workshop.team_id, workshop.channel_id)] = workshop
    return list(latest.values())


def plan_digests(db: Database, timezone_of: TimezoneOf, now: datetime) -> int:
    """On Mondays (the map owner's), enqueues each map's digest for 09:00, once per ISO week."""
    if now.weekday() not in (6, 0, 1):  # it is Monday somewhere only from Sunday to Tuesday in UTC
        return 0
    with db.session() as session:
        maps = [
            (w.id, w.map_owner_id or w.facilitator_id, w.published_at, w.team_id)
            for w in latest_published(session)
            if w.action_items
        ]
    wanted = []
    for workshop_id, owner_id, published_at, team_id in maps:
        with log_scope(team_id=team_id):  # asked of the owner's own workspace
            tz_name = timezone_of(owner_id)
        tz = zone(tz_name)
        today = now.astimezone(tz).date()
        start, end = working_hours(today, tz)
        # A map published this very morning has had no week yet.
        if today.weekday() != 0 or now >= end or published_at is None or published_at >= start:
            continue
        year, week, _ = today.isocalendar()
        payload = {"workshop_id": workshop_id, "day": today.isoformat(), "tz": tz_name}
        wanted.append((JobKind.weekly_digest, f"digest:{workshop_id}:{year}-W{week:02d}", payload, start, team_id))
    if not wanted:
        return 0
    with db.session() as session:
        return _new_jobs(session, wanted)


def weekly_digest(workshop: Workshop, week_start: datetime, today: date) -> WeeklyDigest:
    """The week is the seven days before `week_start` (Monday 09:00 where the map owner lives)."""
    rows = workshop.action_items
    stages = [s["name"] for s in workshop.stage_model]
    stages += sorted({r.stage or NO_STAGE for r in rows} - set(stages))
    progress = [
        StageProgress(
            stage=stage,
            done=sum(1 for r in rows if (r.stage or NO_STAGE) == stage and r.status == ActionStatus.done),
            total=sum(1 for r in rows if (r.stage or NO_STAGE) == stage and r.status != ActionStatus.dropped),
        )
        for stage in stages
    ]
    done = [r for r in rows if r.status == ActionStatus.done and week_start - timedelta(days=7) <= done_at(r)]
    overdue = [r for r in rows if r.status in LIVE_STATUSES and r.due is not None and r.due < today]
    return WeeklyDigest(
        workshop=view_of(workshop),
        week_of=today,
        done_this_week=[action_of(r) for r in done],
        overdue=[action_of(r) for r in sorted(overdue, key=lambda r: (r.due, r.id))],
        progress=[p for p in progress if p.total],
    )


class Reminders:
    def __init__(self, db: Database, notifier: Notifier) -> None:
        self.db = db
        self.notifier = notifier

    def plan(self, now: datetime) -> int:
        """Turns what has come due as of `now` into jobs; returns how many are new."""
        timezone_of = self.notifier.timezone_of
        return plan_reminders(self.db, timezone_of, now) + plan_digests(self.db, timezone_of, now)

    def remind(self, payload: dict[str, Any], now: datetime) -> None:
        """DMs the owner about each action that still calls for its reminder, if it is still their working day."""
        day = date.fromisoformat(payload["day"])
        if not within_working_hours(now, day, zone(payload["tz"])):
            return
        due: list[tuple[ActionItem, ReminderReason]] = []
        with self.db.session() as session:
            for wanted in payload["actions"]:
                row = session.get(ActionItemRow, wanted["action_id"])
                if (
                    row is not None
                    and row.status in LIVE_STATUSES
                    and row.owner_id == payload["owner_id"]
                    and row.due is not None
                    and row.due.isoformat() == wanted["due"]
                    and reminder_reason(row.due, day) == wanted["reason"]
                ):
                    due.append((action_of(row), ReminderReason(wanted["reason"])))
        if due:
            self.notifier.remind_owner(payload["owner_id"], due, day)

    def digest(self, payload: dict[str, Any], now: datetime) -> None:
        """Posts the map's weekly digest, unless a newer version replaced it or the working day is over."""
        day, tz = date.fromisoformat(payload["day"]), zone(payload["tz"])
        if not within_working_hours(now, day, tz):
            return
        with self.db.session() as session:
            workshop = session.get(Workshop, payload["workshop_id"])
            if workshop is None or workshop not in latest_published(session) or not workshop.action_items:
                return
            digest = weekly_digest(workshop, working_hours(day, tz)[0], day)
        self.notifier.post_digest(digest)
