"""The map's executive summary: three to five sentences and the top opportunities."""

from __future__ import annotations

from collections.abc import Sequence

from workflows.llm.answers import SummaryAnswer
from workflows.llm.client import LLMClient
from workflows.llm.redaction import Mention, Shield
from workflows.llm.render import count
from workflows.llm.request import Request
from workflows.mapping.models import ExecutiveSummary, JourneyMap

SummaryRequest = Request[SummaryAnswer, None]  # the answer names no ids: nothing to map back


def summary(client: LLMClient, journey_map: JourneyMap) -> ExecutiveSummary:
    request = build_summary(journey_map, client.people)
    return read_summary(client.ask(request), request)


def build_summary(journey_map: JourneyMap, people: Sequence[Mention]) -> SummaryRequest:
    """The map's outline; the cache inputs are the map itself, less what changes without changing its content."""
    shield = Shield(people)
    return Request(
        task="summary",
        answer=SummaryAnswer,
        variables={"map": _outline(journey_map, shield)},
        inputs=journey_map.model_dump(mode="json", exclude={"generated_at", "summary", "provenance"}),
        shield=shield,
        context=None,
    )


def read_summary(answer: SummaryAnswer, request: SummaryRequest) -> ExecutiveSummary:
    """The sentences restored and joined into one paragraph; the opportunities restored, in the model's order."""
    shield = request.shield
    return ExecutiveSummary(
        text=" ".join(shield.restore(sentence).strip() for sentence in answer.sentences),
        opportunities=[shield.restore(opportunity) for opportunity in answer.opportunities],
    )


def _outline(journey_map: JourneyMap, shield: Shield) -> str:
    """The map as the model needs it: titles, emotions, votes and severities; no notes and no Slack ids."""
    lines = [f"Objective: {shield.send(journey_map.objective)}"]
    if persona := journey_map.persona:
        lines.append(
            f"Persona: {shield.send(persona.name)}" + (f" ({shield.send(persona.segment)})" if persona.segment else "")
        )
        lines += [f"  goal: {shield.send(goal)}" for goal in persona.goals]
        lines += [f"  frustration: {shield.send(item)}" for item in persona.frustrations]
    for stage in journey_map.stages:
        emotion = "not rated" if stage.emotion is None else f"{stage.emotion:+.1f}"
        lines.append(f"Stage {stage.name} (emotion {emotion})")
        lines += [f"  touchpoint: {shield.send(tp.title)}" for tp in stage.touchpoints]
        for pain in stage.pain_points:
            severity = f"severity {pain.severity}" if pain.severity else "severity unrated"
            lines.append(f"  pain point: {shield.send(pain.title)} ({count(pain.votes, 'vote')}, {severity})")
    for item in journey_map.action_items:
        owner = "owned" if item.owner else "no owner"
        due = f"due {item.due.isoformat()}" if item.due else "no date"
        lines.append(f"Action: {shield.send(item.title)} ({owner}, {due}, {item.status})")
    return "\n".join(lines)
