#!/usr/bin/env python3
"""How well the demo's map says what the team said: the map of `journeybot demo` against hand-made truth.

The truth (`bench/data/demo_truth.yaml`) gives every note of the demo workshop its theme and, for touchpoints and
pain points, its journey stage; the persona's name and the customer quotes. This script plays the demo through the
bot (the real endpoint, signed requests, the Slack stand-in), reads the published `journey-map.json` and prints:

  * stage placement: notes that name their stage and land there; all notes on their true stage;
  * theme agreement with the truth per step (adjusted Rand index);
  * titles: the share that name their theme (the title is closer in meaning to its own theme's notes than to any
    other theme's of the step) and the bad ones (a greeting, one word or more than six, cut off, ending on a
    filler word, repeated in the step);
  * the persona's name, and the precision and recall of its verbatims against the real customer quotes;
  * action titles still carrying an owner or a date; the objective's success measures;
  * the time to cluster every step, assemble and draw a map of the demo's size, and this process's peak memory.

Usage: .venv/bin/python bench/map_quality.py [--out DIR]
"""

from __future__ import annotations

import argparse
import html
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workflows.clustering.embeddings import get_embedder  # noqa: E402
from workflows.dates import parse_due  # noqa: E402
from workflows.journey_map import JourneyMap, StepKey, Theme  # noqa: E402

TRUTH = ROOT / "bench" / "data" / "demo_truth.yaml"
MAX_TITLE_WORDS = 6
_GREETING = re.compile(r"^(?:hi|hey|hello|thanks|thank you|late to|for the record|fyi|\+1)\b", re.IGNORECASE)
_FILLER_END = re.compile(r"\b(?:a|an|the|of|to|for|and|or|in|on|at|with|by|from|is|are|was|were|it|this)$", re.I)


def _plain(text: str) -> str:
    return " ".join(html.unescape(html.unescape(text)).split()).casefold()


def _truth_of(notes: Sequence[dict], text: str) -> dict | None:
    found = [entry for entry in notes if _plain(entry["note"]) in _plain(text)]
    return found[0] if len(found) == 1 else None


def _stage_of_theme(journey_map: JourneyMap) -> dict[str, str]:
    stage_of = {}
    for stage in journey_map.stages:
        for item in [*stage.touchpoints, *stage.pain_points]:
            stage_of[item.theme_id] = stage.name
    return stage_of


def _placement(journey_map: JourneyMap, truth: dict) -> dict[str, tuple[int, int]]:
    """(right, all) for notes that name their stage, and for all notes of the two placed steps."""
    stage_of = _stage_of_theme(journey_map)
    named, every = [0, 0], [0, 0]
    for key in (StepKey.touchpoints, StepKey.pain_points):
        for theme in journey_map.steps.get(key, []):
            for note in theme.contributions:
                entry = _truth_of(truth["steps"][key.value]["notes"], note.text)
                if entry is None:
                    continue
                right = stage_of.get(theme.id) == entry["stage"]
                every[0] += right
                every[1] += 1
                if entry.get("named"):
                    named[0] += right
                    named[1] += 1
    return {"named": (named[0], named[1]), "all": (every[0], every[1])}


def _agreement(themes: Sequence[Theme], notes: Sequence[dict]) -> tuple[float, int, int]:
    """ARI over the notes the truth knows, with how many themes the map and the truth have."""
    predicted, true = [], []
    for theme in themes:
        for note in theme.contributions:
            entry = _truth_of(notes, note.text)
            if entry is not None:
                predicted.append(theme.id)
                true.append(entry["theme"])
    return float(adjusted_rand_score(true, predicted)), len(set(predicted)), len(set(true))


def _bad_title(title: str, others: Sequence[str]) -> str | None:
    words = re.findall(r"[\w'’&<>$%-]+", title)
    if _GREETING.search(title):
        return "greeting"
    if not 2 <= len(words) <= MAX_TITLE_WORDS:
        return f"{len(words)} words"
    if title.endswith(("…", "...")):
        return "cut off"
    if _FILLER_END.search(title):
        return "ends on a filler word"
    if sum(other.casefold() == title.casefold() for other in others) > 1:
        return "repeated"
    return None


def _titles(themes: Sequence[Theme]) -> tuple[int, list[str]]:
    """How many titles name their theme, and the bad titles with why."""
    if not themes:
        return 0, []
    embedder = get_embedder()
    titles = [theme.title for theme in themes]
    title_vectors = embedder.encode(titles)
    centres = []
    for theme in themes:
        vectors = embedder.encode([html.unescape(c.text) for c in theme.contributions] or [theme.title])
        centre = vectors.sum(axis=0)
        centres.append(centre / max(float(np.linalg.norm(centre)), 1e-12))
    closest = (title_vectors @ np.stack(centres).T).argmax(axis=1)
    naming = int(sum(closest[i] == i for i in range(len(themes))))
    bad = [f"{title!r} ({why})" for title in titles if (why := _bad_title(title, titles))]
    return naming, bad


def _verbatims(journey_map: JourneyMap, truth: dict) -> tuple[int, int, int]:
    """(real quotes among the verbatims, verbatims, real quotes found)."""
    quotes = [_plain(q) for q in truth["customer_quotes"]]
    verbatims = [_plain(v.text) for v in (journey_map.persona.verbatims if journey_map.persona else [])]
    real = sum(any(q in v or v in q for q in quotes) for v in verbatims)
    found = sum(any(q in v or v in q for v in verbatims) for q in quotes)
    return real, len(verbatims), found


def _action_leftovers(journey_map: JourneyMap) -> list[str]:
    names = [re.escape(name) for name in journey_map.people.values()]
    owner = re.compile(rf"<@\w+>|@(?:{'|'.join(names)})" if names else r"<@\w+>")
    vague = re.compile(r"\b(?:next|this)\s+sprint\b|\bideally\b|\bowner\b", re.IGNORECASE)
    today = journey_map.generated_at.date()
    return [
        item.title
        for item in journey_map.action_items
        if owner.search(item.title) or vague.search(item.title) or parse_due(item.title, today)
    ]


def _publish_work(database: Path) -> tuple[float, int]:
    """Seconds to re-cluster every step of the demo workshop, assemble its map and draw the picture; notes."""
    from storage.db import Database
    from storage.models import Workshop
    from workflows.assembly import assemble_map
    from workflows.clustering.embedded import EmbeddedEngine
    from workflows.render.png import render_png
    from workflows.theming import cluster_step, stage_plan, store_themes

    copy = database.with_name("bench.db")  # the demo's own database stays as the demo left it
    shutil.copyfile(database, copy)
    db = Database(f"sqlite:///{copy}")
    started = time.perf_counter()
    with db.session() as session:
        workshop = session.get_one(Workshop, 1)
        notes = sum(len(step.contributions) for step in workshop.steps)
        for step in workshop.steps:
            store_themes(session, step, cluster_step(EmbeddedEngine(), list(step.contributions), stage_plan(step)), "x")
            session.flush()
            session.refresh(step)
        render_png(assemble_map(session, workshop))
    return time.perf_counter() - started, notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="where the demo writes its files (default: a temporary folder)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="map-quality-"))
    journeybot = Path(sys.executable).parent / "journeybot"
    subprocess.run([str(journeybot), "demo", "--out", str(out)], check=True, capture_output=True)
    journey_map = JourneyMap.model_validate_json((out / "journey-map.json").read_bytes())
    truth = yaml.safe_load(TRUTH.read_text(encoding="utf-8"))

    placement = _placement(journey_map, truth)
    for label, (right, total) in (("naming their stage", placement["named"]), ("all", placement["all"])):
        print(f"stage placement, {label}: {right}/{total} = {right / max(total, 1):.2f}")
    naming_total = themes_total = 0
    for key in StepKey:
        themes = journey_map.steps.get(key, [])
        ari, found, true = _agreement(themes, truth["steps"][key.value]["notes"])
        naming, bad = _titles(themes)
        naming_total += naming
        themes_total += len(themes)
        print(f"{key.value}: ARI {ari:.2f} ({found} themes, truth {true}); titles naming it {naming}/{len(themes)}")
        for title in bad:
            print(f"  bad title: {title}")
        aside = [c.text for c in journey_map.set_aside.get(key, [])]
        themed_aside = [
            t.title for t in themes for c in t.contributions if c.text in truth["steps"][key.value].get("not_notes", [])
        ]
        if aside or themed_aside:
            print(f"  set aside: {aside}; not-notes made themes: {themed_aside}")
    print(f"titles naming their theme: {naming_total}/{themes_total} = {naming_total / max(themes_total, 1):.2f}")
    name = journey_map.persona.name if journey_map.persona else None
    print(f"persona name: {name!r} (truth {truth['persona_name']!r})")
    real, shown, found = _verbatims(journey_map, truth)
    print(f"verbatims: precision {real}/{shown}, recall {found}/{len(truth['customer_quotes'])}")
    leftovers = _action_leftovers(journey_map)
    print(f"action titles with an owner or a date: {len(leftovers)} of {len(journey_map.action_items)} {leftovers}")
    card = journey_map.objective_card
    measures = card.success_measures if card else []
    print(f"success measures on the map: {len(measures)} {measures}")
    seconds, notes = _publish_work(out / "journeybot.db")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cluster 5 steps + assemble + draw: {seconds:.1f} s for {notes} notes; peak memory {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
