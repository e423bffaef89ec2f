#!/usr/bin/env python3
"""How well a map says what the team said: maps scored against hand-made truth.

Two kinds of input, scored the same way:
  * the demo workshop (`journeybot/demo/script.py`), played through the bot (the real endpoint, signed requests, the
    Slack stand-in); its truth is `bench/data/demo_truth.yaml`, and the published `journey-map.json` is read;
  * labelled workshops in other domains (`bench/data/workshops/*.yaml`), and the demo's replies with their truth,
    run offline through the same domain functions the bot uses when a step closes and a map is assembled. The bot's
    same-theme judges are fitted on these very workshops (`fit_same_theme.py`), so each is grouped by judges fitted
    on the others: the figures of a workshop the judges never saw (`--in-sample`: the bot's own judges).

For each it prints:
  * stage placement: notes that name their stage and land there; all notes on their true stage;
  * theme agreement with the truth per step (adjusted Rand index);
  * titles: the share that name their theme (the title is closer in meaning to its own theme's notes than to any
    other theme's of the step) and the bad ones (a greeting, one word or more than six, cut off, ending on a
    filler word, repeated in the step);
  * the persona's name, and the precision and recall of its verbatims against the real customer quotes;
  * pain points at their touchpoint: how many of the "at <touchpoint>" the map shows are the touchpoint the pain
    hurts at by hand (`bench/data/pain_touchpoints.yaml`), and the notes whose touchpoint the map does not show;
  * action titles still carrying an owner or a date; the objective's success measures;
and, for the demo, the time to cluster every step, assemble and draw its map, and this process's peak memory.

Usage: .venv/bin/python bench/map_quality.py [--out DIR] [--skip-demo] [--shuffle SEED] [--in-sample] [--only NAME …]
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
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import yaml
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fit_same_theme import judges_left_out  # noqa: E402
from workshops import (  # noqa: E402
    DEMO_TRUTH,
    PLACED_STEPS,
    TODAY,
    labelled,
    plain,
    plan_for,
    shuffled,
    stages_of,
    step_notes,
    truth_of,
)

from workflows.actions.dates import parse_due  # noqa: E402
from workflows.actions.parsing import ActionDraft  # noqa: E402
from workflows.llm.client import LLMUnavailable  # noqa: E402
from workflows.llm.engine import LLMSynthesis  # noqa: E402
from workflows.mapping.assembly import place_themes  # noqa: E402
from workflows.mapping.models import Contribution, JourneyMap, Persona, StepKey, Theme  # noqa: E402
from workflows.mapping.objective import build_objective_card  # noqa: E402
from workflows.mapping.persona import build_persona  # noqa: E402
from workflows.mapping.quotes import customer_quotes  # noqa: E402
from workflows.themes.clustering.base import ClusterEngine, Note  # noqa: E402
from workflows.themes.clustering.embedded import EmbeddedEngine  # noqa: E402
from workflows.themes.clustering.embeddings import get_embedder  # noqa: E402
from workflows.themes.clustering.same_theme import Judge, judge_for  # noqa: E402
from workflows.themes.service import StepPlan, cluster_notes, named_apart  # noqa: E402
from workflows.themes.stage_placement import Placed  # noqa: E402

PAIN_TOUCHPOINTS = ROOT / "bench" / "data" / "pain_touchpoints.yaml"
MAX_TITLE_WORDS = 6
_GREETING = re.compile(r"^(?:hi|hey|hello|thanks|thank you|late to|for the record|fyi|\+1)\b", re.IGNORECASE)
_FILLER_END = re.compile(r"(?:^|\s)(?:a|an|the|of|to|for|and|or|in|on|at|with|by|from|is|are|was|were|it|this)$", re.I)
# "owner" as an assignment ("owner: @Ana", "owner me", "… owner"), not in a name ("the Notice to Owner letter")
_VAGUE = re.compile(r"\b(?:next|this)\s+sprint\b|\bideally\b|\bowner\s*(?:[:=@]|is\b|me\b|$)", re.IGNORECASE)


@dataclass
class Scored:
    """One map's themes with each note's truth, ready to score: the same shape for the demo and the others."""

    name: str
    themes: dict[StepKey, list[tuple[Theme, list[dict | None]]]]  # each theme with its notes' truth entries
    stage_of: dict[str, str]  # theme id -> stage
    persona: Persona | None
    quotes: list[str]
    persona_name: str
    actions: list[ActionDraft]
    success_measures: list[str]
    not_notes_themed: list[str] = field(default_factory=list)
    lane_quotes: list[str] = field(default_factory=list)  # every step's customer quotes, where not `quotes`
    pain_at: dict[str, str | None] = field(default_factory=dict)  # pain-point theme id -> its touchpoint's theme id
    hurts_at: dict[str, str | None] = field(default_factory=dict)  # truth: pain-point theme -> touchpoint theme
    today: date = TODAY  # the day the action plan was read on


def report(scored: Scored) -> dict[str, float]:
    print(f"\n## {scored.name}")
    named, every = [0, 0], [0, 0]
    for key in PLACED_STEPS:
        for theme, truths in scored.themes.get(key, []):
            for truth in truths:
                if truth is None:
                    continue
                right = scored.stage_of.get(theme.id) == truth["stage"]
                every = [every[0] + right, every[1] + 1]
                if truth.get("named"):
                    named = [named[0] + right, named[1] + 1]
    figures = {"named": named[0] / max(named[1], 1), "placed": every[0] / max(every[1], 1)}
    print(
        f"stage placement: naming their stage {named[0]}/{named[1]}, all {every[0]}/{every[1]} "
        f"= {figures['placed']:.2f}"
    )
    naming_total = themes_total = 0
    for key in StepKey:
        themed = scored.themes.get(key, [])
        predicted = [theme.id for theme, truths in themed for truth in truths if truth is not None]
        true = [truth["theme"] for _, truths in themed for truth in truths if truth is not None]
        ari = float(adjusted_rand_score(true, predicted)) if true else 1.0
        figures[f"ari.{key.value}"] = ari
        naming, bad = _titles([theme for theme, _ in themed])
        naming_total += naming
        themes_total += len(themed)
        print(
            f"{key.value}: ARI {ari:.2f} ({len(set(predicted))} themes, truth {len(set(true))}); "
            f"titles naming it {naming}/{len(themed)}"
        )
        for title in bad:
            print(f"  bad title: {title}")
    figures["titles"] = naming_total / max(themes_total, 1)
    print(f"titles naming their theme: {naming_total}/{themes_total} = {figures['titles']:.2f}")
    if scored.not_notes_themed:
        print(f"replies without a note that became themes: {scored.not_notes_themed}")
    name = scored.persona.name if scored.persona else None
    print(f"persona name: {name!r} (truth {scored.persona_name!r})")
    quotes = [plain(q) for q in scored.quotes]
    verbatims = [plain(v.text) for v in (scored.persona.verbatims if scored.persona else [])]
    real = sum(any(q in v or v in q for q in quotes) for v in verbatims)
    print(f"verbatims: {real} of {len(verbatims)} are customer quotes")
    notes = [c for themed in scored.themes.values() for theme, _ in themed for c in theme.contributions]
    quotes = [plain(q) for q in scored.lane_quotes] or quotes
    lane = [plain(q.text) for q in customer_quotes(notes)]
    real = [v for v in lane if any(q in v or v in q for q in quotes)]
    found = sum(any(q in v or v in q for v in lane) for q in quotes)
    figures["lane"] = len(real) / max(len(lane), 1)
    print(
        f"quotes lane: {len(real)} of {len(lane)} are customer quotes, {found} of the {len(quotes)} real ones shown"
        + "".join(f"\n  not a customer quote: {v!r}" for v in lane if v not in real)
    )
    leftovers = [a.title for a in scored.actions if _VAGUE.search(a.title) or re.search(r"(?<!\w)@\w", a.title)]
    # a date left in the title that is the action's due date ("Fix X Friday"), not one of the action's own ("paid
    # within 5 working days", "a family lane for July-August")
    leftovers += [
        a.title for a in scored.actions if a.due and (d := parse_due(a.title, scored.today)) and d.due == a.due
    ]
    print(f"action titles with an owner or a date: {len(leftovers)} of {len(scored.actions)} {leftovers}")
    if scored.hurts_at:
        right, shown, missed = _pains_at(scored)
        figures["pain_at"] = right / max(shown, 1)
        print(f"pain points at their touchpoint: {right} of {shown} notes shown at one are at theirs; {missed} at none")
    print(f"success measures on the map: {len(scored.success_measures)} {scored.success_measures}")
    return figures


def _pains_at(scored: Scored) -> tuple[int, int, int]:
    """Over the pain-point notes: how many sit at the touchpoint that holds a note of the one they hurt at (right),
    at any touchpoint (shown), and at none where the truth names one (missed)."""
    holds = {theme.id: {t["theme"] for t in truths if t} for theme, truths in scored.themes[StepKey.touchpoints]}
    right = shown = missed = 0
    for theme, truths in scored.themes[StepKey.pain_points]:
        at = scored.pain_at.get(theme.id)
        for truth in filter(None, truths):
            hurts = scored.hurts_at.get(truth["theme"])
            shown += at is not None
            right += at is not None and hurts in holds.get(at, set())
            missed += at is None and hurts is not None
    return right, shown, missed


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
    centres = []
    for theme in themes:
        vectors = embedder.encode([html.unescape(c.text) for c in theme.contributions] or [theme.title])
        centre = vectors.sum(axis=0)
        centres.append(centre / max(float(np.linalg.norm(centre)), 1e-12))
    closest = (embedder.encode(titles) @ np.stack(centres).T).argmax(axis=1)
    naming = int(sum(closest[i] == i for i in range(len(themes))))
    return naming, [f"{title!r} ({why})" for title in titles if (why := _bad_title(title, titles))]


# the demo, through the bot


def demo(out: Path) -> Scored:
    journeybot = Path(sys.executable).parent / "journeybot"
    subprocess.run([str(journeybot), "demo", "--out", str(out)], check=True, capture_output=True)
    journey_map = JourneyMap.model_validate_json((out / "journey-map.json").read_bytes())
    truth = yaml.safe_load(DEMO_TRUTH.read_text(encoding="utf-8"))
    themes = {}
    for key, step_themes in journey_map.steps.items():
        entries = truth["steps"][key.value]["notes"]
        themes[key] = [(theme, [truth_of(entries, c.text) for c in theme.contributions]) for theme in step_themes]
    not_notes = {plain(t) for step in truth["steps"].values() for t in step.get("not_notes", [])}
    return Scored(
        name="demo (through the bot)",
        themes=themes,
        stage_of={item.theme_id: s.name for s in journey_map.stages for item in [*s.touchpoints, *s.pain_points]},
        persona=journey_map.persona,
        quotes=truth["customer_quotes"],
        lane_quotes=truth["lane_quotes"],
        persona_name=truth["persona_name"],
        actions=[ActionDraft(title=i.title, owner=i.owner, due=i.due) for i in journey_map.action_items],
        today=date.today(),
        success_measures=journey_map.objective_card.success_measures if journey_map.objective_card else [],
        pain_at={pain.theme_id: pain.touchpoint for stage in journey_map.stages for pain in stage.pain_points},
        hurts_at=_hurts_at("demo"),
        not_notes_themed=[
            t.title
            for ts in journey_map.steps.values()
            for t in ts
            for c in t.contributions
            if plain(c.text) in not_notes
        ],
    )


def publish_work(database: Path) -> tuple[float, int]:
    """Seconds to re-cluster every step of the demo workshop, assemble its map and draw the picture; notes."""
    from storage.db import Database
    from storage.models import Workshop
    from workflows.mapping.assembly import assemble_map
    from workflows.render.png import render_png
    from workflows.themes.service import cluster_step, free_notes, step_plan, store_themes

    copy = database.with_name("bench.db")  # the demo's own database stays as the demo left it
    shutil.copyfile(database, copy)
    db = Database(f"sqlite:///{copy}")
    started = time.perf_counter()
    with db.session() as session:
        workshop = session.get_one(Workshop, 1)
        notes = sum(len(step.contributions) for step in workshop.steps)
        for step in workshop.steps:
            drafts = cluster_step(EmbeddedEngine(), free_notes(step), step_plan(step))
            store_themes(session, step, drafts, EmbeddedEngine.name)
            session.flush()
            session.refresh(step)
        render_png(assemble_map(session, workshop))
    return time.perf_counter() - started, notes


# labelled workshops, offline


def workshop(
    data: dict,
    engine: ClusterEngine | None = None,
    llm: LLMSynthesis | None = None,
    shuffle: int | None = None,
    judges: dict[StepKey, Judge] | None = None,
) -> Scored:
    """Scored as the bot would make its map: with the embedded engine by default, or with `engine` (the LLM's,
    given no step plan, as the bot does) and `llm` placing touchpoints and pain points and writing the persona.
    With `shuffle` (a seed), the replies of those two steps come in a random order: a thread that does not walk
    through the journey. The embedded engine's same-theme `judges` are the bot's unless given."""
    engine = engine or EmbeddedEngine()
    judges = judges if judges is not None else {key: judge for key in StepKey if (judge := judge_for(key))}
    embedded = isinstance(engine, EmbeddedEngine)
    data = data if shuffle is None else shuffled(data, shuffle)
    stages = stages_of(data)
    themes: dict[StepKey, list[tuple[Theme, list[dict | None]]]] = {}
    stage_of: dict[str, str] = {}
    placed: list[Placed] = []
    not_notes_themed: list[str] = []
    actions: list[str] = []
    aside: dict[StepKey, list[Contribution]] = {}  # each step's replies that are no note
    for key in StepKey:
        step = step_notes(data, key)
        notes, truth, users = step.notes, step.truth, step.users
        actions += step.actions
        plan = plan_for(key, stages, placed, judges.get(key))
        drafts = _cluster(engine, notes, plan)
        texts = {note.id: note.text for note in notes}
        not_notes_themed += [texts[i] for draft in drafts for i in draft.ids if truth[i] is None]
        step_themes = []
        for number, draft in enumerate(drafts):
            theme = Theme(
                id=f"{key.value}-{number}",
                title=draft.title,
                stage=draft.stage,
                contributions=[
                    Contribution(user=users[i], ts=i, text=texts[i], evidence=step.evidence[i]) for i in draft.ids
                ],
            )
            step_themes.append((theme, [truth[i] for i in draft.ids]))
            if draft.stage:
                stage_of[theme.id] = draft.stage
                if key == StepKey.touchpoints:
                    placed += [Placed(texts[i], draft.stage) for i in draft.ids]
        themes[key] = step_themes
        themed = {i for draft in drafts for i in draft.ids}
        aside[key] = [Contribution(user=users[n.id], ts=n.id, text=n.text) for n in notes if n.id not in themed]
    steps = {key: [theme for theme, _ in themed] for key, themed in themes.items()}
    # as the map is made: the LLM's themes placed by the LLM (or the embedded fallback), the embedded engine's where
    # their step put them, each pain point linked to a touchpoint
    touchpoints, pain_points = place_themes(steps, stages, None if embedded else llm, {})
    if not embedded:
        stage_of = {item.theme_id: stage for stage, item in [*touchpoints, *pain_points]}
    card = build_objective_card(data["objective"], steps[StepKey.objective])
    return Scored(
        name=f"{data['name']} (offline{'' if embedded else ', ' + engine.name})",
        themes=themes,
        stage_of=stage_of,
        persona=_persona(steps[StepKey.persona], aside[StepKey.persona], llm),
        quotes=data["customer_quotes"],
        lane_quotes=data.get("lane_quotes", []),
        persona_name=data["persona_name"],
        actions=actions,
        success_measures=card.success_measures,
        not_notes_themed=not_notes_themed,
        pain_at={pain.theme_id: pain.touchpoint for _, pain in pain_points},
        hurts_at=_hurts_at(data["name"]),
    )


def _hurts_at(workshop: str) -> dict[str, str | None]:
    return _pain_touchpoints().get(workshop, {})


@cache
def _pain_touchpoints() -> dict[str, dict[str, str | None]]:
    return yaml.safe_load(PAIN_TOUCHPOINTS.read_text(encoding="utf-8"))


def _cluster(engine: ClusterEngine, notes: list[Note], plan: StepPlan | None) -> list:
    """As the bot closes a step: the LLM's themes as it gave them (split where their notes name different stages),
    else the embedded engine's with the step's plan."""
    if isinstance(engine, EmbeddedEngine):
        return cluster_notes(engine, notes, plan)
    try:
        drafts = cluster_notes(engine, notes)
        return named_apart(drafts, notes, plan.stages) if plan and plan.stages else drafts
    except LLMUnavailable as failure:
        print(f"the LLM failed ({failure.reason}): the embedded engine's themes, as in the bot")
        return cluster_notes(EmbeddedEngine(), notes, plan)


def _persona(themes: list[Theme], aside: list[Contribution], llm: LLMSynthesis | None) -> Persona | None:
    if llm is not None:
        try:
            return llm.persona(themes)
        except LLMUnavailable as failure:
            print(f"persona: the LLM failed ({failure.reason}); the embedded persona is scored")
    return build_persona(themes, aside)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="where the demo writes its files (default: a temporary folder)")
    parser.add_argument("--skip-demo", action="store_true", help="score only the labelled workshops")
    parser.add_argument(
        "--shuffle",
        type=int,
        metavar="SEED",
        help="the labelled workshops' touchpoint and pain-point replies in a random order",
    )
    parser.add_argument(
        "--in-sample",
        action="store_true",
        help="group each workshop's notes with the bot's same-theme judges, fitted on all the workshops (by default, "
        "with judges fitted on the others: the figures a workshop the judges never saw would get)",
    )
    parser.add_argument("--only", nargs="+", metavar="NAME", help="score only these labelled workshops")
    args = parser.parse_args()
    results = {}
    left_out = {} if args.in_sample else judges_left_out()
    for name, data in labelled().items():
        if args.only and name not in args.only:
            continue
        results[name] = report(workshop(data, shuffle=args.shuffle, judges=left_out.get(name)))
    if not args.skip_demo:
        out = args.out or Path(tempfile.mkdtemp(prefix="map-quality-"))
        results["demo, bot"] = report(demo(out))
        seconds, notes = publish_work(out / "journeybot.db")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"cluster 5 steps + assemble + draw: {seconds:.1f} s for {notes} notes; peak memory {peak:.0f} MB")
    print("\n## summary")
    keys = sorted({key for figures in results.values() for key in figures})
    print("map".ljust(12) + "".join(key.removeprefix("ari.")[:11].rjust(12) for key in keys))
    for name, figures in results.items():
        print(name.ljust(12) + "".join(f"{figures.get(key, float('nan')):12.2f}" for key in keys))
    means = [float(np.mean([figures[key] for figures in results.values() if key in figures])) for key in keys]
    print("mean".ljust(12) + "".join(f"{mean:12.2f}" for mean in means))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
