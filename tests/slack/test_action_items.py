"""Action items through Slack: DMs with buttons, each button's effect, reassigning, adding, listing, permissions.

Everything goes through signed requests to the bot's real endpoint; what the bot did is read from the stand-in's
recorded Web API calls and from the database.
"""

from __future__ import annotations

from datetime import date

from bot.action_blocks import DONE, IN_PROGRESS, REASSIGN, SNOOZE
from journeybot.standin import interactions
from tests.action_play import (
    BUTTONS,
    MESSAGES,
    OTHER_CHANNEL,
    actions_by_title,
    buttons_of,
    card_for,
    click,
    command,
    dm_messages,
    everything_posted,
    history,
    public_id,
    shown,
)
from tests.conftest import ANA, BEN, CHANNEL, CHO, FACILITATOR
from tests.workshop_play import run_workshop


def test_publish_dms_every_owner_their_action_with_four_buttons_and_records_its_creation(slack):
    run_workshop(slack)
    fix, tax = (
        public_id(slack, "Fix the mobile payment link"),
        public_id(slack, "Simplify tax setup with defaults per country"),
    )
    for owner, action_id in ((BEN, fix), (CHO, tax)):
        card = card_for(slack, owner, action_id)
        assert buttons_of(card) == BUTTONS
        values = {e["value"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]}
        assert values == {action_id}
        assert f"<#{CHANNEL}>" in shown(card["blocks"])
    assert dm_messages(slack, ANA) == []  # owns nothing; the unowned action DMs nobody
    rows = actions_by_title(slack)
    assert all(row.map_version == 1 and row.source == "workshop" for row in rows.values())
    assert history(slack, fix) == [(None, "created", None, "Fix the mobile payment link")]


def test_done_button_marks_it_done_updates_the_message_and_records_who(slack):
    run_workshop(slack)
    fix = public_id(slack, "Fix the mobile payment link")
    click(slack, BEN, DONE, card_for(slack, BEN, fix), BEN)
    assert actions_by_title(slack)["Fix the mobile payment link"].status == "done"
    assert history(slack, fix)[-1] == (BEN, "status", "open", "done")
    updated = card_for(slack, BEN, fix)
    assert "· done" in shown(updated["blocks"]) and buttons_of(updated) == []  # nothing left to click
    assert len(slack.standin.calls_to("chat.update")) == 1


def test_in_progress_button_keeps_the_buttons(slack):
    run_workshop(slack)
    fix = public_id(slack, "Fix the mobile payment link")
    click(slack, BEN, IN_PROGRESS, card_for(slack, BEN, fix), BEN)
    assert history(slack, fix)[-1] == (BEN, "status", "open", "in_progress")
    updated = card_for(slack, BEN, fix)
    assert "in_progress" in shown(updated["blocks"]) and buttons_of(updated) == BUTTONS


def test_snooze_moves_the_due_date_a_week_from_the_due_date_or_from_today(slack):
    run_workshop(slack)
    fix = public_id(slack, "Fix the mobile payment link")
    click(slack, BEN, SNOOZE, card_for(slack, BEN, fix), BEN)
    assert actions_by_title(slack)["Fix the mobile payment link"].due == date(2027, 1, 22)
    assert history(slack, fix)[-1] == (BEN, "due", "2027-01-15", "2027-01-22")
    assert "Fri 22 Jan 2027" in shown(card_for(slack, BEN, fix)["blocks"])

    email = public_id(slack, "Rewrite the welcome email")  # no due date: a week from today
    command(slack, f"assign {email} <@{ANA}|ana>", FACILITATOR)
    click(slack, ANA, SNOOZE, card_for(slack, ANA, email), ANA)
    assert actions_by_title(slack)["Rewrite the welcome email"].due == date(2026, 11, 30)

    late = command(slack, f'action add "Call churned trials" <@{CHO}|cho> by 2026-11-01', CHO)
    assert "Call churned trials" in late["text"]
    late_id = public_id(slack, "Call churned trials")  # overdue: a week from today, not from the past due date
    click(slack, CHO, SNOOZE, card_for(slack, CHO, late_id), CHO)
    assert actions_by_title(slack)["Call churned trials"].due == date(2026, 11, 30)


def test_reassign_opens_a_user_picker_and_the_new_owner_gets_the_dm(slack):
    run_workshop(slack)
    fix = public_id(slack, "Fix the mobile payment link")
    click(slack, BEN, REASSIGN, card_for(slack, BEN, fix), BEN)
    [modal] = slack.standin.modal_stack(BEN)
    picker = next(b for b in modal["blocks"] if b["type"] == "input")
    assert picker["element"]["type"] == "users_select"

    slack.sender.view_submission(modal["id"], BEN, {"owner": {"value": {"type": "users_select", "selected_user": ANA}}})
    slack.settle()
    assert slack.standin.modal_stack(BEN) == []
    assert actions_by_title(slack)["Fix the mobile payment link"].owner_id == ANA
    assert history(slack, fix)[-1] == (BEN, "owner", BEN, ANA)
    assert buttons_of(card_for(slack, ANA, fix)) == BUTTONS
    old = card_for(slack, BEN, fix)
    assert "reassigned it to" in shown(old["blocks"]) and buttons_of(old) == []


def test_only_the_owner_map_owner_or_facilitator_may_change_an_action(slack):
    run_workshop(slack)
    fix = public_id(slack, "Fix the mobile payment link")
    stale_card = card_for(slack, BEN, fix)
    answer = command(slack, f"assign {fix} <@{CHO}|cho>", FACILITATOR)  # the facilitator may
    assert f"now belongs to <@{CHO}>" in answer["text"]
    assert buttons_of(card_for(slack, CHO, fix)) == BUTTONS

    click(slack, BEN, DONE, stale_card, BEN)  # no longer BEN's
    refusal = [e for e in slack.standin.ephemerals if e["user"] == BEN]
    assert refusal and refusal[-1]["text"].startswith("Sorry, only the owner")
    assert slack.standin.calls_to("chat.update") == []

    refused = command(slack, f"done {fix}", ANA)
    assert refused["response_type"] == "ephemeral" and refused["text"].startswith("Sorry")
    assert actions_by_title(slack)["Fix the mobile payment link"].status == "open"
    assert [kind for _, kind, _, _ in history(slack, fix)] == ["created", "owner"]


def test_done_and_assign_work_from_any_channel(slack):
    run_workshop(slack)
    slack.standin.add_channel(OTHER_CHANNEL, "random", members=[FACILITATOR, ANA, BEN, CHO])
    tax = public_id(slack, "Simplify tax setup with defaults per country")
    assert "is done" in command(slack, f"done {tax}", CHO, OTHER_CHANNEL)["text"]
    email = public_id(slack, "Rewrite the welcome email")
    command(slack, f"assign {email} <@{BEN}|ben>", FACILITATOR, OTHER_CHANNEL)
    rows = actions_by_title(slack)
    assert rows["Simplify tax setup with defaults per country"].status == "done"
    assert rows["Rewrite the welcome email"].owner_id == BEN
    assert history(slack, email)[-1] == (FACILITATOR, "owner", None, BEN)
    assert buttons_of(card_for(slack, BEN, email)) == BUTTONS


def test_action_add_needs_a_published_map_then_attaches_to_it_and_dms_the_owner(slack):
    refused = command(slack, f'action add "Call churned trials" <@{BEN}|ben> by Friday', FACILITATOR)
    assert "no published journey map" in refused["text"]
    run_workshop(slack)

    command(slack, f'action add "Call churned trials" <@{BEN}|ben> by Friday', FACILITATOR)
    command(slack, "action add Update the pricing FAQ", ANA)  # no quotes, no owner, no date
    rows = actions_by_title(slack)
    call = rows["Call churned trials"]
    assert (call.owner_id, call.due, call.source, call.created_by) == (BEN, date(2026, 11, 27), "command", FACILITATOR)
    assert call.map_version == 1 and call.workshop_id == rows["Fix the mobile payment link"].workshop_id
    faq = rows["Update the pricing FAQ"]
    assert (faq.owner_id, faq.due, faq.source) == (None, None, "command")
    action_id = f"A{call.id}"
    assert history(slack, action_id) == [(FACILITATOR, "created", None, "Call churned trials")]
    assert buttons_of(card_for(slack, BEN, action_id)) == BUTTONS
    assert "Usage" in command(slack, "action frobnicate", ANA)["text"]


def shortcut(slack, user: str, channel: str, message: dict) -> None:
    """The message shortcut as Slack sends it (a `message_action` interaction)."""
    payload = interactions.interaction(
        slack.sender.identity,
        "message_action",
        slack.standin.user(user),
        slack.standin.issue_trigger_id(user),
        callback_id="add_action_shortcut",
        message_ts=message["ts"],
        message=message,
        channel={"id": channel, "name": slack.standin.channel(channel).name},
        response_url=slack.standin.issue_response_url(channel, user),
        action_ts=message["ts"],
    )
    assert slack.sender.interaction(payload).status == 200
    slack.settle()


def test_the_message_shortcut_turns_a_message_into_an_action_without_pinging_anyone(slack):
    run_workshop(slack)
    text = f"<!channel> the invoice PDF shows &lt;b&gt; tags, <@{ANA}> can you fix it by 2027-02-01?"
    event = slack.standin.post_user_message(CHANNEL, CHO, text)
    shortcut(slack, CHO, CHANNEL, slack.standin.message(CHANNEL, event["ts"]))

    [modal] = slack.standin.modal_stack(CHO)
    inputs = {b["block_id"]: b["element"] for b in modal["blocks"] if b["type"] == "input"}
    title = inputs["title"]["initial_value"]
    assert title == "@channel the invoice PDF shows <b> tags, @Ana can you fix it by 2027-02-01?"  # decoded
    assert inputs["owner"]["type"] == "users_select" and inputs["owner"]["initial_user"] == ANA
    assert inputs["due"]["type"] == "datepicker" and inputs["due"]["initial_date"] == "2027-02-01"

    values = {
        "title": {"value": {"type": "plain_text_input", "value": title}},
        "owner": {"value": {"type": "users_select", "selected_user": ANA}},
        "due": {"value": {"type": "datepicker", "selected_date": "2027-02-01"}},
    }
    slack.sender.view_submission(modal["id"], CHO, values)
    slack.settle()
    row = actions_by_title(slack)[title]
    assert (row.owner_id, row.due, row.source, row.created_by) == (ANA, date(2027, 2, 1), "shortcut", CHO)
    card = card_for(slack, ANA, f"A{row.id}")
    assert buttons_of(card) == BUTTONS and "&lt;b&gt;" in shown(card["blocks"])
    assert any("Added" in e["text"] for e in slack.standin.ephemerals if e["user"] == CHO)
    assert "<!channel>" not in everything_posted(slack)
    assert "<b>" not in everything_posted(slack, MESSAGES)  # mrkdwn escaped; the form's plain text needs none


def test_the_shortcut_in_a_channel_without_a_map_says_so_and_keeps_the_text(slack):
    event = slack.standin.post_user_message(CHANNEL, ANA, "Ship the <!here> onboarding checklist")
    shortcut(slack, ANA, CHANNEL, slack.standin.message(CHANNEL, event["ts"]))
    [modal] = slack.standin.modal_stack(ANA)
    text = shown(modal["blocks"])
    assert "no published journey map" in text and "Ship the @here onboarding checklist" in text
    assert "submit" not in modal  # nothing to submit, nothing lost: the text is there to copy
    assert actions_by_title(slack) == {}
    assert "<!here>" not in everything_posted(slack)


def test_actions_lists_mine_with_overdue_first_and_all_for_the_channel(slack):
    run_workshop(slack)
    command(slack, f'action add "Call churned trials" <@{BEN}|ben> by 2026-11-01', FACILITATOR)
    mine = shown(command(slack, "actions", BEN)["blocks"])
    assert mine.index("Call churned trials") < mine.index("Fix the mobile payment link")
    assert mine.count("overdue") == 1 and "Simplify tax setup" not in mine
    assert "due Fri 15 Jan 2027" in mine and f"<@{BEN}>" in mine and "open" in mine

    everything = shown(command(slack, "actions all", ANA)["blocks"])
    for title in ("Fix the mobile payment link", "Simplify tax setup", "Rewrite the welcome email", "Call churned"):
        assert title in everything
    assert "no owner" in everything

    slack.standin.add_channel(OTHER_CHANNEL, "random", members=[ANA])
    assert "no published journey map" in command(slack, "actions all", ANA, OTHER_CHANNEL)["text"]
