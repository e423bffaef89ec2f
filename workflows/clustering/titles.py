"""Theme titles in the notes' own words: the phrase that best sets a theme apart and best says what it is about.

Candidates are phrases that occur in the notes (one to three words, not starting or ending with a stop word, never
across punctuation), so a title reads as people wrote it. They are scored by class-based TF-IDF (c-TF-IDF,
Grootendorst 2022): a word counts for a theme when many of its notes use it and the other themes do not. Word
counts alone cannot tell "account immediately" from "freeze account", so the best few are re-ranked by how close
their meaning is to the theme's mean sentence vector (as KeyBERT does). A theme of one note is titled by its own
text, shortened.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from workflows.sentences import capitalised
from workflows.textutil import shorten

MAX_WORDS = 3
MAX_CHARS = 60
EMPTY = "Empty notes"
KEY_WORDS = 8  # titles are made of a theme's strongest words; this also bounds the work on a large theme
CANDIDATES = 6  # phrases per theme whose meaning is compared with the theme's

_WORD = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”/|\n–—]+")

Phrase = tuple[str, ...]
Encode = Callable[[Sequence[str]], np.ndarray]


def titles(groups: Sequence[Sequence[str]], centres: np.ndarray, encode: Encode) -> list[str]:
    """A distinct title per group of cleaned note texts, in the groups' order.

    `centres` holds each group's mean sentence vector and `encode` embeds the candidate phrases the same way.
    Larger themes choose first, so the biggest theme gets the best phrase when two would share one.
    """
    notes = [[_phrases(text) for text in group] for group in groups]
    weights = _ctfidf([[{p[0] for p in note if len(p) == 1} for note in group] for group in notes])
    shortlists = [_shortlist(n, w) if len(n) > 1 else {} for n, w in zip(notes, weights, strict=True)]
    spellings = sorted({s for shortlist in shortlists for s in shortlist})
    meaning = dict(zip(spellings, encode(spellings), strict=True)) if spellings else {}
    taken: set[str] = set()
    result = [""] * len(groups)
    for g in sorted(range(len(groups)), key=lambda g: -len(groups[g])):
        shortlist = shortlists[g]
        fit = {s: shortlist[s] * max(float(meaning[s] @ centres[g]), 0.0) for s in shortlist}
        options = sorted(shortlist, key=lambda s: (-fit[s], -shortlist[s], s))
        options = [capitalised(o) for o in options] or [capitalised(shorten(groups[g][0], MAX_CHARS)) or EMPTY]
        title = next((o for o in options if o.casefold() not in taken), None) or _numbered(options[0], taken)
        taken.add(title.casefold())
        result[g] = title
    return result


def _phrases(text: str) -> dict[Phrase, str]:
    """Every candidate phrase of a note, lower-cased, mapped to how the note spells it."""
    found: dict[Phrase, str] = {}
    for chunk in _BREAK.split(text):
        words = list(_WORD.finditer(chunk))
        lowered = [w.group().lower().replace("’", "'") for w in words]
        for i, first in enumerate(lowered):
            if not _meaningful(first):
                continue
            for j in range(i, min(i + MAX_WORDS, len(words))):
                if _meaningful(lowered[j]):
                    found.setdefault(tuple(lowered[i : j + 1]), chunk[words[i].start() : words[j].end()])
    return found


def _meaningful(word: str) -> bool:
    return word not in ENGLISH_STOP_WORDS and not word.isdigit() and len(word) > 1


def _content(phrase: Phrase) -> frozenset[str]:
    return frozenset(w for w in phrase if _meaningful(w))


def _ctfidf(groups: list[list[set[str]]]) -> list[dict[str, float]]:
    """Per theme, each word's share of the theme's notes times log(1 + average words per theme / its frequency)."""
    counts = [Counter(word for note in group for word in note) for group in groups]
    frequency: Counter[str] = sum(counts, Counter())
    average = frequency.total() / max(len(groups), 1)
    return [
        {word: n / len(group) * math.log(1 + average / frequency[word]) for word, n in theme.items()}
        for group, theme in zip(groups, counts, strict=True)
    ]


def _shortlist(notes: list[dict[Phrase, str]], weights: dict[str, float]) -> dict[str, float]:
    """The best phrases, spelled as most notes spell them, with c-TF-IDF scores relative to the best one.

    A phrase's score is the number of notes saying all its words (in any order: "delivery tracking" counts in
    "tracking of my delivery") times the sum of the words' weights. A title is shared wording, so phrases of a
    single note only compete when no phrase is said twice.
    """
    key = set(sorted(weights, key=lambda w: (-weights[w], w))[:KEY_WORDS])
    said = [{p[0] for p in note if len(p) == 1} for note in notes]
    spellings: defaultdict[Phrase, Counter[str]] = defaultdict(Counter)
    for note in notes:
        for phrase, spelling in note.items():
            if _content(phrase) <= key:
                spellings[phrase][shorten(spelling, MAX_CHARS)] += 1
    cover = {phrase: sum(_content(phrase) <= words for words in said) for phrase in spellings}
    shared = {phrase for phrase, n in cover.items() if n > 1} or set(cover)
    scores = {phrase: cover[phrase] * sum(weights[w] for w in _content(phrase)) for phrase in shared}
    best = sorted(scores, key=lambda p: (-scores[p], len(p), p))[:CANDIDATES]
    shortlist: dict[str, float] = {}
    for phrase in best:
        spelling = min(spellings[phrase], key=lambda s: (-spellings[phrase][s], s))
        shortlist.setdefault(spelling, scores[phrase] / scores[best[0]])
    return shortlist


def _numbered(title: str, taken: set[str]) -> str:
    n = 2
    while f"{title} ({n})".casefold() in taken:
        n += 1
    return f"{title} ({n})"
