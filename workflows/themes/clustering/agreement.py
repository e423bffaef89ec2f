"""Whether a grouping made elsewhere (the LLM's) groups notes by what they say at all, by the embedded model's
measure: the facilitator is told to review a step whose themes look no closer in meaning than chance.

Agreement with the embedded engine's own grouping cannot be the test: on the hand-labelled workshops in
`bench/data/workshops/` the team's true themes agree with the embedded grouping no better than random themes do
(ARI 0.06-0.35 against -0.10-0.08). What does separate them is how much closer in meaning notes sharing a theme are
than notes that do not, against the same themes with their notes shuffled (a permutation z-score). Under 1, as
here, flags 1 of those 15 true steps (rail's objective, whose themes are roles, not subjects) and 122 of 150
random groupings with the true theme sizes; so it only flags a step for review and never throws themes away.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from workflows.themes.clustering.base import ThemeDraft
from workflows.themes.clustering.embeddings import get_embedder

MIN_PAIRS = 4  # notes sharing a theme, counted in pairs: fewer say nothing either way
SHUFFLES = 200
MAX_NOTES = 300  # a larger board is judged on a sample: the test is about the grouping's shape, not every note
LIKE_CHANCE = 1.0  # a z-score under this: the themes are no closer in meaning than shuffled ones
SEED = 0


def meaning_z(vectors: np.ndarray, labels: Sequence[int]) -> float | None:
    """How many standard deviations closer in meaning notes sharing a theme are than under shuffled themes; None
    when too few notes share a theme to tell. `vectors` are L2-normalised, one row per label."""
    labels = np.asarray(labels)
    if len(labels) < 3 or _pairs(labels) < MIN_PAIRS or len(set(labels.tolist())) < 2:
        return None
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    observed = _gap(similarity, labels)
    rng = np.random.default_rng(SEED)
    shuffled = np.array([_gap(similarity, rng.permutation(labels)) for _ in range(SHUFFLES)])
    return float((observed - shuffled.mean()) / (shuffled.std() + 1e-9))


def grouping_doubt(texts: Mapping[str, str], drafts: Sequence[ThemeDraft]) -> str | None:
    """A note for the facilitator when these themes look no closer in meaning than chance, or None."""
    labelled = [(note_id, number) for number, draft in enumerate(drafts) for note_id in draft.ids if note_id in texts]
    if len(labelled) > MAX_NOTES:
        picked = np.random.default_rng(SEED).choice(len(labelled), MAX_NOTES, replace=False)
        labelled = [labelled[i] for i in sorted(picked)]
    if not labelled:
        return None
    vectors = get_embedder().encode([texts[note_id] for note_id, _ in labelled])
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    z = meaning_z(vectors, [number for _, number in labelled])
    if z is None or z >= LIKE_CHANCE:
        return None
    return (
        "The LLM's themes group notes that are no closer in meaning than a random grouping would be, by the embedded "
        "model's measure: review them (Review themes) or group the step again before the map goes out."
    )


def _pairs(labels: np.ndarray) -> int:
    sizes = np.unique(labels, return_counts=True)[1]
    return int((sizes * (sizes - 1) // 2).sum())


def _gap(similarity: np.ndarray, labels: np.ndarray) -> float:
    """Mean similarity of pairs sharing a theme minus that of pairs that do not."""
    one_hot = (labels[:, None] == np.unique(labels)[None, :]).astype(float)
    within = float(np.einsum("ik,ij,jk->", one_hot, similarity, one_hot))
    pairs = _pairs(labels) * 2  # ordered pairs, as the sum counts them
    total = float(similarity.sum())
    others = len(labels) * (len(labels) - 1) - pairs
    return within / pairs - (total - within) / max(others, 1)
