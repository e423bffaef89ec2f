"""`/journey delete` through the signed endpoint: a participant is refused and nothing changes; the facilitator gets
an ephemeral confirmation with a danger button, whose click deletes every row about the workshop (and nothing of
another workspace using the same channel id) and says so; a second click finds it gone; Slack's messages stay."""

from __future__ import annotations

import itertools
import json

from sqlalchemy import select

from bot.deletion_blocks import DELETE_WORKSHOP
from journeybot.standin import interactions
from storage.models import Workshop
from tests.conftest import ANA, CHANNEL, FACILITATOR
from tests.workshop_play import play_steps, run_workshop
from tests.workspace_play import TEAM_B, contents, count_rows, footprint, job_ids, seed_workshop
from workflows.mapping.models import StepKey

ADMIN = "U0ADMIN001"
_clicks = itertools.count(1)


def click(slack, user: str, blocks: list[dict], action_id: str = DELETE_WORKSHOP) -> str:
    """A person presses a button of an ephemeral message (the command's answer): Slack sends block_actions with a
    response_url and no `message`. Returns what the bot answered through that response_url."""
    standin, before = slack.standin, len(slack.standin.responses)
    action = interactions.clicked(blocks, action_id, None, {}, f"1800000000.{next(_clicks):06d}")
    payload = interactions.interaction(
        slack.sender.identity,
        "block_actions",
        standin.user(user),
        standin.issue_trigger_id(user),
        container={"type": "message", "message_ts": "1800000000.000001", "channel_id": CHANNEL, "is_ephemeral": True},
        channel={"id": CHANNEL, "name": "journey-lab"},
        state={"values": {}},
        response_url=standin.issue_response_url(CHANNEL, user),
        actions=[action],
    )
    assert slack.sender.interaction(payload).status == 200
    slack.settle()
    (answer,) = standin.responses[before:]
    return json.dumps(answer.payload)


def _without_jobs(rows: dict[str, int]) -> dict[str, int]:
    """The running bot's planner may add jobs for the other workspace's map meanwhile (a Monday digest, say):
    what matters is that none of its rows goes, which `job_ids` checks for the jobs."""
    return {table: count for table, count in rows.items() if table != "jobs"}


def _team_id(slack) -> str:
    return slack.standin.identity.team_id


def test_only_the_facilitator_deletes_after_confirming_and_the_other_workspace_keeps_everything(slack):
    db = slack.server.services.db
    other = seed_workshop(db, TEAM_B, label="Bravo", channel_id=CHANNEL, due=None)  # same channel id as ours
    run_workshop(slack, until=StepKey.pain_points)
    for theme_ts in slack.theme_messages(StepKey.pain_points).values():
        slack.react(theme_ts, ANA, "+1")  # a vote: a reaction row about the workshop
    slack.settle()
    play_steps(slack, [StepKey.action_plan])  # closing the last step publishes (`--publish auto`)
    with db.session() as session:
        workshop_id = session.scalar(select(Workshop.id).where(Workshop.team_id == _team_id(slack)))
    ours, theirs = footprint(db, _team_id(slack), [workshop_id]), footprint(db, TEAM_B)
    before, seen = count_rows(db, ours), contents(db, TEAM_B)
    theirs_before, their_jobs = _without_jobs(count_rows(db, theirs)), job_ids(db, theirs)
    assert before["contributions"] > 10 and before["map_versions"] == 1 and before["theme_reactions"] > 0
    posted = len(slack.standin.messages(CHANNEL))

    refused = slack.command("delete", ANA).json()
    assert "only the workshop's facilitator or a workspace admin can delete workshop" in refused["text"]
    assert "blocks" not in refused
    assert count_rows(db, ours) == before

    answer = slack.command("delete", FACILITATOR).json()
    assert answer["response_type"] == "ephemeral" and count_rows(db, ours) == before  # nothing yet
    shown = json.dumps(answer["blocks"])
    notes = f"{before['contributions']} notes"
    assert f"Delete workshop #{workshop_id}?" in shown and notes in shown and "1 map version" in shown
    assert "already posted in Slack stay" in shown
    (button,) = [e for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert (button["style"], button["text"]["text"]) == ("danger", f"Delete workshop #{workshop_id}")

    assert "only the workshop's facilitator" in click(slack, ANA, answer["blocks"])  # a forwarded button
    assert count_rows(db, ours) == before

    done = click(slack, FACILITATOR, answer["blocks"])
    assert f"Workshop #{workshop_id} is deleted" in done and '"replace_original": true' in done
    assert count_rows(db, ours) == dict.fromkeys(before, 0)
    assert _without_jobs(count_rows(db, theirs)) == theirs_before and contents(db, TEAM_B) == seen
    assert their_jobs <= job_ids(db, theirs)
    assert [note for _id, note in contents(db, TEAM_B)["notes"]] == other.notes
    assert len(slack.standin.messages(CHANNEL)) == posted and not slack.standin.calls_to("chat.delete")

    assert "already gone" in click(slack, FACILITATOR, answer["blocks"])
    assert "no published journey map" in slack.command("map", FACILITATOR).json()["text"]


def test_a_workspace_admin_may_delete_the_running_workshop_by_number(slack):
    slack.standin.add_user(ADMIN, "ada", "Ada Admin", tz="Europe/Berlin", is_admin=True)
    assert "Starting workshop" in slack.command("start Why do trials stall?", FACILITATOR).body
    with slack.server.services.db.session() as session:
        workshop_id = session.scalar(select(Workshop.id))
    assert "Usage" in slack.command("delete everything", ADMIN).json()["text"]
    assert "no workshop #99" in slack.command("delete 99", ADMIN).json()["text"]

    answer = slack.command(f"delete #{workshop_id}", ADMIN).json()
    assert "still running" in json.dumps(answer["blocks"])
    assert "is deleted" in click(slack, ADMIN, answer["blocks"])
    with slack.server.services.db.session() as session:
        assert session.get(Workshop, workshop_id) is None
    assert "Starting workshop" in slack.command("start A fresh start", FACILITATOR).body
