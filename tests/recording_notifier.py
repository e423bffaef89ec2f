"""A recording `Notifier`: domain flows run against it in unit tests instead of a whole Slack round trip.

Each call is recorded as (method name, its arguments by name), and answers what Slack would: a fresh ts for every
message posted, one ts per theme, a canvas id, "UTC" for every time zone. It deliberately does not inherit from
the `Notifier` Protocol, whose method bodies are `...`: a method the Protocol gains and the fake lacks must raise
AttributeError, not silently return None (`test_flows.py` checks the two stay in step).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from workflows.mapping.models import ActionItem, JourneyMap, Theme
from workflows.ports import (
    ActionEntry,
    CanvasResult,
    ReminderReason,
    ThemePosts,
    WeeklyDigest,
    WorkshopView,
)
from workflows.workshop.steps import StepInfo

if TYPE_CHECKING:
    from workflows.revisions.service import MapChanges, PreviousTheme, ReviewPrompt

# Methods that only read from Slack: a workshop that "posts nothing more" may still call these.
LOOKUPS = frozenset({"display_names", "timezone_of", "channel_members"})


@dataclass(frozen=True)
class Call:
    method: str
    args: dict[str, Any]


@dataclass
class RecordingNotifier:
    """Records every call; `members` are the channel's people, `canvas_refusal` makes `put_canvas` refuse."""

    members: list[str] = field(default_factory=list)
    canvas_refusal: str | None = None
    calls: list[Call] = field(default_factory=list)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def _record(self, method: str, **args: Any) -> None:
        self.calls.append(Call(method, args))

    def _new_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    def of(self, method: str) -> list[dict[str, Any]]:
        """The arguments of each call to `method`, in order."""
        return [call.args for call in self.calls if call.method == method]

    def methods(self) -> list[str]:
        return [call.method for call in self.calls]

    def posts(self) -> list[str]:
        """Every call a person could notice: everything but the lookups."""
        return [call.method for call in self.calls if call.method not in LOOKUPS]

    # --- the Notifier Protocol ---
    def post_kickoff(self, workshop: WorkshopView) -> None:
        self._record("post_kickoff", workshop=workshop)

    def post_step(self, workshop: WorkshopView, step: StepInfo) -> str:
        ts = self._new_ts()
        self._record("post_step", workshop=workshop, step=step, ts=ts)
        return ts

    def post_themes(
        self,
        workshop: WorkshopView,
        step: StepInfo,
        step_ts: str,
        themes: list[Theme],
        engine_note: str | None,
        step_id: int,
        reopened: int = 0,
    ) -> ThemePosts:
        posts = ThemePosts(thread_ts=self._new_ts(), theme_ts=[self._new_ts() for _ in themes])
        self._record(
            "post_themes",
            workshop=workshop,
            step=step,
            step_ts=step_ts,
            themes=themes,
            engine_note=engine_note,
            step_id=step_id,
            reopened=reopened,
            posts=posts,
        )
        return posts

    def show_progress(self, workshop: WorkshopView, text: str, key: str) -> None:
        self._record("show_progress", workshop=workshop, text=text, key=key)

    def send_draft(
        self, workshop: WorkshopView, journey_map: JourneyMap, steps: list[tuple[str, int]], number: int
    ) -> None:
        self._record("send_draft", workshop=workshop, journey_map=journey_map, steps=steps, number=number)

    def prompt_reactions(self, workshop: WorkshopView, step: StepInfo, message_ts: list[str | None]) -> None:
        self._record("prompt_reactions", workshop=workshop, step=step, message_ts=message_ts)

    def publish(self, workshop: WorkshopView, journey_map: JourneyMap) -> None:
        self._record("publish", workshop=workshop, journey_map=journey_map)

    def display_names(self, user_ids: set[str]) -> dict[str, str]:
        self._record("display_names", user_ids=set(user_ids))
        return {user_id: f"Name of {user_id}" for user_id in user_ids}

    def put_canvas(self, workshop: WorkshopView, journey_map: JourneyMap, canvas_id: str | None) -> CanvasResult:
        self._record("put_canvas", workshop=workshop, journey_map=journey_map, canvas_id=canvas_id)
        if self.canvas_refusal is not None:
            return CanvasResult(canvas_id=canvas_id, refused=self.canvas_refusal)
        return CanvasResult(canvas_id=canvas_id or f"F0CANVAS{workshop.id}")

    def canvas_refused(self, workshop: WorkshopView, reason: str) -> None:
        self._record("canvas_refused", workshop=workshop, reason=reason)

    def workshop_cancelled(self, workshop: WorkshopView, by_user: str) -> None:
        self._record("workshop_cancelled", workshop=workshop, by_user=by_user)

    def post_review_prompt(self, prompt: ReviewPrompt) -> None:
        self._record("post_review_prompt", prompt=prompt)

    def post_previous_themes(
        self, workshop: WorkshopView, step: StepInfo, step_ts: str, themes: list[PreviousTheme]
    ) -> None:
        self._record("post_previous_themes", workshop=workshop, step=step, step_ts=step_ts, themes=themes)

    def post_changes(self, changes: MapChanges) -> None:
        self._record("post_changes", changes=changes)

    def action_assigned(self, entry: ActionEntry) -> None:
        self._record("action_assigned", entry=entry)

    def refresh_home(self, user_ids: Iterable[str]) -> None:
        self._record("refresh_home", user_ids=list(user_ids))

    def timezone_of(self, user_id: str) -> str:
        self._record("timezone_of", user_id=user_id)
        return "UTC"

    def channel_members(self, channel_id: str) -> list[str]:
        self._record("channel_members", channel_id=channel_id)
        return list(self.members)

    def nudge_step(
        self, workshop: WorkshopView, step: StepInfo, step_ts: str, deadline: datetime, waiting_on: list[str]
    ) -> None:
        self._record(
            "nudge_step", workshop=workshop, step=step, step_ts=step_ts, deadline=deadline, waiting_on=waiting_on
        )

    def step_closed_at_deadline(self, workshop: WorkshopView, step: StepInfo) -> None:
        self._record("step_closed_at_deadline", workshop=workshop, step=step)

    def remind_owner(self, owner_id: str, due: list[tuple[ActionItem, ReminderReason]], today: date) -> None:
        self._record("remind_owner", owner_id=owner_id, due=due, today=today)

    def post_digest(self, digest: WeeklyDigest) -> None:
        self._record("post_digest", digest=digest)
