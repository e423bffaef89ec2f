"""Action reminders and the weekly digest, fast-forwarded with the tick's `now` (as `journeybot tick --now`).

Seeded maps live in 2031, far from the wall clock, so the bot's own minute tick (which reads the clock) never
reminds anyone about them while a test runs. Berlin is UTC+1 and Los Angeles UTC-8 in early March 2031.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import select

from storage.models import ActionEvent, ActionItemRow, Job
from tests.conftest import ANA, BEN, CHO, FACILITATOR
from tests.reminder_play import BERLIN, LOS_ANGELES, LOU, MONDAY, at, digests, dms, seed_map, tick
from tests.workshop_play import run_workshop
from workflows.workshop.workdays import add_working_days, previous_working_day


def test_working_days_skip_weekends():
    friday = datetime(2031, 3, 7, 10, tzinfo=BERLIN)
    assert add_working_days(datetime(2031, 3, 3, 10, tzinfo=BERLIN), 2) == datetime(2031, 3, 5, 10, tzinfo=BERLIN)
    assert add_working_days(friday, 2) == datetime(2031, 3, 11, 10, tzinfo=BERLIN)
    assert add_working_days(datetime(2031, 3, 8, 10, tzinfo=BERLIN), 1) == datetime(2031, 3, 10, 10, tzinfo=BERLIN)
    assert previous_working_day(date(2031, 3, 10)) == date(2031, 3, 7)


def test_an_overdue_action_reminds_its_owner_once_a_day_in_their_working_hours(slack):
    slack.standin.add_user(LOU, "lou", "Lou", tz="America/Los_Angeles")
    ana_action, lou_action = seed_map(slack.server.services.db, slack.standin.team_id, [(ANA, MONDAY), (LOU, MONDAY)])
    tuesday = date(2031, 3, 4)

    tick(slack, at(tuesday, 7))  # 07:00 in Berlin, the night before in Los Angeles
    assert dms(slack, ANA) == [] and dms(slack, LOU) == []

    for hour, minute in ((9, 5), (9, 6), (12, 0), (16, 59)):
        tick(slack, at(tuesday, hour, minute))
    assert len(dms(slack, ANA)) == 1, "once a day, however often the tick runs"
    assert dms(slack, LOU) == [], "it is still night in Los Angeles"
    reminder = json.dumps(dms(slack, ANA)[0]["blocks"])
    assert f"A{ana_action}" in reminder and "overdue" in reminder and "action_done" in reminder

    tick(slack, at(tuesday, 18))  # after hours in Berlin, 09:00 in Los Angeles
    assert len(dms(slack, ANA)) == 1
    assert len(dms(slack, LOU)) == 1 and f"A{lou_action}" in json.dumps(dms(slack, LOU)[0]["blocks"])

    wednesday = date(2031, 3, 5)
    tick(slack, at(wednesday, 10))  # Wednesday in Berlin (01:00 in Los Angeles): another day, another reminder
    tick(slack, at(wednesday, 7, tz=LOS_ANGELES))  # 16:00 in Berlin, before the working day in Los Angeles
    assert len(dms(slack, ANA)) == 2 and len(dms(slack, LOU)) == 1

    saturday = date(2031, 3, 8)
    tick(slack, at(saturday, 10))
    tick(slack, at(saturday, 10, tz=LOS_ANGELES))
    assert len(dms(slack, ANA)) == 2 and len(dms(slack, LOU)) == 1, "no reminders at weekends"


def test_an_owner_with_several_due_actions_gets_one_dm_a_day_listing_them_all(slack):
    wednesday = date(2031, 3, 5)
    owned = seed_map(
        slack.server.services.db,
        slack.standin.team_id,
        [(ANA, MONDAY), (ANA, date(2031, 3, 4)), (ANA, date(2031, 3, 6)), (ANA, date(2031, 4, 1)), (BEN, MONDAY)],
    )
    tick(slack, at(wednesday, 9, 30))
    tick(slack, at(wednesday, 14))
    (reminder,) = dms(slack, ANA)
    shown = json.dumps(reminder["blocks"])
    assert [f"A{n}" in shown for n in owned[:4]] == [True, True, True, False]  # two overdue, one due tomorrow
    assert shown.count("action_done") == 3  # each with its own buttons
    assert len(dms(slack, BEN)) == 1


def test_a_reminder_that_comes_due_after_the_working_day_sends_nothing(slack):
    seed_map(slack.server.services.db, slack.standin.team_id, [(ANA, MONDAY)])
    tuesday = date(2031, 3, 4)
    tick(slack, at(tuesday, 7))  # planned for 09:00
    tick(slack, at(tuesday, 18))  # the bot was down all day
    assert dms(slack, ANA) == []
    with slack.server.services.db.session() as session:
        assert session.scalar(select(Job.status).where(Job.kind == "remind_owner")) == "done"
    tick(slack, at(date(2031, 3, 5), 9, 30))
    assert len(dms(slack, ANA)) == 1


def test_due_soon_the_working_day_before_and_overdue_after(slack):
    thursday, monday_after = date(2031, 3, 6), date(2031, 3, 10)
    seed_map(slack.server.services.db, slack.standin.team_id, [(BEN, thursday), (CHO, monday_after)])
    tick(slack, at(date(2031, 3, 5), 10))  # Wednesday: Ben's is due tomorrow
    assert len(dms(slack, BEN)) == 1 and "next working day" in json.dumps(dms(slack, BEN)[0]["blocks"])
    tick(slack, at(thursday, 10))  # due today: neither due soon nor overdue
    assert len(dms(slack, BEN)) == 1 and dms(slack, CHO) == []
    tick(slack, at(date(2031, 3, 7), 10))  # Friday: Ben's is overdue, Cho's is due on the next working day
    assert len(dms(slack, BEN)) == 2 and "overdue" in json.dumps(dms(slack, BEN)[1]["blocks"])
    assert len(dms(slack, CHO)) == 1 and "next working day" in json.dumps(dms(slack, CHO)[0]["blocks"])


def test_done_dropped_or_moved_actions_stop_reminding(slack):
    db = slack.server.services.db
    done, dropped, moved = seed_map(db, slack.standin.team_id, [(ANA, MONDAY), (BEN, MONDAY), (CHO, MONDAY)])
    tuesday = date(2031, 3, 4)
    tick(slack, at(tuesday, 10))
    assert [len(dms(slack, u)) for u in (ANA, BEN, CHO)] == [1, 1, 1]

    slack.command(f"done A{done}", ANA)
    tick(slack, at(date(2031, 3, 5), 7))  # Wednesday 07:00: the day's reminders are planned for 09:00
    with db.session() as session:
        session.get_one(ActionItemRow, dropped).status = "dropped"
        session.get_one(ActionItemRow, moved).due = date(2031, 3, 20)  # re-checked when the job runs
    tick(slack, at(date(2031, 3, 5), 10))
    assert [len(dms(slack, u)) for u in (ANA, BEN, CHO)] == [1, 1, 1]


def test_the_weekly_digest_reports_done_overdue_and_progress_per_stage(slack):
    run_workshop(slack)
    db = slack.server.services.db
    with db.session() as session:
        rows = {r.title: r for r in session.scalars(select(ActionItemRow))}
        fix = rows["Fix the mobile payment link"]  # Ben's, due 2027-01-15
        fix.status = "done"
        fix.history.append(
            ActionEvent(kind="status", old="open", new="done", actor_id=BEN, at=at(date(2026, 12, 10), 11))
        )
        tax = rows["Simplify tax setup with defaults per country"]  # Cho's, due 2026-12-07: overdue by then
        stages = {r.stage or "No stage" for r in rows.values()}
    monday = date(2026, 12, 14)
    tick(slack, at(monday, 8, 30))  # before 09:00: planned, not posted
    assert digests(slack) == []
    tick(slack, at(monday, 9, 1))
    tick(slack, at(monday, 15))
    assert len(digests(slack)) == 1
    text = json.dumps(digests(slack)[0]["blocks"])
    assert "Done this week (1)" in text and f"A{fix.id}" in text
    assert "Overdue (1)" in text and f"A{tax.id}" in text and f"<@{CHO}>" in text
    assert "Progress per stage" in text
    assert all(f"{stage}: " in text for stage in stages)
    assert "1/" in text  # the done action counts on its stage

    tick(slack, at(date(2026, 12, 15), 10))  # Tuesday: nothing new
    tick(slack, at(date(2026, 12, 21), 9, 30))  # the next Monday: the next week's digest
    assert len(digests(slack)) == 2
    assert "Done this week:* nothing yet" in json.dumps(digests(slack)[1]["blocks"])


def test_only_the_latest_version_of_a_map_with_actions_gets_a_digest(slack):
    db, team = slack.server.services.db, slack.standin.team_id
    slack.standin.add_channel("C0EMPTY001", "empty", members=[FACILITATOR])
    seed_map(db, team, [(ANA, MONDAY)], published=datetime(2031, 1, 6, tzinfo=UTC))
    newer = seed_map(db, team, [(BEN, MONDAY)], published=datetime(2031, 2, 3, tzinfo=UTC))
    seed_map(db, team, [], channel_id="C0EMPTY001")
    tick(slack, at(date(2031, 3, 10), 9, 30))
    tick(slack, at(date(2031, 3, 10), 11))
    assert len(digests(slack)) == 1
    assert f"A{newer[0]}" in json.dumps(digests(slack)[0]["blocks"])
    assert slack.standin.messages("C0EMPTY001") == []
