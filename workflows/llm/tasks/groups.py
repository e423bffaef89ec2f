"""Large boards: the embedded engine pre-groups, the LLM names, merges and splits the groups.

The model sees each group's size and its few most representative notes, never every note, so tokens grow with
the number of groups rather than with the board (let alone its square).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from workflows.llm.answers import NameGroupsAnswer
from workflows.llm.checks import left_out, lumped
from workflows.llm.client import LLMClient
from workflows.llm.redaction import Mention, Shield
from workflows.llm.render import count, short_ids
from workflows.llm.request import Request
from workflows.mapping.synthesis import TextEmbedder
from workflows.themes.clustering.base import ClusterEngine, Note, ThemeDraft
from workflows.themes.repair import repair

SAMPLES_PER_GROUP = 4


@dataclass(frozen=True)
class GroupsContext:
    """What reading the answer needs: the board, and the short ids its groups and sample notes were shown under."""

    notes: Sequence[Note]
    groups: dict[str, ThemeDraft]  # g1, … → the pre-grouping's group
    samples: dict[str, str]  # n1, … → the id of a sample note shown under its group


NameGroupsRequest = Request[NameGroupsAnswer, GroupsContext]


def cluster_large(
    client: LLMClient, notes: Sequence[Note], pregroup: ClusterEngine, embedder: TextEmbedder
) -> list[ThemeDraft]:
    """A theme takes its groups whole (a merge) plus sample notes moved out of other groups (a split); a group
    the model forgot keeps its embedded title; `repair` then guarantees every note in exactly one theme."""
    groups = repair(pregroup.cluster(notes), notes)
    samples = _samples(groups, {note.id: note.text for note in notes}, embedder)
    request = build_name_groups(notes, groups, samples, client.people)
    return read_name_groups(client.ask(request), request)


def build_name_groups(
    notes: Sequence[Note], groups: Sequence[ThemeDraft], samples: Sequence[Sequence[str]], people: Sequence[Mention]
) -> NameGroupsRequest:
    """Each group as its short id and size, then its sample notes (`samples`, in the groups' order) redacted."""
    shield = Shield(people)
    texts = {note.id: note.text for note in notes}
    short_groups = short_ids("g", groups)
    sample_ids = short_ids("n", [note_id for ids in samples for note_id in ids])
    sample_short = {note_id: short for short, note_id in sample_ids.items()}
    lines = []
    for (group_id, group), shown in zip(short_groups.items(), samples, strict=True):
        lines.append(f"{group_id} ({count(len(group.ids), 'note')})")
        lines += [f"  {sample_short[note_id]}: {shield.send(texts[note_id])}" for note_id in shown]
    return Request(
        task="name_groups",
        answer=NameGroupsAnswer,
        variables={"group_count": str(len(groups)), "note_count": str(len(notes)), "groups": "\n".join(lines)},
        inputs={"notes": [(note.id, note.text) for note in notes], "groups": [group.ids for group in groups]},
        shield=shield,
        context=GroupsContext(notes=notes, groups=short_groups, samples=sample_ids),
        size=len(groups),
        check=lambda answer: name_groups_problem(answer, short_groups, len(notes)),
    )


def name_groups_problem(answer: NameGroupsAnswer, groups: dict[str, ThemeDraft], notes: int) -> str | None:
    """No themes, most groups left out, or every note in one theme: `workflows.llm.checks`."""
    if groups and not answer.themes:
        return f"it has no themes for the {len(groups)} groups"
    named = [group_id for theme in answer.themes for group_id in theme.groups]
    sizes = [sum(len(groups[g].ids) for g in set(theme.groups) if g in groups) for theme in answer.themes]
    return left_out("group", named, groups) or lumped(sizes, notes)


def read_name_groups(answer: NameGroupsAnswer, request: NameGroupsRequest) -> list[ThemeDraft]:
    """A moved sample note wins over its group; unknown ids are ignored; forgotten groups keep their titles."""
    context, shield = request.context, request.shield
    theme_of: dict[str, int] = {}
    for index, theme in enumerate(answer.themes):  # moved notes first: a split wins over its group
        for short in theme.notes:
            if short in context.samples:
                theme_of.setdefault(context.samples[short], index)
    for index, theme in enumerate(answer.themes):
        for group_id in theme.groups:
            for note_id in context.groups[group_id].ids if group_id in context.groups else ():
                theme_of.setdefault(note_id, index)
    drafts = [
        ThemeDraft(
            title=shield.restore(theme.title),
            summary=shield.restore(theme.summary),
            ids=[note.id for note in context.notes if theme_of.get(note.id) == index],
        )
        for index, theme in enumerate(answer.themes)
    ]
    forgotten = [
        group.model_copy(update={"ids": [i for i in group.ids if i not in theme_of]})
        for group in context.groups.values()
    ]
    return repair(drafts + forgotten, context.notes)


def _samples(groups: Sequence[ThemeDraft], texts: Mapping[str, str], embedder: TextEmbedder) -> list[list[str]]:
    """Each group's members closest to its centre, most central first; a small group shows all its notes."""
    large = [note_id for group in groups if len(group.ids) > SAMPLES_PER_GROUP for note_id in group.ids]
    vectors = dict(zip(large, np.asarray(embedder.encode([texts[i] for i in large])), strict=True))
    samples = []
    for group in groups:
        if len(group.ids) <= SAMPLES_PER_GROUP:
            samples.append(list(group.ids))
            continue
        members = np.stack([vectors[i] for i in group.ids])
        closeness = members @ members.mean(axis=0)
        samples.append([group.ids[int(i)] for i in np.argsort(-closeness, kind="stable")[:SAMPLES_PER_GROUP]])
    return samples
