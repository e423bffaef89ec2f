"""A touchpoint or pain-point note is grouped by what it names first, not by its commentary."""

from __future__ import annotations

import pytest

from workflows.themes.clustering.base import Note
from workflows.themes.clustering.cleaning import board_words, without_figures, without_words
from workflows.themes.clustering.embedded import EmbeddedEngine
from workflows.themes.service import StepPlan, cluster_notes
from workflows.themes.subjects import opening_label, subject_of
from workflows.workshop.stages import resolve_stage_model

SAAS = resolve_stage_model("Discover, Trial, Buy, Adopt")
PERMITS = resolve_stage_model("Find out, Apply, Use permit")


@pytest.mark.parametrize(
    ("note", "subject"),
    [
        ("Demo call with an AE, 30 min, mostly dashboards for the COO", "Demo call with an AE"),
        (
            "• Trial: lands on the pricing page from a G2 comparison, reads the price",
            "lands on the pricing page from a G2",
        ),
        ("[Adopt] invites everyone. SSO is Business plan only", "invites everyone"),
        ("In Adopt, kickoff call with the CSM: goals, rollout plan", "kickoff call with the CSM"),
        (
            "(Buy) security questionnaire + DPA from IT, answered via the trust page",
            "security questionnaire + DPA from IT",
        ),
        (
            "Hi all, late to the party. The invoice-paid push has a 61% open rate, the best we have",
            "The invoice-paid push has a 61% open rate",
        ),
        ("[ticket] Invite email → set a password → an empty page", "Invite email"),
        (
            "Order form v2.1 goes out through DocuSign - procurement haggles",
            "Order form v2.1 goes out through DocuSign",
        ),
    ],
)
def test_the_subject_is_the_opening_clause_past_greetings_tags_and_stage_labels(note: str, subject: str) -> None:
    assert subject_of(note, SAAS) == subject


@pytest.mark.parametrize("note", ["Template gallery", "Trial: the onboarding webinar", "Slack integration"])
def test_a_note_that_is_only_its_subject_has_none_apart(note: str) -> None:
    assert subject_of(note, SAAS) is None


@pytest.mark.parametrize(
    ("note", "label"),
    [
        ("- Context: they do invoicing in short bursts, on the phone between jobs", "context"),
        ("Expectation: set up in one sitting", "expectation"),
        ("• Digital habits: lives in WhatsApp", "digital habits"),
        ("Price checker: pick a club, see the price", "price checker"),
        ("Trial: the onboarding webinar", None),  # the stage's name says where the note is, not what it is
        ("Persona name suggestion for the whole team: Fiona", None),  # a sentence, not a label
        ("No label here, just a note", None),
    ],
)
def test_the_label_a_note_opens_with_is_read_apart_from_a_stages_name(note: str, label: str | None) -> None:
    assert opening_label(note, SAAS) == label


def test_alike_comments_on_two_touchpoints_are_not_one_theme() -> None:
    texts = [
        "Onboarding webinar every Tuesday, nobody from finance ever attends it",
        "Onboarding webinar: the recording link in the follow-up email is broken",
        "Renewal call with the CFO, nobody from finance ever attends the QBR either",
        "Changelog email: the recording link in it is broken half the time",
        "Invite email to end users, they set a password and land on an empty page",
        "Invite email: most people open it on the phone and never come back",
    ]
    themes = _themes(texts, SAAS)
    theme_of = {note_id: n for n, theme in enumerate(themes) for note_id in theme}
    assert theme_of["1"] != theme_of["3"], "a broken link, but in the webinar's email and in the changelog"
    assert theme_of["4"] == theme_of["5"], "both about the invite email"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("31% of P2 tickets last quarter were open >21 days", "of P2 tickets last quarter were open"),
        ("Your 07:42 to Leeds is delayed by 12 minutes", "Your to Leeds is delayed by"),
        ("signs up for the 14-day trial, invites 2-3 colleagues", "signs up for the trial, invites colleagues"),
        ("1,900 calls/week, 34% abandoned", "calls/week, abandoned"),
        ("42", "42"),
    ],
)
def test_figures_are_left_out_of_what_is_compared(text: str, words: str) -> None:
    assert without_figures(text) == words


def test_touchpoints_are_grouped_by_what_they_say_not_by_the_figures_they_share() -> None:
    texts = [
        "Adopt: 07:42 08:12 08:42 3/5 late 12-18 min app",
        "Adopt: 07:42 08:12 08:42 3/5 late 12-18 min gates",
        "Adopt: the app shows the wrong platform",
        "Adopt: the gates reject the e-ticket",
    ]
    assert _themes(texts, SAAS) == [["0", "2"], ["1", "3"]], "the app's, the gates'"


def test_the_words_most_of_a_board_says_are_its_domain() -> None:
    texts = [f"the permits {thing}" for thing in ("page", "line", "team", "app", "letter")] + [
        "visitor sessions in the app",
        "renewal reminder by email",
        "zone checker on the website",
    ]
    assert board_words(texts) == {"permit"}
    assert board_words(texts[:5]) == frozenset(), "too few notes to tell"
    assert without_words("Visitor Permits booked in the app", {"permit"}) == "Visitor booked in the app"


def test_touchpoints_are_grouped_by_what_they_say_not_by_the_domain_they_share() -> None:
    """Every note says "permit": the page's notes and the app's stay apart (they merge when "permit" counts)."""
    texts = [
        "permit page on the website: where most people land from Google",
        "the permit page gets 9k visits a month",
        "permit phone line: an advisor fills the form in for callers",
        "the permit phone line is where people without email go",
        "permit app: visitor sessions are booked here",
        "the permit app is the main reason people log back in",
        "permit team checks each application by hand",
        "the permit team asks for missing documents by email",
    ]
    themes = _themes(texts, PERMITS)
    assert ["0", "1"] in themes and ["2", "3"] in themes and ["4", "5"] in themes


def _themes(texts: list[str], stages: list) -> list[list[str]]:
    """The note ids of each theme of a touchpoints step, one reply a note, sorted."""
    notes = [Note(id=str(n), text=text, reply=str(n)) for n, text in enumerate(texts)]
    return sorted(
        sorted(theme.ids) for theme in cluster_notes(EmbeddedEngine(), notes, StepPlan(stages, split_feelings=True))
    )
