"""Pain points linked to the touchpoint where they hurt (and so to its stage), with a severity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workflows.llm.answers import PainPointsAnswer
from workflows.llm.checks import left_out
from workflows.llm.client import LLMClient
from workflows.llm.redaction import Mention, Shield
from workflows.llm.render import short_ids, stage_listing, theme_inputs, theme_listing
from workflows.llm.request import Request
from workflows.llm.tasks.touchpoints import matching_stage
from workflows.mapping.models import PainPoint, Theme, Touchpoint
from workflows.mapping.synthesis import link_pain_points
from workflows.workshop.stages import StageDef


@dataclass(frozen=True)
class PainPointsContext:
    """What reading the answer needs: both kinds of theme by short id, and what the embedded fallback needs."""

    pains: dict[str, Theme]  # p1, … → pain-point theme, in the caller's order
    targets: dict[str, Theme]  # t1, … → a placed touchpoint theme
    stage_of: dict[str, str]  # touchpoint theme id → its stage
    touchpoint_themes: Sequence[Theme]
    placed: Sequence[tuple[str, Touchpoint]]
    stages: Sequence[StageDef]


PainPointsRequest = Request[PainPointsAnswer, PainPointsContext]


def pain_points(
    client: LLMClient,
    pain_themes: Sequence[Theme],
    touchpoint_themes: Sequence[Theme],
    placed: Sequence[tuple[str, Touchpoint]],
    stages: Sequence[StageDef],
) -> list[tuple[str, PainPoint]]:
    """One (stage name, pain point) per pain theme, in order. A pain point at a touchpoint is on that touchpoint's
    stage; an unknown touchpoint id is dropped; a pain point with no valid stage, or one the model forgot, is
    linked by the embedded engine (keeping the model's severity). `placed` is the touchpoints' placement."""
    if not pain_themes:
        return []
    request = build_pain_points(pain_themes, touchpoint_themes, placed, stages, client.people)
    return read_pain_points(client.ask(request), request)


def build_pain_points(
    pain_themes: Sequence[Theme],
    touchpoint_themes: Sequence[Theme],
    placed: Sequence[tuple[str, Touchpoint]],
    stages: Sequence[StageDef],
    people: Sequence[Mention],
) -> PainPointsRequest:
    """The stages, the placed touchpoints (title and stage) and the pain themes with their first notes, redacted."""
    shield = Shield(people)
    stage_of = {touchpoint.theme_id: stage for stage, touchpoint in placed}
    targets = short_ids("t", [theme for theme in touchpoint_themes if theme.id in stage_of])
    touchpoint_lines = "\n".join(
        f"{short}: {shield.send(theme.title)} [stage: {stage_of[theme.id]}]" for short, theme in targets.items()
    )
    pains = short_ids("p", pain_themes)
    pain_listing, _ = theme_listing(pains, shield)
    return Request(
        task="pain_points",
        answer=PainPointsAnswer,
        variables={
            "stages": stage_listing(stages),
            "touchpoints": touchpoint_lines or "(none)",
            "pain_points": pain_listing,
        },
        inputs={
            "pains": theme_inputs(pain_themes),
            "touchpoints": [(theme.id, theme.title, stage_of[theme.id]) for theme in targets.values()],
            "stages": [stage.name for stage in stages],
        },
        shield=shield,
        context=PainPointsContext(
            pains=pains,
            targets=targets,
            stage_of=stage_of,
            touchpoint_themes=touchpoint_themes,
            placed=placed,
            stages=stages,
        ),
        size=len(pain_themes),
        check=lambda answer: left_out("pain point", (item.pain for item in answer.pain_points), pains),
    )


def read_pain_points(answer: PainPointsAnswer, request: PainPointsRequest) -> list[tuple[str, PainPoint]]:
    """The model's first link of each known pain theme; the embedded engine links the rest."""
    context = request.context
    linked: dict[str, tuple[str, PainPoint]] = {}
    severity: dict[str, int] = {}
    for item in answer.pain_points:
        theme = context.pains.get(item.pain)
        if theme is None or theme.id in severity:
            continue
        severity[theme.id] = item.severity
        touchpoint = context.targets.get(item.touchpoint or "")
        stage = context.stage_of[touchpoint.id] if touchpoint else matching_stage(item.stage, context.stages)
        if stage is not None:
            pain = PainPoint(
                theme_id=theme.id,
                title=theme.title,
                touchpoint=touchpoint.id if touchpoint else None,
                severity=item.severity,
            )
            linked[theme.id] = (stage, pain)
    pain_themes = list(context.pains.values())
    missing = [theme for theme in pain_themes if theme.id not in linked]
    if missing:
        fallback = link_pain_points(missing, context.touchpoint_themes, context.placed, context.stages)
        for stage, pain in fallback:
            linked[pain.theme_id] = (stage, pain.model_copy(update={"severity": severity.get(pain.theme_id)}))
    return [linked[theme.id] for theme in pain_themes]
