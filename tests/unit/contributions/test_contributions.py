"""How a participant's thread reply becomes contributions (fictional product: Tally, invoicing app)."""

from __future__ import annotations

import pytest

from workflows.contributions.parsing import ParsedNote, parse_reply, take_evidence_tag
from workflows.contributions.service import headings_kept
from workflows.mapping.models import Evidence, StepKey
from workflows.workshop.stages import resolve_stage_model


def texts(reply: str, **options: object) -> list[str]:
    return [note.text for note in parse_reply(reply, **options)]


def test_a_plain_reply_is_one_assumption() -> None:
    assert parse_reply("Checkout times out on mobile Safari") == [
        ParsedNote(text="Checkout times out on mobile Safari", evidence=Evidence.assumption)
    ]


def test_a_multi_line_paragraph_stays_one_contribution() -> None:
    reply = "Priya invoices from her phone between client meetings,\nso the mobile app is where she lives."
    assert texts(reply) == [reply]
    goes_on = "the help desk gets ~900 of those calls a yr,\nwe can't answer them, we transfer"
    assert texts(goes_on) == [goes_on]
    assert texts("Refund form breaks\non Android") == ["Refund form breaks\non Android"]  # a sentence wrapped
    assert texts("the help desk gets ~900 calls a yr\nthe chatbot answers none of them") == [
        "the help desk gets ~900 calls a yr",
        "the chatbot answers none of them",
    ]
    tagged = 'the price guide lowballs branded items.\n[interview] "It said my coat was worth £14"'
    assert texts(tagged) == [tagged]  # a quotation tagged as the evidence for the line above
    assert texts("Reminders are too late\n(the first one goes out on day 30)") == [
        "Reminders are too late\n(the first one goes out on day 30)"
    ]


@pytest.mark.parametrize(
    ("reply", "points"),
    [
        (
            "Buy - the pricing page only shows monthly\nBuy - checkout asks for a phone number",
            ["Buy - the pricing page only shows monthly", "Buy - checkout asks for a phone number"],
        ),
        (
            "[Setup] the wizard skips wi-fi\n[Setup] the welcome email",
            ["[Setup] the wizard skips wi-fi", "[Setup] the welcome email"],
        ),
        (
            "Why: invalid forms cost 40 mins each.\nSuccess: under 20% invalid",
            ["Why: invalid forms cost 40 mins each.", "Success: under 20% invalid"],
        ),
        (
            "install day: the engineer rang from the doorstep\nsetup: the app wants bluetooth",
            ["install day: the engineer rang from the doorstep", "setup: the app wants bluetooth"],
        ),
        # a quoted line and a lead-in stay with the line they lead to
        (
            "&gt; pre-app advice\nuptake is tiny\nThe duty planner line",
            ["&gt; pre-app advice\nuptake is tiny", "The duty planner line"],
        ),
        (
            'One caller put it best:\n"I just want to know when"',
            ['One caller put it best:\n"I just want to know when"'],
        ),
        ("Advocacy -\nthe referral page nobody finds", ["Advocacy -\nthe referral page nobody finds"]),
        ("Arrive →\nthe gates reject paper tickets", ["Arrive →\nthe gates reject paper tickets"]),
    ],
)
def test_plain_lines_that_stand_alone_are_contributions_of_their_own(reply: str, points: list[str]) -> None:
    assert texts(reply) == points


def test_quoted_lines_under_a_source_are_items_of_their_own() -> None:
    assert texts("survey:\n&gt; the discount showed up after I paid\n&gt; pickup is 3pm, who finishes at 3pm??") == [
        "&gt; the discount showed up after I paid",
        "&gt; pickup is 3pm, who finishes at 3pm??",
    ]


def test_a_quoted_line_over_bullets_goes_with_the_first_bullet() -> None:
    assert texts("&gt; toner runs out\n• auto-reorder at 20%\n• a low-toner email") == [
        "&gt; toner runs out\nauto-reorder at 20%",
        "a low-toner email",
    ]


@pytest.mark.parametrize(
    "reply",
    [
        "- Slow checkout\n- No invoice PDF on mobile\n- Pricing page hides VAT",
        "* Slow checkout\n* No invoice PDF on mobile\n* Pricing page hides VAT",
        "• Slow checkout\n• No invoice PDF on mobile\n• Pricing page hides VAT",
        "1. Slow checkout\n2. No invoice PDF on mobile\n3. Pricing page hides VAT",
        "1) Slow checkout\n2) No invoice PDF on mobile\n3) Pricing page hides VAT",
        "\n  - Slow checkout  \n\n  - No invoice PDF on mobile\n    ◦ Pricing page hides VAT\n",
    ],
)
def test_each_bullet_is_its_own_contribution(reply: str) -> None:
    assert texts(reply) == ["Slow checkout", "No invoice PDF on mobile", "Pricing page hides VAT"]


def test_a_short_intro_line_introduces_the_bullets_rather_than_being_one() -> None:
    assert texts("From this week's tickets:\n- Bank sync drops\n- Payout failed twice") == [
        "Bank sync drops",
        "Payout failed twice",
    ]


def test_lines_under_a_short_intro_are_separate_even_without_bullets() -> None:
    reply = "Where it hurts:\nCheckout times out\nVAT field is confusing\nNo dark mode"
    assert texts(reply) == ["Checkout times out", "VAT field is confusing", "No dark mode"]


def test_one_line_under_a_label_stays_with_its_label() -> None:
    assert texts("Segment:\nfreelance illustrators in the EU") == ["Segment:\nfreelance illustrators in the EU"]


def test_a_wrapped_bullet_continues_and_a_paragraph_after_a_blank_line_is_new() -> None:
    reply = "- Checkout times out\n  on mobile Safari only\n- VAT field is confusing\n\nAlso: no one reads FAQs."
    assert texts(reply) == [
        "Checkout times out on mobile Safari only",
        "VAT field is confusing",
        "Also: no one reads FAQs.",
    ]


def test_numbers_and_minus_signs_in_a_sentence_are_not_bullets() -> None:
    assert texts("-5% conversion on mobile since the redesign") == ["-5% conversion on mobile since the redesign"]
    assert texts("1.5 million invoices sent last year") == ["1.5 million invoices sent last year"]


def test_a_tag_opening_the_reply_applies_to_all_its_bullets_and_a_bullet_tag_wins() -> None:
    notes = parse_reply("[ticket]\n- Bank sync drops every Monday\n- [survey] Reminders feel pushy\n- Payout failed")
    assert [(note.text, note.evidence) for note in notes] == [
        ("Bank sync drops every Monday", Evidence.ticket),
        ("Reminders feel pushy", Evidence.survey),
        ("Payout failed", Evidence.ticket),
    ]


@pytest.mark.parametrize(
    ("reply", "evidence"),
    [
        ("[interview] She prints every invoice", Evidence.interview),
        ("[Interviews] She prints every invoice", Evidence.interview),
        ("[ TICKETS ] She prints every invoice", Evidence.ticket),
        ("[support ticket] She prints every invoice", Evidence.ticket),
        ("[Survey] She prints every invoice", Evidence.survey),
        ("[analytics] She prints every invoice", Evidence.analytics),
        ("[observed] She prints every invoice", Evidence.observation),
        ("[Observation] She prints every invoice", Evidence.observation),
        ("[assumption] She prints every invoice", Evidence.assumption),
        ("She prints every invoice [interview]", Evidence.interview),
        ("She prints every invoice", Evidence.assumption),
    ],
)
def test_evidence_tags_are_read_leniently_and_removed(reply: str, evidence: Evidence) -> None:
    assert parse_reply(reply) == [ParsedNote(text="She prints every invoice", evidence=evidence)]


def test_an_unknown_bracket_is_part_of_the_text() -> None:
    assert parse_reply("[WIP] Dunning emails") == [ParsedNote(text="[WIP] Dunning emails")]


def test_a_tagged_heading_applies_to_the_items_below_it() -> None:
    notes = parse_reply("Heard in calls: [interview]\n- Wants PayPal\n\n[tickets] Support says:\n- VAT confusion")
    assert [(note.text, note.evidence) for note in notes] == [
        ("Wants PayPal", Evidence.interview),
        ("VAT confusion", Evidence.ticket),
    ]


def test_headings_label_the_items_only_when_asked_for_the_persona_step() -> None:
    reply = "Goals:\n- get paid within a week\nFrustrations:\n- chasing late payments"
    assert texts(reply) == ["get paid within a week", "chasing late payments"]
    assert texts(reply, keep_headings=True) == [
        "Goals: get paid within a week",
        "Frustrations: chasing late payments",
    ]


def test_a_line_in_bold_heads_the_list_below_it_but_a_bullet_in_bold_is_an_item() -> None:
    assert texts("*Goals*\n- get paid within a week", keep_headings=True) == ["Goals: get paid within a week"]
    assert texts("*Goals:*\n- get paid within a week") == ["get paid within a week"]
    assert texts("• *Google ads*\n• *YouTube reviews*") == ["*Google ads*", "*YouTube reviews*"]
    assert texts("*Payouts take three days*") == ["*Payouts take three days*"]  # a note in bold is a note


def test_in_the_staged_steps_a_heading_stays_only_when_it_names_a_stage() -> None:
    kept = headings_kept(StepKey.pain_points, resolve_stage_model(None))
    assert texts("*Awareness*\n- ads are costly\nFrom tickets:\n- VAT confusion", keep_headings=kept) == [
        "Awareness: ads are costly",
        "VAT confusion",
    ]
    nested = "• Awareness\n   ◦ ads are costly\n• Purchase stage\n   ◦ the card form rejects Amex"
    assert texts(nested, keep_headings=kept) == [
        "Awareness: ads are costly",
        "Purchase stage: the card form rejects Amex",
    ]
    # a line that names a stage in passing is a note, not a heading
    assert texts("We lose people in the purchase stage\n- card form", keep_headings=kept) == [
        "We lose people in the purchase stage",
        "card form",
    ]


@pytest.mark.parametrize(
    ("heading", "kept"),
    [
        ("Adoption is where it really hurts imo:", "Adoption"),
        ("Adoption (what ops runs):", "Adoption"),
        ("Retention — money:", "Retention"),
        ("sorry late to the party :wave: expansion stuff:", "Expansion"),
        ("tutor stuff, while adopting the app:", "Adoption"),  # another form of a one-word name
        ("Purchase vs adoption:", None),  # two stages: the items say which, if any
        # a long lead-in that files its list
        ("returns, I'd put these under Retention since it's the thing that brings them back every week:", "Retention"),
        ("From this week's tickets:", None),
        ("Adoption -", "Adoption"),  # a dash or an arrow leads in as a colon does
        ("Adoption →", "Adoption"),
    ],
)
def test_a_heading_that_says_a_little_more_about_one_stage_puts_its_items_on_that_stage(
    heading: str, kept: str | None
) -> None:
    reply = f"{heading}\n• menu onboarding takes forever\n• 1 in 3 menus goes live with a wrong price"
    items = texts(reply, keep_headings=headings_kept(StepKey.pain_points, resolve_stage_model("b2b")))
    prefix = f"{kept}: " if kept else ""
    assert items == [f"{prefix}menu onboarding takes forever", f"{prefix}1 in 3 menus goes live with a wrong price"]


def test_an_item_ending_on_an_emoji_code_is_no_heading() -> None:
    """ ":neutral_face:" closes a bullet on a colon; the list's own heading still heads all its items."""
    reply = "Adoption:\n• the setup wizard, mostly on her phone :neutral_face:\n• the welcome email\n• the help centre"
    items = texts(reply, keep_headings=headings_kept(StepKey.touchpoints, resolve_stage_model("b2b")))
    assert items == [
        "Adoption: the setup wizard, mostly on her phone :neutral_face:",
        "Adoption: the welcome email",
        "Adoption: the help centre",
    ]


@pytest.mark.parametrize("reply", ["", "   \n\t ", "[interview]", "- \n-\n*   ", "- [ticket]\n- "])
def test_nothing_to_say_gives_no_contributions(reply: str) -> None:
    assert parse_reply(reply) == []


def test_a_very_long_reply_is_kept_whole() -> None:
    reply = ("Priya explained her month-end routine in detail. " * 900)[:40_000].strip()
    assert len(reply) > 39_900
    assert texts(reply) == [reply]


def test_emoji_and_other_languages_come_through_untouched() -> None:
    assert texts("• Le paiement échoue sur mobile 😡\n• 請求書が届かない\n• Zahlung klappt nicht 🙁") == [
        "Le paiement échoue sur mobile 😡",
        "請求書が届かない",
        "Zahlung klappt nicht 🙁",
    ]


def test_take_evidence_tag_reports_no_tag_as_none() -> None:
    assert take_evidence_tag("  plain note ") == (None, "plain note")
    assert take_evidence_tag("[CSAT] 3/5 on onboarding") == (Evidence.survey, "3/5 on onboarding")


def test_a_tag_that_is_a_stages_name_is_the_stage_not_evidence() -> None:
    """A team whose journey has an Interview stage writes "[Interview]" for it; elsewhere it is evidence."""
    hiring = headings_kept(StepKey.pain_points, resolve_stage_model("Find job, Apply, Interview, Offer"))
    reply = "[Interview] candidates get the panel names the morning of"
    assert parse_reply(reply, keep_headings=hiring) == [ParsedNote(text=reply)]
    assert parse_reply(reply) == [ParsedNote(text=reply.removeprefix("[Interview] "), evidence=Evidence.interview)]


def test_a_heading_that_names_a_source_is_the_evidence_of_its_items() -> None:
    reply = "From this week's tickets:\n- VAT confusion\n- [interview 2] PDF export fails"
    assert [(n.text, n.evidence) for n in parse_reply(reply)] == [
        ("VAT confusion", Evidence.ticket),
        ("PDF export fails", Evidence.interview),
    ]
    assert [n.evidence for n in parse_reply("Seek support:\n- chat\n- phone")] == [Evidence.assumption] * 2
