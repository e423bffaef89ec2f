"""A step's contributions become themes: cluster, repair (nothing dropped, nothing doubled), store."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.models import ContributionRow, Step, ThemeMember, ThemeRow
from workflows.clustering.base import ClusterEngine, Note, ThemeDraft
from workflows.clustering.embeddings import get_embedder
from workflows.journey_map import Contribution, Evidence, Theme
from workflows.textutil import shorten

log = logging.getLogger(__name__)


def notes_of(contributions: Sequence[ContributionRow]) -> list[Note]:
    return [Note(id=str(c.id), text=c.text) for c in contributions]


def repair(drafts: Sequence[ThemeDraft], notes: Sequence[Note]) -> list[ThemeDraft]:
    """Every note in exactly one theme: unknown ids dropped, repeats kept once, forgotten notes alone."""
    known = {n.id: n for n in notes}
    seen: set[str] = set()
    repaired: list[ThemeDraft] = []
    for draft in drafts:
        ids = [i for i in dict.fromkeys(draft.ids) if i in known and i not in seen]
        seen.update(ids)
        if ids:
            repaired.append(draft.model_copy(update={"ids": ids}))
    repaired += [ThemeDraft(title=shorten(n.text), ids=[n.id]) for n in notes if n.id not in seen]
    return repaired


def cluster_step(engine: ClusterEngine, contributions: Sequence[ContributionRow]) -> list[ThemeDraft]:
    notes = notes_of(contributions)
    if not notes:
        return []
    return repair(engine.cluster(notes), notes)


def representative(ids: Sequence[str], texts: dict[str, str]) -> str:
    """The member most similar to the others: the quote that best stands for the theme."""
    if len(ids) <= 2:
        return max(ids, key=lambda i: (len(texts[i]) if len(texts[i]) < 280 else 0, i))
    vectors = get_embedder().encode([texts[i] for i in ids])
    centrality = (vectors @ vectors.T).sum(axis=1)
    return ids[int(np.argmax(centrality))]


def store_themes(session: Session, step: Step, drafts: Sequence[ThemeDraft], engine: str) -> None:
    """Replaces the step's themes, so re-running a close after a crash gives the same rows, not more."""
    session.execute(delete(ThemeRow).where(ThemeRow.step_id == step.id))
    texts = {str(c.id): c.text for c in step.contributions}
    ordered = sorted(drafts, key=lambda d: (-len(d.ids), d.title))
    for position, draft in enumerate(ordered):
        theme = ThemeRow(
            step_id=step.id,
            position=position,
            title=draft.title,
            summary=draft.summary,
            quote_contribution_id=int(representative(draft.ids, texts)),
            members=[ThemeMember(contribution_id=int(i)) for i in draft.ids],
        )
        session.add(theme)
    step.engine = engine


def themes_of(step: Step) -> list[Theme]:
    """The step's themes as map models; contributions not in any theme (late replies) get one each."""
    themed: set[int] = set()
    themes: list[Theme] = []
    for row in step.themes:
        members = sorted(
            (m.contribution for m in row.members),
            key=lambda c: (c.id != row.quote_contribution_id, c.id),
        )
        themed.update(c.id for c in members)
        themes.append(
            Theme(
                id=f"{step.key}-{row.position + 1}",
                title=row.title,
                summary=row.summary,
                contributions=[contribution_of(c) for c in members],
            )
        )
    late = [c for c in step.contributions if c.id not in themed]
    themes += [
        Theme(id=f"{step.key}-late-{c.id}", title=shorten(c.text), contributions=[contribution_of(c)]) for c in late
    ]
    return themes


def contribution_of(row: ContributionRow) -> Contribution:
    return Contribution(user=row.user_id, ts=row.message_ts, text=row.text, evidence=Evidence(row.evidence))
