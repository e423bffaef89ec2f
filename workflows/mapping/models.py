"""The journey map as published: the pydantic model behind `journey-map.json`.

This is a public interface (docs/architecture.md, "The map file"): operators and scripts read it, so fields are only
added, never renamed.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class StepKey(StrEnum):
    objective = "objective"
    persona = "persona"
    touchpoints = "touchpoints"
    pain_points = "pain_points"
    action_plan = "action_plan"


STEP_ORDER: tuple[StepKey, ...] = tuple(StepKey)


class Evidence(StrEnum):
    interview = "interview"
    ticket = "ticket"
    survey = "survey"
    analytics = "analytics"
    observation = "observation"
    assumption = "assumption"


class ActionStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


LIVE_STATUSES = (ActionStatus.open, ActionStatus.in_progress)  # an action someone still has to do


class Contribution(BaseModel):
    user: str
    ts: str
    text: str
    evidence: Evidence = Evidence.assumption
    quote: bool = False  # the facilitator marked it as a customer's own words


class Theme(BaseModel):
    id: str
    title: str
    summary: str | None = None
    stage: str | None = None  # where the embedded engine (or the facilitator) placed a touchpoint or pain point
    channel: str | None = None  # a touchpoint's channel as the facilitator named it
    reviewed: bool = False  # a person edited it in the review: the map shows it as they left it
    contributions: list[Contribution] = Field(default_factory=list)

    @property
    def assumption_only(self) -> bool:
        """A theme that rests only on assumptions is flagged on the map (assumption bias)."""
        return all(c.evidence == Evidence.assumption for c in self.contributions)


class Verbatim(BaseModel):
    text: str
    user: str | None = None


class Persona(BaseModel):
    name: str
    segment: str | None = None
    goals: list[str] = Field(default_factory=list)
    needs: list[str] = Field(default_factory=list)
    frustrations: list[str] = Field(default_factory=list)
    verbatims: list[Verbatim] = Field(default_factory=list)


class Touchpoint(BaseModel):
    theme_id: str
    title: str
    channel: str | None = None
    emotion: float | None = None  # -2 (very negative) .. +2 (very positive)
    # How many people rated it with a reaction; 0 means `emotion` is the engine's estimate from the notes.
    ratings: int = 0


class PainPoint(BaseModel):
    theme_id: str
    title: str
    touchpoint: str | None = None  # theme id of the touchpoint it hurts at
    votes: int = 0  # people who voted for it with :+1:
    severity: int | None = None  # 1 (minor) .. 3 (severe)


class Stage(BaseModel):
    name: str
    description: str | None = None
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    pain_points: list[PainPoint] = Field(default_factory=list)
    emotion: float | None = None


class ActionItem(BaseModel):
    id: str
    title: str
    owner: str | None = None  # Slack user id
    due: date | None = None
    status: ActionStatus = ActionStatus.open
    pain_point: str | None = None  # theme id
    stage: str | None = None


class ExecutiveSummary(BaseModel):
    """Three to five sentences for the channel, and the top opportunities the map shows."""

    text: str
    opportunities: list[str] = Field(default_factory=list)


class ObjectiveCard(BaseModel):
    """Why the map was made, what it covers and how the team will know it helped: read from the objective step,
    so the map answers the question it was made for."""

    question: str  # why this map, what the team wants to find out
    scope: list[str] = Field(default_factory=list)  # what is in, where the journey begins and ends
    out_of_scope: list[str] = Field(default_factory=list)
    success_measures: list[str] = Field(default_factory=list)  # as written, numbers and all
    decision: str | None = None  # the decision the map informs


class JourneyMap(BaseModel):
    workshop_id: str
    version: int = 1
    objective: str
    stage_model: list[str]
    persona: Persona | None = None
    stages: list[Stage]
    steps: dict[StepKey, list[Theme]]
    action_items: list[ActionItem] = Field(default_factory=list)
    engine: str
    generated_at: datetime
    summary: ExecutiveSummary | None = None
    # Which engine, model and prompt version made each part, e.g. {"persona": "llm gpt-4o-mini persona@1"}.
    provenance: dict[str, str] = Field(default_factory=dict)
    # Display names of the people the map names (contributors, owners), as of publishing: files are read
    # outside Slack, where a user id means nothing.
    people: dict[str, str] = Field(default_factory=dict)
    # The objective step read as a card (question, scope, success measures, decision); None on older maps.
    objective_card: ObjectiveCard | None = None
    # Replies with nothing to cluster (emoji only, "+1", a greeting), per step: kept, never a theme.
    set_aside: dict[StepKey, list[Contribution]] = Field(default_factory=dict)
