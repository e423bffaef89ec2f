"""Replies that are the workshop talking about itself, read from what they mean where the rules miss them.

The rules (`clustering/cleaning.py`, `is_note`) know the facilitator's prompts and the team's asides as the labelled
workshops wrote them, but every set of workshops written blind showed new ones, about ten a workshop: "great start!
what about the day itself — getting to Carrick?", "brilliant, that's a full wall :tada: on to pain points", "good.
success measures — numbers please". A logistic regression over a reply's sentence vector and a few traits of its
form (`bench/fit_talk.py`, which writes `clustering/assets/talk.json`) reads them. It only ever takes a note out,
and only when it is sure; never where people talk the way the model mistakes for chatter: the persona step, where a
name is coined in two words and an emoji ("Mattress Matt :bed:"), replies under five words ("hold music :weary:"),
replies answering a quoted line, and someone taking on an action ("yep mine :+1: designs by 10 Dec").
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from workflows.contributions.text import unquoted
from workflows.mapping.models import StepKey
from workflows.themes.clustering.cleaning import EMOJI_CODE, WORD

TALK_FILE = Path(__file__).parent / "clustering" / "assets" / "talk.json"
# How sure the reader must be. On the labelled workshops and non-note sets, each scored by a reader fitted without
# it (`make fit-talk`), the rules read 106 replies as notes that are none and lose 7 notes; with the reader at 0.85,
# 64 and 14 (of 6,273); at 0.8, 59 and 17; at 0.9, 70 and 12. On the four workshops and the set held out: 57 -> 36,
# none lost.
TALK_CHANCE = 0.85
MIN_WORDS = 5
MAX_REMEMBERED = 4096  # replies whose chance is kept, so a step read again is not read by the model again
_CHANCES: dict[str, float] = {}
# Someone taking on an action or offering help, after an emoji, "+1", a mention or a "yep": "I'll …", "happy to …",
# "will scope it …", "mine", "on it"
_TAKING_ON = re.compile(
    r"^(?:\W*(?:yes|yep|yeah|ok(?:ay)?|sure|\+1|@\S+)\b)*\W*"
    r"(?:i['’]?ll|i\s+will|i\s+can|i['’]?m|happy\s+to|will|can\s+do|on\s+it|me|mine|count\s+me|done)\b",
    re.IGNORECASE,
)


class TalkModel(BaseModel):
    """The fitted reader: one weight per dimension of the sentence vector and per trait, and an intercept."""

    coef: list[float]
    intercept: float

    def chances(self, said: Sequence[str]) -> np.ndarray:
        """How likely each reply (its `own_words`) is the workshop's own talk rather than a note."""
        return np.exp(-np.logaddexp(0, -(features(said) @ np.asarray(self.coef) + self.intercept)))  # 1 / (1 + e^-z)


def features(said: Sequence[str]) -> np.ndarray:
    """What the reader weighs of each reply (its `own_words`): its sentence vector and the traits of its form."""
    from workflows.themes.clustering.embeddings import get_embedder

    vectors = np.asarray(get_embedder().encode([text or " " for text in said]))
    return np.hstack([vectors, np.array([traits(text) for text in said])])


def own_words(text: str) -> str:
    """What the reply says itself: not the line it quotes, on one line, Slack's escapes undone."""
    return " ".join(html.unescape(unquoted(text)[1]).split())


def traits(text: str) -> list[float]:
    """Its form: a question at the end or anywhere, its length, an emoji code."""
    return [
        float(text.rstrip().endswith("?")),
        float("?" in text),
        len(WORD.findall(text)) / 30,
        float(bool(EMOJI_CODE.search(text))),
    ]


def is_talk(text: str, step: StepKey | None) -> bool:
    """Whether the reader is sure a reply the rules take for a note is the workshop's own talk."""
    return talk_flags([text], step)[0]


def talk_flags(texts: Sequence[str], step: StepKey | None) -> list[bool]:
    """`is_talk` for each of a step's replies, those not read before read together (one batch through the model)."""
    judged = [own_words(text) if could_be_talk(text, step) else None for text in texts]
    unread = list(dict.fromkeys(said for said in judged if said is not None and said not in _CHANCES))
    model = talk_model()
    if unread and model is not None:
        if len(_CHANCES) > MAX_REMEMBERED:
            _CHANCES.clear()
        _CHANCES.update(zip(unread, model.chances(unread).tolist(), strict=True))
    return [said is not None and _CHANCES.get(said, 0.0) >= TALK_CHANCE for said in judged]


def could_be_talk(text: str, step: StepKey | None) -> bool:
    """Whether the reader may judge the reply at all: not where people talk the way it mistakes for chatter."""
    said = own_words(text)
    return not (
        step == StepKey.persona
        or len(WORD.findall(EMOJI_CODE.sub(" ", said))) < MIN_WORDS
        or unquoted(text)[0]
        or (step == StepKey.action_plan and _TAKING_ON.match(said))
    )


@cache
def talk_model() -> TalkModel | None:
    """The shipped reader; None where it was never fitted."""
    return TalkModel.model_validate_json(TALK_FILE.read_text(encoding="utf-8")) if TALK_FILE.exists() else None
