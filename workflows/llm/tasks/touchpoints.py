"""Touchpoint themes placed on the workshop's stages, with their channel and the customer's emotion."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workflows.llm.answers import TouchpointsAnswer
from workflows.llm.checks import left_out
from workflows.llm.client import LLMClient
from workflows.llm.redaction import Mention, Shield
from workflows.llm.render import short_ids, stage_listing, theme_inputs, theme_listing
from workflows.llm.request import Request
from workflows.mapping.models import Theme, Touchpoint
from workflows.mapping.synthesis import place_touchpoints
from workflows.workshop.stages import StageDef


@dataclass(frozen=True)
class TouchpointsContext:
    """What reading the answer needs: the themes by short id, and the stages a placement must be on."""

    themes: dict[str, Theme]  # t1, … → touchpoint theme, in the caller's order
    stages: Sequence[StageDef]


TouchpointsRequest = Request[TouchpointsAnswer, TouchpointsContext]


def touchpoints(client: LLMClient, themes: Sequence[Theme], stages: Sequence[StageDef]) -> list[tuple[str, Touchpoint]]:
    """One (stage name, touchpoint) per theme, in the themes' order. A stage name the workshop does not have is
    matched loosely ("post purchase" is "Post-purchase"), else the embedded engine places that theme, as it does
    any theme the model forgot."""
    if not themes:
        return []
    request = build_touchpoints(themes, stages, client.people)
    return read_touchpoints(client.ask(request), request)


def build_touchpoints(
    themes: Sequence[Theme], stages: Sequence[StageDef], people: Sequence[Mention]
) -> TouchpointsRequest:
    """The workshop's stages, then each theme under a short id with its first notes, redacted."""
    shield = Shield(people)
    short = short_ids("t", themes)
    listing, _ = theme_listing(short, shield)
    return Request(
        task="touchpoints",
        answer=TouchpointsAnswer,
        variables={"stages": stage_listing(stages), "themes": listing},
        inputs={"themes": theme_inputs(themes), "stages": [stage.name for stage in stages]},
        shield=shield,
        context=TouchpointsContext(themes=short, stages=stages),
        size=len(themes),
        check=lambda answer: left_out("theme", (item.theme for item in answer.touchpoints), short),
    )


def read_touchpoints(answer: TouchpointsAnswer, request: TouchpointsRequest) -> list[tuple[str, Touchpoint]]:
    """The model's first placement of each known theme; the embedded engine places the rest."""
    short, stages = request.context.themes, request.context.stages
    placed: dict[str, tuple[str | None, Touchpoint]] = {}
    for item in answer.touchpoints:
        theme = short.get(item.theme)
        if theme is None or theme.id in placed:
            continue
        channel = request.shield.restore_optional(item.channel)
        touchpoint = Touchpoint(theme_id=theme.id, title=theme.title, channel=channel, emotion=round(item.emotion, 1))
        placed[theme.id] = (matching_stage(item.stage, stages), touchpoint)
    themes = list(short.values())
    unplaced = [theme for theme in themes if placed.get(theme.id, (None, None))[0] is None]
    embedded = {tp.theme_id: (stage, tp) for stage, tp in place_touchpoints(unplaced, stages)} if unplaced else {}
    result = []
    for theme in themes:
        stage, touchpoint = placed.get(theme.id, (None, None))
        fallback_stage, fallback = embedded.get(theme.id, (None, None))
        result.append((stage or fallback_stage, touchpoint or fallback))
    return result


def matching_stage(name: str, stages: Sequence[StageDef]) -> str | None:
    """The workshop's stage the model meant, ignoring case, spaces and punctuation; None if it has none such."""
    return next((stage.name for stage in stages if _plain(stage.name) == _plain(name)), None)


def _plain(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())
