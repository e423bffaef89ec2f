"""A step's notes become themes a team can read: one stage per theme, feelings not averaged, no empty replies."""

from __future__ import annotations

from storage.models import ContributionRow
from workflows.contributions.parsing import parse_reply
from workflows.mapping.models import StepKey
from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.themes.clustering.embedded import EmbeddedEngine
from workflows.themes.clustering.embeddings import get_embedder
from workflows.themes.clustering.same_theme import judge_for
from workflows.themes.endorsements import Said, link_endorsements
from workflows.themes.lone_quotes import unnamed_quotes_join
from workflows.themes.service import (
    StepPlan,
    action_text,
    by_feeling,
    cluster_notes,
    cluster_step,
    on_stages,
    prepared,
)
from workflows.themes.stage_placement import Placed
from workflows.workshop.stages import resolve_stage_model

RAIL = resolve_stage_model("Plan, Book, Travel, Arrive")


def rows(*texts: str) -> list[ContributionRow]:
    return [ContributionRow(id=n, text=text, message_ts=f"1700000000.{n:06d}") for n, text in enumerate(texts, start=1)]


def test_replies_without_substance_never_become_themes() -> None:
    contributions = rows(
        ":+1: :100:",
        "+1",
        "Thanks all!",
        "The seat map does not load on the app",
        "Seat reservation fails on Android",
    )
    drafts = cluster_step(EmbeddedEngine(), contributions)
    themed = sorted(i for draft in drafts for i in draft.ids)
    assert themed == ["4", "5"]


def test_a_reply_that_is_only_a_stage_name_is_no_theme_but_places_the_replies_after_it() -> None:
    texts = ["Arrive:", "taps out at the gates, the barrier opens slowly", "looks for the bus to the town centre"]
    notes = [Note(id=str(n), text=text, reply=str(n)) for n, text in enumerate(texts)]
    drafts = cluster_notes(EmbeddedEngine(), notes, StepPlan(RAIL, split_feelings=True))
    assert sorted(i for draft in drafts for i in draft.ids) == ["1", "2"]
    assert {draft.stage for draft in drafts} == {"Arrive"}


def test_a_theme_whose_notes_sit_on_two_stages_becomes_two_with_distinct_titles() -> None:
    notes = [
        Note(id="1", text="Book: the app times out when paying for the ticket"),
        Note(id="2", text="Book: the ticket payment page crashes"),
        Note(id="3", text="Travel: the ticket QR code fails at the gates"),
        Note(id="4", text="Travel: gates reject the QR code on my phone"),
    ]
    one_theme = [ThemeDraft(title="Ticket", ids=["1", "2", "3", "4"])]
    drafts = on_stages(one_theme, prepared(notes, StepPlan(RAIL)), RAIL, split_feelings=False)
    assert sorted((d.stage, tuple(d.ids)) for d in drafts) == [("Book", ("1", "2")), ("Travel", ("3", "4"))]
    assert len({d.title.casefold() for d in drafts}) == 2


def test_a_note_that_names_no_stage_goes_on_the_stage_its_theme_names() -> None:
    notes = [
        Note(id="1", text="Travel: the QR code fails at the gates", stage="Travel"),
        Note(id="2", text="[analytics] 12% of scans are rejected on the first try", stage="Book"),
    ]
    drafts = on_stages([ThemeDraft(title="QR code", ids=["1", "2"])], notes, RAIL, split_feelings=False)
    assert [(draft.stage, draft.ids) for draft in drafts] == [("Travel", ["1", "2"])]


def test_a_theme_whose_notes_name_no_stage_goes_where_most_of_them_are() -> None:
    notes = [
        Note(id="1", text="the seat map is slow", stage="Book"),
        Note(id="2", text="seat map hides the quiet coach", stage="Book"),
        Note(id="3", text="seat numbers are hard to find", stage="Travel"),
    ]
    drafts = on_stages([ThemeDraft(title="Seat map", ids=["1", "2", "3"])], notes, RAIL, split_feelings=False)
    assert [(draft.stage, draft.ids) for draft in drafts] == [("Book", ["1", "2", "3"])]


def test_a_theme_is_never_titled_with_its_stages_name() -> None:
    texts = [
        "In Seek support, Help → 'Something missing?' flow: tick the items, add a photo, submit",
        "[Seek support] order history → tap the order → 'Report a problem'",
        "Use - substitutions screen at the door, accept or reject each swap",
    ]
    titles = _by_title(texts, StepPlan(resolve_stage_model("ecommerce"), split_feelings=True))
    assert len(titles) == 3
    assert "seek support" not in {title.casefold() for title in titles}


def test_a_stage_name_spelt_another_way_is_no_title_either() -> None:
    stages = resolve_stage_model("Plan the trip, Book, Disruption & refunds")
    texts = ["Disruption & refunds: refund request form on the website", "Book: the vehicle details step"]
    titles = {title.casefold() for title in _by_title(texts, StepPlan(stages, split_feelings=True))}
    assert not titles & {"disruption and refunds", "disruption & refunds", "refunds"}


def test_a_theme_already_on_one_stage_keeps_its_title() -> None:
    notes = [Note(id="1", text="Arrive: no taxis at night"), Note(id="2", text="Arrive: the taxi rank is empty")]
    drafts = on_stages([ThemeDraft(title="Taxi rank", ids=["1", "2"])], prepared(notes, StepPlan(RAIL)), RAIL, False)
    assert drafts == [ThemeDraft(title="Taxi rank", ids=["1", "2"], stage="Arrive")]


def test_delighted_and_angry_notes_on_one_touchpoint_are_two_themes() -> None:
    texts = {
        "1": "The refund arrived in two days, what a relief, I love it",
        "2": "The refund form is a nightmare, I hate it",
        "3": "Refunds go to the original card",
        "4": "Waiting for the refund is frustrating and the status is broken",
    }
    assert by_feeling(list(texts), texts) == [["2", "3", "4"], ["1"]]


def test_a_touchpoint_with_one_feeling_stays_whole() -> None:
    texts = {"1": "Boarding was quick and easy", "2": "Staff were helpful at the gate", "3": "Gate 4 is upstairs"}
    assert by_feeling(list(texts), texts) == [["1", "2", "3"]]


def test_pain_points_follow_the_touchpoints_already_placed() -> None:
    plan = StepPlan(
        RAIL,
        placed=[Placed("The journey planner shows three routes", "Plan"), Placed("Seat reservation", "Book")],
    )
    notes = [Note(id="1", text="The journey planner hides cheaper routes")]
    assert [note.stage for note in prepared(notes, plan)] == ["Plan"]


def _by_title(texts: list[str], plan: StepPlan) -> dict[str, list[str]]:
    """The step's themes by title; every note in exactly one."""
    drafts = cluster_notes(EmbeddedEngine(), [Note(id=str(n), text=text) for n, text in enumerate(texts)], plan)
    assert sorted(int(i) for draft in drafts for i in draft.ids) == list(range(len(texts)))
    return {draft.title: draft.ids for draft in drafts}


def test_the_objective_step_is_grouped_into_the_parts_of_the_objective() -> None:
    texts = [
        "Why this map: refund claims doubled since spring and nobody knows where people give up",
        "Success measure: refund claims settled within 5 days for 90% of passengers",
        "KPI: complaints per 1,000 journeys down by a quarter",
        "Scope: from the delayed train to the money back in the account",
        "Season tickets are out of scope",
        "The decision this informs: which two fixes go into the spring release",
        "The station staff have strong opinions about the forms",
    ]
    by_title = _by_title(texts, StepPlan(objective=True))
    assert by_title["Why this map"] == ["0"]
    assert by_title["Success measures"] == ["1", "2"]
    assert by_title["Scope of the journey"] == ["3", "4"]
    assert by_title["Decision it informs"] == ["5"]


def test_the_warnings_about_the_objectives_data_are_kept_together() -> None:
    """No part of the card, and in different words: "the 22% is iOS only" and "streak data before March double
    counts …" are one theme, not two about Android and streaks."""
    texts = [
        "Trigger: trial-to-paid fell from 31% to 22% since the Feb pricing change",
        "fwiw the 22% is iOS only, android we only have partial attribution so take it with a pinch of salt",
        "one more caveat — streak data before March double counts people who change timezone",
        "Success: trial-to-paid back to 30% by end of Q3",
    ]
    by_title = _by_title(texts, StepPlan(objective=True))
    assert by_title["Caveats on the data"] == ["1", "2"]
    assert by_title["Success measures"] == ["3"]


def test_the_persona_step_groups_notes_that_speak_to_the_same_part() -> None:
    texts = [
        "Her goal: one place where leadership can see status without chasing 15 people",
        "Main goal is getting a date and getting it sorted before the summer",
        "Expects onboarding to be done for her: templates and someone to run the kickoff",
        "Expects the hospital to already have her details from the GP referral",
        "Frustration: what the station announces contradicts the app",
        "Lives 40 min away, her daughter drives her in",
    ]
    groups = sorted(_by_title(texts, StepPlan(persona=True, judge=judge_for(StepKey.persona))).values())
    assert groups == [["0", "1"], ["2", "3"], ["4"], ["5"]]


def test_persona_items_under_one_lead_in_are_grouped_by_what_each_says() -> None:
    reply = (
        "From the 12 interviews in March, the customers we heard most from:\n"
        "- late 20s to 30s, renting a flat with a partner, both working full time\n"
        "- pays every bill by direct debit and never opens the post\n"
        "- wants a named person to ring when something goes wrong"
    )
    texts = [note.text for note in parse_reply(reply, keep_headings=True)]
    assert all(text.startswith("From the 12 interviews in March") for text in texts), "the lead-in stays on each"
    by_title = _by_title(texts, StepPlan(persona=True, judge=judge_for(StepKey.persona)))
    assert len(by_title) == 3, by_title
    assert not any("interview" in title.lower() or "march" in title.lower() for title in by_title), by_title


def test_the_notes_that_name_the_persona_are_one_theme() -> None:
    texts = [
        'Persona name idea: "Startup Steve", just left employment and set up a Ltd',
        "Sole director of a newly incorporated Ltd, 1-5 staff",
        "what about *Maker Maya*? makes homeware, feels closer to who applies than Steve",
        "Maya works for me :+1:",
        "Maya does everything on her phone, often late in the evening, between packing orders",
    ]
    by_title = _by_title(texts, StepPlan(persona=True))
    assert by_title["Persona name"] == ["0", "2", "3"]


def test_a_note_that_says_its_part_stays_in_it_whatever_it_builds_on() -> None:
    said = [
        ("U1", "*Persona: Graham, 58*, retired engineer who reads every spec sheet", []),
        ("U4", "Or Alison? In our call logs it's the wife who books the survey and chases us 7 times out of 10", []),
        ("U3", "Expects a fixed price and a fixed date, and for the survey engineer to know her house", []),
        ("U4", "Context: works from home 3 days a week, so the house has to be warm in the daytime", []),
        ("U5", "agree with @Dee, Alison it is", [("U4", "Dee")]),
    ]
    notes = link_endorsements(
        [Said(Note(id=str(n), text=text), author, text, mentions) for n, (author, text, mentions) in enumerate(said)],
        get_embedder,
    )
    drafts = cluster_notes(EmbeddedEngine(), notes, StepPlan(persona=True))
    assert {draft.title: sorted(draft.ids) for draft in drafts}["Persona name"] == ["0", "1", "4"]


def test_a_reply_that_names_another_stage_stays_there_whatever_note_it_quotes() -> None:
    said = [
        ("U1", "Book: nobody knows how long their car is, the booking form asks in metres"),
        ("U2", "Travel: the boarding queue takes an hour in summer"),
        ("U3", "&gt; nobody knows how long their car is\nand then it bites at Arrive: a surcharge at the port"),
        ("U4", "&gt; the booking form asks in metres\nsame, nobody owns a tape measure"),
    ]
    notes = link_endorsements(
        [Said(Note(id=str(n), text=text, reply=str(n)), author, text) for n, (author, text) in enumerate(said)],
        get_embedder,
    )
    drafts = cluster_notes(EmbeddedEngine(), notes, StepPlan(RAIL, judge=judge_for(StepKey.pain_points)))
    stage_of = {i: draft.stage for draft in drafts for i in draft.ids}
    assert (stage_of["2"], stage_of["3"]) == ("Arrive", "Book")  # the second only quotes: it joins the note


def test_actions_are_grouped_by_what_is_to_be_done_not_by_owner_or_date() -> None:
    assert action_text("Fix the gate firmware. Owner @Ana, by Friday", [("U1", "Ana")]) == "Fix the gate firmware"
    assert action_text(":+1:", []) == ":+1:"


def test_a_quote_no_title_can_name_backs_the_closest_point_on_its_stage() -> None:
    notes = [
        Note(id="1", text="10 minute slots: patients forget half their questions"),
        Note(id="2", text="The waiting room board says 'on time' when the clinic runs an hour late"),
        Note(id="3", text='"I forgot half my questions, the consultation was over so fast"'),
        Note(id="4", text='"The letter came the day after my appointment"'),
    ]
    drafts = [
        ThemeDraft(title="Short consultation slots", ids=["1"], stage="Consultation"),
        ThemeDraft(title="Waiting room board", ids=["2"], stage="Consultation"),
        ThemeDraft(title="Questions", ids=["3"], stage="Consultation"),
        ThemeDraft(title="Letter", ids=["4"], stage="Booking"),  # nothing else on its stage: it stays
    ]
    joined = unnamed_quotes_join(drafts, notes, get_embedder())
    assert [(d.title, d.ids) for d in joined] == [
        ("Short consultation slots", ["1", "3"]),
        ("Waiting room board", ["2"]),
        ("Letter", ["4"]),
    ]
    named = [drafts[0], drafts[1], drafts[2].model_copy(update={"title": "Half my questions"})]
    assert unnamed_quotes_join(named, notes, get_embedder()) == named  # a title names it: it stays a theme


def test_each_action_is_a_theme_of_its_own_unless_it_is_said_twice() -> None:
    contributions = rows(
        "Pre-fill the Delay Repay form from the e-ticket, by end of March",
        "Prefill the Delay Repay claim form from the e-ticket details",
        "Raise the Android upload limit to 20MB and rewrite that error message",
        "Rewrite the disruption PA scripts so every announcement has a reason",
        "Staff the wide gate at Harrogate from Monday",
    )
    for row in contributions:
        row.mentions = []
    drafts = cluster_step(EmbeddedEngine(), contributions, StepPlan(actions=True))
    assert sorted(sorted(draft.ids) for draft in drafts) == [["1", "2"], ["3"], ["4"], ["5"]]
    asked = cluster_step(EmbeddedEngine(count=2), contributions, StepPlan(actions=True))
    assert len(asked) == 2  # a facilitator who asks for two themes gets two
