"""Due dates as an action plan writes them; every case is pinned to a known "today"."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.actions.dates import parse_due

WEDNESDAY = date(2026, 5, 13)
FRIDAY = date(2026, 5, 15)
SATURDAY = date(2026, 5, 16)


@pytest.mark.parametrize(
    ("text", "due", "phrase"),
    [
        ("Fix the invoice PDF by Friday", date(2026, 5, 15), "by Friday"),
        ("Call churned users on Monday", date(2026, 5, 18), "on Monday"),
        ("by 2027-01-15", date(2027, 1, 15), "by 2027-01-15"),
        ("Ship it 15 Jan", date(2027, 1, 15), "15 Jan"),
        ("Ship it 15th of January", date(2027, 1, 15), "15th of January"),
        ("Launch Jan 15th 2027", date(2027, 1, 15), "Jan 15th 2027"),
        ("Launch January 15, 2027", date(2027, 1, 15), "January 15, 2027"),
        ("Launch Fri, Jan 15", date(2027, 1, 15), "Fri, Jan 15"),
        ("Go live 20 May", date(2026, 5, 20), "20 May"),
        ("Go live 13 May", date(2026, 5, 13), "13 May"),
        ("Go live 12 May", date(2027, 5, 12), "12 May"),
        ("Audit by 15/01/2027", date(2027, 1, 15), "by 15/01/2027"),
        ("Fix it by EOD Friday", FRIDAY, "by EOD Friday"),
        ("Call Ana Friday 3pm about the refund", FRIDAY, "Friday 3pm"),
        ("Fix it, Friday at 5", FRIDAY, "Friday at 5"),
        ("Fix it by the 20th", date(2026, 5, 20), "by the 20th"),
        ("Fix it by Monday 8th, please", date(2026, 6, 8), "by Monday 8th"),
        ("Fix it by the 3rd week of June", date(2026, 6, 21), "by the 3rd week of June"),
        ("Fix it, the last week of May", date(2026, 5, 31), "the last week of May"),
        ("Fix it ~2 weeks", date(2026, 5, 27), "~2 weeks"),
        ("Audit by 15.01.27", date(2027, 1, 15), "by 15.01.27"),
        ("Audit by 01/15/2027", date(2027, 1, 15), "by 01/15/2027"),
        ("Rewrite FAQ in 2 weeks", date(2026, 5, 27), "in 2 weeks"),
        ("Rewrite FAQ in two weeks", date(2026, 5, 27), "in two weeks"),
        ("Rewrite FAQ in a couple of weeks", date(2026, 5, 27), "in a couple of weeks"),
        ("Rewrite FAQ in 3 days", date(2026, 5, 16), "in 3 days"),
        ("Rewrite FAQ within 5 business days", date(2026, 5, 20), "within 5 business days"),
        ("Rewrite FAQ within a month", date(2026, 6, 13), "within a month"),
        ("Migrate billing end of March", date(2027, 3, 31), "end of March"),
        ("Migrate billing by the end of May", date(2026, 5, 31), "by the end of May"),
        ("Migrate billing end of February 2028", date(2028, 2, 29), "end of February 2028"),
        ("Report end of month", date(2026, 5, 31), "end of month"),
        ("Report by the end of the month", date(2026, 5, 31), "by the end of the month"),
        ("Report end of next month", date(2026, 6, 30), "end of next month"),
        ("Report end of quarter", date(2026, 6, 30), "end of quarter"),
        ("Report by end of next week", date(2026, 5, 22), "by end of next week"),
        ("Report next week", date(2026, 5, 22), "next week"),
        ("Report EOW", date(2026, 5, 15), "EOW"),
        ("Report eom", date(2026, 5, 31), "eom"),
        ("Report EOY", date(2026, 12, 31), "EOY"),
        ("Kick off next Monday", date(2026, 5, 18), "next Monday"),
        ("Kick off next Friday", date(2026, 5, 22), "next Friday"),
        ("Kick off this Friday", date(2026, 5, 15), "this Friday"),
        ("Kick off by Thurs", date(2026, 5, 14), "by Thurs"),
        ("Send the survey tomorrow", date(2026, 5, 14), "tomorrow"),
        ("Send the survey today", date(2026, 5, 13), "today"),
        ("SEO audit in Q3", date(2026, 9, 30), "in Q3"),
        ("SEO audit by Q1", date(2027, 3, 31), "by Q1"),
        ("SEO audit Q2 2027", date(2027, 6, 30), "Q2 2027"),
        ("Deadline: 2026-06-01, owner Ana", date(2026, 6, 1), "Deadline: 2026-06-01"),
        ("Price test due 29 Feb", date(2028, 2, 29), "due 29 Feb"),
        ("Ship the letter template, due 15/01", date(2027, 1, 15), "due 15/01"),
        ("Move the VAT question by mid-January", date(2027, 1, 15), "by mid-January"),
        ("Reprint the leaflets late May", date(2026, 5, 31), "late May"),
        ("Pilot weekend chat, ETA 2 weeks", date(2026, 5, 27), "ETA 2 weeks"),
        ("Pilot weekend chat, owner @Ana, 2 weeks", date(2026, 5, 27), "2 weeks"),  # a bare duration closing it
        ("Roll out in March 2027", date(2027, 3, 31), "in March 2027"),
        ("Run 5 interviews with students in January", date(2027, 1, 31), "in January"),
        ("Close the old inbox before July", date(2026, 6, 30), "before July"),
        ("Explain the processing time on the page, in a fortnight", date(2026, 5, 27), "in a fortnight"),
        ("Merge the two permit forms, 2 weeks from today", date(2026, 5, 27), "2 weeks from today"),
        ("Give customers 14 days to pay, by month end", date(2026, 5, 31), "by month end"),
        ("Map the returns journey — me, Thu", date(2026, 5, 14), "Thu"),
        # a date in the action, then the deadline
        ("Report on Q4 churn by tariff — @Felix, 15 Jan", date(2027, 1, 15), "15 Jan"),
        ("Refund trains within 7 days not 28 (owner: @Eve) — by end of Jan", date(2027, 1, 31), "by end of Jan"),
        ("Rewrite the Q1 price rise letter by the 20th", date(2026, 5, 20), "by the 20th"),
        ("Stop the calls, trial it over Q3 and watch complaints", date(2026, 9, 30), "Q3"),
        # the week after this one, and the week a date starts (by its Friday)
        ("Due: Thursday week", date(2026, 5, 21), "Due: Thursday week"),
        ("Write the one-pager by Friday next week", date(2026, 5, 22), "by Friday next week"),
        ("Speak to the sales team by the Monday after next", date(2026, 5, 25), "by the Monday after next"),
        ("Write the FAQ by w/c 7 Dec", date(2026, 12, 11), "by w/c 7 Dec"),
        ("Draft the status email — w/c 18th", date(2026, 5, 22), "w/c 18th"),
        ("Send out the survey tomorow", date(2026, 5, 14), "tomorow"),
        ("Look into the returns window confusion b4 xmas", date(2026, 12, 24), "b4 xmas"),
        ("Shadow the night shift, due 2 weeks", date(2026, 5, 27), "due 2 weeks"),
        # a date in brackets is the action's own
        ("Follow up on the extension (the one that runs till 31 Jan) by Friday", date(2026, 5, 15), "by Friday"),
        # a weekday a week on, a time of today or tomorrow, a day to report back
        ("Draft the claim email. Monday week at the latest", date(2026, 5, 25), "Monday week"),
        ("Archive the old personas. this arvo", WEDNESDAY, "this arvo"),
        ("Create the Jira epic — end of day tmrw", date(2026, 5, 14), "end of day tmrw"),
        ("Ping procurement about the licence, first thing tomorrow", date(2026, 5, 14), "first thing tomorrow"),
        ("Call the bank first thing Monday", date(2026, 5, 18), "first thing Monday"),
        ("Ask the app team about deep links. will report back Fri", FRIDAY, "Fri"),
        # a month alone after a dash or a comma, said to do; a span from today
        ("Replace the stock photo (@Rhian) — Feb", date(2027, 2, 28), "Feb"),
        ("Dig out the drop-off data? no rush, January is fine", date(2027, 1, 31), "January"),
        ("Quantify the login tickets — in the next fortnight?", date(2026, 5, 27), "in the next fortnight"),
        ("Quantify the login tickets within the next 3 days", date(2026, 5, 16), "within the next 3 days"),
    ],
)
def test_due_phrases(text: str, due: date, phrase: str) -> None:
    match = parse_due(text, WEDNESDAY)
    assert match is not None
    assert (match.due, match.text) == (due, phrase)
    assert text[match.start : match.end] == phrase


def test_by_friday_on_a_friday_means_next_week() -> None:
    assert parse_due("by Friday", FRIDAY).due == date(2026, 5, 22)
    assert parse_due("this Friday", FRIDAY).due == FRIDAY


def test_a_weekday_and_week_is_a_week_after_the_next_such_day() -> None:
    tuesday = date(2026, 12, 1)
    assert parse_due("Monday week", tuesday).due == date(2026, 12, 14)  # the Monday after next
    assert parse_due("Thursday week", tuesday).due == date(2026, 12, 10)  # the Thursday of next week
    assert parse_due("Monday next week", tuesday).due == date(2026, 12, 7)


def test_end_of_week_said_at_the_weekend_means_the_coming_friday() -> None:
    assert parse_due("EOW", SATURDAY).due == date(2026, 5, 22)
    assert parse_due("end of next week", SATURDAY).due == date(2026, 5, 29)


def test_end_of_the_current_month_or_quarter_is_this_one() -> None:
    march = date(2027, 3, 10)
    assert parse_due("end of March", march).due == date(2027, 3, 31)
    assert parse_due("Q1", march).due == date(2027, 3, 31)
    assert parse_due("end of quarter", date(2026, 12, 31)).due == date(2026, 12, 31)


def test_a_half_year_and_before_a_part_of_the_year() -> None:
    december = date(2026, 12, 1)
    assert parse_due("by end of H2", december).due == date(2026, 12, 31)
    assert parse_due("H1", december).due == date(2027, 6, 30)
    assert parse_due("ahead of Q2", december).due == date(2027, 3, 31)
    assert parse_due("before H2", december).due == date(2027, 6, 30)  # next year's, not June gone
    assert parse_due("report on the H1 results", december) is None


def test_end_of_february_knows_leap_years() -> None:
    assert parse_due("end of February", date(2027, 5, 1)).due == date(2028, 2, 29)
    assert parse_due("end of Feb", date(2026, 2, 10)).due == date(2026, 2, 28)


def test_business_days_skip_the_weekend() -> None:
    assert parse_due("in 1 business day", FRIDAY).due == date(2026, 5, 18)


def test_the_first_date_in_the_text_wins() -> None:
    match = parse_due("Draft by Friday, final version 2026-06-30", WEDNESDAY)
    assert (match.due, match.text) == (FRIDAY, "by Friday")


@pytest.mark.parametrize(
    "text",
    [
        "Fix the invoice PDF",
        "Reduce churn by 3.5% in the app",
        "Upgrade to version 1.2.3",
        "Sat with three customers last week",
        "Due 31 Feb",
        "Report on Q4 churn by tariff",  # which quarter, not when
        "Let customers pick any debit day from the 1st to the 28th",
        "Investigate the spike in calls every Monday morning",
        "Shadow reception on Monday mornings",
        "Sort out the Friday night surge in rebooking calls",
        "Compare January vs February sign-ups",
        "Open a family lane in July-August",
        "Q5 planning",
        "Zahlung bis Freitag prüfen",
        "Cut drop-off by 2/3 of the current rate",
        "Support by 24/7 chat",
        "Show the payout status with a real ETA in the app header",
        "Interview 5 customers, 2 weeks of diary study",
        "Extend airport pickup to every day 10-28 Sept",  # a range in the action, not its deadline
        "Resend the 1st invoice email",  # an ordinal before a noun is a rank
        "Came 4th.",
        "Add a second Tuesday story time for the Saturday ones",  # which days, not when
        "Keep the drops open Sunday/Monday",
        "Tell them 'usually approved by Friday'",  # an example's words
        "Run the loyalty pilot January – March",  # a range's end, not a month closing the text
        "Check the pilot, may need legal",
        "Set up the fortnightly review",
        "Ask who covers the Sat arvo shift",
        "",
    ],
)
def test_no_date_is_invented(text: str) -> None:
    assert parse_due(text, WEDNESDAY) is None


def test_same_text_same_day_same_answer() -> None:
    assert parse_due("in 2 weeks", WEDNESDAY) == parse_due("in 2 weeks", WEDNESDAY)
    assert parse_due("in 2 weeks", FRIDAY).due == date(2026, 5, 29)
