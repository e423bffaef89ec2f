"""What the domain needs from the outside world, and the snapshots it hands over.

The Slack layer implements `Notifier`; the domain never sees a Slack client, so flows run the same from a slash
command, a worker thread, `journeybot tick` or a test.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel

from workflows.journey_map import JourneyMap, StepKey, Theme
from workflows.steps import StepInfo


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


class WorkshopStatus(BaseModel):
    workshop: WorkshopView
    steps: list[StepStatus]
    action_items: int
    unowned_action_items: int
    llm_tokens: int = 0
    llm_cost_usd: float | None = None


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
    ) -> None: ...

    def publish(self, workshop: WorkshopView, journey_map: JourneyMap) -> None: ...

    def workshop_cancelled(self, workshop: WorkshopView, by_user: str) -> None: ...
