#!/usr/bin/env python3
"""Fits the reader of the workshop's own talk (`workflows/themes/talk.py`).

The rules of `is_note` know the facilitator's prompts and the team's asides as the labelled workshops wrote them;
workshops written blind keep showing new ones. A logistic regression over each reply's sentence vector and the traits
of its form learns them from the labelled workshops' replies (`bench/data/workshops/`, a reply with no note is the
workshop's talk) and the non-note sets (`bench/data/forms/non_notes*.yaml`). It prints, for the workshops held out
(`--held-out NAME …`, left out of the fit) and for every other workshop and set scored by a reader fitted without it
(ten folds), how many replies are read as notes that are none and how many notes are lost, by the rules alone and
with the reader behind them, then writes the weights to `workflows/themes/clustering/assets/talk.json`.

Usage: .venv/bin/python bench/fit_talk.py [--held-out NAME …] [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshops import labelled  # noqa: E402

from bot.text import decode  # noqa: E402
from workflows.mapping.models import StepKey  # noqa: E402
from workflows.themes.clustering.cleaning import is_note  # noqa: E402
from workflows.themes.talk import TALK_CHANCE, TALK_FILE, TalkModel, could_be_talk, features, own_words  # noqa: E402

FORMS = ROOT / "bench" / "data" / "forms"
REGULARISATION = 1.0
FOLDS = 10


def replies() -> list[tuple[str, str, StepKey | None, bool]]:
    """Every labelled reply: (where it comes from, its text, its step, whether it is talk)."""
    found = []
    for name, data in labelled().items():
        for key in StepKey:
            for reply in data["steps"][key.value]:
                talk = not any(reply["notes"])  # the demo's truth lists None for each line that is no note
                found.append((name, decode(reply["text"], lambda user_id: user_id)[0], key, talk))
    for path in sorted(FORMS.glob("non_notes*.yaml")):
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        found += [(path.stem, case["text"], None, not case["note"]) for case in cases]
    return found


def fitted(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=REGULARISATION, max_iter=5000, class_weight="balanced").fit(x, y)


def score(label: str, rows: list, chances: np.ndarray) -> None:
    """Replies read as notes that are none, and notes lost, by the rules and with the reader at a few floors."""
    ruled = np.array([is_note(text) for _, text, _, _ in rows])
    talk = np.array([row[3] for row in rows])
    judged = np.array([could_be_talk(text, step) for _, text, step, _ in rows])
    line = f"{label} ({len(rows)} replies): rules: {int((ruled & talk).sum())} talk read as notes, "
    line += f"{int((~ruled & ~talk).sum())} notes lost"
    for floor in (0.8, TALK_CHANCE, 0.9):
        note = ruled & ~(judged & (chances >= floor))
        line += f" | at {floor}: {int((note & talk).sum())} and {int((~note & ~talk).sum())}"
    print(line)
    lost = ruled & judged & (chances >= TALK_CHANCE) & ~talk
    for (name, text, step, _), chance in zip(np.array(rows, dtype=object)[lost], chances[lost], strict=True):
        print(f"  a note taken for talk ({chance:.2f}, {name} {step.value if step else ''}): {text[:100]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", nargs="*", default=[], metavar="NAME", help="workshops left out of the fit")
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    args = parser.parse_args()
    rows = replies()
    x = features([own_words(text) for _, text, _, _ in rows])
    y = np.array([row[3] for row in rows])
    held = np.array([row[0] in args.held_out for row in rows])
    fit_rows = [row for row, out in zip(rows, held, strict=True) if not out]
    chances = np.zeros(len(fit_rows))
    groups = [row[0] for row in fit_rows]
    for train, test in GroupKFold(n_splits=FOLDS).split(x[~held], y[~held], groups):
        chances[test] = fitted(x[~held][train], y[~held][train]).predict_proba(x[~held][test])[:, 1]
    score("each scored by a reader fitted without it", fit_rows, chances)
    model = fitted(x[~held], y[~held])
    if held.any():
        score(
            f"held out: {', '.join(args.held_out)}",
            [r for r, out in zip(rows, held, strict=True) if out],
            model.predict_proba(x[held])[:, 1],
        )
    if not args.dry_run:
        weights = TalkModel(coef=model.coef_[0].tolist(), intercept=float(model.intercept_[0]))
        TALK_FILE.write_text(weights.model_dump_json(), encoding="utf-8")
        print(f"wrote {TALK_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
