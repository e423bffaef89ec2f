"""An action-plan reply becomes a title, an owner and a due date, the way the team wrote it."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.actions.parsing import ActionDraft, parse_action

TODAY = date(2026, 5, 13)  # a Wednesday
ANA = ("U0ANA", "Ana Lima")
BEN = ("U0BEN", "Ben")


def _by_me(text: str) -> ActionDraft:
    """The note as the bot reads it from its writer, "U0ME", with Ana and Ben as the people it may mention."""
    return parse_action(text, [m for m in (ANA, BEN) if f"@{m[1]}" in text], TODAY, author="U0ME")


@pytest.mark.parametrize(
    ("text", "mentions", "expected"),
    [
        (
            "@Ben to fix the invoice PDF on mobile by Friday",
            [BEN],
            ActionDraft(title="Fix the invoice PDF on mobile", owner="U0BEN", due=date(2026, 5, 15)),
        ),
        (
            "Fix the invoice PDF on mobile by Friday @Ben",
            [BEN],
            ActionDraft(title="Fix the invoice PDF on mobile", owner="U0BEN", due=date(2026, 5, 15)),
        ),
        (
            "Rewrite the pricing page copy (owner: @Ana Lima) due 2026-06-01.",
            [ANA],
            ActionDraft(title="Rewrite the pricing page copy", owner="U0ANA", due=date(2026, 6, 1)),
        ),
        (
            "owner: @Ben - add Apple Pay to checkout, EOW",
            [BEN],
            ActionDraft(title="Add Apple Pay to checkout", owner="U0BEN", due=date(2026, 5, 15)),
        ),
        (
            "Action: assigned to @Ben, call 5 churned customers in Q3",
            [BEN],
            ActionDraft(title="Call 5 churned customers", owner="U0BEN", due=date(2026, 9, 30)),
        ),
        (
            "Add a live chat widget — @Ana Lima, in 2 weeks",
            [ANA],
            ActionDraft(title="Add a live chat widget", owner="U0ANA", due=date(2026, 5, 27)),
        ),
        (
            "@Ben will send a survey to churned users by 15 Jan",
            [BEN],
            ActionDraft(title="Send a survey to churned users", owner="U0BEN", due=date(2027, 1, 15)),
        ),
        (
            "we should show VAT on the pricing page!!",
            [],
            ActionDraft(title="Show VAT on the pricing page"),
        ),
        (
            "TODO(@Ben): publish the claims dashboard before the QBR",
            [BEN],
            ActionDraft(title="Publish the claims dashboard before the QBR", owner="U0BEN"),
        ),
        (
            "Publish the claims dashboard (owner TBD, by end of June)",
            [],
            ActionDraft(title="Publish the claims dashboard", due=date(2026, 6, 30)),
        ),
        (
            "Action: add a route map to the letter. Who: @Ben. When: next month",
            [BEN],
            ActionDraft(title="Add a route map to the letter", owner="U0BEN", due=date(2026, 6, 30)),
        ),
    ],
)
def test_owner_date_and_a_clean_title(text: str, mentions: list[tuple[str, str]], expected: ActionDraft) -> None:
    assert parse_action(text, mentions, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "mentions", "expected"),
    [
        (
            "Reroute the replacement bus via the station forecourt. @Ben to coordinate with the council next sprint",
            [BEN],
            ActionDraft(title="Reroute the replacement bus via the station forecourt", owner="U0BEN"),
        ),
        (
            "Translate the discharge leaflet into Polish and Arabic: @Ana Lima (me), end of June",
            [ANA],
            ActionDraft(
                title="Translate the discharge leaflet into Polish and Arabic", owner="U0ANA", due=date(2026, 6, 30)
            ),
        ),
        (
            "Add a status page for outages. Nobody owns this yet, the platform team is full. Ideally by Q3",
            [],
            ActionDraft(title="Add a status page for outages", due=date(2026, 9, 30)),
        ),
        (
            "Refund delayed tickets automatically, owner @Ben ASAP",
            [BEN],
            ActionDraft(title="Refund delayed tickets automatically", owner="U0BEN"),
        ),
        (
            "Show the wait time in the app header. Owner @Ana Lima, by 2026-07-01",
            [ANA],
            ActionDraft(title="Show the wait time in the app header", owner="U0ANA", due=date(2026, 7, 1)),
        ),
        (
            "Cancel any PCN issued while an application was pending (no owner yet)",
            [],
            ActionDraft(title="Cancel any PCN issued while an application was pending"),
        ),
        (
            "Make flex monthly the default plan in the sign-up flow, same owner, needs finance OK first",
            [],
            ActionDraft(title="Make flex monthly the default plan in the sign-up flow, needs finance OK first"),
        ),
        (  # the days the drops open are the action's; the due date is "in 2 weeks"
            "Trial keeping the book drops open Sunday/Monday at 4 branches. @Ben to check in 2 weeks",
            [BEN],
            ActionDraft(
                title="Trial keeping the book drops open Sunday/Monday at 4 branches",
                owner="U0BEN",
                due=date(2026, 5, 27),
            ),
        ),
        (  # a date inside a quoted example is the example's
            "Show GP status with dates ('sent to Dr Patel's surgery Tue 4th'). Owner @Ben, by end of June",
            [BEN],
            ActionDraft(
                title="Show GP status with dates ('sent to Dr Patel's surgery Tue 4th')",
                owner="U0BEN",
                due=date(2026, 6, 30),
            ),
        ),
        (
            "Fix the gate readers by Friday morning",
            [],
            ActionDraft(title="Fix the gate readers", due=date(2026, 5, 15)),
        ),
        (  # an aside about someone else's note says whose, not what
            "Give advisors a view of the GP timeline (same data as @Ana Lima's first item). @Ben, Q3",
            [BEN, ANA],
            ActionDraft(title="Give advisors a view of the GP timeline", owner="U0BEN", due=date(2026, 9, 30)),
        ),
        (  # "nobody has to ask" is the action's point, not a word on its owner
            "Out-of-hours notes go onto the claim record so nobody has to ask again. owner: @Ben, 2 weeks",
            [BEN],
            ActionDraft(
                title="Out-of-hours notes go onto the claim record so nobody has to ask again",
                owner="U0BEN",
                due=date(2026, 5, 27),
            ),
        ),
    ],
)
def test_what_is_said_about_owner_and_timing_leaves_the_title(
    text: str, mentions: list[tuple[str, str]], expected: ActionDraft
) -> None:
    assert parse_action(text, mentions, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "title"),
    [
        (
            "Stop asking for G2 reviews in the QBR, move it to after the first milestone. Marketing",
            "Stop asking for G2 reviews in the QBR, move it to after the first milestone",
        ),
        (
            "Call-back option on the appointments line; needs telephony budget",
            "Call-back option on the appointments line",
        ),
        (
            "Someone should look at the Leeds exit signage, not sure who owns that, Network Rail?",
            "Look at the Leeds exit signage",
        ),
        (
            "Make the welcome meeting optional, move excursion sales into the app. who — resort ops?",
            "Make the welcome meeting optional, move excursion sales into the app",
        ),
        (
            "Rewrite the disruption PA scripts with a reason and a time, draft here PA scripts v3",
            "Rewrite the disruption PA scripts with a reason and a time",
        ),
        ("Raise the limit to 20MB, e.g. for iPhones", "Raise the limit to 20MB, e.g. for iPhones"),
        (
            "Day-before confirmation call with the crew lead's name, no owner yet",
            "Day-before confirmation call with the crew lead's name",
        ),
        (
            "Total cost calculator on every course page (fees + rent). ETA 2 weeks for a prototype",
            "Total cost calculator on every course page (fees + rent)",
        ),
        (
            "Student Hub link on the app home screen :pray: quick win, this sprint",
            "Student Hub link on the app home screen",
        ),
        (
            "Guarantee a room to everyone who pays the deposit by 30 June. Needs the committee",
            "Guarantee a room to everyone who pays the deposit",
        ),
    ],
)
def test_the_title_is_the_action_not_how_who_or_where_the_draft_is(text: str, title: str) -> None:
    assert parse_action(text, [], TODAY).title == title


def test_someone_credited_and_then_asked_to_do_it_owns_it() -> None:
    draft = parse_action(
        "+1 to @Ana Lima's tag audit, and put the kids' club age on the hotel page. @Ana Lima can you fold that in?",
        [ANA],
        TODAY,
    )
    assert draft == ActionDraft(title="Put the kids' club age on the hotel page", owner="U0ANA")


def test_a_mention_that_credits_an_idea_does_not_own_the_action() -> None:
    draft = parse_action(
        "+1 to @Ana Lima's prefill idea, and drop the photo step. @Ben can you fold that in?", [ANA, BEN], TODAY
    )
    assert draft == ActionDraft(title="Drop the photo step", owner="U0BEN")


def test_a_mention_inside_the_sentence_stays_readable() -> None:
    draft = parse_action("Ask @Ben to rewrite the checkout copy by next Monday", [BEN], TODAY)
    assert draft == ActionDraft(title="Ask Ben to rewrite the checkout copy", owner="U0BEN", due=date(2026, 5, 18))


def test_the_first_mention_owns_the_action_and_the_others_stay_in_the_title() -> None:
    draft = parse_action("@Ana Lima pairs with @Ben on the dunning emails", [ANA, BEN], TODAY)
    assert draft.owner == "U0ANA"
    assert draft.title == "Pairs with Ben on the dunning emails"


def test_by_that_is_not_a_date_stays() -> None:
    draft = parse_action("Cut failed payouts by 20% by end of quarter", [], TODAY)
    assert draft == ActionDraft(title="Cut failed payouts by 20%", due=date(2026, 6, 30))


@pytest.mark.parametrize("title", ["Fix log in", "Let teams opt in", "Follow up on every sales lead"])
def test_the_last_word_of_a_title_is_kept(title: str) -> None:
    assert parse_action(f"{title} by Friday", [], TODAY).title == title


def test_no_mention_no_owner_and_no_date_no_due() -> None:
    assert parse_action("Add PayPal as a payment option", [], TODAY) == ActionDraft(
        title="Add PayPal as a payment option"
    )


@pytest.mark.parametrize(("text", "mentions"), [("@Ben", [BEN]), ("by Friday", []), ("  owner: @Ben, EOW. ", [BEN])])
def test_the_title_is_never_empty(text: str, mentions: list[tuple[str, str]]) -> None:
    assert parse_action(text, mentions, TODAY).title == " ".join(text.split())


def test_brand_spelling_and_emoji_survive() -> None:
    assert parse_action("iOS app: fix the 🐛 in checkout 🚀 tomorrow", [], TODAY) == ActionDraft(
        title="iOS app: fix the 🐛 in checkout 🚀", due=date(2026, 5, 14)
    )


def test_other_languages_keep_their_words() -> None:
    draft = parse_action("Mettre à jour la FAQ d’ici vendredi @Ben", [BEN], TODAY)
    assert draft == ActionDraft(title="Mettre à jour la FAQ d’ici vendredi", owner="U0BEN")


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        (
            "A 'talk to a person' button for payout topics. ETA 2 weeks, owner me",
            "A 'talk to a person' button for payout topics",
            date(2026, 5, 27),
        ),
        ("Fix the seat map (owner: me), end of May", "Fix the seat map", date(2026, 5, 31)),
        ("Interim: staff the wide gate from Monday. I'll own it.", "Interim: staff the wide gate", date(2026, 5, 18)),
        ("Fix the seat map, I'll take it, end of May", "Fix the seat map", date(2026, 5, 31)),
        ("Fix the seat map (me, by Friday)", "Fix the seat map", date(2026, 5, 15)),
        ("Fix the seat map -- mine, next week", "Fix the seat map", date(2026, 5, 22)),
        (
            "Reply to every review, starting with the 5 busiest branches. I'll own that, from next Monday",
            "Reply to every review, starting with the 5 busiest branches",
            date(2026, 5, 18),
        ),
    ],
)
def test_the_writer_taking_it_on_owns_the_action(text: str, title: str, due: date) -> None:
    assert parse_action(text, [], TODAY, author="U0ME") == ActionDraft(title=title, owner="U0ME", due=due)


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        # after the action stated: the action
        (
            "Email check on the tablet (catch gmial typos), I'll raise it with the agency's dev team this week",
            "Email check on the tablet (catch gmial typos)",
            date(2026, 5, 15),
        ),
        (
            "Parking suspension reminder in the confirmation email — i'll add it",
            "Parking suspension reminder in the confirmation email",
            None,
        ),
        # after a label or a word of backing: what they will do
        (
            "Full lockers: I'll do a capacity review of the top 20 redirect sites with ops, findings by mid Aug",
            "Do a capacity review of the top 20 redirect sites with ops",
            date(2026, 8, 15),
        ),
        ("+1 to the 24h updates, I can build the push side", "Build the push side", None),
        ("+1 and I'll build the calculator bit with Sam", "Build the calculator bit with Sam", None),
    ],
)
def test_the_writer_taking_it_on_in_a_clause_of_its_own_owns_it(text: str, title: str, due: date | None) -> None:
    assert parse_action(text, [], TODAY, author="U0ME") == ActionDraft(title=title, owner="U0ME", due=due)


def test_a_date_taken_out_leaves_no_dangling_words() -> None:
    draft = parse_action("present the refund options to the finance steering group on the 4th June", [], TODAY)
    assert draft == ActionDraft(title="Present the refund options to the finance steering group", due=date(2026, 6, 4))


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("@Ana Lima to own: fix the refund email copy, Q3", date(2026, 9, 30)),
        ("Fix the refund email copy [@Ana Lima] [Jun 10]", date(2026, 6, 10)),
        ("Fix the refund email copy | @Ana Lima | 10 Jun", date(2026, 6, 10)),
        ("Fix the refund email copy before the holidays @Ana Lima", None),
        ("Fix the refund email copy, target end of sprint 14, @Ana Lima", None),
        ("Fix the refund email copy by Monday 8th @Ana Lima", date(2026, 6, 8)),
    ],
)
def test_the_title_keeps_neither_owner_nor_timing_however_written(text: str, due: date | None) -> None:
    assert parse_action(text, [ANA], TODAY) == ActionDraft(title="Fix the refund email copy", owner="U0ANA", due=due)


TOM = ("U0TOM", "Tom")


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("I'll draft the new joint account FAQ by Monday", "Draft the new joint account FAQ", date(2026, 5, 18)),
        ("Me — rewrite the SIM activation text. Tomorrow.", "Rewrite the SIM activation text", date(2026, 5, 14)),
        ("Me: map the December returns journey by Wed", "Map the December returns journey", date(2026, 5, 20)),
        (
            "Make sure the outage map updates every 30 minutes — me, Thu",
            "Make sure the outage map updates every 30 minutes",
            date(2026, 5, 14),
        ),
    ],
)
def test_a_note_that_opens_with_the_writer_is_theirs(text: str, title: str, due: date) -> None:
    assert parse_action(text, [], TODAY, author="U0ME") == ActionDraft(title=title, owner="U0ME", due=due)


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("@Ana Lima + @Tom: kill the 3-step login by Friday", [ANA, TOM]),
        ("@Ana Lima & @Tom to kill the 3-step login by Friday", [ANA, TOM]),
        ("@Ana Lima @Tom kill the 3-step login by Friday", [ANA, TOM]),
        ("Kill the 3-step login @Ana Lima @Tom — by Friday", [ANA, TOM]),
        ("Urgent: @Ana Lima to kill the 3-step login by Friday", [ANA]),
        ("@Ana Lima can you kill the 3-step login? by Friday", [ANA]),
        ("Kill the 3-step login by Friday, cc @Ben, owner @Ana Lima", [BEN, ANA]),
    ],
)
def test_every_owner_leaves_the_title(text: str, mentions: list[tuple[str, str]]) -> None:
    draft = parse_action(text, mentions, TODAY)
    assert draft == ActionDraft(title="Kill the 3-step login", owner="U0ANA", due=date(2026, 5, 15))


@pytest.mark.parametrize(
    ("text", "mentions", "owner"),
    [
        ("🚀 @Ana Lima and @Tom to kill the 3-step login by Friday", [ANA, TOM], "U0ANA"),
        (":white_check_mark: @Ana Lima @Tom — kill the 3-step login, owner: both, by Friday", [ANA, TOM], "U0ANA"),
        ("Action for @Ana Lima (cc @Ben): kill the 3-step login. by Friday", [ANA, BEN], "U0ANA"),
        ("Owner: @Ana Lima / Due: Friday / Action: kill the 3-step login", [ANA], "U0ANA"),
        ("Due Friday · @Ana Lima · kill the 3-step login", [ANA], "U0ANA"),
        ("Owner - me\nDue - Friday\nWhat - kill the 3-step login", [], "U0WRITER"),
        ("Kudos to @Ben for the idea — I'll kill the 3-step login by Friday", [BEN], "U0WRITER"),
        ("🙋\u200d♀️ mine — I'll kill the 3-step login by Friday", [], "U0WRITER"),
        ("Me. Friday. Kill the 3-step login", [], "U0WRITER"),
        ("quick one @Ana Lima — kill the 3-step login by Friday", [ANA], "U0ANA"),
        ("Pls can @Ana Lima kill the 3-step login by Friday?", [ANA], "U0ANA"),
    ],
)
def test_owners_written_as_forms_labels_and_emoji_leave_the_title(text: str, mentions: list, owner: str) -> None:
    draft = parse_action(text, mentions, TODAY, author="U0WRITER")
    assert draft == ActionDraft(title="Kill the 3-step login", owner=owner, due=date(2026, 5, 15))


def test_a_label_before_the_owner_stays_and_the_owner_goes() -> None:
    draft = parse_action("re the checkout drop-off: @Ben to add session replays by Friday", [BEN], TODAY)
    assert draft == ActionDraft(
        title="Re the checkout drop-off: add session replays", owner="U0BEN", due=date(2026, 5, 15)
    )
    action_first = parse_action(
        "Polite payment reminders on the trial plan (paid only): @Ben to decide by Friday", [BEN], TODAY
    )
    assert action_first.title == "Polite payment reminders on the trial plan (paid only)"  # the action, then who
    handed = parse_action(
        "@Ben thanks for covering — @Ana Lima over to you for the next round of calls", [BEN, ANA], TODAY
    )
    assert (handed.title, handed.owner) == ("The next round of calls", "U0ANA")
    asked = parse_action("@Ana Lima, could you and @Ben run a diary study with new owners?", [ANA, BEN], TODAY)
    assert (asked.title, asked.owner) == ("Run a diary study with new owners", "U0ANA")


def test_the_writer_and_a_colleague_both_leave_the_title() -> None:
    draft = parse_action("@Tom and I will shadow reception on Monday mornings", [TOM], TODAY, author="U0ME")
    assert draft == ActionDraft(title="Shadow reception on Monday mornings", owner="U0TOM")


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Review the 14-day returns window for sale items cc @Ben", "Review the 14-day returns window for sale items"),
        ("Cc @Ben — review why applicants drop off", "Review why applicants drop off"),
        ("Ask @Ben whether we can drop the paper form", "Ask Ben whether we can drop the paper form"),
        (
            "Send the renewal notice 60 days before, not 30 — owner tbd",
            "Send the renewal notice 60 days before, not 30",
        ),
    ],
)
def test_someone_copied_in_or_consulted_is_no_owner(text: str, title: str) -> None:
    assert parse_action(text, [BEN], TODAY) == ActionDraft(title=title)


def test_the_owner_after_a_question_to_someone_else_owns_it() -> None:
    draft = parse_action("Ask @Ana Lima whether we need the cut-off — @Ben to do it, Thursday", [ANA, BEN], TODAY)
    assert draft == ActionDraft(title="Ask Ana Lima whether we need the cut-off", owner="U0BEN", due=date(2026, 5, 14))


@pytest.mark.parametrize(
    "text",
    [
        "mine: clean up the duplicate customer records, by the 20th",
        "Leave it with me: clean up the duplicate customer records, by the 20th",
        "On me — clean up the duplicate customer records, by the 20th",
        "That one's mine — clean up the duplicate customer records by the 20th",
        "me to clean up the duplicate customer records, by the 20th",
        "I can clean up the duplicate customer records by the 20th",
    ],
)
def test_the_writer_taking_it_on_in_other_words_owns_it(text: str) -> None:
    assert parse_action(text, [], TODAY, author="U0ME") == ActionDraft(
        title="Clean up the duplicate customer records", owner="U0ME", due=date(2026, 5, 20)
    )


@pytest.mark.parametrize(
    ("text", "mentions", "owner", "due"),
    [
        ("1. @Ben — remove the second ID check, no later than 22/05", [BEN], "U0BEN", date(2026, 5, 22)),
        ("fyi @Ben — remove the second ID check by Friday", [BEN], None, date(2026, 5, 15)),
        ("Pls remove the second ID check — @Ben, January", [BEN], "U0BEN", date(2027, 1, 31)),
        ("@Ben to remove the second ID check EOD tmrw", [BEN], "U0BEN", date(2026, 5, 14)),
        ("owner: TBC — remove the second ID check, by end Jun", [], None, date(2026, 6, 30)),
    ],
)
def test_owners_and_dates_written_tersely(text: str, mentions: list, owner: str | None, due: date) -> None:
    assert parse_action(text, mentions, TODAY) == ActionDraft(title="Remove the second ID check", owner=owner, due=due)


def test_a_deadline_after_a_number_and_a_dash_is_no_range() -> None:
    draft = parse_action("Fix the email that fires on day 1 instead of day 3 — by the 20th", [], TODAY)
    assert draft == ActionDraft(title="Fix the email that fires on day 1 instead of day 3", due=date(2026, 5, 20))


def test_late_february_ends_on_its_last_day_that_year() -> None:
    assert parse_action("Replace the PDF form by late Feb", [], date(2026, 12, 1)).due == date(2027, 2, 28)


@pytest.mark.parametrize(
    "text",
    [
        "Assign to @Ben: run the usability test",
        "@Ana Lima/@Ben run the usability test",
        "• @Ben to run the usability test",
        "Can @Ben run the usability test?",
        "@Ben to run the usability test when capacity allows",
        "@Ben to run the usability test in the new year",
        "@Ben to run the usability test at some point",
        "ACTION - @Ben - run the usability test - by Jan",
    ],
)
def test_who_and_when_leave_the_title_however_tersely_written(text: str) -> None:
    draft = parse_action(text, [m for m in (ANA, BEN) if f"@{m[1]}" in text], TODAY)
    assert draft.title == "Run the usability test"


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Run the usability test in 2 weeks' time", date(2026, 5, 27)),
        ("Run the usability test by end of play Friday", date(2026, 5, 15)),
        ("I'm going to run the usability test, date TBC", None),
        ("Run the usability test by 5pm tomorrow", date(2026, 5, 14)),
        ("Run the usability test ahead of Q3", date(2026, 6, 30)),  # before the quarter starts
        ("Action: run the usability test – no owner yet, aim for January", date(2027, 1, 31)),
        ("needs an owner: run the usability test, early Mar", date(2027, 3, 10)),
        ("I'll take this one: run the usability test", None),
    ],
)
def test_the_title_keeps_no_date_word(text: str, due: date | None) -> None:
    draft = parse_action(text, [], TODAY, author="U0ME")
    assert (draft.title, draft.due) == ("Run the usability test", due)


def test_the_writer_taking_on_a_named_piece_of_work_owns_it_and_it_is_the_title() -> None:
    draft = parse_action("I'll take the IVR menu audit (next sprint)", [], TODAY, author="U0ME")
    assert (draft.title, draft.owner) == ("IVR menu audit", "U0ME")


@pytest.mark.parametrize(
    ("text", "title", "owner", "due"),
    [
        ("TODO @Ben: run the usability test, Thursday pls", "Run the usability test", "U0BEN", date(2026, 5, 14)),
        ("@Ben to run the usability test :pray: by Friday", "Run the usability test", "U0BEN", date(2026, 5, 15)),
        ("Run the usability test (draft in the doc) — @Ben", "Run the usability test", "U0BEN", None),
        ("Someone from research should run the usability test", "Run the usability test", None, None),
        ("I think someone should run the usability test, it's overdue", "Run the usability test", None, None),
        (
            "Run the usability test before Christmas — someone should own this",
            "Run the usability test",
            None,
            date(2026, 12, 24),
        ),
        ("fyi @Ana Lima — I'll run the usability test tomorrow", "Run the usability test", "U0ME", date(2026, 5, 14)),
        ("With @Ana Lima's help, I'll run the usability test", "Run the usability test", "U0ME", None),
        ("Me and @Ben will run the usability test", "Run the usability test", "U0ME", None),
        ("@Ben + me: run the usability test", "Run the usability test", "U0BEN", None),
        ("I'll send @Ben the usability test notes", "Send Ben the usability test notes", "U0ME", None),
        (
            "@Ana Lima to run the usability test and send the notes to @Ben",
            "Run the usability test and send the notes to Ben",
            "U0ANA",
            None,
        ),
        ("@Ben to run the usability test, whenever", "Run the usability test", "U0BEN", None),
        (
            "@Ben to add a reply within 5 working days promise to the page",
            "Add a reply within 5 working days promise to the page",
            "U0BEN",
            None,
        ),
        ("I'll share the notes of today's usability test", "Share the notes of today's usability test", "U0ME", None),
        # list marks, owner phrases and dates written the fourth way
        ("AP: run the usability test — DRI @Ben, in 10 days", "Run the usability test", "U0BEN", date(2026, 5, 23)),
        (
            "1) Run the usability test, assigned: @Ben, by the 20th",
            "Run the usability test",
            "U0BEN",
            date(2026, 5, 20),
        ),
        ("- [ ] run the usability test", "Run the usability test", None, None),
        ("over to @Ben: run the usability test, 20/5", "Run the usability test", "U0BEN", date(2026, 5, 20)),
        ("@Ben pls: run the usability test", "Run the usability test", "U0BEN", None),
        ("Run the usability test — @Ben's on it, May 18", "Run the usability test", "U0BEN", date(2026, 5, 18)),
        (
            "Owner: @Ben | Due: 18 May | Action: run the usability test",
            "Run the usability test",
            "U0BEN",
            date(2026, 5, 18),
        ),
        ("Run the usability test — I'm on it", "Run the usability test", "U0ME", None),
        (
            "Run the usability test. I can take this, probably by Monday",
            "Run the usability test",
            "U0ME",
            date(2026, 5, 18),
        ),
        (
            "Run the usability test — it's mine, I'll get to it by the 20th",
            "Run the usability test",
            "U0ME",
            date(2026, 5, 20),
        ),
        ("thanks @Ben for flagging! I'll run the usability test", "Run the usability test", "U0ME", None),
        ("Just to close the loop: I'll run the usability test", "Run the usability test", "U0ME", None),
        ("As @Ben suggested, @Ana Lima to run the usability test", "Run the usability test", "U0ANA", None),
        (
            "Follow up with @Ben on the usability test — @Ana Lima",
            "Follow up with Ben on the usability test",
            "U0ANA",
            None,
        ),
        ("Run the usability test (low effort)", "Run the usability test", None, None),
        ("@Ben to run the usability test, H1", "Run the usability test", "U0BEN", date(2026, 6, 30)),
        ("@Ben to run the usability test, early next year probably", "Run the usability test", "U0BEN", None),
        (
            "Interview five customers who cancelled in April",
            "Interview five customers who cancelled in April",
            None,
            None,
        ),
        ("Run the usability test, due Feb", "Run the usability test", None, date(2027, 2, 28)),
        ("Run the usability test. Thurs", "Run the usability test", None, date(2026, 5, 14)),
    ],
)
def test_asides_list_marks_politeness_and_the_writer_after_an_aside_leave_the_title(
    text: str, title: str, owner: str | None, due: date | None
) -> None:
    draft = _by_me(text)
    assert (draft.title, draft.owner, draft.due) == (title, owner, due)


def test_who_helps_with_an_action_leaves_its_title_unless_meeting_them_is_the_action() -> None:
    helped = parse_action("I'll rewrite the red flags section with @Ben so it's plain english. 2 wks", [BEN], TODAY)
    assert helped.title == "Rewrite the red flags section so it's plain english"
    assert parse_action("Sync with @Ben on the pricing page", [BEN], TODAY).title == "Sync with Ben on the pricing page"
    assert parse_action("I'll run 5 interviews with a prototype, with @Ben", [BEN], TODAY).title == (
        "Run 5 interviews with a prototype"
    )


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # a question to someone after the action, a closing clause that leans on someone, "+1 @Ben," before it
        (
            "I'll make the source field required so we can measure word of mouth — @Ben ok?",
            "Make the source field required so we can measure word of mouth",
        ),
        (
            "I'll get deposit refunds down to 14 days, need @Ben to send the report within 48h",
            "Get deposit refunds down to 14 days",
        ),
        (
            "I'll check with legal what we can say about appeals, feeds into @Ben's rewrite",
            "Check with legal what we can say about appeals",
        ),
        ("+1 @Ben, support can write the sms copy", "Support can write the sms copy"),
        (
            "I can help @Ben with that, will test the questions with 5 householders",
            "Test the questions with 5 householders",
        ),
        # a reply quoting what it answers: the title is the answer's
        (
            "&gt; needs finance sign-off\nI'll book the finance review for the date changes",
            "Book the finance review for the date changes",
        ),
        # a mention that is what the action is done to stays
        ("@Ana Lima can you share the transcripts with @Ben by Wednesday?", "Share the transcripts with Ben"),
        # the writer and someone owning it together after the action, someone offered help
        (
            "60 sec setup video with a QR code on the box, me + @Ben, first cut by 15 June",
            "60 sec setup video with a QR code on the box",
        ),
        (
            "Build a 'is it the router or us?' checker in the app — owner me + @Ben, scoping",
            "Build a 'is it the router or us?' checker in the app",
        ),
        ("Happy to help @Ben with the designs for that", "Happy to help with the designs for that"),
        ("On it, I'll draft the copy and share with legal", "Draft the copy and share with legal"),
        ("Happy to help @Ben, I can run 5 quick tests on the draft", "Run 5 quick tests on the draft"),
    ],
)
def test_who_else_is_asked_or_leaned_on_leaves_the_title(text: str, title: str) -> None:
    assert _by_me(text).title == title


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        (
            "I'll book a room for the next session, will do it Monday",
            "Book a room for the next session",
            date(2026, 5, 18),
        ),
        ("@Ben please book the follow-up calls, next week is fine", "Book the follow-up calls", date(2026, 5, 22)),
        (
            "I'll look at why the emails go out on Sundays — tomorrow hopefully, Thursday latest",
            "Look at why the emails go out on Sundays",
            date(2026, 5, 14),
        ),
        (
            "I'll redo the map after the Jan sale, so realistically end of Feb",
            "Redo the map after the Jan sale",
            date(2027, 2, 28),
        ),
        (
            "we need the timings for the forecast, EOD tmrw if poss",
            "We need the timings for the forecast",
            date(2026, 5, 14),
        ),
        (
            "Pull the queried invoices so finance sees the disputes, give me 2 wks",
            "Pull the queried invoices so finance sees the disputes",
            date(2026, 5, 27),
        ),
        # the same words inside the action stay
        ("Check what will break in the new form", "Check what will break in the new form", None),
        ("Make sure the page is fine on mobile", "Make sure the page is fine on mobile", None),
    ],
)
def test_a_dates_hedge_leaves_the_title_with_the_date(text: str, title: str, due: date | None) -> None:
    action = parse_action(text, [m for m in (BEN,) if f"@{m[1]}" in text], TODAY, author="U0ME")
    assert (action.title, action.due) == (title, due)


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        # told of the owner rather than asked of them
        ("@Ben rebuilds the delivery slot picker by Friday", "Rebuild the delivery slot picker", date(2026, 5, 15)),
        ("next sprint: @Ben fixes the invoice PDF", "Fix the invoice PDF", None),
        ("@Ben tries the new booking flow, Friday", "Try the new booking flow", date(2026, 5, 15)),
        (
            "@Ben is going to chase the payments team, said he'd do it before Friday",
            "Chase the payments team",
            date(2026, 5, 15),
        ),
        # asked in other words, or after an aside
        (
            "@Ben can u review the claim status emails?? they still say 'processing'",
            "Review the claim status emails",
            None,
        ),
        ("@Ben would you mind re-running the cohort analysis?", "Re-running the cohort analysis", None),
        (
            "@Ben happy to run the interviews on the bill redesign? end of May",
            "Run the interviews on the bill redesign",
            date(2026, 5, 31),
        ),
        ("@Ben not urgent, but could you dig out the NPS verbatims", "Dig out the NPS verbatims", None),
        ("@Ben since you ran the last round, could you brief the new researchers?", "Brief the new researchers", None),
        ("Parking this for now, but we should merge the two loyalty apps", "Merge the two loyalty apps", None),
        (
            "hmm someone should probably tell the call centre about the refund promise",
            "Tell the call centre about the refund promise",
            None,
        ),
        (
            "I'll pick this one up asap — checking why the chat goes offline at night",
            "Checking why the chat goes offline at night",
            None,
        ),
        # a date said another way leaves no words behind
        ("not this Friday but the one after — @Ben to present the findings", "Present the findings", date(2026, 5, 22)),
        (
            "@Ben: a side-by-side of two competitors' returns journeys, by COB Thurs 14th",
            "A side-by-side of two competitors' returns journeys",
            date(2026, 5, 14),
        ),
        ("@Ben over to you for the next round of calls, end of June ok?", "The next round of calls", date(2026, 6, 30)),
        (
            "@Ben to rewrite the reminder emails, end of May (I'll review but he's driving)",
            "Rewrite the reminder emails",
            date(2026, 5, 31),
        ),
    ],
)
def test_an_action_told_asked_or_dated_in_passing_is_titled_as_the_action(
    text: str, title: str, due: date | None
) -> None:
    draft = parse_action(text, [BEN] if "@Ben" in text else [], TODAY, author="U0ME")
    assert (draft.title, draft.due) == (title, due)


def test_an_aside_is_kept_where_what_is_asked_points_back_to_it() -> None:
    draft = parse_action("Re the invoice templates, can you check them before launch?", [], TODAY)
    assert draft.title == "Re the invoice templates, can you check them?"


@pytest.mark.parametrize(
    "text",
    [
        "Add a 'getting worse? reply WORSE' option to the check-in text",
        "Add delivery site questions (forklift? dock? tail lift?) to the booking form",
    ],
)
def test_a_question_inside_quotes_or_brackets_does_not_end_the_title(text: str) -> None:
    assert parse_action(text, [], TODAY).title == text


@pytest.mark.parametrize(
    ("text", "title", "owner"),
    [
        # backing or credit before the action: the action follows, the credited person does not own it
        (
            "+1 to Sam's point. also we should add a retry button to checkout — on me",
            "Add a retry button to checkout",
            "U0ME",
        ),
        (
            "👍 on that. @Ben let's also get the branch opening hours into the chatbot",
            "Get the branch opening hours into the chatbot",
            "U0BEN",
        ),
        (
            "+1 — and can @Ben add a progress bar to the mortgage application?",
            "Add a progress bar to the mortgage application",
            "U0BEN",
        ),
        (
            "+1 to everything above. Also: @Ben to check the reading age of the reminder letter",
            "Check the reading age of the reminder letter",
            "U0BEN",
        ),
        (
            "Agreed. I'll get @Ben's feedback on the transfer flow into the backlog",
            "Get Ben's feedback on the transfer flow into the backlog",
            "U0ME",
        ),
        (
            "Nice work @Ben on the interviews 🙌 Next step: I'll cluster the pain points into themes",
            "Cluster the pain points into themes",
            "U0ME",
        ),
        (
            "shoutout to @Ben for the template :clap: — @Ana Lima will adapt it for the B2B onboarding",
            "Adapt it for the B2B onboarding",
            "U0ANA",
        ),
        # backing that goes on after a comma is part of the note's one sentence: the action stays
        ("+1 to @Ana Lima's idea, and add a retry button", "Add a retry button", None),
        ("Same here — I'll add a retry button to checkout", "Add a retry button to checkout", "U0ME"),
        ("+1 to this.", "+1 to this", None),  # backing alone is all the note says
    ],
)
def test_backing_or_credit_before_the_action_leaves_the_title_and_owns_nothing(
    text: str, title: str, owner: str | None
) -> None:
    draft = _by_me(text)
    assert (draft.title, draft.owner) == (title, owner)


@pytest.mark.parametrize(
    ("text", "title", "owner", "due"),
    [
        # filler before the action
        (
            "we really need to fix the 'session expired' loop on the portal. @Ben can you own?",
            "Fix the 'session expired' loop on the portal",
            "U0BEN",
            None,
        ),
        (
            "Need someone to map the refund journey for marketplace sellers. any takers?",
            "Map the refund journey for marketplace sellers",
            None,
            None,
        ),
        ("we need someone from ops to map the refund journey", "Map the refund journey", None, None),
        (
            "pls @Ben share the churn survey data with @Ana Lima's team by thurs",
            "Share the churn survey data with Ana Lima's team",
            "U0BEN",
            date(2026, 5, 14),
        ),
        (
            "let's get @Ben to run a card sort on the help centre categories",
            "Run a card sort on the help centre categories",
            "U0BEN",
            None,
        ),
        ("Mine. I'll update the onboarding checklist", "Update the onboarding checklist", "U0ME", None),
        (
            "mine 🙋 — test the new tracking page with 5 over-65s",
            "Test the new tracking page with 5 over-65s",
            "U0ME",
            None,
        ),
        (
            "Yep I'll take that one — A/B test the shorter quote form, results by end of May",
            "A/B test the shorter quote form",
            "U0ME",
            date(2026, 5, 31),
        ),
        (
            "I'll take the accessibility one, by Thursday — checking contrast on the fare calculator",
            "Checking contrast on the fare calculator",
            "U0ME",
            date(2026, 5, 14),
        ),
        # what is left after the date: a hedge, or who might own it, asked
        (
            "i'll chase IT about the kiosk login timeout, should have something by wed",
            "Chase IT about the kiosk login timeout",
            "U0ME",
            date(2026, 5, 20),
        ),
        (
            "@Ben can you chase the vendor for the payments SDK — need it by Friday",
            "Chase the vendor for the payments SDK",
            "U0BEN",
            date(2026, 5, 15),
        ),
        (
            "I'll set up the diary study with 8 gym members, ready by Friday",
            "Set up the diary study with 8 gym members",
            "U0ME",
            date(2026, 5, 15),
        ),
        (
            "@Ben please create the Jira epic for the portal changes — end of day tmrw",
            "Create the Jira epic for the portal changes",
            "U0BEN",
            date(2026, 5, 14),
        ),
        (
            "I'll ping procurement about the licence, first thing tomorrow",
            "Ping procurement about the licence",
            "U0ME",
            date(2026, 5, 14),
        ),
        (
            "Add estimated wait time to the chat widget (someone from the chat squad?) — after the freeze",
            "Add estimated wait time to the chat widget",
            None,
            None,
        ),
        (
            "Set up a shared inbox for supplier queries — someone from ops? next sprint",
            "Set up a shared inbox for supplier queries",
            None,
            None,
        ),
        # the same words as the action's own stay
        (
            "Let's get the branch opening hours into the chatbot",
            "Get the branch opening hours into the chatbot",
            None,
            None,
        ),
        (
            "Ask someone from ops whether the inbox is shared",
            "Ask someone from ops whether the inbox is shared",
            None,
            None,
        ),
    ],
)
def test_filler_before_the_action_and_after_its_date_leaves_the_title(
    text: str, title: str, owner: str | None, due: date | None
) -> None:
    draft = _by_me(text)
    assert (draft.title, draft.owner, draft.due) == (title, owner, due)


@pytest.mark.parametrize(
    ("text", "title", "owner"),
    [
        # an owner field names the owner; someone the action is done with stays in the title
        ("Review the audit findings w/ @Ben (owner: @Ana Lima) 21/5", "Review the audit findings with Ben", "U0ANA"),
        # the writer named first with someone else owns it; named second, not
        (
            "Draft a definition of 'resolved' for complaints — me and @Ben — by Fri",
            "Draft a definition of 'resolved' for complaints",
            "U0ME",
        ),
        (
            "Review the new journey map with the night team — @Ben and me, next week",
            "Review the new journey map with the night team",
            "U0BEN",
        ),
    ],
)
def test_an_owner_field_or_the_writer_named_first_owns_the_action(text: str, title: str, owner: str) -> None:
    draft = _by_me(text)
    assert (draft.title, draft.owner) == (title, owner)


@pytest.mark.parametrize(
    ("text", "title", "owner"),
    [
        # "&" and "<" as the bot reads them, Slack's escapes undone: "&" joins two owners and ends no title
        (
            "@Ben: get quotes for translating the help centre into Polish & Romanian — end of June",
            "Get quotes for translating the help centre into Polish & Romanian",
            "U0BEN",
        ),
        ("@Ana Lima & @Ben — redesign the lost card flow. mid-June", "Redesign the lost card flow", "U0ANA"),
        (
            "Add the <noscript> fallback to the booking page",
            "Add the <noscript> fallback to the booking page",
            None,
        ),
        # "w/" is "with"; "w/c" is a week
        (
            "@Ben can u set up 5 interviews w/ first-time landlords w/c 18 May",
            "Set up 5 interviews with first-time landlords",
            "U0BEN",
        ),
        ("@Ben pls share the verbatims w/ the group. cc @Ana Lima", "Share the verbatims with the group", "U0BEN"),
    ],
)
def test_slack_escapes_and_shorthand_read_as_written(text: str, title: str, owner: str | None) -> None:
    draft = _by_me(text)
    assert (draft.title, draft.owner) == (title, owner)


def test_a_slash_before_a_word_like_a_field_is_no_form() -> None:
    """ "Owner: @Ben / Due: Friday / Action: …" is a form; "a 'what's covered / what's not' table" is words."""
    draft = parse_action(
        "rewrite the cover page as a 'what's covered / what's not' table, draft by end of Jan", [], TODAY
    )
    assert draft.title == "Rewrite the cover page as a 'what's covered / what's not' table"
