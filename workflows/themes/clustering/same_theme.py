"""Whether two notes of a step share a theme, judged from more than their sentence vectors.

A sentence model alone ranks the pairs of notes that share a theme above those that do not only 84% of the time on
the labelled workshops' touchpoints and pain points: "the price checker says from £24.99" and "the price checker
is the #1 exit page" read as far apart as two notes about different pages. Teams say which notes go together in
other ways too: the same uncommon words, one saying the other's key phrase, the same stage, a reply right after the
note it answers, a "+1" to it, the same part of a persona; and labels that differ ("Context: …", "Expectation: …")
say two different things. A logistic model per step, fitted on the labelled workshops (`bench/fit_same_theme.py`,
which writes `assets/same_theme.json` and prints how each workshop scores when left out of the fit), weighs these
into the chance that two notes share a theme; notes are then grouped by average linkage while a group's mean chance
is at least the step's floor, so the data, not a theme count, says how many themes there are. What kind of note each
is weighs too: a customer's words or a tagged source, a figure, a strong feeling. Such notes are said about a
touchpoint or a pain someone has named ("Others really hate PawCall …", "[analytics] 46% of bookings start from
organic search"), and two people's opposite feelings about one thing are one touchpoint, split by feeling later.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel

from workflows.mapping.models import StepKey
from workflows.mapping.quotes import quoted_spans
from workflows.mapping.synthesis import note_sentiment
from workflows.themes.clustering.base import Note
from workflows.themes.clustering.cleaning import content_words, has_figure

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

JUDGES = Path(__file__).parent / "assets" / "same_theme.json"
# What is known about a pair of notes, in the order the fit script writes the weights.
FEATURES = (
    "meaning",
    "meaning_standing",
    "nearest_meaning",
    "shared_neighbours",
    "words",
    "nearest_words",
    "names_other",
    "same_stage",
    "same_reply",
    "next_reply",
    "builds_on",
    "same_part",
    "other_label",
    "one_sourced",
    "both_sourced",
    "one_counted",
    "both_counted",
    "one_felt",
    "both_felt",
)
# Where a pair stands among each note's neighbours in meaning and in words: most touchpoints are a theme of one or
# two notes, and two notes nearest each other are more likely one than their cosines say. The touchpoints' judge
# weighs these instead of the cosines (left out, ARI 0.51 -> 0.55, maps at 0.70 or more 12 -> 17); they did not
# help the persona's or the pain points' judges, which weigh the cosines.
NEIGHBOURHOOD = ("meaning_standing", "nearest_meaning", "shared_neighbours", "nearest_words")
NEIGHBOURS = 5  # the nearest notes in meaning two notes are compared by: a theme is rarely more than a few notes
STRONG = 2.0  # a note's sentiment (-2..+2) this far from neutral is a strong feeling: "hate", "love", ":rage:"


class Judge(BaseModel):
    """A step's fitted model: a weight per feature, the intercept, and the floor a group's mean chance keeps."""

    weights: dict[str, float]
    intercept: float
    floor: float

    def chances(self, features: Iterator[tuple[str, np.ndarray]]) -> np.ndarray:
        """Each pair's chance of sharing a theme (the features one at a time: at 2,000 notes each is 16 MB), from
        the features the judge was fitted with."""
        logit: np.ndarray | float = self.intercept
        for name, values in features:
            if name in self.weights:
                logit = logit + self.weights[name] * values
        return 1.0 / (1.0 + np.exp(-np.asarray(logit)))

    def group(self, features: Iterator[tuple[str, np.ndarray]]) -> np.ndarray:
        """A theme label (0..k-1) per note: average linkage on the chances of `pair_features`, merging while a
        merged group's mean chance is at least the floor."""
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.spatial.distance import squareform

        apart = 1.0 - self.chances(features)
        if len(apart) < 2:
            return np.zeros(len(apart), dtype=int)
        apart = (apart + apart.T) / 2
        np.fill_diagonal(apart, 0.0)
        tree = linkage(squareform(np.clip(apart, 0.0, 1.0), checks=False), "average")
        return np.unique(fcluster(tree, 1.0 - self.floor, "distance"), return_inverse=True)[1]


class Judges(BaseModel):
    """The fitted models, by step, with the workshops each was fitted on."""

    fitted_on: dict[StepKey, list[str]]
    judges: dict[StepKey, Judge]


@cache
def judge_for(step: StepKey) -> Judge | None:
    """The step's fitted model; None for a step without one (its notes are grouped by meaning alone)."""
    return Judges.model_validate_json(JUDGES.read_text(encoding="utf-8")).judges.get(step)


def pair_features(
    notes: Sequence[Note],
    vectors: np.ndarray,
    words: Sequence[frozenset[str]],
    said: Sequence[frozenset[str]],
    replies: Sequence[int],
) -> Iterator[tuple[str, np.ndarray]]:
    """Each of the FEATURES, in order, as an n x n matrix over `notes`, from their L2-normalised sentence `vectors`,
    their uncommon content `words`, every content word each note says (`said`) and the position in the thread of
    the reply each is a part of."""
    position = np.array(replies)
    alike = vectors @ vectors.T
    yield "meaning", alike
    yield "meaning_standing", _standing(alike)
    nearest = _ranks(alike)
    yield "nearest_meaning", 1.0 / (1.0 + np.minimum(nearest, nearest.T))
    yield "shared_neighbours", _shared_neighbours(nearest)
    shared = _shared_words(words)
    yield "words", shared
    nearest = _ranks(shared)
    yield "nearest_words", (shared > 0) / (1.0 + np.minimum(nearest, nearest.T))
    yield "names_other", _naming_other([content_words(note.key_phrase or "") for note in notes], said)
    yield "same_stage", _same([note.stage for note in notes])
    yield "same_reply", (position[:, None] == position[None, :]).astype(np.float32)
    yield "next_reply", (np.abs(position[:, None] - position[None, :]) == 1).astype(np.float32)
    yield "builds_on", _building_on(notes)
    yield "same_part", _same([note.part for note in notes])
    labels = [note.label for note in notes]
    yield "other_label", _known(labels) - _same(labels)
    kinds = {
        "sourced": [note.tagged or bool(quoted_spans(note.text)) for note in notes],
        "counted": [has_figure(note.text) for note in notes],
        "felt": [abs(note_sentiment(note.text) or 0.0) >= STRONG for note in notes],
    }
    for kind, of_kind in kinds.items():
        yield from _how_many(kind, np.array(of_kind, dtype=np.float32))


def _standing(alike: np.ndarray) -> np.ndarray:
    """How much more alike two notes are than each is to the step's other notes, in standard deviations (the mean of
    the two): some notes read close to everything, and a cosine of 0.6 says more of a note that is far from most."""
    if len(alike) < 3:
        return np.zeros_like(alike)
    others = ~np.eye(len(alike), dtype=bool)
    rows = alike[others].reshape(len(alike), -1)
    spread = np.clip(rows.std(axis=1), 1e-6, None)
    standing = (alike - rows.mean(axis=1)[:, None]) / spread[:, None]
    return (standing + standing.T) / 2


def _ranks(alike: np.ndarray) -> np.ndarray:
    """For each pair, how many other notes are more alike to the row's note than the column's is (0: its nearest)."""
    from scipy.stats import rankdata

    others = alike.astype(np.float64)
    np.fill_diagonal(others, -np.inf)  # the note itself ranks last
    return rankdata(-others, method="min", axis=1) - 1.0


def _shared_neighbours(nearest: np.ndarray) -> np.ndarray:
    """The share of their nearest notes two notes have in common: notes of one theme are near the same others."""
    near = (nearest < NEIGHBOURS).astype(np.float32)
    np.fill_diagonal(near, 0.0)
    return (near @ near.T) / NEIGHBOURS


def _how_many(kind: str, of_kind: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    """Whether one note of the pair is of the kind, and whether both are."""
    both = of_kind[:, None] * of_kind[None, :]
    yield f"one_{kind}", of_kind[:, None] + of_kind[None, :] - 2 * both
    yield f"both_{kind}", both


def _naming_other(key_words: Sequence[frozenset[str]], said: Sequence[frozenset[str]]) -> np.ndarray:
    """How much of one note's key phrase the other says (the larger share of the two): "NPS promoters see the
    referral link" says all of "Referral link: give £100, get £100"'s."""
    columns = {word: column for column, word in enumerate({word for words in said for word in words})}
    sizes = np.array([len(words) for words in key_words], dtype=np.float32)
    overlap = _word_matrix(key_words, columns) @ _word_matrix(said, columns).T
    shares = overlap.toarray() / np.clip(sizes, 1.0, None)[:, None]
    shares = np.maximum(shares, shares.T)
    np.fill_diagonal(shares, 0.0)
    return shares


def _building_on(notes: Sequence[Note]) -> np.ndarray:
    """1 where one note builds on the other ("+1 to @Ana's point")."""
    row_of = {note.id: row for row, note in enumerate(notes)}
    pairs = np.zeros((len(notes), len(notes)), dtype=np.float32)
    for row, note in enumerate(notes):
        if note.builds_on in row_of:
            pairs[row, row_of[note.builds_on]] = pairs[row_of[note.builds_on], row] = 1.0
    return pairs


def _same(values: Sequence[str | None]) -> np.ndarray:
    """1 where both notes have the value and it is the same."""
    known = sorted({value for value in values if value is not None})
    codes = np.array([known.index(value) if value is not None else -1 for value in values])
    return ((codes[:, None] == codes[None, :]) & (codes[:, None] >= 0)).astype(np.float32)


def _known(values: Sequence[str | None]) -> np.ndarray:
    """1 where both notes have a value."""
    known = np.array([value is not None for value in values])
    return (known[:, None] & known[None, :]).astype(np.float32)


def _shared_words(words: Sequence[frozenset[str]]) -> np.ndarray:
    """The cosine of the notes' word sets, each word weighted by how few notes of the step say it (a word every
    note says weighs nothing)."""
    said = Counter(word for text_words in words for word in text_words)
    columns = {word: column for column, word in enumerate(said)}
    matrix = _word_matrix(words, columns, lambda word: math.log(len(words) / said[word]))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = matrix.multiply(1.0 / np.clip(norms, 1e-12, None)[:, None]).tocsr()
    return (matrix @ matrix.T).toarray()


def _word_matrix(
    word_sets: Sequence[frozenset[str]], columns: dict[str, int], weight: Callable[[str], float] = lambda _: 1.0
) -> csr_matrix:
    """Notes x words, sparse: each note's words (those with a column) at their weight."""
    from scipy.sparse import csr_matrix

    cells = [
        (row, columns[word], weight(word)) for row, words in enumerate(word_sets) for word in words if word in columns
    ]
    rows, cols, values = zip(*cells, strict=True) if cells else ((), (), ())
    return csr_matrix((np.array(values, dtype=np.float32), (rows, cols)), shape=(len(word_sets), len(columns)))
