"""The map as files people keep: `journey-map.md` to read, `journey-map.json` for tools."""

from __future__ import annotations

from collections import Counter

from workflows.mapping.models import ActionItem, JourneyMap, StepKey, Theme
from workflows.workshop.steps import STEPS

EMOTION_WORDS = {2: "delighted", 1: "positive", 0: "neutral", -1: "frustrated", -2: "angry"}


def emotion_word(score: float) -> str:
    return EMOTION_WORDS[round(max(-2.0, min(2.0, score)))]


def emotion_label(score: float | None) -> str:
    return "not rated" if score is None else f"{emotion_word(score)} ({score:+.1f})"


def map_json(journey_map: JourneyMap) -> bytes:
    return journey_map.model_dump_json(indent=2).encode()


def evidence_mix(theme: Theme) -> str:
    counts = Counter(c.evidence.value for c in theme.contributions)
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))


def _action_line(action: ActionItem, titles: dict[str, str], names: dict[str, str]) -> str:
    owner = f"@{names.get(action.owner, action.owner)}" if action.owner else "**no owner yet**"
    due = action.due.isoformat() if action.due else "no date"
    pain = f" (addresses: {titles[action.pain_point]})" if action.pain_point in titles else ""
    return f"- **{action.id}** {action.title}: {owner}, due {due}, {action.status.value.replace('_', ' ')}{pain}"


def map_markdown(journey_map: JourneyMap) -> str:
    """A readable document, with people's display names (as of publishing) rather than Slack ids."""
    names = journey_map.people
    titles = {t.id: t.title for themes in journey_map.steps.values() for t in themes}
    lines = [
        f"# Customer journey map: {journey_map.objective}",
        "",
        f"Workshop {journey_map.workshop_id}, version {journey_map.version}, "
        f"generated {journey_map.generated_at:%Y-%m-%d %H:%M} UTC by the {journey_map.engine} engine.",
        "",
        f"Stages: {' → '.join(journey_map.stage_model)}",
        "",
    ]
    lines += _objective_section(journey_map)
    if persona := journey_map.persona:
        lines += [f"## Persona: {persona.name}", ""]
        if persona.segment:
            lines += [f"*{persona.segment}*", ""]
        for label, items in (
            ("Goals", persona.goals),
            ("Needs", persona.needs),
            ("Frustrations", persona.frustrations),
        ):
            if items:
                lines += [f"**{label}**", "", *[f"- {item}" for item in items], ""]
        if persona.verbatims:
            lines += ["**In their words**", ""]
            for v in persona.verbatims:
                heard = f" (heard by @{names.get(v.user, v.user)})" if v.user else ""
                lines += [f"> {v.text}{heard}", ""]
    lines += ["## Stages", ""]
    for stage in journey_map.stages:
        lines += [f"### {stage.name}", ""]
        if stage.description:
            lines += [f"_{stage.description}_", ""]
        lines += [f"Emotion: {emotion_label(stage.emotion)}", ""]
        for tp in stage.touchpoints:
            channel = f" [{tp.channel}]" if tp.channel else ""
            rated = f", rated by {tp.ratings}" if tp.ratings else ""
            lines.append(f"- Touchpoint: {tp.title}{channel}, {emotion_label(tp.emotion)}{rated}")
        for pp in stage.pain_points:
            place = titles.get(pp.touchpoint or "", "")
            named_alike = place.casefold() == pp.title.casefold()  # not "Pricing page at Pricing page"
            at = f" at {place}" if place and not named_alike else ""
            severity = f", severity {pp.severity}/3" if pp.severity else ""
            lines.append(f"- Pain point: {pp.title}{at} ({pp.votes} vote{'s' * (pp.votes != 1)}{severity})")
        if not stage.touchpoints and not stage.pain_points:
            lines.append("- Nothing mapped here yet.")
        lines.append("")
    lines += ["## Action plan", ""]
    lines += [_action_line(a, titles, names) for a in journey_map.action_items] or ["No actions yet."]
    unowned = sum(1 for a in journey_map.action_items if a.owner is None)
    if unowned:
        lines += ["", f"No owner yet for {unowned} action(s): the map is not final until each has one."]
    lines += ["", "## Themes and evidence", ""]
    for key in StepKey:
        lines += [f"### {STEPS[key].title}", ""]
        for theme in journey_map.steps.get(key, []):
            flag = " ⚠ assumptions only" if theme.assumption_only else ""
            lines.append(f"- **{theme.title}** ({len(theme.contributions)}; {evidence_mix(theme)}){flag}")
            lines += [f"  - {c.text} (@{names.get(c.user, c.user)})" for c in theme.contributions]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _objective_section(journey_map: JourneyMap) -> list[str]:
    """What the map is for, as the objective step put it; nothing on maps published before it was read."""
    card = journey_map.objective_card
    if card is None:
        return []
    lines = ["## Objective", "", f"**Question:** {card.question}", ""]
    for label, items in (
        ("In scope", card.scope),
        ("Out of scope", card.out_of_scope),
        ("Success measures", card.success_measures),
    ):
        if items:
            lines += [f"**{label}**", "", *[f"- {item}" for item in items], ""]
    if card.decision:
        lines += [f"**Decision it informs:** {card.decision}", ""]
    return lines


def people_in(journey_map: JourneyMap) -> set[str]:
    """Everyone the map names: contributors and action owners."""
    people = {c.user for themes in journey_map.steps.values() for t in themes for c in t.contributions}
    return people | {a.owner for a in journey_map.action_items if a.owner}
