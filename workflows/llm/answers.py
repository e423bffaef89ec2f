"""What the model must answer, per task: strict JSON schemas (every field required, no extra keys).

Docstrings and field descriptions are sent to the model as part of the schema, so they are written for it. Ids
are the short ones the prompt showed (n1, g1, c1, t1, p1, a1); tasks map them back and repair what is wrong.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClusterTheme(_Answer):
    """One theme: the notes that say the same thing."""

    title: str = Field(description="2 to 6 words, specific to these notes (not a generic word like 'Issues')")
    summary: str = Field(description="one sentence saying what the notes in this theme have in common")
    notes: list[str] = Field(description="ids of the notes in this theme, e.g. n3")


class ClusterAnswer(_Answer):
    """Every note id in exactly one theme; a note unlike the others is a theme of its own."""

    themes: list[ClusterTheme]


class NamedTheme(_Answer):
    """One theme built from whole groups (merged when they say the same thing) and single sample notes."""

    title: str = Field(description="2 to 6 words, specific to the notes (not a generic word like 'Issues')")
    summary: str = Field(description="one sentence saying what the notes in this theme have in common")
    groups: list[str] = Field(description="ids of the whole groups in this theme, e.g. g2")
    notes: list[str] = Field(description="ids of sample notes moved here out of a group they do not fit, e.g. n7")


class NameGroupsAnswer(_Answer):
    """Every group id in exactly one theme."""

    themes: list[NamedTheme]


class Quote(_Answer):
    """A customer's own words, copied from one note."""

    note: str = Field(description="id of the note the words come from, e.g. c4")
    text: str = Field(description="the words exactly as written in that note")


class PersonaAnswer(_Answer):
    """The persona card: one actor, in the team's own words."""

    name: str = Field(description="the persona's name if the notes give one, else a short descriptive label")
    segment: str | None = Field(description="who they are: role, situation or customer segment; null if unknown")
    goals: list[str] = Field(description="what they want to achieve, at most 5, short phrases")
    needs: list[str] = Field(description="what they need from us to get there, at most 5, short phrases")
    frustrations: list[str] = Field(description="what annoys or blocks them, at most 5, short phrases")
    quotes: list[Quote] = Field(description="at most 5 verbatim quotes that show how they think and feel")


class PlacedTouchpoint(_Answer):
    """One touchpoint theme on the journey."""

    theme: str = Field(description="id of the touchpoint theme, e.g. t2")
    stage: str = Field(description="the name of one of the workshop's stages, exactly as listed")
    channel: str | None = Field(description="where it happens: email, website, app, phone, store, chat…; or null")
    emotion: float = Field(
        ge=-2, le=2, description="how the customer feels: -2 very negative … 0 neutral … +2 very positive"
    )


class TouchpointsAnswer(_Answer):
    """Every touchpoint theme placed once."""

    touchpoints: list[PlacedTouchpoint]


class LinkedPainPoint(_Answer):
    """One pain-point theme, where it hurts and how much."""

    pain: str = Field(description="id of the pain-point theme, e.g. p1")
    touchpoint: str | None = Field(description="id of the touchpoint where it hurts, e.g. t3; null if none fits")
    stage: str = Field(description="the name of one of the workshop's stages, exactly as listed")
    severity: int = Field(ge=1, le=3, description="1 minor annoyance, 2 real obstacle, 3 customers give up or leave")


class PainPointsAnswer(_Answer):
    """Every pain-point theme linked once."""

    pain_points: list[LinkedPainPoint]


class ExtractedAction(_Answer):
    """One thing the team will do; near-identical notes are one action."""

    title: str = Field(description="what will be done, as a short imperative phrase, without owner or date")
    owner: str | None = Field(description="the @mention that owns it, exactly as written in its notes, or null")
    due: date | None = Field(description="due date as YYYY-MM-DD, resolved against today's date, or null")
    pain_point: str | None = Field(description="id of the pain point it addresses, e.g. p2, or null")
    notes: list[str] = Field(description="ids of the notes this action comes from, e.g. a1")


class ActionsAnswer(_Answer):
    """Every action-plan note in exactly one action."""

    actions: list[ExtractedAction]


class SummaryAnswer(_Answer):
    """The executive summary of the journey map."""

    sentences: list[str] = Field(min_length=3, max_length=5, description="3 to 5 plain sentences")
    opportunities: list[str] = Field(
        min_length=1, max_length=5, description="the top opportunities, most important first"
    )


# Each task's answer, by the task's name (its prompt file): what the prompt's examples and a server's replies parse as.
ANSWERS: dict[str, type[_Answer]] = {
    "cluster": ClusterAnswer,
    "name_groups": NameGroupsAnswer,
    "persona": PersonaAnswer,
    "touchpoints": TouchpointsAnswer,
    "pain_points": PainPointsAnswer,
    "actions": ActionsAnswer,
    "summary": SummaryAnswer,
}
