"""Large boards: the embedded engine pre-groups, the LLM names, merges and splits the groups.

The model sees each group's size and its few most representative notes, never every note, so tokens grow with
the number of groups rather than with the board (let alone its square).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workflows.llm.answers import NameGroupsAnswer
from workflows.llm.client import LLMClient
from workflows.llm.render import count, short_ids
from workflows.mapping.synthesis import TextEmbedder
from workflows.themes.clustering.base import ClusterEngine, Note, ThemeDraft
from workflows.themes.repair import repair

SAMPLES_PER_GROUP = 4


def cluster_large(
    client: LLMClient, notes: Sequence[Note], pregroup: ClusterEngine, embedder: TextEmbedder
) -> list[ThemeDraft]:
    """A theme takes its groups whole (a merge) plus sample notes moved out of other groups (a split); a group
    the model forgot keeps its embedded title; `repair` then guarantees every note in exactly one theme."""
    groups = short_ids("g", repair(pregroup.cluster(notes), notes))
    texts = {note.id: note.text for note in notes}
    samples = _samples(groups, texts, embedder)
    shield = client.shield()
    sample_ids = short_ids("n", [note_id for ids in samples.values() for note_id in ids])
    sample_short = {note_id: short for short, note_id in sample_ids.items()}
    lines = []
    for group_id, group in groups.items():
        lines.append(f"{group_id} ({count(len(group.ids), 'note')})")
        lines += [f"  {sample_short[note_id]}: {shield.send(texts[note_id])}" for note_id in samples[group_id]]
    answer = client.ask(
        "name_groups",
        NameGroupsAnswer,
        {"group_count": str(len(groups)), "note_count": str(len(notes)), "groups": "\n".join(lines)},
        inputs={"notes": [(note.id, note.text) for note in notes], "groups": [g.ids for g in groups.values()]},
    )
    theme_of: dict[str, int] = {}
    for index, theme in enumerate(answer.themes):  # moved notes first: a split wins over its group
        for short in theme.notes:
            if short in sample_ids:
                theme_of.setdefault(sample_ids[short], index)
    for index, theme in enumerate(answer.themes):
        for group_id in theme.groups:
            for note_id in groups[group_id].ids if group_id in groups else ():
                theme_of.setdefault(note_id, index)
    drafts = [
        ThemeDraft(
            title=shield.restore(theme.title),
            summary=shield.restore(theme.summary),
            ids=[note.id for note in notes if theme_of.get(note.id) == index],
        )
        for index, theme in enumerate(answer.themes)
    ]
    forgotten = [
        group.model_copy(update={"ids": [i for i in group.ids if i not in theme_of]}) for group in groups.values()
    ]
    return repair(drafts + forgotten, notes)


def _samples(groups: dict[str, ThemeDraft], texts: dict[str, str], embedder: TextEmbedder) -> dict[str, list[str]]:
    """Each group's members closest to its centre, most central first; a small group shows all its notes."""
    large = [note_id for group in groups.values() if len(group.ids) > SAMPLES_PER_GROUP for note_id in group.ids]
    vectors = dict(zip(large, np.asarray(embedder.encode([texts[i] for i in large])), strict=True))
    samples = {}
    for group_id, group in groups.items():
        if len(group.ids) <= SAMPLES_PER_GROUP:
            samples[group_id] = list(group.ids)
            continue
        members = np.stack([vectors[i] for i in group.ids])
        closeness = members @ members.mean(axis=0)
        samples[group_id] = [group.ids[int(i)] for i in np.argsort(-closeness, kind="stable")[:SAMPLES_PER_GROUP]]
    return samples
