"""Absolute similarity floors on the raw sentence vectors, where the consensus (which only compares) cannot judge.

The consensus never answers "one theme" and always places every note somewhere. These floors, calibrated on
all-MiniLM-L6-v2 cosines of short notes (the 99.9th percentile of the mean similarity between two different
intents of CLINC150 is 0.46; 99% of notes have a note of their own intent above 0.27), merge themes that are
plainly one subject and move a note that resembles nobody in its theme to a theme it does resemble, or leave it
on its own.
"""

from __future__ import annotations

import numpy as np

SAME_SUBJECT = 0.55  # mean cosine between two themes at which they are one
UNLIKE = 0.2  # a note whose closest theme-mate is below this is in the wrong theme


def merge_close(vectors: np.ndarray, labels: np.ndarray, floor: float = SAME_SUBJECT) -> np.ndarray:
    """Average-linkage merging of whole themes while two of them are, on average, as close as `floor`."""
    names, labels = np.unique(labels, return_inverse=True)
    sums = np.stack([vectors[labels == i].sum(axis=0) for i in range(len(names))])
    sizes = np.bincount(labels).astype(float)
    closeness = (sums @ sums.T) / np.outer(sizes, sizes)
    np.fill_diagonal(closeness, -np.inf)
    alive = np.ones(len(names), dtype=bool)
    while alive.sum() > 1:
        a, b = sorted(np.unravel_index(np.argmax(closeness), closeness.shape))
        if closeness[a, b] < floor:
            break
        sums[a] += sums[b]
        sizes[a] += sizes[b]
        labels[labels == b] = a
        alive[b] = False
        row = np.where(alive, (sums @ sums[a]) / (sizes * sizes[a]), -np.inf)
        row[a] = -np.inf
        closeness[a] = closeness[:, a] = row
        closeness[b] = closeness[:, b] = -np.inf
    return labels


def alike_only(vectors: np.ndarray, floor: float) -> np.ndarray:
    """Labels (0..k-1) where notes share a theme only when their themes are, on average, at least `floor` alike."""
    if len(vectors) == 0:
        return np.zeros(0, dtype=int)
    return np.unique(merge_close(vectors, np.arange(len(vectors)), floor), return_inverse=True)[1]


def rehome_outliers(vectors: np.ndarray, labels: np.ndarray, floor: float = UNLIKE) -> np.ndarray:
    """A note unlike everyone in its theme moves to the theme it is most like on average, or stands alone.

    Decided in one pass against the themes without such notes, so the outcome does not depend on their order.
    """
    similarity = vectors @ vectors.T
    same = labels[:, None] == labels[None, :]
    np.fill_diagonal(same, False)
    closest = np.where(same, similarity, -np.inf).max(axis=1, initial=-np.inf)
    misplaced = np.isfinite(closest) & (closest < floor)
    if not misplaced.any():
        return labels
    if misplaced.all():
        return np.arange(len(labels))
    names, settled = np.unique(labels[~misplaced], return_inverse=True)
    onehot = np.eye(len(names))[settled]
    likeness = similarity[np.ix_(misplaced, ~misplaced)] @ onehot / onehot.sum(axis=0)
    best = likeness.argmax(axis=1)
    alone = likeness[np.arange(len(best)), best] < floor
    labels = labels.copy()
    labels[misplaced] = np.where(alone, labels.max() + 1 + np.arange(len(best)), names[best])
    return labels
