"""The slow half of the workshop, run as durable jobs after Slack has been answered.

open_step posts a step's question; close_step clusters its contributions, posts the themes and moves on;
publish assembles the map, stores the version and hands the files to the notifier. Each is safe to re-run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from storage.db import Database
from storage.models import Step, Workshop, utcnow
from workflows.actions import service as actions
from workflows.actions.scheduled import Reminders
from workflows.jobs import queue as jobs
from workflows.jobs.planner import plan_due_work
from workflows.jobs.queue import JobKind
from workflows.llm.engine import LLMSynthesis
from workflows.llm.render import count
from workflows.logs import bind
from workflows.mapping import canvas
from workflows.mapping.assembly import Placements, create_action_items, draft_map, published_map
from workflows.mapping.models import STEP_ORDER, StepKey
from workflows.metrics import LLM_FALLBACKS
from workflows.ports import Notifier
from workflows.revisions import service as revisions
from workflows.themes import reactions
from workflows.themes.clustering.agreement import grouping_doubt
from workflows.themes.clustering.base import ClusterEngine
from workflows.themes.clustering.embedded import EmbeddedEngine
from workflows.themes.service import (
    StepPlan,
    cluster_step,
    free_notes,
    named_apart,
    notes_of,
    step_plan,
    store_themes,
    themes_of,
)
from workflows.workshop.engines import EngineChoice
from workflows.workshop.machine import move_step, move_workshop
from workflows.workshop.models import PublishMode, StepState, WorkshopState
from workflows.workshop.scheduled import StepDeadlines
from workflows.workshop.service import awaiting_review, enqueue_publish, mark_step_opened, request_draft, view_of
from workflows.workshop.steps import STEPS

OPENING_WAIT = timedelta(seconds=2)  # a step's question is posted, then recorded: a close asked between waits

log = logging.getLogger(__name__)


class Flows:
    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        engines: EngineChoice | None = None,
        today: Callable[[], date] = date.today,
        clock: Callable[[], datetime] = utcnow,
        note_retention_days: int | None = None,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.engines = engines or EngineChoice(db, None)
        self.today = today
        self.clock = clock  # what "now" is for a tick without one (the worker's): the demo fast-forwards it
        self.note_retention_days = note_retention_days  # raw notes blanked this long after publishing; None: kept

    def handlers(self) -> dict[str, jobs.JobHandler]:
        deadlines, reminders = StepDeadlines(self.db, self.notifier), Reminders(self.db, self.notifier)
        return {
            JobKind.open_step: self.open_step,
            JobKind.close_step: self.close_step,
            JobKind.publish: self.publish,
            JobKind.draft: self.draft,
            JobKind.revision_prompt: self.revision_prompt,
            JobKind.step_nudge: deadlines.nudge,
            JobKind.step_deadline: deadlines.close,
            JobKind.remind_owner: reminders.remind,
            JobKind.weekly_digest: reminders.digest,
            JobKind.notify_actions: self.notify_actions,
        }

    def run_due(self, now: datetime | None = None) -> int:
        """One tick: plans the reminders and digests due as of `now` (the worker's minute, or `journeybot tick
        --now`), then runs every job due."""
        plan_due_work(self.db, self.notifier, now or self.clock(), self.note_retention_days)
        return jobs.run_due_jobs(self.db, self.handlers(), now, clock=self.clock)

    def open_step(self, payload: dict[str, Any], now: datetime) -> None:
        with self.db.session() as session:
            workshop = session.get_one(Workshop, payload["workshop_id"])
            step = next(s for s in workshop.steps if s.key == payload.get("step", StepKey.objective.value))
            if workshop.status != WorkshopState.open or step.status != StepState.pending:
                return
            view = view_of(workshop)
        if step.key == StepKey.objective.value:
            self.notifier.post_kickoff(view)
        tz = self.notifier.timezone_of(view.facilitator_id)  # the deadline counts the facilitator's working days
        # Nothing between the post and its record: a reply that comes in between waits (`Outcome.step_opening`).
        ts = self.notifier.post_step(view, STEPS[StepKey(step.key)])
        with self.db.session() as session:
            opened = session.get_one(Step, step.id)
            mark_step_opened(session, opened, ts, now, tz)
            previous = revisions.carry_over(session, opened)
        if previous:
            self.notifier.post_previous_themes(view, STEPS[StepKey(step.key)], ts, previous)

    def close_step(self, payload: dict[str, Any], now: datetime) -> None:
        with self.db.session() as session:
            step = session.get_one(Step, payload["step_id"])
            workshop = step.workshop
            bind(workshop_id=workshop.id)  # the job's log lines name the workshop, not only the step
            if workshop.status != WorkshopState.open:
                return
            if step.status == StepState.pending:
                raise jobs.Postpone("the step's question is still being posted", OPENING_WAIT)
            if step.status == StepState.open:
                move_step(step, StepState.closing)  # `/journey next` came while its question was being posted
            if step.status != StepState.closing:
                return
            contributions = free_notes(step)  # themes a person edited before a re-run stay as they are
            engine = self.engines.cluster_engine(workshop)
            plan = step_plan(step)
            view, key, reopened = view_of(workshop), StepKey(step.key), step.reopened
        if not isinstance(engine, EmbeddedEngine):  # seconds to minutes, on a local server: say it is under way
            position = f"step {STEP_ORDER.index(key) + 1} of {len(STEP_ORDER)}"
            model = engine.name.removeprefix("llm:")
            text = f"Grouping {count(len(contributions), 'note')} with the LLM ({model})… {position}."
            self.notifier.show_progress(view, text, key=f"w{view.id}:{key.value}:r{reopened}:progress")
        drafts, engine_name, note = self._cluster(engine, contributions, plan)
        with self.db.session() as session:
            step = session.get_one(Step, payload["step_id"])
            if step.workshop.status != WorkshopState.open:  # cancelled while its notes were being grouped
                return
            store_themes(session, step, revisions.settle_titles(session, step, drafts), engine_name)
            step.engine_note = note
        with self.db.session() as session:
            step = session.get_one(Step, payload["step_id"])
            themes, step_ts = themes_of(step), step.message_ts
        info = STEPS[key]
        posted = self.notifier.post_themes(view, info, step_ts or "", themes, note, step_id=step.id, reopened=reopened)
        with self.db.session() as session:
            step = session.get_one(Step, payload["step_id"])
            step.themes_ts = posted.thread_ts
            reactions.store_theme_messages(session, step, posted.theme_ts)
        # Prompts only once the messages are known: a reaction from then on finds its theme.
        self.notifier.prompt_reactions(view, info, posted.theme_ts)
        with self.db.session() as session:
            step = session.get_one(Step, payload["step_id"])
            move_step(step, StepState.closed, now)
            self._move_on(session, step, now)

    def _cluster(
        self, engine: ClusterEngine, contributions: list, plan: StepPlan | None
    ) -> tuple[list, str, str | None]:
        """Clusters with the chosen engine; any failure falls back to the embedded one, and says so.

        Only the embedded engine's themes are placed on stages here: the LLM places its own when the map is made,
        its themes split first where their notes name different stages.
        """
        if isinstance(engine, EmbeddedEngine):
            return cluster_step(engine, contributions, plan), engine.name, None
        try:
            drafts = cluster_step(engine, contributions)
        except Exception as exc:
            reason = getattr(exc, "reason", type(exc).__name__)
            log.warning("engine %s failed (%s); falling back to the embedded engine", engine.name, reason)
            LLM_FALLBACKS.labels("cluster").inc()
            note = f"The {engine.name} engine failed ({reason}), so the embedded engine made these themes."
            return cluster_step(EmbeddedEngine(), contributions, plan), EmbeddedEngine.name, note
        # The LLM engine names its model and prompt version, so the map shows what produced these themes.
        describe = getattr(engine, "provenance", lambda _count: engine.name)
        notes = notes_of(contributions)
        if plan and plan.stages:
            drafts = named_apart(drafts, notes, plan.stages)
        doubt = grouping_doubt({note.id: note.text for note in notes}, drafts)
        return drafts, describe(len(contributions)), doubt

    def _make_actions(self, session, workshop: Workshop, key: str) -> tuple[LLMSynthesis | None, Placements]:
        """The engine that writes the map (the facilitator is told when it is the LLM) and the action items made
        with it; its placements are asked once, for the actions and the map alike."""
        llm = self.engines.synthesis(workshop)
        if llm is not None:
            tasks = "the persona, touchpoints, pain points, actions and a summary"
            text = f"Writing the map with the LLM ({llm.client.config.model}): {tasks}…"
            self.notifier.show_progress(view_of(workshop), text, key=key)
        placements = Placements(llm)
        create_action_items(session, workshop, self.today(), llm, placements)
        return llm, placements

    def _move_on(self, session, step: Step, now: datetime) -> None:
        """The next step not yet asked opens; when there is none (the last step, or a step reopened from the
        draft), the map goes out or to the facilitator as a draft."""
        workshop = step.workshop
        position = STEP_ORDER.index(StepKey(step.key))
        pending = {StepKey(s.key) for s in workshop.steps if s.status == StepState.pending}
        following = next((key for key in STEP_ORDER[position + 1 :] if key in pending), None)
        if following is not None:
            workshop.current_step = following.value
            jobs.enqueue(
                session,
                JobKind.open_step,
                f"open_step:{workshop.id}:{following.value}",
                {"workshop_id": workshop.id, "step": following.value},
                run_at=now,
                team_id=workshop.team_id,
            )
        else:
            workshop.current_step = STEP_ORDER[-1].value
            if workshop.publish_mode == PublishMode.auto:
                enqueue_publish(session, workshop, now)
            else:
                request_draft(session, workshop, now)

    def draft(self, payload: dict[str, Any], now: datetime) -> None:
        """The map as it would be published, to the facilitator only, while it waits for their Publish."""
        with self.db.session() as session:
            workshop = session.get_one(Workshop, payload["workshop_id"])
            if not awaiting_review(session, workshop):
                return
            llm, placements = self._make_actions(session, workshop, f"w{workshop.id}:draft{payload['number']}:progress")
        with self.db.session() as session:
            workshop = session.get_one(Workshop, payload["workshop_id"])
            names = self.notifier.display_names
            journey_map = draft_map(session, workshop, workshop.version, llm, names, placements)
            view = view_of(workshop)
            steps = [(STEPS[StepKey(s.key)].title, s.id) for s in workshop.steps]
        self.notifier.send_draft(view, journey_map, steps, payload["number"])

    def publish(self, payload: dict[str, Any], now: datetime) -> None:
        with self.db.session() as session:
            workshop = session.get_one(Workshop, payload["workshop_id"])
            if workshop.status != WorkshopState.open:
                return
            llm, placements = self._make_actions(
                session, workshop, f"w{workshop.id}:v{workshop.version}:publish:progress"
            )
        with self.db.session() as session:
            workshop = session.get_one(Workshop, payload["workshop_id"])
            names = self.notifier.display_names
            journey_map = published_map(session, workshop, workshop.version, llm, names, placements)
            view, canvas_id = view_of(workshop), canvas.canvas_of(session, workshop)
        self.notifier.publish(view, journey_map)
        outcome = self.notifier.put_canvas(view, journey_map, canvas_id)
        with self.db.session() as session:
            workshop = session.get_one(Workshop, payload["workshop_id"])
            tell = canvas.note_outcome(session, workshop, outcome.canvas_id, outcome.refused)
            move_workshop(workshop, WorkshopState.published, now)
            revisions.schedule_review(session, workshop, now)
            actions.announce_published(session, workshop)
            changes = revisions.what_changed(session, workshop)
        if tell and outcome.refused:
            self.notifier.canvas_refused(view, outcome.refused)
        if changes is not None:
            self.notifier.post_changes(changes)

    def revision_prompt(self, payload: dict[str, Any], now: datetime) -> None:
        """The map's review has come due: unless it was revised, cancelled or re-scheduled meanwhile, ask."""
        with self.db.session() as session:
            prompt = revisions.review_prompt(session, payload["workshop_id"], now)
        if prompt is not None:
            self.notifier.post_review_prompt(prompt)

    def notify_actions(self, payload: dict[str, Any], now: datetime) -> None:
        """An action was assigned or changed: its new owner hears of it, and the Home tabs showing it follow."""
        actions.deliver(self.db, self.notifier, payload)
