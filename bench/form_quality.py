#!/usr/bin/env python3
"""How the bot reads the ways people write: labelled sets of single notes and short threads, scored offline.

Each set (`bench/data/forms/`, written from a description of the task by sessions that had not read the bot's
code) holds forms a real team uses, hard cases included:
  * stages.yaml: 160 touchpoint and pain-point notes on the presets and five custom stage models, with the stage
    each names, if any (`named_stage`);
  * non_notes.yaml: 100 replies, half without substance ("brb, adding thoughts after standup"), half short notes
    ("the IVR") (`is_note`);
  * actions.yaml: 120 action-plan notes with the title, owners and due date a person would set (`parse_action`);
  * objective.yaml: 12 objective threads, each reply's part of the objective (`note_kinds`), grouped as the bot
    groups the step (ARI), and whether the card gets a success measure;
  * persona.yaml: 12 persona threads with the name the team settles on and the customer quotes in them;
  * naming_1.yaml: 12 persona threads, each reply marked if it is about what to call the persona (the bot makes
    such notes one theme, "Persona name": `persona_part_of`).
Later sets of each (`*_2.yaml` onwards), written by other sessions, were scored before anything was changed for
them; the objective's reader (`fit_objective_kinds.py`) is fitted on every objective set but `objective_5.yaml`.

It prints, per set, what is right and every case that is not. Usage: .venv/bin/python bench/form_quality.py [SET…]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import map_quality  # noqa: E402
from workshops import plain, step_notes  # noqa: E402

from bot.text import decode  # noqa: E402
from workflows.actions.parsing import parse_action  # noqa: E402
from workflows.mapping.models import StepKey  # noqa: E402
from workflows.mapping.objective import build_objective_card, note_kinds  # noqa: E402
from workflows.mapping.persona import DEFAULT_PERSONA_NAME  # noqa: E402
from workflows.mapping.quotes import customer_quotes  # noqa: E402
from workflows.themes.clustering.cleaning import is_note  # noqa: E402
from workflows.themes.service import NAMING, StepPlan, prepared  # noqa: E402
from workflows.themes.stage_placement import named_stage  # noqa: E402
from workflows.workshop.stages import resolve_stage_model  # noqa: E402

FORMS = ROOT / "bench" / "data" / "forms"
AUTHOR = "U0WRITER"
PERSONA = StepPlan(persona=True)  # the persona step's plan, as the bot closes it


def load(name: str) -> dict:
    return yaml.safe_load((FORMS / f"{name}.yaml").read_text(encoding="utf-8"))


def stages(file: str) -> None:
    data = load(file)
    wrong = 0
    for case in data["cases"]:
        model = data["models"].get(case["model"])
        got = named_stage(case["text"], resolve_stage_model(", ".join(model) if model else case["model"]))
        if got != case["named"] and not (case.get("ambiguous") and case["named"] is None):
            wrong += 1
            print(f"  {case['model']}: named {got!r}, truth {case['named']!r}: {case['text']}")
    print(f"{file}: {len(data['cases']) - wrong} of {len(data['cases'])} read right")


def non_notes(file: str) -> None:
    cases = load(file)["cases"]
    wrong = [case for case in cases if is_note(case["text"]) != case["note"]]
    for case in wrong:
        print(f"  {'a note' if case['note'] else 'no note'} read otherwise: {case['text']!r}")
    print(f"{file}: {len(cases) - len(wrong)} of {len(cases)} read right")


def actions(file: str) -> None:
    data = load(file)
    dates = owners = titles = 0
    for case in data["cases"]:
        text = decode(case["text"], lambda user_id: user_id)[0]  # as the bot reads a reply: Slack's escapes undone
        names = dict.fromkeys(re.findall(r"@(\w+)", text))
        draft = parse_action(text, [(f"U{name}", name) for name in names], data["today"], AUTHOR)
        first = (case["owners"] or [None])[0]
        owner = AUTHOR if first and first.lower() == "me" else first and f"U{first}"
        problems = []
        if draft.due != case["due"]:
            dates += 1
            problems.append(f"due {draft.due}, truth {case['due']}")
        if draft.owner != owner:
            owners += 1
            problems.append(f"owner {draft.owner}, truth {owner}")
        if _words(draft.title) != _words(case["title"]):
            titles += 1
            problems.append(f"title {draft.title!r}, truth {case['title']!r}")
        if problems:
            print(f"  {case['text']}\n    " + "; ".join(problems))
    total = len(data["cases"])
    print(f"{file}: due dates {total - dates}, owners {total - owners}, titles {total - titles} of {total} right")


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def objective(file: str) -> None:
    threads = load(file)["threads"]
    kinds = right = 0
    aris, cards = [], 0
    for thread in threads:
        found = note_kinds([reply["text"] for reply in thread["replies"]])
        for reply, got in zip(thread["replies"], found, strict=True):
            truth = {"why": "question", "other": None}.get(reply["kind"], reply["kind"])
            kinds += 1
            if got == truth:
                right += 1
            else:
                print(f"  {got}, truth {truth}: {reply['text']}")
        # scope and what is out of it are one part of the objective; other chatter is a note of its own
        parts = [
            {"out_of_scope": "scope", "other": f"other {n}"}.get(r["kind"], r["kind"])
            for n, r in enumerate(thread["replies"])
        ]
        replies = [
            {"text": r["text"], "user": "U0A", "notes": [{"theme": part}]}
            for r, part in zip(thread["replies"], parts, strict=True)
        ]
        scored = _quietly(thread["domain"], thread["objective"], StepKey.objective, replies, [], "")
        aris.append(scored[1]["ari.objective"])
        cards += bool(scored[0].success_measures)
    print(
        f"{file}: parts {right} of {kinds} read right; ARI per thread {' '.join(f'{a:.2f}' for a in aris)}, "
        f"mean {sum(aris) / len(aris):.2f}; a success measure on {cards} of {len(threads)} cards"
    )


def persona(file: str) -> None:
    threads = load(file)["threads"]
    names = real = shown = found = quotes = 0
    for thread in threads:
        replies = [{"text": r["text"], "user": r["user"], "notes": None} for r in thread["replies"]]
        scored, _ = _quietly(thread["domain"], "", StepKey.persona, replies, thread["quotes"], thread["name"])
        name = scored.persona.name if scored.persona else None
        name = None if name == DEFAULT_PERSONA_NAME else name  # the map's "Primary customer": no name given
        names += name == thread["name"]
        truth = [plain(q) for q in thread["quotes"]]
        verbatims = [plain(v.text) for v in scored.persona.verbatims] if scored.persona else []
        lane = [
            plain(q.text)
            for q in customer_quotes(c for t, _ in scored.themes[StepKey.persona] for c in t.contributions)
        ]
        real += sum(any(q in v or v in q for q in truth) for v in verbatims)
        shown += len(verbatims)
        found += sum(any(q in v or v in q for v in lane) for q in truth)
        quotes += len(truth)
        if name != thread["name"]:
            print(f"  {thread['domain']}: named {name!r}, truth {thread['name']!r}")
    print(
        f"{file}: named as the team settled {names} of {len(threads)}; verbatims that are customer quotes {real} of "
        f"{shown}; customer quotes found {found} of {quotes}"
    )


def naming(file: str) -> None:
    threads = load(file)["threads"]
    right = replies = 0
    for thread in threads:
        said = [{"text": r["text"], "user": r["user"], "notes": None} for r in thread["replies"]]
        notes = prepared(step_notes({"preset": "default", "steps": {"persona": said}}, StepKey.persona).notes, PERSONA)
        named = {note.id.split(".")[0] for note in notes if note.part == NAMING}
        for number, reply in enumerate(thread["replies"]):
            replies += 1
            if (str(number) in named) == reply["naming"]:
                right += 1
            else:
                print(
                    f"  {thread['domain']}: {'missed' if reply['naming'] else 'not about the name'}: {reply['text']!r}"
                )
    print(f"{file}: replies read right (about the persona's name or not) {right} of {replies}")


def _quietly(name: str, objective: str, key: StepKey, replies: list, quotes: list, persona_name: str) -> tuple:
    """One step's replies through the bot's step functions, as `map_quality` runs a labelled workshop."""
    steps = {step.value: replies if step == key else [] for step in StepKey}
    data = {"name": name, "objective": objective, "preset": "default", "steps": steps, "customer_quotes": quotes}
    with contextlib.redirect_stdout(io.StringIO()):
        scored = map_quality.workshop(data | {"persona_name": persona_name})
        card = build_objective_card(objective, [t for t, _ in scored.themes[StepKey.objective]])
        return (card if key == StepKey.objective else scored), map_quality.report(scored)


SETS = {
    "stages": stages,
    "non_notes": non_notes,
    "actions": actions,
    "objective": objective,
    "persona": persona,
    "naming": naming,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", metavar="SET", help=f"any of {', '.join(SETS)} (default: all)")
    chosen = parser.parse_args().sets or list(SETS)
    if unknown := [name for name in chosen if name not in SETS]:
        parser.error(f"no set {', '.join(unknown)}: the sets are {', '.join(SETS)}")
    for name in chosen:
        for path in sorted(FORMS.glob(f"{name}*.yaml")):  # "stages.yaml", then a second set, "stages_2.yaml"
            SETS[name](path.stem)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
