"""What the domain needs from the outside world, and the snapshots it hands over.

The Slack layer implements `Notifier`; the domain never sees a Slack client, so flows run the same from a slash
command, a worker thread, `journeybot tick` or a test.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel

from workflows.mapping.models import ActionItem, JourneyMap, StepKey, Theme
from workflows.workshop.steps import StepInfo

if TYPE_CHECKING:  # revisions builds on these ports; the names are only needed for type checkers
    from workflows.revisions.service import MapChanges, PreviousTheme, ReviewPrompt


class WorkshopView(BaseModel):
    id: int
    team_id: str
    channel_id: str
    facilitator_id: str
    objective: str
    stage_names: list[str]
    status: str
    current_step: StepKey | None = None


class StepStatus(BaseModel):
    key: StepKey
    title: str
    status: str
    message_ts: str | None
    contributions: int
    contributors: int
    themes: int
    engine: str | None = None
    deadline: datetime | None = None  # while the step is open


class WorkshopStatus(BaseModel):
    workshop: WorkshopView
    steps: list[StepStatus]
    action_items: int
    unowned_action_items: int
    manual_advance: bool = False
    llm_tokens: int = 0
    llm_cost_usd: float | None = None


class ThemePosts(BaseModel):
    """Where a step's themes were posted: the thread message listing them, and each theme's own (None if none)."""

    thread_ts: str | None
    theme_ts: list[str | None]


class ThemeChanges(BaseModel):
    """A reviewed step's themes after an edit, so its messages follow: all themes as they stand, and which of
    their messages to update, to mark as merged, or to post."""

    workshop: WorkshopView
    step: StepKey
    thread_ts: str | None  # the step's own message, whose thread holds the themes
    themes_ts: str | None  # the thread message listing the themes
    themes: list[Theme]
    changed: list[tuple[str, Theme]]  # (its message ts, the theme)
    # (its message ts, its title, the title of the theme it joined; None: its notes were set aside)
    removed: list[tuple[str, str, str | None]]
    added: list[tuple[int, Theme]]  # (theme row id, the theme): needs a message of its own
    regrouped: list[tuple[str, str]] = []  # (its message ts, its title): the step was grouped again without it


class Notifier(Protocol):
    def post_kickoff(self, workshop: WorkshopView) -> None: ...

    def post_step(self, workshop: WorkshopView, step: StepInfo) -> str:
        """Posts the step's question as a top-level message; returns its ts (the thread to reply in)."""
        ...

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
        """Posts the step's themes in its thread, and in the channel that the step closed, with a button to review
        them. Touchpoint and pain-point themes each get a message of their own, seeded with the reactions to rate or
        vote with. A step reopened from the draft (`reopened` times) posts its new themes anew."""
        ...

    def show_progress(self, workshop: WorkshopView, text: str, key: str) -> None:
        """Tells the facilitator, privately and once per `key`, what slow work (the LLM's) is under way."""
        ...

    def send_draft(self, workshop: WorkshopView, journey_map: JourneyMap, steps: list[tuple[str, int]], number: int):
        """The map as it would be published, privately to the facilitator, with Publish and a review button per
        step (`steps`: title and id); `number` counts the drafts sent."""
        ...

    def prompt_reactions(self, workshop: WorkshopView, step: StepInfo, message_ts: list[str | None]) -> None:
        """Adds the bot's one-click rating or voting reactions to the themes' messages."""
        ...

    def publish(self, workshop: WorkshopView, journey_map: JourneyMap) -> None:
        """The summary in the channel, the map image below it, and the map's files in the summary's thread."""
        ...

    def display_names(self, user_ids: set[str]) -> dict[str, str]: ...

    def put_canvas(self, workshop: WorkshopView, journey_map: JourneyMap, canvas_id: str | None) -> CanvasResult:
        """Writes the map into the channel's canvas: edits `canvas_id`, or creates one when there is none yet."""
        ...

    def canvas_refused(self, workshop: WorkshopView, reason: str) -> None:
        """Says, once per workspace, that canvases are refused here and the map lives in the files."""
        ...

    def workshop_cancelled(self, workshop: WorkshopView, by_user: str) -> None: ...

    # --- revisions ---
    def post_review_prompt(self, prompt: ReviewPrompt) -> None:
        """The map is due for review: its brief, its actions, and buttons "Still accurate" and "Revise"."""
        ...

    def post_previous_themes(
        self, workshop: WorkshopView, step: StepInfo, step_ts: str, themes: list[PreviousTheme]
    ) -> None:
        """In a revision step's thread: the previous version's themes, each to keep, rename or retire."""
        ...

    def post_changes(self, changes: MapChanges) -> None:
        """After a revision publishes: what changed since the previous version."""
        ...

    def action_assigned(self, entry: ActionEntry) -> None:
        """Tells the action's owner, directly, that it is theirs, with the buttons to act on it."""
        ...

    def refresh_home(self, user_ids: Iterable[str]) -> None:
        """Republishes each user's Home tab: call it after anything it shows (their actions, their maps) changed."""
        ...

    # --- deadlines, reminders, digests ---
    def timezone_of(self, user_id: str) -> str:
        """The person's IANA time zone (their profile's), "UTC" when unknown: reminders keep their hours."""
        ...

    def channel_members(self, channel_id: str) -> list[str]:
        """The channel's human members: no bots, not the app itself."""
        ...

    def nudge_step(
        self, workshop: WorkshopView, step: StepInfo, step_ts: str, deadline: datetime, waiting_on: list[str]
    ) -> None:
        """A day before the step's deadline: a reminder in its thread, and a DM to each of `waiting_on`."""
        ...

    def step_closed_at_deadline(self, workshop: WorkshopView, step: StepInfo) -> None:
        """A short channel note that the step closed by itself; its themes follow as after `/journey next`."""
        ...

    def remind_owner(self, owner_id: str, due: list[tuple[ActionItem, ReminderReason]], today: date) -> None:
        """One DM to an owner with each of their actions due on the next working day or overdue."""
        ...

    def post_digest(self, digest: WeeklyDigest) -> None: ...


class CanvasResult(BaseModel):
    canvas_id: str | None = None  # the canvas now showing the map
    refused: str | None = None  # why Slack refused: the workspace's plan or settings, or a missing scope


class ActionEntry(BaseModel):
    """An action item with where it lives: what DMs, lists and the Home tab show."""

    action: ActionItem
    workshop_id: int
    channel_id: str
    map_version: int


class MapEntry(BaseModel):
    """A published map as someone who took part in it sees it on their Home tab."""

    workshop_id: int
    channel_id: str
    objective: str
    version: int
    published_at: datetime | None
    next_revision: date | None
    role: str  # map owner | facilitator | contributor


class HomeData(BaseModel):
    user_id: str
    actions: list[ActionEntry]  # open and in progress: overdue first, then by due date
    maps: list[MapEntry]


class ReminderReason(StrEnum):
    due_soon = "due_soon"  # the working day before the due date
    overdue = "overdue"


class StageProgress(BaseModel):
    stage: str
    done: int
    total: int


class WeeklyDigest(BaseModel):
    """Monday morning in a published map's channel: what got done, what is late and by whom, each stage's progress."""

    workshop: WorkshopView
    week_of: date  # the Monday the digest is for
    done_this_week: list[ActionItem]
    overdue: list[ActionItem]
    progress: list[StageProgress]
