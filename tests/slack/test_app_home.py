"""The App Home tab: a user's actions (overdue first, with buttons) and their maps; republished on changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from slack_sdk.models.views import View
from sqlalchemy import select

from bot.action_blocks import DONE, REASSIGN
from bot.home import home_view
from storage.models import Workshop
from tests.action_play import BUTTONS, TODAY, buttons_of, card_for, click, command, public_id, shown
from tests.conftest import ANA, BEN, CHANNEL, CHO, FACILITATOR
from tests.workshop_play import run_workshop
from workflows.mapping.models import ActionItem
from workflows.ports import ActionEntry, HomeData, MapEntry


def open_home(slack, user: str) -> dict:
    """The user opens the app's Home tab: Slack sends `app_home_opened`; returns the tab as they now see it."""
    event = {"type": "app_home_opened", "user": user, "channel": slack.standin.open_dm(user).id, "tab": "home"}
    assert slack.sender.event(event | {"event_ts": f"{datetime.now().timestamp():.6f}"}).status == 200
    slack.settle()
    return slack.standin.home_tab(user)


def publishes_for(slack, user: str) -> int:
    return sum(1 for call in slack.standin.calls_to("views.publish") if call.params.get("user_id") == user)


def test_home_lists_my_actions_overdue_first_with_buttons_and_my_maps(slack):
    run_workshop(slack)
    command(slack, f'action add "Call churned trials" <@{BEN}|ben> by 2026-11-01', FACILITATOR)
    home = open_home(slack, BEN)
    text = shown(home["blocks"])
    overdue, later = public_id(slack, "Call churned trials"), public_id(slack, "Fix the mobile payment link")
    assert text.index(overdue) < text.index(later) and text.count("overdue") == 1
    assert "Simplify tax setup" not in text  # CHO's
    clickable = [b["elements"][0]["value"] for b in home["blocks"] if b["type"] == "actions"]
    assert clickable == [overdue, later]
    assert buttons_of(home) == BUTTONS * 2

    with slack.server.services.db.session() as session:
        workshop = session.scalar(select(Workshop))
        published, next_revision = workshop.published_at, workshop.next_revision_at
    assert next_revision == published + timedelta(days=90)
    assert f"<#{CHANNEL}>" in text and "version 1" in text
    assert f"published {published:%d %b %Y}" in text and f"next revision {next_revision:%d %b %Y}" in text
    assert "contributor" in text

    facilitator = shown(open_home(slack, FACILITATOR)["blocks"])
    assert "Nothing to do" in facilitator and "map owner" in facilitator


def test_a_published_map_appears_on_every_participants_home(slack):
    run_workshop(slack)  # publishing republishes the Home tab of everyone in the map, without them opening it
    for user in (FACILITATOR, ANA, BEN, CHO):
        assert f"<#{CHANNEL}>" in shown(slack.standin.home_tab(user)["blocks"])


def test_home_is_republished_for_old_and_new_owner_when_an_action_changes(slack):
    run_workshop(slack)
    fix = public_id(slack, "Fix the mobile payment link")
    before = publishes_for(slack, BEN)
    click(slack, BEN, DONE, card_for(slack, BEN, fix), BEN)
    assert publishes_for(slack, BEN) == before + 1
    assert fix not in shown(slack.standin.home_tab(BEN)["blocks"])

    tax = public_id(slack, "Simplify tax setup with defaults per country")
    cho_before, ana_before = publishes_for(slack, CHO), publishes_for(slack, ANA)
    click(slack, CHO, REASSIGN, card_for(slack, CHO, tax), CHO)
    [modal] = slack.standin.modal_stack(CHO)
    slack.sender.view_submission(modal["id"], CHO, {"owner": {"value": {"type": "users_select", "selected_user": ANA}}})
    slack.settle()
    assert publishes_for(slack, CHO) == cho_before + 1 and publishes_for(slack, ANA) == ana_before + 1
    assert tax not in shown(slack.standin.home_tab(CHO)["blocks"])
    assert tax in shown(slack.standin.home_tab(ANA)["blocks"])


def test_a_click_on_the_home_tab_changes_the_action_and_the_tab(slack):
    run_workshop(slack)
    fix = public_id(slack, "Fix the mobile payment link")
    home = open_home(slack, BEN)
    slack.sender.block_action(BEN, DONE, view_id=home["id"], value=fix)
    slack.settle()
    assert fix not in shown(slack.standin.home_tab(BEN)["blocks"])
    assert "Nothing to do" in shown(slack.standin.home_tab(BEN)["blocks"])


def test_a_busy_home_stays_within_slacks_100_blocks_and_says_how_many_more():
    actions = [
        ActionEntry(
            action=ActionItem(id=f"A{n}", title=f"Action {n}", owner=BEN, due=TODAY + timedelta(days=n - 5)),
            workshop_id=1,
            channel_id=CHANNEL,
            map_version=1,
        )
        for n in range(60)
    ]
    maps = [
        MapEntry(
            workshop_id=n,
            channel_id=f"C0MAP{n:05d}",
            objective=f"Map {n}",
            version=1,
            published_at=datetime(2026, 11, 1, tzinfo=UTC),
            next_revision=date(2027, 1, 30),
            role="contributor",
        )
        for n in range(40)
    ]
    view = home_view(HomeData(user_id=BEN, actions=actions, maps=maps), TODAY)
    assert len(view["blocks"]) <= 100
    View(**view).validate_json()
    text = shown(view["blocks"])
    assert "…and 30 more" in text and "…and 15 more" in text
    assert text.count("overdue") == 5  # A0..A4 are past due, and shown first
