"""Pain points linked to the touchpoint where they hurt (and so to its stage), with a severity."""

from __future__ import annotations

from collections.abc import Sequence

from workflows.llm.answers import PainPointsAnswer
from workflows.llm.client import LLMClient
from workflows.llm.render import short_ids, stage_listing, theme_inputs, theme_listing
from workflows.llm.tasks.touchpoints import matching_stage
from workflows.mapping.models import PainPoint, Theme, Touchpoint
from workflows.mapping.synthesis import link_pain_points
from workflows.workshop.stages import StageDef


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
    shield = client.shield()
    stage_of = {touchpoint.theme_id: stage for stage, touchpoint in placed}
    targets = short_ids("t", [theme for theme in touchpoint_themes if theme.id in stage_of])
    touchpoint_lines = "\n".join(
        f"{short}: {shield.send(theme.title)} [stage: {stage_of[theme.id]}]" for short, theme in targets.items()
    )
    pains = short_ids("p", pain_themes)
    pain_listing, _ = theme_listing(pains, shield)
    answer = client.ask(
        "pain_points",
        PainPointsAnswer,
        {"stages": stage_listing(stages), "touchpoints": touchpoint_lines or "(none)", "pain_points": pain_listing},
        inputs={
            "pains": theme_inputs(pain_themes),
            "touchpoints": [(theme.id, theme.title, stage_of[theme.id]) for theme in targets.values()],
            "stages": [stage.name for stage in stages],
        },
    )
    linked: dict[str, tuple[str, PainPoint]] = {}
    severity: dict[str, int] = {}
    for item in answer.pain_points:
        theme = pains.get(item.pain)
        if theme is None or theme.id in severity:
            continue
        severity[theme.id] = item.severity
        touchpoint = targets.get(item.touchpoint or "")
        stage = stage_of[touchpoint.id] if touchpoint else matching_stage(item.stage, stages)
        if stage is not None:
            pain = PainPoint(
                theme_id=theme.id,
                title=theme.title,
                touchpoint=touchpoint.id if touchpoint else None,
                severity=item.severity,
            )
            linked[theme.id] = (stage, pain)
    missing = [theme for theme in pain_themes if theme.id not in linked]
    if missing:
        for stage, pain in link_pain_points(missing, touchpoint_themes, placed, stages):
            linked[pain.theme_id] = (stage, pain.model_copy(update={"severity": severity.get(pain.theme_id)}))
    return [linked[theme.id] for theme in pain_themes]
