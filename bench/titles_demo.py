#!/usr/bin/env python3
"""The embedded engine's theme titles for every step of the demo workshop, and what is wrong with them.

Replies are split into notes as the bot does (bullets, evidence tags, persona headings kept), edits and deletions
played, bot messages and joins left out; each step's notes are clustered by the embedded engine. A title is
flagged when it is one word, more than six words, ends in a stop word, is cut off ("…"), starts with a number,
is a greeting or repeats another title of its step. Two measures of how well titles name their themes:
"said by" is the share of a theme's notes that say at least one of the title's words, "closest" whether the
title's sentence vector is closer to its own theme's centre than to any other theme's of the step.

Usage (from the repository root): .venv/bin/python bench/titles_demo.py [--notes]   # --notes: each theme's notes
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # noqa: E402

from bot.demo_script import DEMO_SCRIPT  # noqa: E402
from workflows.clustering.base import Note  # noqa: E402
from workflows.clustering.cleaning import clean  # noqa: E402
from workflows.clustering.embedded import EmbeddedEngine  # noqa: E402
from workflows.clustering.embeddings import get_embedder  # noqa: E402
from workflows.contributions import parse_reply  # noqa: E402
from workflows.journey_map import StepKey  # noqa: E402

GREETING = re.compile(r"^(?:hi|hey|hello|thanks|morning)\b", re.IGNORECASE)
WORD = re.compile(r"[^\W_][\w'-]*")


def problems(title: str, others: list[str]) -> list[str]:
    """What a reader would object to in a title."""
    words = title.split()
    found = []
    if len(words) < 2:
        found.append("one word")
    if len(words) > 6:
        found.append("over six words")
    if words and words[-1].lower().strip(".,;:") in ENGLISH_STOP_WORDS:
        found.append("ends in a stop word")
    if "…" in title:
        found.append("cut off")
    if title[:1].isdigit():
        found.append("starts with a number")
    if GREETING.match(title):
        found.append("greeting")
    if [o.casefold() for o in others].count(title.casefold()) > 1:
        found.append("repeated")
    return found


def said_by(title: str, notes: list[str]) -> float:
    """The share of notes that say one of the title's content words (a plural "s" ignored)."""
    words = {w.lower().rstrip("s") for w in WORD.findall(title)} - ENGLISH_STOP_WORDS
    return sum(any(w in note.lower() for w in words) for note in notes) / len(notes)


def closest(titles: list[str], groups: list[list[str]]) -> list[bool]:
    """Whether each title means its own theme more than any other theme of the step."""
    embedder = get_embedder()
    centres = np.stack([embedder.encode(group).mean(axis=0) for group in groups])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True).clip(1e-12)
    nearest = (embedder.encode(titles) @ centres.T).argmax(axis=1)
    return [int(n) == g for g, n in enumerate(nearest)]


def main() -> int:
    show_notes = "--notes" in sys.argv[1:]
    engine = EmbeddedEngine()
    flagged, total, said, near = 0, 0, 0.0, 0
    for step in DEMO_SCRIPT.steps:
        texts = [
            note.text
            for reply in step.replies
            if reply.is_contribution and reply.final_text is not None
            for note in parse_reply(reply.final_text, keep_headings=step.step == StepKey.persona)
        ]
        themes = engine.cluster([Note(id=str(n), text=text) for n, text in enumerate(texts)])
        names = [t.title for t in themes]
        groups = [[clean(texts[int(i)]) or " " for i in theme.ids] for theme in themes]
        shares = [said_by(name, group) for name, group in zip(names, groups, strict=True)]
        nearest = closest(names, groups)
        print(f"\n## {step.step.value} ({len(texts)} notes, {len(themes)} themes)")
        for theme, share, own in zip(themes, shares, nearest, strict=True):
            wrong = problems(theme.title, names)
            flagged += bool(wrong)
            flags = f"   <- {', '.join(wrong)}" if wrong else ""
            print(f"- {theme.title} ({len(theme.ids)}; said by {share:.0%}{'' if own else '; nearer another'}){flags}")
            for i in theme.ids if show_notes else []:
                print(f"    {texts[int(i)]}")
        total, said, near = total + len(themes), said + sum(shares), near + sum(nearest)
    print(f"\n{flagged} flagged of {total} titles; said by {said / total:.0%} of their notes on average; ", end="")
    print(f"{near} of {total} nearest their own theme")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
