"""A step's notes into themes in one call, for boards up to `prebucket_threshold` notes."""

from __future__ import annotations

from collections.abc import Sequence

from workflows.llm.answers import ClusterAnswer
from workflows.llm.checks import left_out, lumped
from workflows.llm.client import LLMClient
from workflows.llm.redaction import Mention, Shield
from workflows.llm.render import short_ids
from workflows.llm.request import Request
from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.themes.repair import repair

ClusterRequest = Request[ClusterAnswer, dict[str, Note]]  # context: short id (n1, …) → note


def cluster(client: LLMClient, notes: Sequence[Note]) -> list[ThemeDraft]:
    """Every note in exactly one theme: ids the model invented are discarded, notes it forgot stand alone."""
    if not notes:
        return []
    request = build_cluster(notes, client.people)
    return read_cluster(client.ask(request), request)


def build_cluster(notes: Sequence[Note], people: Sequence[Mention]) -> ClusterRequest:
    """One redacted line per note under its short id; the cache inputs are the notes' own ids and texts."""
    shield = Shield(people)
    short = short_ids("n", notes)
    listing = "\n".join(f"{note_id}: {shield.send(note.text)}" for note_id, note in short.items())
    return Request(
        task="cluster",
        answer=ClusterAnswer,
        variables={"count": str(len(notes)), "notes": listing},
        inputs=[(note.id, note.text) for note in notes],
        shield=shield,
        context=short,
        size=len(notes),
        check=lambda answer: cluster_problem(answer, short),
    )


def cluster_problem(answer: ClusterAnswer, short: dict[str, Note]) -> str | None:
    """No themes, most notes left out, or everything in one theme: `workflows.llm.checks`."""
    if short and not answer.themes:
        return f"it has no themes for the {len(short)} notes"
    placed = [note_id for theme in answer.themes for note_id in theme.notes]
    sizes = [len(set(theme.notes) & short.keys()) for theme in answer.themes]
    return left_out("note", placed, short) or lumped(sizes, len(short))


def read_cluster(answer: ClusterAnswer, request: ClusterRequest) -> list[ThemeDraft]:
    """The themes in the caller's ids with restored titles, made whole by `repair`."""
    short, shield = request.context, request.shield
    drafts = [
        ThemeDraft(
            title=shield.restore(theme.title),
            summary=shield.restore(theme.summary),
            ids=[short[note_id].id for note_id in theme.notes if note_id in short],
        )
        for theme in answer.themes
    ]
    return repair(drafts, list(short.values()))
