"""The objective step's parts read from what a note means, where no cue word says which part it is.

Teams write most of an objective without a label ("I'd start from the moment the reminder goes out and stop when the
owner leaves the clinic", "Pet insurance claims are also off the table"), in more ways than cue words can list; a
logistic regression over the notes' sentence vectors, fitted on labelled objective threads
(`bench/fit_objective_kinds.py`, which writes `assets/objective_kinds.json`), reads them; the cue words come first.
It is fitted on the labelled workshops and five blind sets of objective threads; on another (143 replies, held out),
the step's parts are 127 of 143 right and its ARI 0.76, against 115 and 0.48 with the reader fitted on the workshops
and the first set alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel

KINDS_FILE = Path(__file__).parent / "assets" / "objective_kinds.json"
OTHER = "other"  # a caveat on the data, a constraint, a question to the group: none of the card's parts
# How likely a part must be for the reader to say it. To group the step's notes (chosen with the reader fitted on the
# workshops and the first set): on the second set of twelve objective threads written blind (127 replies, not fitted
# on then), cue words alone read 68 parts right and the threads' objective ARI is 0.19; then the reader, with no floor:
# 102 and 0.60; at 0.3: 98 and 0.58; at 0.32: 97 and 0.56; at 0.35: 93 and 0.49. At 0.32 chatter stays out ("The
# station staff have strong opinions about the forms", 31% scope; "we can come back to this after the pilot", 30%). On
# the card, which people read as the team's words, only a part it is surer of (see objective.py).
GROUPING_CHANCE = 0.32
CARD_CHANCE = 0.55


class ObjectiveKinds(BaseModel):
    """The fitted model: a weight vector and an intercept per part."""

    classes: list[str]
    coef: list[list[float]]
    intercept: list[float]

    def kinds(self, texts: Sequence[str], floor: float = GROUPING_CHANCE) -> list[str | None]:
        """Each text's likeliest part of the objective, or None where it is less likely than `floor` or none."""
        if not texts:
            return []
        from workflows.themes.clustering.cleaning import clean
        from workflows.themes.clustering.embeddings import get_embedder

        said = [clean(text) for text in texts]  # a greeting alone ("hi all, morning :coffee:") says no part
        vectors = np.asarray(get_embedder().encode([text or " " for text in said]))
        logits = vectors @ np.asarray(self.coef).T + np.asarray(self.intercept)
        chances = np.exp(logits - logits.max(axis=1, keepdims=True))
        chances /= chances.sum(axis=1, keepdims=True)
        return [
            None if not text or self.classes[best] == OTHER or row[best] < floor else self.classes[best]
            for text, row, best in zip(said, chances, chances.argmax(axis=1), strict=True)
        ]


@cache
def objective_kinds() -> ObjectiveKinds | None:
    """The shipped model; None where it was never fitted."""
    return ObjectiveKinds.model_validate_json(KINDS_FILE.read_text(encoding="utf-8")) if KINDS_FILE.exists() else None
