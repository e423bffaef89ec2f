#!/usr/bin/env python3
"""Fits the objective step's reader of unlabelled notes (`workflows/mapping/objective_kinds.py`).

Teams write the parts of an objective mostly without a label ("I'd start from the moment the reminder goes out…",
"Pet insurance claims are also off the table"), in more ways than cue words can list. A logistic regression over the
notes' sentence vectors learns them from the labelled objective threads: the labelled workshops
(`bench/data/workshops/`, whose truth keeps scope and what is out of it as one theme, told apart here by the cue
words) and the sets of objective threads written blind (`bench/data/forms/objective*.yaml`). It prints how well the
bot reads each part of a set it was not fitted on (`--held-out FILE`, one of those sets, left out of the fit), with the
cue words alone and with the reader behind them, then writes the weights to
`workflows/mapping/assets/objective_kinds.json`.

Usage: .venv/bin/python bench/fit_objective_kinds.py [--held-out FILE] [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshops import labelled, step_notes  # noqa: E402

from workflows.mapping.models import StepKey  # noqa: E402
from workflows.mapping.objective import cue_kind, note_kinds  # noqa: E402
from workflows.mapping.objective_kinds import KINDS_FILE, ObjectiveKinds  # noqa: E402
from workflows.themes.clustering.cleaning import clean  # noqa: E402
from workflows.themes.clustering.embeddings import get_embedder  # noqa: E402

FORMS = ROOT / "bench" / "data" / "forms"
REGULARISATION = 1.0
THEMES = {
    "why": "question",
    "success measures": "success_measures",
    "success": "success_measures",
    "decision": "decision",
}
FORM_KINDS = {"why": "question", "other": "other"}


def workshop_examples() -> list[tuple[str, str]]:
    """Each labelled workshop's objective notes with their part; a scope note is out of it when its cue says so."""
    examples = []
    for data in labelled().values():
        step = step_notes(data, StepKey.objective)
        for note in step.notes:
            truth = step.truth.get(note.id)
            if truth is None:
                continue
            theme = truth["theme"]
            if theme == "scope":
                kind = "out_of_scope" if cue_kind(note.text) == "out_of_scope" else "scope"
            else:
                kind = THEMES.get(theme, "other")
            examples.append((note.text, kind))
    return examples


def form_examples(path: Path) -> list[tuple[str, str]]:
    threads = yaml.safe_load(path.read_text(encoding="utf-8"))["threads"]
    return [(reply["text"], FORM_KINDS.get(reply["kind"], reply["kind"])) for t in threads for reply in t["replies"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", type=Path, help="a forms file of objective threads to score, not fitted on")
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the weights")
    args = parser.parse_args()
    sets = [
        path for path in sorted(FORMS.glob("objective*.yaml")) if path.resolve() != (args.held_out or Path()).resolve()
    ]
    examples = workshop_examples() + [example for path in sets for example in form_examples(path)]
    print("fitted on the labelled workshops and " + ", ".join(path.name for path in sets))
    embedder = get_embedder()
    vectors = np.asarray(embedder.encode([clean(text) for text, _ in examples]))
    model = LogisticRegression(C=REGULARISATION, max_iter=2000).fit(vectors, [kind for _, kind in examples])
    kinds = ObjectiveKinds(classes=list(model.classes_), coef=model.coef_.tolist(), intercept=model.intercept_.tolist())
    print(
        f"fitted on {len(examples)} notes: "
        + ", ".join(f"{k} {sum(e[1] == k for e in examples)}" for k in kinds.classes)
    )
    if args.held_out:
        held = form_examples(args.held_out)
        truth = [None if kind == "other" else "scope" if kind == "out_of_scope" else kind for _, kind in held]
        cues = [cue_kind(text) for text, _ in held]
        both = note_kinds([text for text, _ in held], kinds)
        for name, got in (("cue words", cues), ("cue words, then the reader", both)):
            got = ["scope" if kind == "out_of_scope" else kind for kind in got]
            right = sum(g == t for g, t in zip(got, truth, strict=True))
            print(f"{args.held_out.name}, {name}: {right} of {len(held)} parts right")
    if not args.dry_run:
        KINDS_FILE.write_text(kinds.model_dump_json(indent=1) + "\n", encoding="utf-8")
        print(f"written to {KINDS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
