#!/usr/bin/env python3
"""Fits the steps' same-theme judges (`workflows/themes/clustering/same_theme.py`) on the labelled workshops.

For the persona, touchpoint and pain-point steps of every workshop in `bench/data/workshops/`, the notes are made
and prepared as the bot makes them (`workshops.step_notes`, `service.prepared`), and every pair of notes is
described by the judge's features and labelled by the truth: the same theme or not. A logistic regression per step
weighs the features (those of `WEIGHED`). How well that generalises is measured by leaving each workshop out in
turn: the judge fitted on the others groups its notes, for each candidate floor, and is scored by the adjusted Rand
index against its truth.
The floor with the best mean is kept; the judges fitted on all the workshops are written to
`workflows/themes/clustering/assets/same_theme.json`, those of the steps named with `--step` only, if any (the others
stay as they were fitted).

Usage: .venv/bin/python bench/fit_same_theme.py [--dry-run] [--step STEP ...]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parent))


from workshops import labelled, plan_for, stages_of, step_notes  # noqa: E402

from workflows.mapping.models import StepKey  # noqa: E402
from workflows.themes.clustering.embedded import EmbeddedEngine  # noqa: E402
from workflows.themes.clustering.same_theme import (  # noqa: E402
    FEATURES,
    JUDGES,
    NEIGHBOURHOOD,
    Judge,
    Judges,
    judge_for,
)
from workflows.themes.service import for_step, prepared  # noqa: E402
from workflows.themes.stage_placement import Placed  # noqa: E402

JUDGED = (StepKey.persona, StepKey.touchpoints, StepKey.pain_points)
# The touchpoints' judge reads how alike two notes are from where they stand among each other's neighbours, the others'
# from the cosines themselves: left out, each is at least as good as the other way round (touchpoints 0.51 -> 0.55).
PLAIN = tuple(name for name in FEATURES if name not in NEIGHBOURHOOD)
WEIGHED = {
    StepKey.persona: PLAIN,
    StepKey.touchpoints: tuple(name for name in FEATURES if name not in ("meaning", "words")),
    StepKey.pain_points: PLAIN,
}
FLOORS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
REGULARISATION = 10.0  # scikit-learn's C: the features are few and on like scales, so barely held back


@dataclass
class Board:
    """One workshop's step: its pair features (one matrix per feature) and truth (one theme name per row)."""

    workshop: str
    features: dict[str, np.ndarray]
    themes: list[str]

    def pairs(self, weighed: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        upper = np.triu_indices(len(self.themes), 1)
        themes = np.array(self.themes)
        return np.stack([self.features[name][upper] for name in weighed], axis=1), themes[upper[0]] == themes[upper[1]]


def boards() -> dict[StepKey, list[Board]]:
    found: dict[StepKey, list[Board]] = {key: [] for key in JUDGED}
    for name, data in labelled().items():
        stages = stages_of(data)
        placed: list[Placed] = []
        for key in StepKey:
            plan = plan_for(key, stages, placed, None)
            step = step_notes(data, key)
            notes = prepared(step.notes, plan)
            if key == StepKey.touchpoints:
                placed = [Placed(note.text, note.stage) for note in notes if note.stage]
            if key not in JUDGED:
                continue
            ids, features = for_step(EmbeddedEngine(), plan).pairs(notes)
            rows = [row for row, same in enumerate(ids) if step.truth.get(same[0])]
            matrices = {name: values[np.ix_(rows, rows)] for name, values in features}
            found[key].append(Board(name, matrices, [step.truth[ids[row][0]]["theme"] for row in rows]))
    return found


def fit(training: list[Board], weighed: tuple[str, ...]) -> tuple[dict[str, float], float]:
    pairs = [board.pairs(weighed) for board in training]
    x = np.vstack([features for features, _ in pairs])
    y = np.concatenate([same for _, same in pairs])
    model = LogisticRegression(C=REGULARISATION, max_iter=5000).fit(x, y)
    return dict(zip(weighed, map(float, model.coef_[0]), strict=True)), float(model.intercept_[0])


def judges_left_out() -> dict[str, dict[StepKey, Judge]]:
    """For each workshop, judges fitted on the others, with the bot's floors: how the bot would group the notes of a
    workshop its judges never saw."""
    found = boards()
    floors = {key: judge.floor for key in JUDGED if (judge := judge_for(key))}
    left_out: dict[str, dict[StepKey, Judge]] = {}
    for key, step_boards in found.items():
        for board, (weights, intercept) in fitted_without_each(step_boards, WEIGHED[key]):
            judge = Judge(weights=weights, intercept=intercept, floor=floors[key])
            left_out.setdefault(board.workshop, {})[key] = judge
    return left_out


def fitted_without_each(
    step_boards: list[Board], weighed: tuple[str, ...]
) -> Iterator[tuple[Board, tuple[dict[str, float], float]]]:
    """Each board with the weights and intercept fitted on all the others."""
    for board in step_boards:
        yield board, fit([other for other in step_boards if other is not board], weighed)


def scored(judge: Judge, board: Board) -> float:
    labels = judge.group(iter(board.features.items()))
    return float(adjusted_rand_score(board.themes, labels))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    parser.add_argument("--step", action="append", type=StepKey, choices=JUDGED, help="refit only this step")
    args = parser.parse_args()
    refitted = args.step or JUDGED
    shipped = Judges.model_validate_json(JUDGES.read_text(encoding="utf-8"))
    found = {key: step_boards for key, step_boards in boards().items() if key in refitted}
    for key, step_boards in found.items():
        left_out = {}
        for board, (weights, intercept) in fitted_without_each(step_boards, WEIGHED[key]):
            left_out[board.workshop] = [
                scored(Judge(weights=weights, intercept=intercept, floor=floor), board) for floor in FLOORS
            ]
        means = np.mean(list(left_out.values()), axis=0)
        best = int(np.argmax(means))
        print(f"\n## {key.value}: ARI of each workshop's notes grouped by the judge fitted on the others")
        print("floor".ljust(12) + "".join(f"{floor:7.2f}" for floor in FLOORS))
        for workshop, figures in left_out.items():
            print(workshop.ljust(12) + "".join(f"{figure:7.2f}" for figure in figures))
        print("mean".ljust(12) + "".join(f"{mean:7.2f}" for mean in means))
        weights, intercept = fit(step_boards, WEIGHED[key])
        shipped.judges[key] = Judge(weights=weights, intercept=intercept, floor=FLOORS[best])
        shipped.fitted_on[key] = [board.workshop for board in step_boards]
        print(f"kept floor {FLOORS[best]}; fitted on all: {shipped.judges[key].model_dump()}")
    if not args.dry_run:
        JUDGES.write_text(shipped.model_dump_json(indent=2) + "\n", encoding="utf-8")
        print(f"\nwritten to {JUDGES.relative_to(Path.cwd()) if JUDGES.is_relative_to(Path.cwd()) else JUDGES}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
