"""The published map, put together from a workshop's themes: persona, stages, pain points, actions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import ActionItemRow, MapVersion, ThemeRow, Workshop, utcnow
from workflows.actions.service import action_of, record_created, theme_key
from workflows.llm.client import LLMUnavailable
from workflows.llm.engine import LLMSynthesis
from workflows.llm.tasks import ActionNote
from workflows.mapping.files import people_in
from workflows.mapping.models import JourneyMap, PainPoint, Stage, StepKey, Theme, Touchpoint
from workflows.mapping.objective import build_objective_card
from workflows.mapping.persona import build_persona
from workflows.mapping.synthesis import (
    link_actions,
    link_pain_points,
    named_stages,
    place_touchpoints,
    severity_of,
    stage_emotion,
)
from workflows.metrics import LLM_FALLBACKS
from workflows.revisions.service import lineage_actions
from workflows.themes import reactions
from workflows.themes.clustering.base import Note
from workflows.themes.clustering.embeddings import get_embedder
from workflows.themes.endorsements import Said, action_drafts, only_endorses
from workflows.themes.service import set_aside, substantive, themes_of
from workflows.workshop.service import stage_defs
from workflows.workshop.stages import StageDef

log = logging.getLogger(__name__)
T = TypeVar("T")
P = TypeVar("P", Touchpoint, PainPoint)


def _with_fallback(
    llm: LLMSynthesis | None, task: str, ask: Callable[[LLMSynthesis], T], embedded: Callable[[], T], provenance: dict
) -> T:
    """The LLM's answer when it gives one; the embedded engine's otherwise, and the map says which."""
    if llm is not None:
        try:
            result = ask(llm)
        except LLMUnavailable as failure:
            log.warning("LLM %s unavailable (%s): using the embedded engine", task, failure.reason)
            LLM_FALLBACKS.labels(task).inc()
        else:
            provenance[task] = llm.provenance(task)
            return result
    provenance[task] = "embedded"
    return embedded()


def _steps(workshop: Workshop) -> dict[StepKey, list[Theme]]:
    return {StepKey(step.key): themes_of(step) for step in workshop.steps}


def place_themes(
    steps: dict[StepKey, list[Theme]], stages: list[StageDef], llm: LLMSynthesis | None, provenance: dict
) -> tuple[list[tuple[str, Touchpoint]], list[tuple[str, PainPoint]]]:
    touchpoints, pains = steps[StepKey.touchpoints], steps[StepKey.pain_points]
    placed = (
        _with_fallback(
            llm,
            "touchpoints",
            lambda m: m.touchpoints(touchpoints, stages),
            lambda: place_touchpoints(touchpoints, stages),
            provenance,
        )
        if touchpoints
        else []
    )
    placed = as_reviewed(as_named(placed, touchpoints, stages), touchpoints, stages)
    linked = (
        _with_fallback(
            llm,
            "pain_points",
            lambda m: m.pain_points(pains, touchpoints, placed, stages),
            lambda: link_pain_points(pains, touchpoints, placed, stages),
            provenance,
        )
        if pains
        else []
    )
    on_stage = {touchpoint.theme_id: stage for stage, touchpoint in placed}
    return placed, as_reviewed(as_named(linked, pains, stages, on_stage), pains, stages)


def as_named(
    placed: list[tuple[str, P]], themes: list[Theme], stages: list[StageDef], on_stage: dict[str, str] | None = None
) -> list[tuple[str, P]]:
    """A theme whose notes name a stage sits on it, whatever an engine (the LLM's too) made of it: the team said
    so. A pain point moved there keeps its touchpoint only if that touchpoint is on the same stage (`on_stage`)."""
    by_id = {theme.id: theme for theme in themes}
    settled = []
    for stage, item in placed:
        theme = by_id.get(item.theme_id)
        named = [stages[index].name for index in named_stages(theme, stages)] if theme else []
        if named and stage not in named:
            stage = named[0]
            if isinstance(item, PainPoint) and item.touchpoint and (on_stage or {}).get(item.touchpoint) != stage:
                item = item.model_copy(update={"touchpoint": None})
        settled.append((stage, item))
    return settled


class Placements:
    """Touchpoints on their stages and pain points linked, worked out once for a publish (or a draft) and shared
    by the action items and the map.

    Both need them, and each is an LLM request: asked twice, a publish waited twice as long, paid twice, and on a
    failing LLM fell back twice. Worked out on first use, as the workshop's themes stand then; nothing in between
    changes a theme (the action items are made from them, not into them)."""

    def __init__(self, llm: LLMSynthesis | None) -> None:
        self.llm = llm
        self._found: tuple[list[tuple[str, Touchpoint]], list[tuple[str, PainPoint]], dict[str, str]] | None = None

    def of(
        self, workshop: Workshop, steps: dict[StepKey, list[Theme]]
    ) -> tuple[list[tuple[str, Touchpoint]], list[tuple[str, PainPoint]], dict[str, str]]:
        """(touchpoints, pain points, what made them for the map's provenance)."""
        if self._found is None:
            provenance: dict[str, str] = {}
            placed, linked = place_themes(steps, stage_defs(workshop), self.llm, provenance)
            self._found = placed, linked, provenance
        return self._found


def as_reviewed(placed: list[tuple[str, P]], themes: list[Theme], stages: list[StageDef]) -> list[tuple[str, P]]:
    """What the review settled wins over any engine: a touchpoint's channel, and the stage stored with a theme a
    person edited (and with every touchpoint: the embedded engine placed it when its step closed). Other pain
    points sit where the linker puts them, at the stage of the touchpoint they hurt at."""
    by_id, names = {theme.id: theme for theme in themes}, {stage.name for stage in stages}
    reviewed = []
    for stage, item in placed:
        theme = by_id.get(item.theme_id)
        if theme is None:
            reviewed.append((stage, item))
            continue
        if theme.channel and isinstance(item, Touchpoint):
            item = item.model_copy(update={"channel": theme.channel})
        settled = theme.reviewed or isinstance(item, Touchpoint)
        reviewed.append((theme.stage if settled and theme.stage in names else stage, item))
    return reviewed


def create_action_items(
    session: Session,
    workshop: Workshop,
    today: date,
    llm: LLMSynthesis | None = None,
    placements: Placements | None = None,
) -> None:
    """One action per new action-plan note (near-duplicates merged), each linked to the pain point it addresses.

    In a revision, the notes carried from the previous version are not new actions: those actions live on under
    their own ids (the map lists the earlier versions' open ones), and done or dropped ones stay so. `placements`
    are shared with the map made in the same job, so the LLM is asked for them once."""
    if workshop.action_items:
        return  # a re-run publish keeps the actions it made, and any changes made to them since
    plan = next(s for s in workshop.steps if s.key == StepKey.action_plan.value)
    noted = substantive(plan)
    notes = [
        c
        for c in plan.contributions
        if c.carried_from_id is None
        and not c.aside
        and c.id in noted
        and not only_endorses(c.text, [tuple(m) for m in c.mentions])  # "+1 to @Ana's idea" backs hers
    ]
    if not notes:
        return
    steps = _steps(workshop)
    _placed, pains, _made_by = (placements or Placements(llm)).of(workshop, steps)
    pain_stage = {p.theme_id: stage for stage, p in pains}

    def embedded() -> list:
        said = [Said(Note(id=str(c.id), text=c.text), c.user_id, c.text, [tuple(m) for m in c.mentions]) for c in notes]
        return link_actions(action_drafts(said, today, get_embedder), steps[StepKey.pain_points], pain_stage)

    action_notes = [
        ActionNote(id=str(c.id), text=c.text, mentions=[tuple(m) for m in c.mentions], author=c.user_id) for c in notes
    ]
    items = _with_fallback(
        llm, "actions", lambda m: m.actions(action_notes, steps[StepKey.pain_points], today, pain_stage), embedded, {}
    )
    themes = {
        theme_key(row): row.id
        for row in session.scalars(select(ThemeRow).where(ThemeRow.step_id.in_([s.id for s in workshop.steps])))
    }
    for item in items:
        row = ActionItemRow(
            workshop_id=workshop.id,
            title=item.title,
            owner_id=item.owner,
            due=item.due,
            pain_point_theme_id=themes.get(item.pain_point or ""),
            stage=item.stage,
            map_version=workshop.version,
        )
        record_created(row, None)
        session.add(row)
    session.flush()
    session.refresh(workshop)


def _with_severity(pain: PainPoint, themes: dict[str, Theme], team_size: int) -> PainPoint:
    """The LLM's severity when it gave one, else the embedded estimate from how many raised it and the evidence."""
    if pain.severity is not None:
        return pain
    return pain.model_copy(update={"severity": severity_of(themes[pain.theme_id], pain.votes, team_size)})


def _pain_rank(pain: PainPoint, steps: dict[StepKey, list[Theme]]) -> tuple[int, int, int]:
    """Most votes first; then the most severe; then the one most people wrote about."""
    notes = {t.id: len(t.contributions) for t in steps[StepKey.pain_points]}
    return (-pain.votes, -(pain.severity or 0), -notes.get(pain.theme_id, 0))


def assemble_map(
    session: Session,
    workshop: Workshop,
    version: int = 1,
    llm: LLMSynthesis | None = None,
    placements: Placements | None = None,
) -> JourneyMap:
    steps = _steps(workshop)
    stages = stage_defs(workshop)
    provenance = {f"themes.{s.key}": s.engine for s in workshop.steps if s.engine}
    placed, pains, made_by = (placements or Placements(llm)).of(workshop, steps)
    provenance.update(made_by)
    # People's reactions: their ratings replace the engine's emotion estimates, their votes rank the pain points.
    found = reactions.feedback(session, workshop)
    placed = [(name, reactions.rated(tp, found)) for name, tp in placed]
    pains = [(name, reactions.voted(p, found)) for name, p in pains]
    pain_themes = {theme.id: theme for theme in steps[StepKey.pain_points]}
    team_size = len({c.user_id for step in workshop.steps for c in step.contributions})
    pains = [(name, _with_severity(p, pain_themes, team_size)) for name, p in pains]
    stage_models = []
    for stage in stages:
        touchpoints = [tp for name, tp in placed if name == stage.name]
        stage_models.append(
            Stage(
                name=stage.name,
                description=stage.description,
                touchpoints=touchpoints,
                pain_points=sorted((p for name, p in pains if name == stage.name), key=lambda p: _pain_rank(p, steps)),
                emotion=stage_emotion(touchpoints),
            )
        )
    persona_themes = steps[StepKey.persona]
    aside = {StepKey(step.key): replies for step in workshop.steps if (replies := set_aside(step))}
    persona = (
        _with_fallback(
            llm,
            "persona",
            lambda m: m.persona(persona_themes),
            lambda: build_persona(persona_themes, aside.get(StepKey.persona, [])),
            provenance,
        )
        if persona_themes
        else None
    )
    engines = sorted({s.engine for s in workshop.steps if s.engine})
    journey_map = JourneyMap(
        workshop_id=str(workshop.id),
        version=version,
        objective=workshop.objective,
        stage_model=[s.name for s in stages],
        persona=persona,
        stages=stage_models,
        steps=steps,
        action_items=[action_of(row) for row in workshop.action_items],
        engine="+".join(engines) or "embedded",
        generated_at=utcnow(),
        provenance=provenance,
        objective_card=build_objective_card(workshop.objective, steps.get(StepKey.objective, [])),
        set_aside=aside,
    )
    journey_map.summary = _with_fallback(llm, "summary", lambda m: m.summary(journey_map), lambda: None, provenance)
    return journey_map


def published_map(
    session: Session,
    workshop: Workshop,
    version: int = 1,
    llm: LLMSynthesis | None = None,
    names: Callable[[set[str]], dict[str, str]] | None = None,
    placements: Placements | None = None,
) -> JourneyMap:
    """The map of this version: assembled and stored the first time, read back when a publish is re-run.
    `names` gives the display names of the people it names, kept in the map for files read outside Slack."""
    stored = session.scalar(
        select(MapVersion).where(MapVersion.workshop_id == workshop.id, MapVersion.version == version)
    )
    if stored is not None:
        return JourneyMap.model_validate(stored.map_json)
    journey_map = draft_map(session, workshop, version, llm, names, placements)
    session.add(MapVersion(workshop_id=workshop.id, version=version, map_json=journey_map.model_dump(mode="json")))
    return journey_map


def draft_map(
    session: Session,
    workshop: Workshop,
    version: int = 1,
    llm: LLMSynthesis | None = None,
    names: Callable[[set[str]], dict[str, str]] | None = None,
    placements: Placements | None = None,
) -> JourneyMap:
    """The map as it would be published now, from the themes as they stand; nothing is stored."""
    journey_map = assemble_map(session, workshop, version, llm, placements)
    # A revision's map also lists the actions still open from earlier versions: they are still being worked on.
    journey_map.action_items = [action_of(row) for row in lineage_actions(session, workshop)]
    if names is not None:
        journey_map.people = names(people_in(journey_map))
    return journey_map
