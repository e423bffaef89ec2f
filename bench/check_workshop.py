#!/usr/bin/env python3
"""Checks a labelled workshop file (`bench/data/workshops/*.yaml`) before it is scored or fitted on.

Each reply must carry one truth entry per note the bot reads off it (a reply's bullets and lines are notes of their
own; a reply with nothing to say, only emoji or "+1", carries none), every note of the touchpoint and pain-point
steps a stage of the workshop, and every customer quote must be found in a reply. Prints each problem, or "ok".
A reply without entries that the bot reads as a note is printed too, as a finding, not a problem: the truth says
what the writer meant, and the bench counts such chatter read as a note against the bot.

Usage: .venv/bin/python bench/check_workshop.py FILE.yaml [FILE.yaml ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workshops import PLACED_STEPS, load, plain, stages_of  # noqa: E402

from bot.text import decode  # noqa: E402
from workflows.contributions.parsing import parse_reply  # noqa: E402
from workflows.contributions.service import headings_kept  # noqa: E402
from workflows.mapping.models import StepKey  # noqa: E402
from workflows.themes.clustering.cleaning import is_note  # noqa: E402

NEEDED = ("name", "objective", "persona_name", "customer_quotes", "steps")


def problems(data: dict) -> list[str]:
    found = [f"missing `{key}`" for key in NEEDED if key not in data]
    if "preset" not in data and "stages" not in data:
        found.append("neither `preset` nor `stages`")
    if found:
        return found
    stages = stages_of(data)
    names = {stage.name for stage in stages}
    every_text = []
    for key in StepKey:
        for number, reply in enumerate(data["steps"].get(key.value, [])):
            where = f"{key.value} reply {number}"
            if not {"text", "user", "notes"} <= set(reply):
                found.append(f"{where}: needs text, user and notes")
                continue
            text = decode(reply["text"], lambda user_id: user_id)[0]
            every_text.append(plain(text))
            notes = parse_reply(text, keep_headings=headings_kept(key, stages))
            substantial = [note for note in notes if is_note(note.text)]
            if reply["notes"] and len(reply["notes"]) != len(notes):
                read = " | ".join(note.text[:40] for note in notes)
                found.append(f"{where}: {len(reply['notes'])} truth entries for the {len(notes)} notes read ({read})")
            if not reply["notes"] and substantial:
                print(f"  finding: {where} has no truth entries, yet the bot reads a note ({substantial[0].text[:60]})")
            for entry in reply["notes"] or []:
                if not entry or "theme" not in entry:
                    found.append(f"{where}: an entry without a theme")
                elif key in PLACED_STEPS and entry.get("stage") not in names:
                    found.append(f"{where}: stage {entry.get('stage')!r} is not one of {sorted(names)}")
    found += [
        f"customer quote not found in any reply: {quote[:60]}"
        for quote in data["customer_quotes"]
        if not any(plain(quote) in text for text in every_text)
    ]
    return found


def main() -> int:
    failed = False
    for path in map(Path, sys.argv[1:]):
        found = problems(load(path))
        print(f"{path}: {'ok' if not found else ''}")
        for problem in found:
            print(f"  {problem}")
        failed |= bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
