"""Quarterly revisions through Slack: the review prompt comes once, "Still accurate" re-schedules it, "Revise"
runs a revision workshop that starts from the previous themes and publishes version 2 with what changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.theme_editor_blocks import EDIT_THEMES as EDIT
from bot.theme_editor_blocks import THEME_MENU as MENU
from storage.models import ActionItemRow, MapValidation, Workshop
from tests.conftest import ANA, BEN, FACILITATOR
from tests.workshop_play import run_workshop
from workflows.mapping.export import export_map
from workflows.mapping.models import JourneyMap, StepKey

PROMPT = "Time to review this journey map"
CHANGES = "What changed since version 1"


def _published(slack) -> Workshop:
    with slack.server.services.db.session() as session:
        return session.scalars(select(Workshop).where(Workshop.status == "published").order_by(Workshop.id)).first()


def _messages(slack, text: str) -> list[dict]:
    return [m for m in slack.standin.messages(slack.channel_id) if m.get("text", "").startswith(text)]


def _first_action(slack) -> int:
    with slack.server.services.db.session() as session:
        return session.scalars(select(ActionItemRow.id).order_by(ActionItemRow.id)).first()


def _tick(slack, when: datetime) -> None:
    slack.server.services.flows.run_due(when)
    slack.settle()


def _click(slack, user: str, action_id: str, message: dict, **fields) -> None:
    value = fields.pop("value", None)
    slack.sender.block_action(
        user, action_id, value=value, channel_id=slack.channel_id, message_ts=message["ts"], **fields
    )
    slack.settle()


def test_the_review_prompt_comes_once_after_the_cadence_and_still_accurate_reschedules_it(slack):
    run_workshop(slack)
    published = _published(slack).published_at
    _tick(slack, published + timedelta(days=89))
    assert _messages(slack, PROMPT) == []

    for hours in (0, 1, 30):
        _tick(slack, published + timedelta(days=90, hours=hours))
    (prompt,) = _messages(slack, PROMPT)
    shown = json.dumps(prompt["blocks"])
    assert "Still accurate" in shown and "Revise" in shown and "Overdue" in shown

    _click(slack, ANA, "revision_validate", prompt, value=str(_published(slack).id))
    assert any("map's owner" in e["text"] for e in slack.standin.ephemerals)
    _click(slack, FACILITATOR, "revision_validate", prompt, value=str(_published(slack).id))
    updated = slack.standin.message(slack.channel_id, prompt["ts"])
    assert "confirmed the map is still accurate" in json.dumps(updated["blocks"])
    assert "Still accurate" not in json.dumps(updated["blocks"])  # nobody can confirm twice from it

    workshop = _published(slack)
    with slack.server.services.db.session() as session:
        assert [v.user_id for v in session.scalars(select(MapValidation))] == [FACILITATOR]
    assert workshop.next_revision_at - workshop.last_validated_at == timedelta(days=90)
    _tick(slack, workshop.next_revision_at - timedelta(days=1))
    assert len(_messages(slack, PROMPT)) == 1  # the next one waits for the new date
    _tick(slack, workshop.next_revision_at + timedelta(minutes=1))
    assert len(_messages(slack, PROMPT)) == 2


def test_cadence_changes_the_next_review_and_only_the_owner_may(slack):
    run_workshop(slack)
    assert "Sorry" in slack.command("cadence 60d", BEN).json()["text"]
    assert "Usage" in slack.command("cadence soon", FACILITATOR).json()["text"]
    answer = slack.command("cadence 60d", FACILITATOR).json()["text"]
    workshop = _published(slack)
    assert "every 60 days" in answer
    assert workshop.next_revision_at - workshop.published_at == timedelta(days=60)
    _tick(slack, workshop.published_at + timedelta(days=61))
    assert len(_messages(slack, PROMPT)) == 1


def test_revise_produces_version_2_with_what_changed(slack):
    run_workshop(slack)
    first = _published(slack)
    done = slack.command(f"done A{_first_action(slack)}", FACILITATOR).json()["text"]
    assert "is done" in done
    _tick(slack, first.published_at + timedelta(days=91))
    (prompt,) = _messages(slack, PROMPT)
    _click(slack, BEN, "revision_start", prompt, value=str(first.id))
    assert "started revision workshop" in json.dumps(slack.standin.message(slack.channel_id, prompt["ts"])["blocks"])
    during = json.dumps(slack.command("map", ANA).json())  # version 1 stays readable while version 2 is made
    assert "version 1" in during and "Journey map" in during

    # Each step's thread shows the previous themes; retire one pain point and add a new one.
    for step in StepKey:
        thread = slack.step_ts(step)
        previous = [m for m in slack.standin.thread(slack.channel_id, thread) if "Last time" in json.dumps(m)]
        assert previous, f"no previous themes in the {step.value} thread"
        if step is StepKey.pain_points:  # the facilitator (Ben) retires a previous theme in the theme editor
            retired_title = previous[0]["blocks"][1]["text"]["text"].split("*")[1]
            (review,) = [e for b in previous[0]["blocks"] for e in b.get("elements", []) if e["action_id"] == EDIT]
            _click(slack, BEN, EDIT, previous[0], value=review["value"])
            editor = slack.standin.modal_stack(BEN)[-1]
            (theme,) = [
                b["accessory"]["options"][0]["value"].partition(":")[2]
                for b in editor["blocks"]
                if (b.get("accessory") or {}).get("action_id") == MENU and retired_title in b["text"]["text"]
            ]
            slack.sender.block_action(BEN, MENU, view_id=editor["id"], selected_option={"value": f"retire:{theme}"})
            slack.settle()
            slack.sender.view_submission(slack.standin.modal_stack(BEN)[-1]["id"], BEN, {})
            slack.settle()
            shown = json.dumps(slack.standin.modal_stack(BEN)[-1]["blocks"])
            assert retired_title not in shown, "the editor shows the theme gone"
            slack.reply(thread, ANA, "[survey] Customers cannot find the export button for their invoices at all")
            slack.reply(thread, BEN, "[ticket] The export button is hidden, three tickets this week about exports")
            slack.settle()
        slack.command("next", BEN)
    assert "Publishing" in slack.command("publish", BEN).body  # the revision, too, is a draft first

    second = _published(slack)
    with slack.server.services.db.session() as session:
        versions = sorted(w.version for w in session.scalars(select(Workshop).where(Workshop.status == "published")))
    assert versions == [1, 2]
    v2 = JourneyMap.model_validate_json(export_map(slack.server.services.db, first.id, "json", version=2))
    assert v2.version == 2
    assert retired_title not in [t.title for t in v2.steps[StepKey.pain_points]]
    assert any("export" in t.title.lower() for t in v2.steps[StepKey.pain_points])
    v1 = JourneyMap.model_validate_json(export_map(slack.server.services.db, second.id, "json", version=1))
    assert retired_title in [t.title for t in v1.steps[StepKey.pain_points]]

    (changes,) = _messages(slack, CHANGES)
    shown = json.dumps(changes["blocks"])
    assert retired_title in shown and "export" in shown.lower()
    assert "Actions done since last time: 1" in shown and "Actions still open" in shown

    history = json.dumps(slack.command("history", ANA).json())
    assert "Version 1" in history and "Version 2" in history

    # The revision updates the map's canvas (no second one) and posts its own picture.
    (canvas,) = slack.standin.canvases.values()
    (edit,) = slack.standin.calls_to("canvases.edit")
    assert edit.params["canvas_id"] == canvas.id and "Version 2" in canvas.markdown
    assert "export" in canvas.markdown.lower() and retired_title not in canvas.markdown
    assert [f.name for f in slack.standin.files].count("journey-map.png") == 2


def test_two_processes_ticking_at_once_post_the_prompt_exactly_once(slack, database_url):
    run_workshop(slack)
    due = (_published(slack).published_at + timedelta(days=91)).isoformat()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": slack.standin.bot_token,
        "SLACK_API_URL": slack.standin.api_url,
    }
    ticks = [
        subprocess.Popen(
            [sys.executable, "-m", "journeybot.cli", "tick", "--now", due], env=env, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    for tick in ticks:
        _, stderr = tick.communicate(timeout=120)
        assert tick.returncode == 0, stderr.decode()[-2000:]
    slack.settle()
    assert len(_messages(slack, PROMPT)) == 1
