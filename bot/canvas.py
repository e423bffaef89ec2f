"""The map as a Slack canvas: persona, one table row per stage, ranked pain points, actions with owners, evidence.

Canvas markdown is Slack's own dialect: user text is escaped as everywhere else, and kept on one line per table
cell. Owners are written by display name rather than as mentions, so an update to the canvas pings nobody.
"""

from __future__ import annotations

from bot.text import fit
from workflows.contributions.text import shorten
from workflows.mapping.files import emotion_label
from workflows.mapping.models import JourneyMap, StepKey
from workflows.render.grid import Item, MapGrid, display_name, map_grid, owner_name

CELL = 400  # characters of user text per table cell; the canvas stays readable and far under its 1 MiB
ASSUMPTION = " ⚠"
TITLE_CHARS = 120


def cell(text: str, limit: int = CELL) -> str:
    """Escaped, on one line, with table pipes kept literal."""
    return fit(" ".join(text.split()), limit).replace("|", "\\|")


def _items(items: list[Item], with_detail: bool = True) -> str:
    parts = [
        cell(item.text, 160)
        + (f" ({cell(item.detail, 80)})" if with_detail and item.detail else "")
        + (ASSUMPTION if item.assumption else "")
        for item in items
    ]
    return "; ".join(parts) or "·"


def _header(journey_map: JourneyMap, grid: MapGrid) -> list[str]:
    lines = [
        f"# Journey map: {cell(journey_map.objective, 300)}",
        f"_Version {grid.version} · published {grid.generated:%d %b %Y} · themes by the {cell(grid.engine, 60)} "
        "engine · updated by journeybot with each revision_",
        "",
    ]
    if card := journey_map.objective_card:
        lines += ["## Objective", f"**Question:** {cell(card.question, 600)}"]
        for label, entries in (
            ("In scope", card.scope),
            ("Out of scope", card.out_of_scope),
            ("Success measures", card.success_measures),
        ):
            lines += [f"**{label}:**", *[f"- {cell(e, 300)}" for e in entries]] if entries else []
        if card.decision:
            lines += [f"**Decision it informs:** {cell(card.decision, 300)}"]
        lines += [""]
    if persona := journey_map.persona:
        lines += [f"## Persona: {cell(persona.name, 120)}"]
        if persona.segment:
            lines += [cell(persona.segment, 300)]
        for label, entries in (
            ("Goals", persona.goals),
            ("Needs", persona.needs),
            ("Frustrations", persona.frustrations),
        ):
            if entries:
                lines += [f"**{label}:** " + "; ".join(cell(e, 200) for e in entries[:5])]
        people = journey_map.people
        lines += [
            f"> {cell(v.text, 300)}" + (f" (heard by {cell(display_name(v.user, people), 80)})" if v.user else "")
            for v in persona.verbatims
        ]
        lines += [""]
    return lines


def _stage_table(journey_map: JourneyMap, grid: MapGrid) -> list[str]:
    lines = [
        "## The journey",
        "| Stage | Feeling | Touchpoints | Pain points | Actions |",
        "|---|---|---|---|---|",
    ]
    for stage, column in zip(journey_map.stages, grid.stages, strict=True):
        feeling = emotion_label(stage.emotion) + (f", rated by {column.rated_by}" if column.rated_by else "")
        lines.append(
            f"| **{cell(stage.name, 100)}** | {feeling} | {_items(column.touchpoints)} | "
            f"{_items(column.pain_points)} | {_items(column.actions, with_detail=False)} |"
        )
    return [*lines, ""]


def _pain_points(journey_map: JourneyMap) -> list[str]:
    ranked = [(pain, stage.name) for stage in journey_map.stages for pain in stage.pain_points]
    ranked.sort(key=lambda entry: (-entry[0].votes, -(entry[0].severity or 0)))
    lines = ["## Pain points, most votes first"]
    assumed = {t.id for t in journey_map.steps.get(StepKey.pain_points, []) if t.assumption_only}
    for number, (pain, stage) in enumerate(ranked, start=1):
        severity = f" · severity {pain.severity}/3" if pain.severity else ""
        flag = " · ⚠ assumptions only" if pain.theme_id in assumed else ""
        lines.append(
            f"{number}. **{cell(pain.title, 200)}** · {cell(stage, 100)} · "
            f"{pain.votes} vote{'s' * (pain.votes != 1)}{severity}{flag}"
        )
    return [*lines, "" if ranked else "No pain points mapped.", ""]


def _actions(journey_map: JourneyMap) -> list[str]:
    lines = ["## Actions", "| ID | Action | Owner | Due | Status | Stage |", "|---|---|---|---|---|---|"]
    for action in journey_map.action_items:
        due = f"{action.due:%d %b %Y}" if action.due else "no date"
        lines.append(
            f"| {action.id} | {cell(action.title, 300)} | {cell(owner_name(action, journey_map.people), 100)} | "
            f"{due} | {action.status.value.replace('_', ' ')} | {cell(action.stage or '·', 100)} |"
        )
    unowned = sum(1 for a in journey_map.action_items if a.owner is None)
    if unowned:
        lines += ["", f"**No owner yet for {unowned} action{'s' * (unowned != 1)}**: assign with `/journey assign`."]
    return [*lines, ""]


def _evidence(grid: MapGrid) -> list[str]:
    coverage = grid.coverage
    sources = ", ".join(f"{count} {kind}" for kind, count in coverage.sources.items()) or "no notes"
    return [
        "## Evidence",
        f"{coverage.evidenced} of {coverage.themes} themes rest on evidence ({coverage.share:.0%}); "
        f"notes by source: {sources}. ⚠ marks a theme that rests only on assumptions.",
    ]


def canvas_markdown(journey_map: JourneyMap) -> str:
    grid = map_grid(journey_map)
    return "\n".join(
        _header(journey_map, grid)
        + _stage_table(journey_map, grid)
        + _pain_points(journey_map)
        + _actions(journey_map)
        + _evidence(grid)
    )


def canvas_title(journey_map: JourneyMap) -> str:
    return shorten(f"Journey map: {journey_map.objective}", TITLE_CHARS)
