"""Step deadlines: set when a step opens, a nudge 24 hours before, the step closing by itself at the deadline.

Steps open at the wall clock's time (the bot's worker opens them); the tests read each deadline back from the
database and fast-forward to it with the tick's `now`, as `journeybot tick --now` does.
"""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage.models import Step, Workshop
from tests.conftest import ANA, BEN, CHANNEL, CHO, FACILITATOR
from tests.reminder_play import dms, tick
from workflows.mapping.models import StepKey
from workflows.workshop.workdays import step_deadline


def step_row(slack, key: StepKey) -> Step:
    with slack.server.services.db.session() as session:
        return session.scalars(select(Step).where(Step.key == key.value).order_by(Step.id.desc())).first()


def channel_texts(slack) -> list[str]:
    return [m.get("text", "") for m in slack.standin.messages(CHANNEL)]


def test_a_step_nudges_the_quiet_ones_a_day_before_and_closes_at_its_deadline(slack):
    slack.command("start Why do trials stall?", FACILITATOR)
    objective = step_row(slack, StepKey.objective)
    assert objective.deadline == step_deadline(objective.opened_at, 2, ZoneInfo("Europe/Berlin"))
    slack.reply(slack.step_ts(StepKey.objective), ANA, "[analytics] Conversion fell to 12%")
    slack.settle()

    tick(slack, objective.deadline - timedelta(hours=25))
    assert not any("closes" in t for t in channel_texts(slack))
    tick(slack, objective.deadline - timedelta(hours=23))
    tick(slack, objective.deadline - timedelta(hours=22))
    thread = slack.standin.thread(CHANNEL, objective.message_ts)
    nudges = [m for m in thread if "closes in about a day" in m.get("text", "")]
    assert len(nudges) == 1 and "<!date^" in json.dumps(nudges[0]["blocks"])
    assert [len(dms(slack, u)) for u in (FACILITATOR, ANA, BEN, CHO)] == [1, 0, 1, 1], "only who has not contributed"
    assert slack.standin.bot_user_id not in {
        c.params.get("users") for c in slack.standin.calls_to("conversations.open")
    }
    assert step_row(slack, StepKey.objective).status == "open"

    tick(slack, objective.deadline)
    assert step_row(slack, StepKey.objective).status == "closed"
    assert channel_texts(slack).count("Objective closed at its deadline") == 1
    assert any(m.get("text", "").startswith("Objective: ") for m in slack.standin.thread(CHANNEL, objective.message_ts))
    persona = step_row(slack, StepKey.persona)
    assert persona.status == "open", "the next step opens as after /journey next"
    assert persona.deadline == step_deadline(objective.deadline, 2, ZoneInfo("Europe/Berlin"))

    tick(slack, objective.deadline + timedelta(minutes=5))
    assert channel_texts(slack).count("Objective closed at its deadline") == 1


def test_manual_advance_keeps_the_step_open_past_its_deadline(slack):
    response = slack.command("start Why do trials stall? --days 3 --manual --stages b2b", FACILITATOR)
    assert "advance each step" in response.body
    with slack.server.services.db.session() as session:
        workshop = session.scalar(select(Workshop))
        assert (workshop.step_days, workshop.manual_advance, workshop.objective) == (3, True, "Why do trials stall?")
        assert workshop.stage_model[0]["name"] == "Purchase"
    objective = step_row(slack, StepKey.objective)
    assert objective.deadline == step_deadline(objective.opened_at, 3, ZoneInfo("Europe/Berlin"))
    tick(slack, objective.deadline + timedelta(hours=1))
    assert step_row(slack, StepKey.objective).status == "open"
    assert not any("at its deadline" in t for t in channel_texts(slack))

    status = slack.command("status", FACILITATOR)
    assert "deadline <!date^" in status.body


def test_a_step_closed_by_hand_or_a_cancelled_workshop_is_left_alone(slack):
    slack.command("start Why do trials stall?", FACILITATOR)
    assert "closes <!date^" in slack.command("status", FACILITATOR).body
    objective = step_row(slack, StepKey.objective)
    slack.command("next", FACILITATOR)
    slack.command("cancel", FACILITATOR)
    persona = step_row(slack, StepKey.persona)
    before = len(slack.standin.calls_to("chat.postMessage"))
    tick(slack, objective.deadline)
    tick(slack, persona.deadline)
    assert len(slack.standin.calls_to("chat.postMessage")) == before
    assert step_row(slack, StepKey.persona).status == "open"


def test_the_start_form_sets_the_working_days_and_manual_advance(slack):
    slack.command("start", FACILITATOR)
    modal = slack.standin.modal_stack(FACILITATOR)[-1]
    assert {"days", "manual"} <= {b.get("block_id") for b in modal["blocks"]}
    values = {
        "objective": {"value": {"type": "plain_text_input", "value": "Onboarding"}},
        "preset": {"value": {"type": "static_select", "selected_option": {"value": "default"}}},
        "days": {"value": {"type": "number_input", "value": "0"}},
    }
    refused = slack.sender.view_submission(modal["id"], FACILITATOR, values)
    assert "Working days per step" in refused.body
    values["days"]["value"]["value"] = "4"
    values["manual"] = {"value": {"type": "checkboxes", "selected_options": [{"value": "manual"}]}}
    slack.sender.view_submission(modal["id"], FACILITATOR, values)
    slack.settle()
    with slack.server.services.db.session() as session:
        workshop = session.scalar(select(Workshop))
        assert (workshop.step_days, workshop.manual_advance) == (4, True)


def test_days_must_be_a_number(slack):
    response = slack.command("start Onboarding --days soon", FACILITATOR)
    assert "Working days per step" in response.body
