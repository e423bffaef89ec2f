#!/usr/bin/env python3
"""The LLM engine's map next to the embedded engine's, for whatever OpenAI-compatible server is configured: quality
measured, not assumed.

The LLM is the one the bot would use: OPENAI_API_KEY, OPENAI_BASE_URL, JOURNEYBOT_LLM_MODEL and the limits
(JOURNEYBOT_LLM_TIMEOUT, JOURNEYBOT_LLM_STRUCTURED, …), read through the bot's own settings. Side by side, each
engine's:
  * on the labelled workshops (`bench/data/workshops/`, the dev set of `bench/map_quality.py`): theme agreement
    with the truth per step (ARI), stage placement of touchpoint and pain-point notes (the LLM's themes are placed
    by the LLM when the map is made, as in the bot), titles naming their theme, and which steps the LLM engine
    answered (a step it failed is the embedded engine's in the bot: it is scored as such and said);
  * on CLINC150 boards (`bench/cluster_quality.py`'s protocol, `--domain` for boards from one domain): mean ARI over
    the boards the LLM answered, for both engines on those same boards, and how many it failed;
  * how many of the LLM's steps and boards the agreement check (`workflows/themes/clustering/agreement.py`)
    flags for review.
Answers are cached in a database of this run's own, so a second engine or a rerun does not ask again.

Usage: OPENAI_API_KEY=sk-… [OPENAI_BASE_URL=http://127.0.0.1:8080/v1 JOURNEYBOT_LLM_MODEL=…] \\
         .venv/bin/python bench/llm_quality.py [--boards 5] [--domain] [--workshops clinic,rail,saas]
The figures for the local tiny model (`make check-llm`'s SmolLM2-135M) are in the README, as a floor.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]  # run as a script from anywhere; its sibling benches

import cluster_quality  # noqa: E402
import map_quality  # noqa: E402

from bot.app import llm_config  # noqa: E402
from journeybot.settings import Settings  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from workflows.llm import LLMEngine, LLMSynthesis, LLMUnavailable  # noqa: E402
from workflows.themes.clustering.agreement import grouping_doubt  # noqa: E402
from workflows.themes.clustering.base import Note, ThemeDraft  # noqa: E402
from workflows.themes.clustering.embedded import EmbeddedEngine  # noqa: E402

FIGURES = ("placed", "titles", "ari.objective", "ari.persona", "ari.touchpoints", "ari.pain_points", "ari.action_plan")


class Observed:
    """The LLM engine, remembering why it failed where it did (those steps fall back to the embedded engine, as in
    the bot) and how many of its groupings the agreement check flags."""

    def __init__(self, engine: LLMEngine) -> None:
        self.engine, self.name = engine, engine.name
        self.failed: list[str] = []
        self.flagged = 0
        self.answered = 0

    def cluster(self, notes: list[Note]) -> list[ThemeDraft]:
        try:
            drafts = self.engine.cluster(notes)
        except LLMUnavailable as failure:
            self.failed.append(failure.reason)
            raise
        self.answered += 1
        self.flagged += grouping_doubt({note.id: note.text for note in notes}, drafts) is not None
        return drafts


def workshops(names: list[str], llm: Observed, synthesis: LLMSynthesis) -> None:
    rows: dict[str, dict[str, float]] = {}
    for name in names:
        path = map_quality.WORKSHOPS / f"{name}.yaml"
        rows[f"{name} embedded"] = map_quality.report(map_quality.workshop(map_quality.load(path)))
        before = len(llm.failed)
        rows[f"{name} llm"] = map_quality.report(map_quality.workshop(map_quality.load(path), llm, synthesis))
        failed = llm.failed[before:]
        print(f"the LLM failed {len(failed)} of 5 steps (the embedded engine's themes there){_reasons(failed)}")
    print("\n## labelled workshops: embedded vs LLM")
    print("map".ljust(16) + "".join(key.removeprefix("ari.")[:11].rjust(12) for key in FIGURES))
    for name, figures in rows.items():
        print(name.ljust(16) + "".join(f"{figures.get(key, float('nan')):12.2f}" for key in FIGURES))


def boards(count: int, domain: bool, llm: Observed) -> None:
    options = SimpleNamespace(csv=None, split="test")
    texts, labels, names = cluster_quality.load(options)
    drawn = (
        cluster_quality.domain_boards(labels, names, count, 0) if domain else cluster_quality.boards(labels, count, 0)
    )
    scores: list[tuple[float, float]] = []
    seconds = []
    for number, rows in enumerate(drawn):
        notes = [Note(id=f"n{row}", text=texts[row]) for row in rows]
        truth = [int(labels[row]) for row in rows]
        started = time.perf_counter()
        try:
            answer = llm.cluster(notes)
        except LLMUnavailable as failure:
            print(f"board {number}: the LLM failed ({failure.reason})")
            continue
        finally:
            seconds.append(time.perf_counter() - started)
        scores.append((_ari(truth, notes, EmbeddedEngine().cluster(notes)), _ari(truth, notes, answer)))
    kind = "within-domain " if domain else ""
    print(f"\n## CLINC150 test {kind}boards: embedded vs LLM")
    if not scores:
        print(f"the LLM answered none of {count} boards")
        return
    embedded, llm_ari = np.mean(scores, axis=0)
    print(
        f"answered {len(scores)} of {count} boards (median {np.median(seconds):.1f} s a board); on those, ARI "
        f"embedded {embedded:.3f}, LLM {llm_ari:.3f}"
    )


def _ari(truth: list[int], notes: list[Note], drafts: list[ThemeDraft]) -> float:
    theme_of = {note_id: number for number, draft in enumerate(drafts) for note_id in draft.ids}
    return float(adjusted_rand_score(truth, [theme_of.get(note.id, -1 - i) for i, note in enumerate(notes)]))


def _reasons(failed: list[str]) -> str:
    return "".join(f"\n  - {reason}" for reason in sorted(set(failed)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", type=int, default=5, help="CLINC150 boards (0 for none; default 5)")
    parser.add_argument("--domain", action="store_true", help="boards of 8 themes from one domain")
    parser.add_argument("--workshops", default="clinic,rail,saas", help="labelled workshops ('' for none)")
    args = parser.parse_args()
    config = llm_config(Settings())
    if config is None:
        parser.error("set OPENAI_API_KEY (and OPENAI_BASE_URL for a server other than OpenAI's)")
    database = f"sqlite:///{Path(tempfile.mkdtemp(prefix='llm-quality-')) / 'cache.db'}"
    upgrade(database)
    db = Database(database)
    llm = Observed(LLMEngine(config, db))
    print(f"LLM: {config.model} at {config.base_url or 'OpenAI'} ({config.structured})")
    names = [name for name in args.workshops.split(",") if name]
    if names:
        workshops(names, llm, LLMSynthesis(config, db))
    if args.boards:
        boards(args.boards, args.domain, llm)
    print(f"\nthe agreement check flagged {llm.flagged} of the {llm.answered} groupings the LLM answered")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
