"""Titles for groups of notes made outside the engine: a theme split by stage or by feeling needs a new name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from workflows.themes.clustering.base import ThemeDraft
from workflows.themes.clustering.cleaning import clean
from workflows.themes.clustering.embeddings import Embedder, get_embedder
from workflows.themes.clustering.titles import titles


def name_groups(
    groups: Sequence[Sequence[str]], embedder: Embedder | None = None, taken: Iterable[str] = ()
) -> list[str]:
    """A distinct title per group of raw note texts, chosen among all the groups at once, as the engine does, and
    none of them among `taken`."""
    embedder = embedder or get_embedder()
    cleaned = [sorted(clean(text) for text in group) for group in groups]
    centres = np.stack([centre(embedder.encode(group)) for group in cleaned]) if cleaned else np.zeros((0, 1))
    return titles(cleaned, centres, embedder.encode, taken)


def centre(vectors: np.ndarray) -> np.ndarray:
    """The mean direction of a group's sentence vectors."""
    total = vectors.sum(axis=0)
    return total / max(float(np.linalg.norm(total)), 1e-12)


def apart_from(drafts: Sequence[ThemeDraft], texts: Mapping[str, str], fixed: Iterable[str]) -> list[ThemeDraft]:
    """The drafts, each whose title is one of `fixed` (titles other themes of the step keep) titled afresh, distinct
    from every title in the step; `texts` holds the drafts' note texts by id."""
    fixed = list(fixed)
    keys = {_said_alike(title) for title in fixed}
    clashing = [i for i, draft in enumerate(drafts) if _said_alike(draft.title) in keys]
    if not clashing:
        return list(drafts)
    others = [*fixed, *(draft.title for i, draft in enumerate(drafts) if i not in clashing)]
    fresh = dict(
        zip(clashing, name_groups([[texts[n] for n in drafts[i].ids] for i in clashing], taken=others), strict=True)
    )
    return [draft.model_copy(update={"title": fresh[i]}) if i in fresh else draft for i, draft in enumerate(drafts)]


def _said_alike(title: str) -> str:
    """A title as read: "Disruption and refunds" is "Disruption & refunds"."""
    return " ".join(re.sub(r"&|\+|\band\b", " and ", title.casefold()).split())
