"""Which notes share a theme, from their sentence vectors: a consensus of three clusterers over many theme counts.

Alone, each count rule miscounts themes on short notes, in opposite directions: silhouette (even with the
one-standard-error rule, the fewest themes scoring within noise of the best) over-splits, the largest eigengap of
the note graph under-splits when themes are close (eight intents of one domain). So both vote: the grouping is the
majority vote of average-linkage, spectral and k-means partitions for every count from 2 to twice each rule's count
(evidence accumulation, Fred and Jain 2005), two notes sharing a theme when most partitions say so. Absolute
similarity floors then merge themes that are plainly one and re-home notes unlike their theme.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from threadpoolctl import threadpool_limits

from workflows.themes.clustering.refine import merge_close, rehome_outliers

SEED = 0
MIN_NOTES = 5  # below this a count cannot be chosen from the data; the similarity floors alone decide
# Of the graph behind spectral clustering: local enough to follow a theme's shape. 8 rather than 10, with both
# count rules voting (below), lifted mean ARI on 200 CLINC150 boards of one domain per split (seeds 0 and 1) from
# 0.794 to 0.809 (test) and 0.820 to 0.827 (val), and on 60 random boards from 0.917 to 0.924 and 0.930 to 0.938.
NEIGHBOURS = 8
SCORED_COUNTS = 40  # theme counts scored at most; larger boards step through the range
VOTING_COUNTS = 20  # theme counts that vote at most (each costs a k-means)
KMEANS_DIMENSIONS = 64  # principal components k-means runs on: exact for boards up to 65 notes, fast above
CHEAP_KMEANS = 20_000  # notes x themes below which k-means restarts (a bad start moves a whole theme)
MAJORITY = 0.5
ROWS_PER_BLOCK = 256  # rows sorted at once when finding neighbours: bounds that temporary to 256 x n
# Eigengaps before the third eigenvalue only say "the board has two halves". Weighing the eigengap's count (from
# 3) with the silhouette's lifted mean ARI on 60 within-domain CLINC150 boards per split from 0.748 to 0.769 (test)
# and 0.779 to 0.800 (val), kept random boards at 0.91-0.92, and boards of 3, 5, 12 and 20 themes within 0.01 of
# before. Letting each rule's range of counts vote, rather than the range of their mean, keeps a board where one
# rule is far off from being cut at a count neither chose.
FEWEST_BY_EIGENGAP = 3


def group(vectors: np.ndarray, count: int | None = None) -> np.ndarray:
    """A theme label (0..k-1) per row of L2-normalised `vectors`; the same rows give the same labels.

    With `count`, exactly that many themes (fewer only with fewer distinct rows): the facilitator asked for it, so
    no floor merges or re-homes notes behind their back."""
    n = len(vectors)
    if n == 0:
        return np.zeros(0, dtype=int)
    _load_numerics()
    # One BLAS thread: numpy's and scipy's OpenBLAS pools otherwise spin against each other (twice as slow on
    # two cores), and a fixed thread count keeps floating-point sums, hence ties, the same on every machine.
    with threadpool_limits(1):
        if count is not None:
            labels = _exactly(vectors, count)
        else:
            labels = _consensus(vectors) if n >= MIN_NOTES else np.arange(n)
            labels = rehome_outliers(vectors, merge_close(vectors, labels))
    return np.unique(labels, return_inverse=True)[1]


def _load_numerics() -> None:
    """Imports scipy and scikit-learn on the first grouping rather than with this module: together about 130 MB
    that an idle bot does not need. Here, before `threadpool_limits`, which limits only the thread pools (scipy's
    OpenBLAS, scikit-learn's OpenMP) already loaded; the functions below import the names they use."""
    import scipy.cluster.hierarchy  # noqa: F401
    import scipy.linalg  # noqa: F401
    import scipy.spatial.distance  # noqa: F401
    import sklearn.cluster  # noqa: F401


def _exactly(vectors: np.ndarray, count: int) -> np.ndarray:
    """`count` themes by k-means on the centred vectors (every note alone when there are no more notes)."""
    from sklearn.cluster import KMeans

    n = len(vectors)
    if count >= n:
        return np.arange(n)
    if count <= 1:
        return np.zeros(n, dtype=int)
    projected = _principal(_centred(vectors), KMEANS_DIMENSIONS)
    return KMeans(count, n_init=3, random_state=SEED).fit_predict(projected)


def _centred(vectors: np.ndarray) -> np.ndarray:
    """Removes the direction every note shares (the board's subject), so what tells themes apart dominates."""
    shifted = vectors - vectors.mean(axis=0)
    return shifted / np.clip(np.linalg.norm(shifted, axis=1, keepdims=True), 1e-12, None)


def _theme_counts(n: int) -> list[int]:
    """Counts worth scoring: up to half the notes, and sub-linear in n (people keep a board readable)."""
    return _spread(2, max(2, min(n // 2, math.ceil(4 * math.sqrt(n)))), SCORED_COUNTS)


def _spread(low: int, high: int, most: int) -> list[int]:
    return list(range(low, high + 1, math.ceil((high - low + 1) / most)))


def _consensus(vectors: np.ndarray) -> np.ndarray:
    from scipy.cluster.hierarchy import fcluster
    from sklearn.cluster import KMeans

    z = _centred(vectors)
    n = len(z)
    scored = _theme_counts(n)
    tree = _average_tree(z)
    eigenvalues, maps = _spectral_maps(z, min(n - 1, 2 * scored[-1]))

    def partitions(k: int) -> list[np.ndarray]:
        return [fcluster(tree, k, "maxclust"), _cluster_qr(maps[:, :k])]

    by_silhouette = _fewest_within_noise(z, {k: partitions(k) for k in scored})
    by_eigengap = _largest_eigengap(eigenvalues, FEWEST_BY_EIGENGAP, scored[-1])
    chosen = {by_silhouette} if by_eigengap is None else {by_silhouette, by_eigengap}
    # A count in both rules' ranges votes twice; its partitions are made once.
    weights = Counter(k for count in chosen for k in _spread(2, min(n - 1, 2 * count), VOTING_COUNTS))
    projected = _principal(z, KMEANS_DIMENSIONS)
    votes = []
    for k, weight in sorted(weights.items()):
        restarts = 3 if n * k <= CHEAP_KMEANS else 1
        kmeans = KMeans(k, n_init=restarts, random_state=SEED).fit_predict(projected)
        votes += [(labels, weight) for labels in (*partitions(k), kmeans)]
    return _majority(votes)


def _average_tree(z: np.ndarray) -> np.ndarray:
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    distances = np.clip(1.0 - z @ z.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    return linkage(squareform((distances + distances.T) / 2, checks=False), "average")


def _spectral_maps(z: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k largest eigenvalues (descending) of the normalised kNN-graph affinity and their eigenvectors, scaled
    as scikit-learn's spectral embedding.

    Built in place, neighbours found a block of rows at a time: at 2,000 notes an n x n copy costs 16-32 MB, and
    this is the peak of the whole clustering."""
    from scipy.linalg import eigh

    n = len(z)
    affinity = z @ z.T
    mask = np.zeros((n, n), dtype=bool)
    for start in range(0, n, ROWS_PER_BLOCK):
        rows = np.arange(start, min(start + ROWS_PER_BLOCK, n))
        near = np.argsort(-affinity[rows], axis=1, kind="stable")[:, 1 : min(NEIGHBOURS, n - 1) + 1]
        mask[rows[:, None], near] = True
    mask |= mask.T
    np.clip(affinity, 0.0, None, out=affinity)
    affinity[~mask] = 0.0
    del mask
    np.fill_diagonal(affinity, 0.0)
    scale = 1.0 / np.sqrt(np.clip(affinity.sum(axis=1), 1e-12, None))
    affinity *= scale[:, None]
    affinity *= scale[None, :]
    values, vectors = eigh(affinity, subset_by_index=[n - k, n - 1], overwrite_a=True)
    maps = vectors[:, ::-1] * scale[:, None]
    # Eigenvectors have no sign; fixing it keeps runs identical.
    return values[::-1], maps * np.sign(maps[np.abs(maps).argmax(axis=0), np.arange(k)])


def _largest_eigengap(eigenvalues: np.ndarray, fewest: int, most: int) -> int | None:
    """The count k in fewest..most after whose k-th eigenvalue the spectrum drops most (None if none fits)."""
    most = min(most, len(eigenvalues) - 1)
    if most < fewest:
        return None
    gaps = eigenvalues[fewest - 1 : most] - eigenvalues[fewest : most + 1]
    return fewest + int(np.argmax(gaps))


def _cluster_qr(maps: np.ndarray) -> np.ndarray:
    """Labels from a spectral embedding without k-means (Damle, Minden and Ying 2019): no seed, no restarts."""
    from scipy.linalg import qr, svd

    k = maps.shape[1]
    pivots = qr(maps.T, pivoting=True)[2]
    left, _, right = svd(maps[pivots[:k], :].T)
    return np.abs(maps @ (left @ right)).argmax(axis=1)


def _principal(z: np.ndarray, dimensions: int) -> np.ndarray:
    u, s, _ = np.linalg.svd(z - z.mean(axis=0), full_matrices=False)
    return u[:, :dimensions] * s[:dimensions]


def _silhouettes(z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Per-note cosine silhouette (0 for a note alone), via theme sums: O(n*d*k), not O(n^2*k)."""
    _, labels = np.unique(labels, return_inverse=True)
    onehot = np.eye(labels.max() + 1)[labels]
    sizes = onehot.sum(axis=0)
    total = sizes[None, :] - z @ (z.T @ onehot)
    rows = np.arange(len(z))
    own = sizes[labels] - 1
    inside = total[rows, labels] / np.clip(own, 1, None)
    others = total / sizes
    others[rows, labels] = np.inf
    nearest = others.min(axis=1)
    return np.where(own > 0, (nearest - inside) / np.clip(np.maximum(inside, nearest), 1e-12, None), 0.0)


def _fewest_within_noise(z: np.ndarray, candidates: dict[int, list[np.ndarray]]) -> int:
    """The one-standard-error rule on the mean silhouette of the candidates at each count."""
    scores = {}
    for k, partitions in candidates.items():
        per_note = np.mean([_silhouettes(z, labels) for labels in partitions], axis=0)
        scores[k] = (per_note.mean(), per_note.std() / math.sqrt(len(per_note)))
    best = max(scores, key=lambda k: (scores[k][0], -k))
    return min(k for k, (mean, _) in scores.items() if mean >= scores[best][0] - scores[best][1])


def _majority(votes: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """Notes together where partitions weighing more than half the votes put them together."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = len(votes[0][0])
    together = np.zeros((n, n), dtype=np.float32)
    for labels, weight in votes:  # added in place: at 2,000 notes an n x n temporary of weights costs 32 MB
        np.add(together, weight, out=together, where=labels[:, None] == labels[None, :])
    apart = 1.0 - together / sum(weight for _, weight in votes)
    np.fill_diagonal(apart, 0.0)
    return fcluster(linkage(squareform(np.clip(apart, 0.0, 1.0), checks=False), "average"), MAJORITY, "distance")
