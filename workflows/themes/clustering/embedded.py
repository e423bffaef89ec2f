"""The embedded engine: themes from an offline sentence model, with no LLM and no network.

Notes are cleaned of Slack leftovers, identical texts are embedded once (a note posted five times must not weigh
five times), and the distinct texts are clustered in sorted order, so the same notes in any order give the same
themes (with a step's same-theme judge, the same notes in the same replies: which reply answers which is part of
what it weighs). Notes without a letter or digit (empty, emoji only) are grouped only with identical ones: the model
reads them all as the same unknown token, yet they must not be dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.themes.clustering.cleaning import board_words, clean, content_words, without_figures, without_words
from workflows.themes.clustering.consensus import MIN_NOTES, group
from workflows.themes.clustering.embeddings import Embedder, get_embedder
from workflows.themes.clustering.refine import alike_only
from workflows.themes.clustering.same_theme import Judge, pair_features
from workflows.themes.clustering.titles import titles

_READABLE = re.compile(r"[^\W_]")


class EmbeddedEngine:
    name = "embedded"

    def __init__(
        self,
        embedder: Embedder | None = None,
        count: int | None = None,
        alike: float | None = None,
        evidence: bool = True,
        judge: Judge | None = None,
    ) -> None:
        self._embedder = embedder
        self._count = count  # as many themes as the facilitator asked for; None: as the notes call for
        self._alike = alike  # only notes this alike share a theme (no count is chosen); None: as `count` says
        # False: notes are compared by their subject, without figures or the words most of the board says
        self._evidence = evidence
        self._judge = judge  # a step's fitted same-theme model (`same_theme`) groups the notes; None: `group`

    def only_alike(self, floor: float) -> EmbeddedEngine:
        """This engine grouping only notes at least `floor` alike, on average; itself when a count was asked."""
        return self if self._count is not None else EmbeddedEngine(self._embedder, alike=floor, evidence=self._evidence)

    def judged(self, judge: Judge | None) -> EmbeddedEngine:
        """This engine grouping notes by a step's fitted same-theme model; itself when a count was asked or there is
        no model."""
        if self._count is not None or judge is None:
            return self
        return EmbeddedEngine(self._embedder, evidence=self._evidence, judge=judge)

    def evidence_aside(self) -> EmbeddedEngine:
        """This engine comparing notes by what they are about: without their figures ("31% of P2 tickets" and
        "NPS -12" share a number, not a subject) nor the words most of the board says ("permit" on a permits
        board, half-weighted). Where notes are evidence about touchpoints and pain points; not where a number is the
        point."""
        return EmbeddedEngine(self._embedder, self._count, self._alike, evidence=False, judge=self._judge)

    def cluster(self, notes: Sequence[Note]) -> list[ThemeDraft]:
        """Every distinct id in exactly one theme (a repeated id keeps its first text); largest themes first."""
        distinct = _Distinct.of(notes)
        embedder = self._embedder or get_embedder()
        vectors = self._vectors(embedder, distinct, by_board=self._by_board(distinct))
        if self._judge is not None:
            labels = self._judge.group(_judged(distinct, vectors))
        elif self._alike is None:
            labels = group(vectors, self._count)
        else:
            labels = alike_only(vectors, self._alike)
        themes: list[list[str]] = [[] for _ in range(labels.max(initial=-1) + 1)]
        for key, label in zip(distinct.readable, labels, strict=True):
            themes[label].extend(distinct.by_text[key])
        themes += [distinct.by_text[key] for key in sorted(set(distinct.by_text) - set(distinct.readable))]
        centres = _centres(vectors, labels, len(themes))
        texts = distinct.texts
        named = titles([sorted(texts[i] for i in theme) for theme in themes], centres, embedder.encode)
        position = {note_id: n for n, note_id in enumerate(texts)}
        drafts = [
            ThemeDraft(title=title, ids=sorted(theme, key=position.__getitem__))
            for title, theme in zip(named, themes, strict=True)
        ]
        return sorted(drafts, key=lambda d: (-len(d.ids), d.title))

    def pairs(self, notes: Sequence[Note]) -> tuple[list[list[str]], Iterator[tuple[str, np.ndarray]]]:
        """What a judge compares, as `cluster` gives it: the ids of each distinct text (in the order of the rows)
        and the features of every pair of them. For fitting judges (`bench/fit_same_theme.py`)."""
        distinct = _Distinct.of(notes)
        vectors = self._vectors(self._embedder or get_embedder(), distinct)
        return [distinct.by_text[key] for key in distinct.readable], _judged(distinct, vectors)

    def _by_board(self, distinct: _Distinct) -> bool:
        """Whether words are weighed by how few notes say them: for the consensus grouping of a board large enough
        to tell (`MIN_NOTES`); not where a judge groups (it was fitted on plain vectors), nor where the board's own
        words are already left out of a view (`evidence_aside`)."""
        consensus = self._judge is None and self._alike is None and self._evidence
        return consensus and len(distinct.readable) >= MIN_NOTES

    def _vectors(self, embedder: Embedder, distinct: _Distinct, by_board: bool = False) -> np.ndarray:
        """The L2-normalised vectors the distinct texts are compared by: a view of each, or the mean of two views,
        leaning toward the subject the note opens with; `by_board`, each word weighted by how few notes say it
        (`Embedder.encode_by_board`: for the consensus grouping; the judges were fitted on plain vectors)."""
        texts = [distinct.texts[i] for i in distinct.firsts]
        subjects = [distinct.notes[i].subject for i in distinct.firsts]
        encode = embedder.encode_by_board if by_board else embedder.encode
        vectors = sum(
            _with_subjects(encode, [view(text) for text in texts], [subject and view(subject) for subject in subjects])
            for view in self._views(texts)
        )
        return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)

    def _views(self, texts: Sequence[str]) -> list[Callable[[str], str]]:
        """What of a note is compared: all of it; or, evidence aside, the note without its figures, as much as the
        same without the board's words (the two averaged: "invoice" is the demo's domain, yet "invoice editor" and
        "invoice email" are two touchpoints)."""
        if self._evidence:
            return [lambda text: text]
        common = board_words(texts)
        views: list[Callable[[str], str]] = [without_figures]
        return views + [lambda text: without_words(without_figures(text), common)] if common else views


@dataclass(frozen=True)
class _Distinct:
    """The notes' cleaned texts, each distinct text (case aside) once: a note posted five times must not weigh
    five times."""

    notes: dict[str, Note]  # by id, in thread order
    texts: dict[str, str]  # cleaned, by id
    by_text: dict[str, list[str]]  # the ids saying each distinct text
    readable: list[str]  # the distinct texts with a letter or digit, sorted: the rows clustered
    firsts: list[str]  # the id each row's note is read from

    @classmethod
    def of(cls, notes: Sequence[Note]) -> _Distinct:
        said: dict[str, Note] = {}
        for note in notes:
            said.setdefault(note.id, note)
        texts = {note_id: clean(note.text) for note_id, note in said.items()}
        by_text: dict[str, list[str]] = {}
        for note_id, text in texts.items():
            by_text.setdefault(text.casefold(), []).append(note_id)
        readable = sorted(key for key in by_text if _READABLE.search(key))
        firsts = [min(by_text[key], key=lambda i: texts[i]) for key in readable]
        return cls(said, texts, by_text, readable, firsts)


def _judged(distinct: _Distinct, vectors: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    """The pair features of the distinct texts: each read from its first note, placed in the thread where its first
    reply is."""
    replies = dict.fromkeys(note.reply or note.id for note in distinct.notes.values())
    position = {reply: n for n, reply in enumerate(replies)}
    firsts = [distinct.notes[i] for i in distinct.firsts]
    texts = [distinct.texts[i] for i in distinct.firsts]
    said = [content_words(text) for text in texts]
    common = board_words(texts)
    return pair_features(
        firsts, vectors, [words - common for words in said], said, [position[note.reply or note.id] for note in firsts]
    )


def _with_subjects(
    encode: Callable[[Sequence[str]], np.ndarray], texts: list[str], subjects: list[str | None]
) -> np.ndarray:
    """Each text's vector; a note that says its subject first leans as much towards the subject as to the whole."""
    vectors = encode(texts)
    said = [row for row, subject in enumerate(subjects) if subject]
    if said:
        vectors[said] += encode([subjects[row] or "" for row in said])
        vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
    return vectors


def _centres(vectors: np.ndarray, labels: np.ndarray, count: int) -> np.ndarray:
    """Each theme's mean direction; zero for the themes after the clustered ones."""
    sums = np.zeros((count, vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, labels, vectors)
    return sums / np.clip(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12, None)
