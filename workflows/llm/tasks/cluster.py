"""A step's notes into themes in one call, for boards up to `prebucket_threshold` notes."""

from __future__ import annotations

from collections.abc import Sequence

from workflows.llm.answers import ClusterAnswer
from workflows.llm.client import LLMClient
from workflows.llm.render import short_ids
from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.themes.repair import repair


def cluster(client: LLMClient, notes: Sequence[Note]) -> list[ThemeDraft]:
    """Every note in exactly one theme: ids the model invented are discarded, notes it forgot stand alone."""
    if not notes:
        return []
    shield = client.shield()
    short = short_ids("n", notes)
    listing = "\n".join(f"{note_id}: {shield.send(note.text)}" for note_id, note in short.items())
    answer = client.ask(
        "cluster",
        ClusterAnswer,
        {"count": str(len(notes)), "notes": listing},
        inputs=[(note.id, note.text) for note in notes],
    )
    drafts = [
        ThemeDraft(
            title=shield.restore(theme.title),
            summary=shield.restore(theme.summary),
            ids=[short[note_id].id for note_id in theme.notes if note_id in short],
        )
        for theme in answer.themes
    ]
    return repair(drafts, notes)
