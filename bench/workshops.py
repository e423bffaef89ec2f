"""The labelled workshops (`bench/data/workshops/*.yaml`) read as the bot reads a thread: each step's replies made
into notes, with each note's truth, and the step's plan. Shared by `map_quality.py` and `fit_same_theme.py`."""

from __future__ import annotations

import html
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.text import decode  # noqa: E402
from workflows.actions.parsing import ActionDraft  # noqa: E402
from workflows.contributions.parsing import parse_reply  # noqa: E402
from workflows.contributions.service import headings_kept  # noqa: E402
from workflows.mapping.models import Evidence, StepKey  # noqa: E402
from workflows.themes.clustering.base import Note  # noqa: E402
from workflows.themes.clustering.cleaning import is_note  # noqa: E402
from workflows.themes.clustering.embeddings import get_embedder  # noqa: E402
from workflows.themes.clustering.same_theme import Judge  # noqa: E402
from workflows.themes.endorsements import Said, action_drafts, link_endorsements, only_endorses  # noqa: E402
from workflows.themes.service import StepPlan, action_text  # noqa: E402
from workflows.themes.stage_placement import Placed  # noqa: E402
from workflows.themes.talk import is_talk  # noqa: E402
from workflows.workshop.stages import StageDef, resolve_stage_model  # noqa: E402

WORKSHOPS = ROOT / "bench" / "data" / "workshops"
DEMO_TRUTH = ROOT / "bench" / "data" / "demo_truth.yaml"
PLACED_STEPS = (StepKey.touchpoints, StepKey.pain_points)
TODAY = date(2026, 12, 1)  # the day the labelled workshops' action plans are read on


def labelled() -> dict[str, dict]:
    """Every labelled workshop by name, the demo's too."""
    return {path.stem: load(path) for path in sorted(WORKSHOPS.glob("*.yaml"))} | {"demo": demo_workshop()}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def shuffled(data: dict, seed: int) -> dict:
    """The workshop with its touchpoint and pain-point replies in a random order: a thread that does not walk
    through the journey."""
    steps = dict(data["steps"])
    for key in PLACED_STEPS:
        steps[key.value] = random.Random(seed).sample(steps[key.value], len(steps[key.value]))
    return data | {"steps": steps}


def stages_of(data: dict) -> list[StageDef]:
    return resolve_stage_model(data.get("preset") or ", ".join(data["stages"]))


@dataclass
class StepNotes:
    """A labelled step's notes as the bot makes them from its replies, with each note's truth and writer."""

    notes: list[Note]
    truth: dict[str, dict | None]  # note id -> its truth entry (None: no note, "+1" or emoji)
    users: dict[str, str]
    actions: list[ActionDraft]  # as the action items' titles, owners and dates are read
    evidence: dict[str, Evidence]  # note id -> its evidence tag ("[interview] …"), as the bot records it


def step_notes(data: dict, key: StepKey) -> StepNotes:
    """The step's replies parsed into notes, their endorsements linked, as the bot records them."""
    stages = stages_of(data)
    said, truth, users, actions, evidence = [], {}, {}, [], {}
    for number, reply in enumerate(data["steps"][key.value]):
        text, mentions = decode(reply["text"], lambda user_id: user_id)
        parsed = parse_reply(text, keep_headings=headings_kept(key, stages))
        labels = reply["notes"] or [None] * len(parsed)
        if len(labels) != len(parsed):  # a truth that lost step with the parser scores every later note wrong
            raise ValueError(f"{data['name']}: {len(labels)} labels for {len(parsed)} notes in {reply['text']!r}")
        for item, (parsed_note, label) in enumerate(zip(parsed, labels, strict=True)):
            note_id = f"{number}.{item}"
            own = [m for m in mentions if f"@{m[1]}" in parsed_note.text]  # as the bot records them
            text_of = action_text(parsed_note.text, own) if key == StepKey.action_plan else parsed_note.text
            tagged = parsed_note.evidence != Evidence.assumption
            note = Note(id=note_id, text=text_of, reply=str(number), tagged=tagged)
            truth[note_id], users[note_id], evidence[note_id] = label, reply["user"], parsed_note.evidence
            if is_talk(parsed_note.text, key):
                continue  # set aside, as the bot's `free_notes` does
            said.append(Said(note, reply["user"], parsed_note.text, own))
    linked = link_endorsements(said, get_embedder)
    if key == StepKey.action_plan:  # the action items, as the bot's `create_action_items` makes them
        items = [s for s in said if is_note(s.text) and not only_endorses(s.text, s.mentions)]
        actions = action_drafts(items, TODAY, get_embedder)
    return StepNotes(linked, truth, users, actions, evidence)


def plan_for(key: StepKey, stages: Sequence[StageDef], placed: Sequence[Placed], judge: Judge | None) -> StepPlan:
    """The step's plan as the bot's `step_plan` makes it, with the touchpoints `placed` so far and the step's
    same-theme `judge`."""
    return {
        StepKey.objective: StepPlan(objective=True),
        StepKey.persona: StepPlan(persona=True, judge=judge),
        StepKey.touchpoints: StepPlan(stages, split_feelings=True, judge=judge),
        StepKey.pain_points: StepPlan(stages, placed, judge=judge),
        StepKey.action_plan: StepPlan(actions=True),
    }[key]


def demo_workshop() -> dict:
    """The demo's workshop (`journeybot/demo/script.py`) as a labelled workshop, each note's truth from
    `demo_truth.yaml`: its replies as they stand once edits and deletions are played, without other apps' bots."""
    from journeybot.demo.script import DEMO_SCRIPT

    truth = yaml.safe_load(DEMO_TRUTH.read_text(encoding="utf-8"))
    stages = resolve_stage_model(", ".join(DEMO_SCRIPT.stage_model))
    steps: dict[str, list[dict]] = {}
    for step in DEMO_SCRIPT.steps:
        entries = truth["steps"][step.step.value]["notes"]
        steps[step.step.value] = []
        for reply in step.replies:
            if reply.is_contribution and reply.final_text is not None:
                text = decode(reply.final_text, lambda user_id: user_id)[0]
                parsed = parse_reply(text, keep_headings=headings_kept(step.step, stages))
                notes = [truth_of(entries, note.text) for note in parsed]
                steps[step.step.value].append({"text": reply.final_text, "user": reply.user, "notes": notes})
    return {
        "name": "demo",
        "stages": DEMO_SCRIPT.stage_model,
        "objective": DEMO_SCRIPT.objective,
        "persona_name": truth["persona_name"],
        "customer_quotes": truth["customer_quotes"],
        "lane_quotes": truth["lane_quotes"],
        "steps": steps,
    }


def plain(text: str) -> str:
    return " ".join(html.unescape(html.unescape(text)).split()).casefold()


def truth_of(entries: Sequence[dict], text: str) -> dict | None:
    """The truth entry whose text is in this note's, when exactly one is."""
    found = [entry for entry in entries if plain(entry["note"]) in plain(text)]
    return found[0] if len(found) == 1 else None
