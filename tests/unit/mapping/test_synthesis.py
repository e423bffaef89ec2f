"""The map parts built without an LLM, on a workshop about Tally (fictional invoicing app for freelancers).

Synthesis runs on the real embedded model, loaded once for the module: what matters is where a real team's
notes end up, not what a fake embedder returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest

from workflows.actions.parsing import ActionDraft
from workflows.contributions.parsing import parse_reply
from workflows.mapping.models import Contribution, Evidence, PainPoint, Theme, Touchpoint, Verbatim
from workflows.mapping.persona import DEFAULT_PERSONA_NAME, MAX_PERSONA_ITEMS, MAX_VERBATIMS, build_persona
from workflows.mapping.synthesis import (
    channel_of,
    emotion_of,
    link_actions,
    link_pain_points,
    place_touchpoints,
    stage_emotion,
    touchpoint_of,
)
from workflows.themes.clustering.embeddings import Embedder, get_embedder
from workflows.workshop.stages import PRESETS, resolve_stage_model

STAGES = PRESETS["default"]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder()


def theme(theme_id: str, *notes: str, evidence: Evidence = Evidence.assumption) -> Theme:
    contributions = [
        Contribution(user=f"U{n}", ts=f"1700000000.00{n}", text=text, evidence=evidence)
        for n, text in enumerate(notes, start=1)
    ]
    return Theme(id=theme_id, title=notes[0][:60], contributions=contributions)


# persona

PERSONA_STEP = [
    theme("s-name", "Meet Priya, a freelance illustrator who invoices 8 clients a month.", "Name: Priya Raman"),
    theme(
        "s-goals",
        "She wants to get paid within a week, not a month.",
        "Her goal is to spend less than an hour a week on admin",
    ),
    theme(
        "s-pains",
        "Hates chasing clients for late payments. “I feel like a debt collector.”",
        "Frustrated that the app logs her out on her phone",
        "Struggles with VAT rules for EU clients",
    ),
    theme(
        "s-needs",
        "Needs to send invoices from her phone between meetings",
        "Expects a reminder email to go out automatically",
    ),
]


def test_persona_card_from_a_persona_step() -> None:
    quote = theme(
        "s-quote",
        "I just want the money to show up without me thinking about it",
        evidence=Evidence.interview,
    )
    persona = build_persona([*PERSONA_STEP, quote])
    assert persona.name == "Priya"
    assert persona.segment == "Freelance illustrator who invoices 8 clients a month"
    assert persona.goals[:2] == [
        "She wants to get paid within a week, not a month",
        "Her goal is to spend less than an hour a week on admin",
    ]
    assert persona.needs == [
        "Needs to send invoices from her phone between meetings",
        "Expects a reminder email to go out automatically",
    ]
    assert persona.frustrations == [
        "Hates chasing clients for late payments",
        "Frustrated that the app logs her out on her phone",
        "Struggles with VAT rules for EU clients",
    ]
    assert persona.verbatims == [  # the interview note first: customers' words heard in an interview lead
        Verbatim(text="I just want the money to show up without me thinking about it", user="U1"),
        Verbatim(text="I feel like a debt collector.", user="U1"),
    ]


def test_the_most_mentioned_themes_lead_the_card() -> None:
    persona = build_persona(
        [
            theme("few", "Wants a dark mode"),
            theme(
                "many",
                "Wants to get paid faster",
                "Wants fewer late payments",
                "Wants cash flow she can plan",
            ),
        ]
    )
    assert persona.goals == [
        "Wants to get paid faster",
        "Wants fewer late payments",
        "Wants cash flow she can plan",
        "Wants a dark mode",
    ]


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("Let's call her Zoë", "Zoë"),
        ("Persona name: Kwame Mensah", "Kwame Mensah"),
        ("Her name is Ana, she runs a bakery", "Ana"),
        ("We need to meet deadlines", DEFAULT_PERSONA_NAME),
        ("No name given", DEFAULT_PERSONA_NAME),
    ],
)
def test_persona_name(note: str, name: str) -> None:
    assert build_persona([theme("s", note)]).name == name


def test_the_name_is_the_teams_last_word_on_it_even_in_a_wrap_up_that_is_no_note() -> None:
    later = Contribution(
        user="U1", ts="1700000010.000100", text="final answer: First-Nest Freya, she just bought a flat"
    )
    earlier = Contribution(user="U2", ts="1700000002.000100", text="final answer: Nesting Nina")
    wrap_up = Contribution(
        user="U3", ts="1700000020.000100", text="Persona locked as *Freya* :tada: thanks all, touchpoints next"
    )
    themes = [Theme(id="a", title="Names", contributions=[later, earlier])]  # a theme lists its notes by no time
    assert build_persona(themes).name == "First-Nest Freya"
    assert build_persona(themes, [wrap_up]).name == "Freya"


@pytest.mark.parametrize(
    ("note", "segment"),
    [
        ("Segment: solo designers in the EU", "Solo designers in the EU"),
        ("Our customers are mostly small business owners and busy parents", "Small business owners"),
        ("She is a photographer who bills per shoot", "Photographer who bills per shoot"),
        ("Wants less admin", None),
    ],
)
def test_persona_segment(note: str, segment: str | None) -> None:
    assert build_persona([theme("s", note)]).segment == segment


def test_section_labels_from_the_reply_sort_the_items() -> None:
    reply = "Goals:\n- get paid faster\n- less admin\nFrustrations:\n- chasing late payments\n- app logs her out"
    notes = [note.text for note in parse_reply(reply, keep_headings=True)]
    persona = build_persona([theme("s", *notes)])
    assert persona.goals == ["Get paid faster", "Less admin"]
    assert persona.frustrations == ["Chasing late payments", "App logs her out"]
    assert persona.segment is None


def test_without_cue_words_the_theme_titles_become_goals() -> None:
    persona = build_persona(
        [theme("de", "Kleine Unternehmen mit 1-5 Mitarbeitern"), theme("seg", "Segment: Handwerksbetriebe")]
    )
    assert persona.goals == ["Kleine Unternehmen mit 1-5 Mitarbeitern"]
    assert persona.segment == "Handwerksbetriebe"
    assert persona.name == DEFAULT_PERSONA_NAME


def test_lists_are_capped_and_repeats_dropped() -> None:
    persona = build_persona(
        [theme("s", *[f"Hates step {n} of the VAT form" for n in range(9)], "hates step 0 of the VAT form")]
    )
    assert len(persona.frustrations) == MAX_PERSONA_ITEMS
    many_quotes = [f'"I had to ring support {n} times before it worked"' for n in range(9)]
    assert len(build_persona([theme("q", *many_quotes)]).verbatims) == MAX_VERBATIMS


def test_an_empty_persona_step_still_gives_a_card() -> None:
    persona = build_persona([])
    assert persona.name == DEFAULT_PERSONA_NAME
    assert (persona.segment, persona.goals, persona.verbatims) == (None, [], [])


# channels and emotions


@pytest.mark.parametrize(
    ("notes", "channel"),
    [
        (["Sees our ad on Instagram while scrolling", "Found us on Google"], "ads"),
        (["Gets a reminder email when a client pays late", "Opens the newsletter"], "email"),
        (["Sends the first invoice from the mobile app", "Gets a reminder email"], "mobile app"),
        (["Calls the hotline about a failed payout"], "phone"),
        (["Asks about VAT in the live chat"], "chat"),
        (["Books a demo with a sales rep"], "sales call"),
        (["Tells other freelancers in a Slack community"], "community"),
        (["Reads the pricing page", "Compares plans on the website"], "website"),
        (["Thinks about switching"], None),
        (["Happy 🙂"], None),
    ],
)
def test_channel_of(notes: list[str], channel: str | None) -> None:
    assert channel_of(notes) == channel


@pytest.mark.parametrize(
    ("notes", "emotion"),
    [
        (["Loves how fast the first invoice goes out"], 2.0),
        (["Setup was easy"], 1.0),
        (["Checkout is slow and confusing"], -2.0),
        (["Hates chasing payments 😡"], -2.0),
        (["The VAT field is not clear"], -1.0),
        (["Payment failed :rage:"], -2.0),
        (["Got paid on time :tada:"], 2.0),
        (["Reminders ❤️"], 2.0),
        (["Can't wait to try the new reports"], 1.0),
        (["Can't find the VAT field"], -1.0),
        (["Setup was easy", "Checkout is slow"], 0.0),
        (["Sends an invoice", "Opens the dashboard"], None),
        ([], None),
    ],
)
def test_emotion_of(notes: list[str], emotion: float | None) -> None:
    assert emotion_of(notes) == emotion


def test_a_stage_emotion_is_the_mean_of_its_touchpoints() -> None:
    touchpoints = [
        Touchpoint(theme_id="a", title="a", emotion=-2),
        Touchpoint(theme_id="b", title="b", emotion=1),
    ]
    touchpoints.append(Touchpoint(theme_id="c", title="no signal"))
    assert stage_emotion(touchpoints) == -0.5
    assert stage_emotion([Touchpoint(theme_id="c", title="no signal")]) is None
    assert stage_emotion([]) is None


# touchpoints on stages

TOUCHPOINTS = [
    theme("t-ads", "Sees our ad on Instagram while scrolling", "Found us through a Google search for invoicing"),
    theme("t-compare", "Compares our pricing page with FreshBooks", "Reads reviews on Capterra before deciding"),
    theme(
        "t-pay",
        "Pays for the annual plan with a card at checkout",
        "Checkout asks for a VAT number, confusing",
    ),
    theme("t-renew", "Renews the subscription every year", "Cancels when the price goes up"),
    theme("t-tell", "Tells other freelancers about us in a Slack community", "Leaves a 5-star review, loves it"),
    theme("t-support", "Calls support when bank sync breaks", "Chats with support about a failed payout"),
]


@pytest.fixture(scope="module")
def placed(embedder: Embedder) -> list[tuple[str, Touchpoint]]:
    return place_touchpoints(TOUCHPOINTS, STAGES, embedder)


def test_touchpoints_land_on_the_stage_of_the_customers_goal(placed: list[tuple[str, Touchpoint]]) -> None:
    assert [(stage, touchpoint.theme_id) for stage, touchpoint in placed] == [
        ("Awareness", "t-ads"),
        ("Consideration", "t-compare"),
        ("Purchase", "t-pay"),
        ("Retention", "t-renew"),
        ("Advocacy", "t-tell"),
        ("Retention", "t-support"),
    ]


def test_touchpoints_carry_title_channel_and_emotion(placed: list[tuple[str, Touchpoint]]) -> None:
    by_id = {touchpoint.theme_id: touchpoint for _, touchpoint in placed}
    assert by_id["t-ads"] == Touchpoint(
        theme_id="t-ads", title="Sees our ad on Instagram while scrolling", channel="ads", emotion=None
    )
    assert by_id["t-pay"].emotion == -1.0
    assert by_id["t-tell"].channel == "community"
    assert by_id["t-tell"].emotion == 2.0
    assert by_id["t-support"].channel == "support"


def test_a_stage_named_in_the_notes_wins_over_similarity(embedder: Embedder) -> None:
    named = theme("t", "Sees our ad on Instagram (Advocacy, since fans share it)", "advocacy: reposts by fans")
    assert place_touchpoints([named], STAGES, embedder)[0][0] == "Advocacy"


def test_the_majority_of_named_stages_wins_and_a_tie_goes_to_the_closer_stage(embedder: Embedder) -> None:
    majority = theme("m", "Retention: renews yearly", "Retention risk when prices rise", "Purchase was easy")
    tie = theme("t", "Pays for the annual plan at checkout with a card", "Somewhere between Purchase and Retention")
    placed = place_touchpoints([majority, tie], STAGES, embedder)
    assert [stage for stage, _ in placed] == ["Retention", "Purchase"]


def test_everyday_words_only_name_a_stage_when_written_as_one(embedder: Embedder) -> None:
    stages = resolve_stage_model("ecommerce")
    casual = theme("c", "Customers use the search bar to find sizes", "They try to filter by colour")
    as_stage = theme("s", "Customers browse the catalogue in the Use stage")
    placed = dict(
        (touchpoint.theme_id, stage) for stage, touchpoint in place_touchpoints([casual, as_stage], stages, embedder)
    )
    assert placed["c"] != "Use"
    assert placed["s"] == "Use"


def test_a_capitalised_stage_name_counts_but_the_everyday_word_does_not(embedder: Embedder) -> None:
    labelled = theme("l", "Reads the monthly newsletter (Purchase)")
    casual = theme("c", "Reads the monthly newsletter after the purchase")
    placed = place_touchpoints([labelled, casual], STAGES, embedder)
    assert [stage for stage, _ in placed] == ["Purchase", "Retention"]


def test_custom_stages_and_odd_notes_are_all_placed(embedder: Embedder) -> None:
    stages = resolve_stage_model("Notice, Sign up, Invoice, Get paid")
    odd = [
        theme("emoji", "🎉🎉🎉"),
        theme("jp", "請求書をスマホから送る"),
        theme("long", "She opens the app and " * 300),
        Theme(id="empty", title="Left empty"),
    ]
    placed = place_touchpoints(odd, stages, embedder)
    assert [touchpoint.theme_id for _, touchpoint in placed] == ["emoji", "jp", "long", "empty"]
    assert {stage for stage, _ in placed} <= {stage.name for stage in stages}
    assert place_touchpoints([], stages, embedder) == []


# pain points


PAINS = [
    theme("p-checkout", "Checkout times out on mobile Safari", "Card payment fails at checkout"),
    theme("p-sync", "Bank sync disconnects every week", "Payouts show up late because sync broke"),
    theme("p-seo", "Hard to find us on Google", "Nobody has heard of us"),
    theme("p-coffee", "The office coffee machine is broken"),
]


@pytest.fixture(scope="module")
def linked(embedder: Embedder, placed: list[tuple[str, Touchpoint]]) -> list[tuple[str, PainPoint]]:
    return link_pain_points(PAINS, TOUCHPOINTS, placed, STAGES, embedder)


def test_pain_points_are_linked_to_the_touchpoint_where_they_hurt(
    linked: list[tuple[str, PainPoint]],
) -> None:
    assert [(stage, pain.theme_id, pain.touchpoint) for stage, pain in linked] == [
        ("Purchase", "p-checkout", "t-pay"),
        ("Retention", "p-sync", "t-support"),
        ("Awareness", "p-seo", "t-ads"),
        (linked[3][0], "p-coffee", None),
    ]
    assert linked[3][0] in {stage.name for stage in STAGES}


def test_a_pain_point_that_only_reads_a_little_like_a_touchpoint_is_at_none(embedder: Embedder) -> None:
    # the map would say the pain hurts at the welcome emails: a wrong "at" misleads more than none
    emails = theme("t-emails", "Welcome email sequence: open rate drops from 64% to 18% by email 3")
    pain = theme("p", "No automatic payment reminders, so people write awkward chasing emails to their clients")
    [(stage, linked)] = link_pain_points([pain], [emails], [("Purchase", touchpoint_of(emails))], STAGES, embedder)
    assert linked.touchpoint is None
    assert stage in {stage.name for stage in STAGES}


def test_without_touchpoints_pain_points_go_to_their_nearest_stage(embedder: Embedder) -> None:
    linked = link_pain_points(PAINS[:2], [], [], STAGES, embedder)
    assert [(stage, pain.touchpoint) for stage, pain in linked] == [("Purchase", None), ("Retention", None)]


def test_a_stage_named_in_a_pain_point_wins(embedder: Embedder, placed: list[tuple[str, Touchpoint]]) -> None:
    pain = theme("p", "Consideration: the pricing page hides that VAT is extra")
    [(stage, linked)] = link_pain_points([pain], TOUCHPOINTS, placed, STAGES, embedder)
    assert (stage, linked.touchpoint) == ("Consideration", "t-compare")


def test_no_pain_points_no_links(embedder: Embedder, placed: list[tuple[str, Touchpoint]]) -> None:
    assert link_pain_points([], TOUCHPOINTS, placed, STAGES, embedder) == []


# actions


def test_actions_are_linked_to_the_pain_point_they_address(embedder: Embedder) -> None:
    drafts = [
        ActionDraft(title="Fix the checkout timeout on Safari", owner="U0ANA", due=date(2026, 5, 15)),
        ActionDraft(title="Reconnect bank sync automatically", owner="U0BEN"),
        ActionDraft(title="Hire a new office manager"),
        ActionDraft(title="Renegotiate the office lease"),
    ]
    items = link_actions(drafts, PAINS, {"p-checkout": "Purchase", "p-sync": "Retention"}, embedder)
    assert [(item.id, item.pain_point, item.stage) for item in items] == [
        ("A1", "p-checkout", "Purchase"),
        ("A2", "p-sync", "Retention"),
        ("A3", "p-coffee", None),
        ("A4", None, None),
    ]
    assert (items[0].title, items[0].owner, items[0].due) == (
        "Fix the checkout timeout on Safari",
        "U0ANA",
        date(2026, 5, 15),
    )


def test_an_action_addresses_the_pain_point_whose_notes_say_its_words(embedder: Embedder) -> None:
    """Closest in meaning is not enough: the demo's "document is rejected" action went to a pain point about trials
    that stall, not to the one whose note says the ID photo gets rejected without saying what is missing."""
    pains = [
        theme(
            "p-payout",
            "Payouts stuck in 'Verifying' for 3-5 business days",
            "Payout verification never says what's missing: a blurry ID photo gets rejected by email 3 days later",
        ),
        theme(
            "p-trial",
            "18% of trials never send a first invoice at all",
            "No automatic reminders on the trial plan, so people write awkward chasing emails themselves",
        ),
        theme("p-mail", "4 of 10 interviewees said their first client never got the invoice email"),
    ]
    drafts = [
        ActionDraft(title="Tell people exactly what is missing the moment a document is rejected"),
        ActionDraft(title="Re-validate this map with 5 new-customer interviews once these changes ship"),
    ]
    items = link_actions(drafts, pains, {}, embedder)
    assert [item.pain_point for item in items] == ["p-payout", None], "a map re-check addresses no pain point"


def test_duplicate_actions_merge_keeping_the_owner_and_the_earliest_date(embedder: Embedder) -> None:
    drafts = [
        ActionDraft(title="Fix the checkout timeout on Safari", due=date(2026, 6, 30)),
        ActionDraft(title="Add PayPal"),
        ActionDraft(title="fix checkout timeout on Safari!", owner="U0ANA", due=date(2026, 5, 15)),
        ActionDraft(title="Fix the checkout timeout on Safari", owner="U0BEN"),
        ActionDraft(title="Fix the checkout timeout on Safari", due=date(2026, 5, 1)),
    ]
    items = link_actions(drafts, [], {}, embedder)
    assert [(item.id, item.title, item.owner, item.due) for item in items] == [
        ("A1", "Fix the checkout timeout on Safari", "U0ANA", date(2026, 5, 1)),
        ("A2", "Add PayPal", None, None),
        ("A3", "Fix the checkout timeout on Safari", "U0BEN", None),
    ]


def test_without_pain_points_actions_stand_alone(embedder: Embedder) -> None:
    items = link_actions([ActionDraft(title="Call five churned customers")], [], {}, embedder)
    assert [(item.id, item.pain_point, item.stage, item.status.value) for item in items] == [("A1", None, None, "open")]
    assert link_actions([], PAINS, {}, embedder) == []


def test_any_embedder_can_be_passed_in(embedder: Embedder) -> None:
    class CountingEmbedder:
        calls = 0

        def encode(self, texts: Sequence[str]) -> np.ndarray:
            CountingEmbedder.calls += 1
            return embedder.encode(texts)

    place_touchpoints(TOUCHPOINTS[:1], STAGES, CountingEmbedder())
    assert CountingEmbedder.calls == 1
