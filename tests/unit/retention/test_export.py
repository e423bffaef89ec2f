"""`journeybot export-workspace --team T…`: one JSON document with everything about the workspace (settings,
workshops with steps, notes, themes, edits, actions with history, map versions, LLM usage) and nothing of another."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from journeybot.cli import main
from storage.db import Database
from tests.workspace_play import NOW, PEOPLE, TEAM_A, TEAM_B, seed_workshop
from workflows.retention.export import UnknownWorkspace, export_workspace


@pytest.fixture
def exported(db: Database, tmp_path, monkeypatch) -> tuple[dict, list[str], list[str]]:
    alpha = seed_workshop(db, TEAM_A, label="Alpha")
    bravo = seed_workshop(db, TEAM_B, label="Bravo", published_at=NOW.replace(month=10))
    monkeypatch.setenv("DATABASE_URL", db.url)
    out = tmp_path / "alpha.json"
    assert main(["export-workspace", "--team", TEAM_A, "--out", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8")), alpha.notes, bravo.notes


def test_the_export_holds_the_workspace_and_its_workshops_notes(exported) -> None:
    document, alpha_notes, _ = exported
    assert document["team_id"] == TEAM_A and document["settings"] == {"llm": "off"}
    (workshop,) = document["workshops"]
    assert [step["key"] for step in workshop["steps"]] == [
        "objective",
        "persona",
        "touchpoints",
        "pain_points",
        "action_plan",
    ]
    notes = [note["text"] for step in workshop["steps"] for note in step["notes"]]
    assert notes == alpha_notes
    touchpoints = workshop["steps"][2]
    (theme,) = touchpoints["themes"]
    assert theme["note_ids"] == [note["id"] for note in touchpoints["notes"]]
    assert theme["reactions"][0]["reaction"] == "+1" and touchpoints["edits"][0]["kind"] == "rename"
    (action,) = workshop["actions"]
    assert [event["kind"] for event in action["history"]] == ["created", "status"]
    assert workshop["map_versions"][0]["map"]["objective"] == "Alpha: why do trials stall?"
    assert workshop["llm_usage"][0]["task"] == "cluster"
    # Dates are ISO 8601 with their zone.
    assert datetime.fromisoformat(workshop["published_at"]).utcoffset() is not None
    assert datetime.fromisoformat(action["history"][0]["at"]).utcoffset() is not None


def test_the_export_has_nothing_of_the_other_workspace(exported) -> None:
    document, _, bravo_notes = exported
    text = json.dumps(document)
    assert TEAM_B not in text and "Bravo" not in text
    assert not any(note in text for note in bravo_notes)
    assert not any(person in text for person in PEOPLE[TEAM_B])


def test_the_keys_are_stable(db: Database) -> None:
    seed_workshop(db, TEAM_A, label="Alpha")
    with db.session() as session:
        first = export_workspace(session, TEAM_A, NOW).model_dump_json()
    with db.session() as session:
        assert export_workspace(session, TEAM_A, NOW).model_dump_json() == first
    assert list(json.loads(first)) == [
        "format_version",
        "team_id",
        "exported_at",
        "installed_at",
        "settings",
        "workshops",
    ]


def test_an_unknown_workspace_is_an_error(db: Database, monkeypatch, capsys) -> None:
    with pytest.raises(UnknownWorkspace), db.session() as session:
        export_workspace(session, "T0NOBODY01", NOW)
    monkeypatch.setenv("DATABASE_URL", db.url)
    assert main(["export-workspace", "--team", "T0NOBODY01"]) == 1
    assert capsys.readouterr().out == ""
