"""A whole workshop over the real Slack protocol: signed requests in, Web API calls out to the stand-in."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from slack_sdk.models.blocks import Block
from sqlalchemy import func, select

from journeybot.demo.driver import wait_for
from journeybot.standin import SlackSender
from journeybot.standin.interactions import slash_command
from storage.models import ActionItemRow, ContributionRow, Job, ThemeReaction
from tests.conftest import ANA, BEN, CHANNEL, CHO, FACILITATOR, SIGNING_SECRET
from tests.workshop_play import STEP_REPLIES, posted_messages, published_map, run_workshop
from workflows.contributions.parsing import parse_reply
from workflows.jobs.queue import JobKind
from workflows.mapping.models import StepKey


def test_a_whole_workshop_publishes_the_map_with_owners(slack):
    run_workshop(slack)
    messages = posted_messages(slack)

    step_messages = [m for m in messages if (m.get("metadata") or {}).get("event_type") == "journeybot_step"]
    assert [m["metadata"]["event_payload"]["step"] for m in step_messages] == [k.value for k in StepKey]
    assert all(not m.get("thread_ts") for m in step_messages), "each step is a top-level message"

    journey_map = published_map(slack)
    assert journey_map.stage_model == ["Awareness", "Consideration", "Purchase", "Retention", "Advocacy"]
    assert sum(len(t.contributions) for t in journey_map.steps[StepKey.touchpoints]) == 4  # a bulleted reply is two
    assert journey_map.persona is not None
    owners = {a.title: a.owner for a in journey_map.action_items}
    assert owners["Fix the mobile payment link"] == BEN
    assert owners["Rewrite the welcome email"] is None
    assert any(a.due and a.due.isoformat() == "2027-01-15" for a in journey_map.action_items)
    placed = [tp.title for stage in journey_map.stages for tp in stage.touchpoints]
    assert len(placed) == len(journey_map.steps[StepKey.touchpoints])

    summary = json.dumps([m for m in messages if "Journey map:" in m.get("text", "")])
    assert f"<@{BEN}>" in summary and f"<@{CHO}>" in summary
    assert "No owner yet for 1 action" in summary
    markdown = next(f.content for f in slack.standin.files if f.name == "journey-map.md").decode()
    assert "@Ben" in markdown and "no owner yet" in markdown


def test_themes_are_posted_in_each_step_thread_and_summarised_in_the_channel(slack):
    run_workshop(slack)
    messages = posted_messages(slack)
    for step in StepKey:
        thread = slack.step_ts(step)
        themes = [m for m in messages if m.get("thread_ts") == thread and " themes" in m["text"]]
        assert len(themes) == 1, f"the {step.value} thread should get its themes, once"
        notes = json.dumps(themes[0]["blocks"])
        expected = sum(len(parse_reply(text)) for _, text in STEP_REPLIES[step])
        assert f"from {expected} notes" in notes, "every note of the step is in one of its themes"
    closed = [m["text"] for m in messages if not m.get("thread_ts") and m.get("text", "").endswith("closed")]
    assert len(closed) == 5


def test_every_message_the_bot_sends_is_valid_block_kit(slack):
    run_workshop(slack)
    for params in posted_messages(slack):
        blocks = params.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        for block in Block.parse_all(blocks or []):
            block.validate_json()


def test_contributions_never_ping_anyone_when_reposted(slack):
    run_workshop(slack)
    reposted = json.dumps([m for m in posted_messages(slack) if m.get("thread_ts")])
    assert "payment link fails" in reposted
    assert "<!channel>" not in reposted and "<!here>" not in reposted


def test_only_the_facilitator_moves_the_workshop_on(slack):
    slack.command("start Onboarding journey", FACILITATOR)
    refusal = slack.command("next", ANA).json()
    assert "only the facilitator" in refusal["text"]
    assert refusal["response_type"] == "ephemeral"
    assert slack.command("cancel", BEN).json()["text"].startswith("Sorry")


def test_a_second_start_in_the_channel_is_refused(slack):
    slack.command("start Onboarding journey", FACILITATOR)
    answer = slack.command("start Another one", ANA).json()
    assert "already running" in answer["text"]


def test_commands_without_a_workshop_say_how_to_start_and_unknown_ones_get_help(slack):
    assert "/journey start" in slack.command("next", ANA).json()["text"]
    help_text = json.dumps(slack.command("frobnicate", ANA).json())
    assert "I don't know" in help_text and "/journey next" in help_text
    assert "/journey status" in json.dumps(slack.command("", ANA).json())


def test_retries_bot_messages_edits_and_deletions(slack):
    slack.command("start Onboarding journey", FACILITATOR)
    thread = slack.step_ts(StepKey.objective)
    slack.reply(thread, ANA, "Find out why onboarding takes a week", redeliver=True)
    edited = slack.reply(thread, BEN, "Typo in my note")
    gone = slack.reply(thread, CHO, "Wrong thread, sorry")
    slack.not_a_person(thread, "Ticket #123 opened", subtype="bot_message", bot_id="B0OTHER", user="")
    slack.not_a_person(thread, f"<@{CHO}> has joined the channel", subtype="channel_join", bot_id=None, user=CHO)
    slack.settle()
    slack.edit(edited, BEN, "Measure time to first invoice", thread)
    slack.delete(gone, CHO, thread)
    slack.settle()
    with slack.server.services.db.session() as session:
        texts = sorted(session.scalars(select(ContributionRow.text)))
    assert texts == ["Find out why onboarding takes a week", "Measure time to first invoice"]


def test_events_out_of_order_end_as_slack_shows_the_thread(slack):
    """Slack does not keep order: a deletion or a newer edit may arrive before the reply itself."""
    slack.command("start Onboarding journey", FACILITATOR)
    thread = slack.step_ts(StepKey.objective)
    deleted, edited = "1800000000.000100", "1800000000.000200"

    def message(ts: str, user: str, text: str, edited_at: str | None = None) -> dict:
        found = {"type": "message", "user": user, "text": text, "ts": ts, "thread_ts": thread}
        return found | ({"edited": {"user": user, "ts": edited_at}} if edited_at else {})

    def changed(ts: str, user: str, text: str, edited_at: str) -> dict:
        event = {"type": "message", "subtype": "message_changed", "channel": CHANNEL, "ts": edited_at}
        return event | {"message": message(ts, user, text, edited_at)}

    removal = {"type": "message", "subtype": "message_deleted", "channel": CHANNEL, "ts": "1800000000.000900"}
    removal |= {"deleted_ts": deleted, "previous_message": message(deleted, CHO, "my email is jo@example.com")}
    slack.sender.event(removal)
    slack.sender.event({**message(deleted, CHO, "my email is jo@example.com"), "channel": CHANNEL})
    slack.sender.event(changed(edited, BEN, "Measure time to first invoice", "1800000000.000500"))
    slack.sender.event(changed(edited, BEN, "Measure time to first invoce", "1800000000.000400"))
    slack.sender.event({**message(edited, BEN, "Typo in my note"), "channel": CHANNEL})
    slack.deliveries += 5
    slack.settle()
    with slack.server.services.db.session() as session:
        assert list(session.scalars(select(ContributionRow.text))) == ["Measure time to first invoice"]


def test_replies_that_come_before_their_step_is_recorded_wait_for_it(slack):
    """Slack shows the step's message before the bot hears its ts back: replies (and a deletion) sent in between
    wait for the step to be recorded, then apply as the thread shows them; nothing waits on the failure backoff."""
    step_posted = slack.standin.hold_answer("chat.postMessage", lambda p: "journeybot_step" in str(p.get("metadata")))
    assert slack.sender.command("start Onboarding journey", FACILITATOR, CHANNEL).status == 200
    assert slack.standin.held_call_arrived("chat.postMessage").wait(30)
    thread = slack.step_ts(StepKey.objective)  # in the channel; the bot has not recorded it yet
    kept = slack.reply(thread, ANA, "Find out why onboarding takes a week")
    gone = slack.reply(thread, BEN, "Wrong thread, sorry")
    slack.delete(gone, BEN, thread)

    def events() -> list[Job]:
        with slack.server.services.db.session() as session:
            return list(session.scalars(select(Job).where(Job.kind == JobKind.slack_event)))

    def waiting() -> int:  # events the listener has seen and said to wait on
        return sum(job.status == "pending" and job.claimed_at is not None for job in events())

    wait_for(lambda: waiting() == 3, "the three events handed to the listener once")
    with slack.server.services.db.session() as session:
        assert session.scalar(select(func.count(ContributionRow.id))) == 0
    step_posted.set()
    wait_for(lambda: all(job.status == "done" for job in events()), "the events handled again", timeout=20)
    with slack.server.services.db.session() as session:
        rows = session.scalars(select(ContributionRow)).all()
        assert [(row.message_ts, row.text) for row in rows] == [(kept, "Find out why onboarding takes a week")]
    assert all(job.attempts <= 1 and job.last_error is None for job in events()), "waiting is not failing"


def test_events_from_another_workspace_never_touch_this_ones_workshop(slack):
    """Same channel id, same thread ts, another workspace (as two installs of the app would see): nothing of it
    lands here, and nothing it deletes or rates is this workspace's."""
    run_workshop(slack, until=StepKey.touchpoints)
    thread = slack.step_ts(StepKey.pain_points)
    kept = slack.reply(thread, ANA, "The payment link fails on mobile banking apps")
    slack.settle()
    other = SlackSender(slack.server.url, SIGNING_SECRET, team_id="T0ELSEWHERE")
    reply = {"type": "message", "channel": CHANNEL, "user": BEN, "text": "a note from elsewhere", "thread_ts": thread}
    other.event(reply | {"ts": "1800000000.000100"})
    other.event(
        {"type": "message", "subtype": "message_deleted", "channel": CHANNEL, "ts": "1800000000.000200"}
        | {"deleted_ts": kept, "previous_message": {"type": "message", "user": ANA, "ts": kept, "thread_ts": thread}}
    )
    rated = next(iter(slack.theme_messages(StepKey.touchpoints).values()))
    item = {"type": "message", "channel": CHANNEL, "ts": rated}
    other.event(
        {"type": "reaction_added", "user": CHO, "reaction": "rage", "item": item, "event_ts": "1800000000.0003"}
    )
    slack.settle()
    with slack.server.services.db.session() as session:
        texts = session.scalars(select(ContributionRow.text)).all()
        assert "a note from elsewhere" not in texts
        assert "The payment link fails on mobile banking apps" in texts, "another workspace's deletion did nothing"
        assert session.scalar(select(func.count()).select_from(ThemeReaction)) == 0


def test_a_huge_reply_is_stored_whole_and_shown_shortened(slack):
    slack.command("start Onboarding journey", FACILITATOR)
    thread = slack.step_ts(StepKey.objective)
    huge = "The signup form asks for too much " * 1_200  # about 40,000 characters
    slack.reply(thread, ANA, huge)
    slack.settle()
    slack.command("next", FACILITATOR)
    with slack.server.services.db.session() as session:
        assert session.scalar(select(ContributionRow.text)) == huge.strip()
    posted = json.dumps(posted_messages(slack))
    assert "The signup form asks for too much" in posted
    assert len(posted) < 30_000


def test_status_reports_progress(slack):
    slack.command("start Onboarding journey", FACILITATOR)
    slack.reply(slack.step_ts(StepKey.objective), ANA, "- one\n- two")
    slack.settle()
    status = json.dumps(slack.command("status", BEN).json())
    assert "2 notes from 1 people" in status


def test_unsigned_or_malformed_requests_are_rejected_and_change_nothing(slack):
    slack.command("start Onboarding journey", FACILITATOR)
    thread = slack.step_ts(StepKey.objective)
    event = {
        "type": "event_callback",
        "event": {
            "type": "message",
            "channel": CHANNEL,
            "user": ANA,
            "text": "sneaky",
            "ts": "1.000001",
            "thread_ts": thread,
        },
    }
    body = json.dumps(event).encode()
    unsigned = slack.sender.post_raw(body, {"Content-Type": "application/json"})
    forged = slack.sender.post_raw(body, slack.sender.signed_headers(b"something else"))
    stale = slack.sender.post_raw(body, slack.sender.signed_headers(body, timestamp=1_000_000_000))
    malformed = slack.sender.post_raw(b"{not json", slack.sender.signed_headers(b"{not json"))
    garbage = slack.sender.post_raw(b"{not json", {"Content-Type": "application/json"})
    # Announced as 2 MiB: refused on the header alone (sending it all would race the refusal with a reset).
    huge = slack.sender.post_raw(b"x" * 1024, {"Content-Type": "application/json", "Content-Length": str(2 << 20)})
    assert [r.status for r in (unsigned, forged, stale, garbage)] == [401, 401, 401, 401], "signature first"
    assert malformed.status == 400
    assert huge.status == 413, "refused before it is read"
    slack.settle()
    with slack.server.services.db.session() as session:
        assert session.scalars(select(ContributionRow)).all() == []


def test_a_replayed_signed_command_does_nothing_twice(slack):
    run_workshop(slack)
    fields = slash_command(
        slack.sender.identity,
        command="/journey",
        text='action add "Call every churned studio" @Ben',
        user_id=FACILITATOR,
        user_name="facilitator",
        channel_id=CHANNEL,
        channel_name="workshop",
        response_url="",
        trigger_id="1.2.replay",
    )
    body = urlencode(fields).encode()
    headers = slack.sender.signed_headers(body, content_type="application/x-www-form-urlencoded")
    assert [slack.sender.post_raw(body, headers).status for _ in range(2)] == [200, 200]
    slack.settle()
    with slack.server.services.db.session() as session:
        titles = list(session.scalars(select(ActionItemRow.title)))
    assert titles.count("Call every churned studio") == 1


def test_healthz(slack):
    from urllib.request import urlopen

    with urlopen(slack.server.url.replace("/slack/events", "/healthz")) as response:
        assert response.status == 200 and json.loads(response.read()) == {"ok": True}
