"""The map as a grid: one column per stage, one lane per kind of content. The image, the printable page and the
canvas all draw this, so they always show the same things in the same order.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from pydantic import BaseModel, Field

from workflows.mapping.files import emotion_word
from workflows.mapping.models import (
    ActionItem,
    ActionStatus,
    JourneyMap,
    ObjectiveCard,
    Persona,
    Stage,
    Theme,
    Touchpoint,
)
from workflows.mapping.quotes import customer_quotes

# The lanes, top to bottom, as the method draws them (research-notes.md, "A finished map has").
LANES: tuple[tuple[str, str], ...] = (
    ("touchpoints", "Touchpoints"),
    ("thoughts", "Thoughts & quotes"),
    ("emotion", "Emotion"),
    ("pain_points", "Pain points"),
    ("actions", "Actions & owners"),
)
QUOTES_PER_STAGE = 3


class Item(BaseModel):
    """One entry in a cell: its text, a short detail line (channel, votes, owner and due date), and whether the
    theme behind it rests only on assumptions."""

    text: str
    detail: str | None = None
    assumption: bool = False
    done: bool = False


class StageColumn(BaseModel):
    name: str
    emotion: float | None = None  # -2..+2; None when nothing on the stage was rated or estimated
    rated_by: int = 0  # people's reactions behind the emotion; 0 means it is the engine's estimate
    touchpoints: list[Item] = Field(default_factory=list)
    thoughts: list[Item] = Field(default_factory=list)
    pain_points: list[Item] = Field(default_factory=list)
    actions: list[Item] = Field(default_factory=list)

    def lane(self, key: str) -> list[Item]:
        return getattr(self, key)


class Coverage(BaseModel):
    """How much of the map rests on evidence rather than on assumptions."""

    themes: int
    evidenced: int  # themes with at least one note tagged other than [assumption]
    sources: dict[str, int]  # notes per evidence kind

    @property
    def share(self) -> float:
        return self.evidenced / self.themes if self.themes else 0.0


class MapGrid(BaseModel):
    title: str
    version: int
    generated: date
    engine: str
    persona: str | None = None  # "Name · segment"
    persona_lines: list[str] = Field(default_factory=list)  # goals and frustrations, briefly, and a quote
    # What the map is for: (label, text) pairs such as ("Success measures", "… 18% by Q2; …").
    objective: list[tuple[str, str]] = Field(default_factory=list)
    stages: list[StageColumn]
    other_actions: list[Item] = Field(default_factory=list)  # actions tied to no stage
    coverage: Coverage

    @property
    def pain_lane_note(self) -> str:
        """What the pain-point details show: severity only where the map has it."""
        rated = any("severity" in (item.detail or "") for stage in self.stages for item in stage.pain_points)
        return "votes, severity (1-3) and notes" if rated else "votes and notes"


def display_name(user_id: str, people: dict[str, str]) -> str:
    """The name as of publishing; the Slack id where the map has none (maps published before names were kept)."""
    return people.get(user_id, user_id)


def owner_name(action: ActionItem, people: dict[str, str]) -> str:
    return f"@{display_name(action.owner, people)}" if action.owner else "no owner yet"


def action_item(action: ActionItem, people: dict[str, str]) -> Item:
    due = f"due {action.due:%d %b %Y}" if action.due else "no due date"
    status = "" if action.status is ActionStatus.open else f" · {action.status.value.replace('_', ' ')}"
    return Item(
        text=f"{action.id} {action.title}",
        detail=f"{owner_name(action, people)} · {due}{status}",
        done=action.status is ActionStatus.done,
    )


def feeling(touchpoint: Touchpoint) -> str | None:
    """ "frustrated (-1.3, 4 rated)", or "positive (+0.8, estimated)" where nobody rated it."""
    if touchpoint.emotion is None:
        return None
    basis = f"{touchpoint.ratings} rated" if touchpoint.ratings else "estimated"
    return f"{emotion_word(touchpoint.emotion)} ({touchpoint.emotion:+.1f}, {basis})"


def coverage_of(journey_map: JourneyMap) -> Coverage:
    themes = [t for themes in journey_map.steps.values() for t in themes]
    sources = Counter(c.evidence.value for t in themes for c in t.contributions)
    return Coverage(
        themes=len(themes), evidenced=sum(not t.assumption_only for t in themes), sources=dict(sorted(sources.items()))
    )


def _stage_of_action(action: ActionItem, pain_stage: dict[str, str], stage_names: set[str]) -> str | None:
    if action.stage in stage_names:
        return action.stage
    return pain_stage.get(action.pain_point or "")


def _persona_lines(persona: Persona | None, people: dict[str, str]) -> list[str]:
    if persona is None:
        return []
    entries = (("Goals", persona.goals), ("Frustrations", persona.frustrations))
    lines = [f"{label}: {'; '.join(items[:2])}" for label, items in entries if items]
    if persona.verbatims:
        quote = persona.verbatims[0]
        heard = f" (heard by {display_name(quote.user, people)})" if quote.user else ""
        lines.append(f"In their words: “{quote.text}”{heard}")
    return lines


def objective_entries(card: ObjectiveCard | None, objective: str) -> list[tuple[str, str]]:
    """The objective card as labelled lines; the question only where it adds to the map's title."""
    if card is None:
        return []
    entries = [
        ("Why", card.question if " ".join(card.question.split()) != " ".join(objective.split()) else ""),
        ("Scope", "; ".join(card.scope[:2])),
        ("Out of scope", "; ".join(card.out_of_scope[:2])),
        ("Success measures", "; ".join(card.success_measures)),
        ("Decision", card.decision or ""),
    ]
    return [(label, text) for label, text in entries if text]


def stage_quotes(stage: Stage, themes: dict[str, Theme], people: dict[str, str]) -> list[Item]:
    """Customers' own words from the notes of the touchpoints and pain points placed at this stage; never the
    team's notes, so a stage without a quote shows none."""
    ids = [tp.theme_id for tp in stage.touchpoints] + [p.theme_id for p in stage.pain_points]
    notes = [note for theme_id in dict.fromkeys(ids) if theme_id in themes for note in themes[theme_id].contributions]
    return [
        Item(text=f"“{quote.text}”", detail=f"heard by {display_name(quote.user, people)} · {quote.evidence}")
        for quote in customer_quotes(notes)
    ][:QUOTES_PER_STAGE]


def map_grid(journey_map: JourneyMap) -> MapGrid:
    people = journey_map.people
    themes: dict[str, Theme] = {t.id: t for step in journey_map.steps.values() for t in step}
    pain_stage = {p.theme_id: s.name for s in journey_map.stages for p in s.pain_points}
    names = {s.name for s in journey_map.stages}
    columns: list[StageColumn] = []
    for stage in journey_map.stages:
        column = StageColumn(
            name=stage.name,
            emotion=stage.emotion,
            rated_by=sum(tp.ratings for tp in stage.touchpoints),
        )
        for tp in stage.touchpoints:
            theme = themes.get(tp.theme_id)
            column.touchpoints.append(
                Item(
                    text=tp.title,
                    detail=" · ".join(part for part in (tp.channel, feeling(tp)) if part) or None,
                    assumption=bool(theme and theme.assumption_only),
                )
            )
        column.thoughts = stage_quotes(stage, themes, people)
        for pain in stage.pain_points:
            theme = themes.get(pain.theme_id)
            parts = [f"{pain.votes} vote{'s' * (pain.votes != 1)}"]
            if pain.severity:
                parts.append(f"severity {pain.severity}/3")
            if theme:
                parts.append(f"{len(theme.contributions)} note{'s' * (len(theme.contributions) != 1)}")
            column.pain_points.append(
                Item(text=pain.title, detail=" · ".join(parts), assumption=bool(theme and theme.assumption_only))
            )
        columns.append(column)
    by_name = {c.name: c for c in columns}
    other: list[Item] = []
    for action in journey_map.action_items:
        if action.status is ActionStatus.dropped:
            continue
        stage = _stage_of_action(action, pain_stage, names)
        (by_name[stage].actions if stage else other).append(action_item(action, people))
    persona = journey_map.persona
    return MapGrid(
        title=journey_map.objective,
        version=journey_map.version,
        generated=journey_map.generated_at.date(),
        engine=journey_map.engine,
        persona=(f"{persona.name} · {persona.segment}" if persona.segment else persona.name) if persona else None,
        persona_lines=_persona_lines(persona, people),
        objective=objective_entries(journey_map.objective_card, journey_map.objective),
        stages=columns,
        other_actions=other,
        coverage=coverage_of(journey_map),
    )
