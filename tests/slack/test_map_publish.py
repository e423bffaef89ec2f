"""What a published map looks like in Slack: the picture in the channel, the files in its thread, the canvas."""

from __future__ import annotations

import io
import json

from PIL import Image
from sqlalchemy import select

from storage.models import Workshop, Workspace
from tests.conftest import BEN, FACILITATOR
from tests.workshop_play import STEP_REPLIES, published_map, run_workshop
from workflows.mapping.models import StepKey


def test_the_map_is_posted_as_a_picture_with_its_files_in_the_thread(slack):
    run_workshop(slack)
    journey_map = published_map(slack)
    image = next(f for f in slack.standin.files if f.name == "journey-map.png")
    picture = Image.open(io.BytesIO(image.content))
    assert picture.format == "PNG" and picture.width >= 1000
    assert image.thread_ts is None and image.channels == [slack.channel_id], "the picture is in the channel itself"
    summary_ts = next(m["ts"] for m in slack.standin.messages(slack.channel_id) if m["text"].startswith("Journey map:"))
    in_thread = sorted(f.name for f in slack.standin.files if f.thread_ts == summary_ts)
    assert in_thread == ["journey-map-actions.csv", "journey-map.html", "journey-map.json", "journey-map.md"]
    csv = next(f.content for f in slack.standin.files if f.name == "journey-map-actions.csv").decode("utf-8-sig")
    assert "Fix the mobile payment link" in csv and "Ben" in csv
    html = next(f.content for f in slack.standin.files if f.name == "journey-map.html").decode()
    assert all(stage in html for stage in journey_map.stage_model)
    assert journey_map.people[BEN] == "Ben", "display names are kept in the map for files read outside Slack"


def test_a_canvas_with_the_whole_map_is_created_in_the_channel(slack):
    run_workshop(slack)
    journey_map = published_map(slack)
    (create,) = slack.standin.calls_to("canvases.create")
    assert create.params["channel_id"] == slack.channel_id
    (canvas,) = slack.standin.canvases.values()
    markdown = canvas.markdown
    assert canvas.channel_id == slack.channel_id and canvas.title.startswith("Journey map:")
    assert journey_map.persona and journey_map.persona.name in markdown
    assert all(f"**{stage}**" in markdown for stage in journey_map.stage_model), "one table row per stage"
    for action in journey_map.action_items:
        assert f"| {action.id} |" in markdown
    assert "| Ben |" in markdown.replace("@Ben", "Ben") and "no owner yet" in markdown
    assert "## Evidence" in markdown and "themes rest on evidence" in markdown
    (pinging,) = [t for t in journey_map.steps[StepKey.pain_points] if "link fails" in t.contributions[0].text]
    assert pinging.title in markdown and "<!channel>" not in markdown, "user text never pings from a canvas"
    with slack.server.services.db.session() as session:
        assert session.scalar(select(Workshop.canvas_id)) == canvas.id


def test_a_passing_server_error_from_slack_is_retried_not_taken_for_a_refusal(slack):
    slack.standin.fail_next("canvases.create", error="internal_error", status=500)
    run_workshop(slack)
    assert len(slack.standin.canvases) == 1
    assert not [m for m in slack.standin.messages(slack.channel_id) if m["text"].startswith("No canvas")]


def test_a_workspace_that_refuses_canvases_is_told_once_and_still_gets_the_files(slack):
    slack.standin.fail_next("canvases.create", error="canvas_disabled_user_team", status=200, times=2)
    run_workshop(slack)
    assert {f.name for f in slack.standin.files} >= {"journey-map.png", "journey-map.md"}

    slack.command("start A second map of the same journey --publish auto", FACILITATOR)  # a second map, no draft
    for step in StepKey:
        slack.reply(slack.step_ts(step), BEN, STEP_REPLIES[step][1][1])
        slack.settle()
        slack.command("next", FACILITATOR)
    notes = [m for m in slack.standin.messages(slack.channel_id) if m["text"].startswith("No canvas")]
    assert len(notes) == 1, "the refusal is said once per workspace"
    assert "canvas_disabled_user_team" in json.dumps(notes[0]["blocks"])
    assert len(slack.standin.calls_to("canvases.create")) == 2 and not slack.standin.canvases
    with slack.server.services.db.session() as session:
        (workspace,) = session.scalars(select(Workspace))
        assert workspace.settings["canvas_refused"] == "canvas_disabled_user_team"
