"""A reply that builds on someone's note ("+1 to @Ana's point, and …") joins that note's theme, and so does a note
referring back to its writer's last one."""

from __future__ import annotations

from datetime import date

from storage.models import ContributionRow
from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.themes.clustering.embedded import EmbeddedEngine
from workflows.themes.clustering.embeddings import get_embedder
from workflows.themes.endorsements import Said, action_drafts, endorsed, follow_endorsements, link_endorsements
from workflows.themes.service import StepPlan, cluster_step

ANA, SAM = ("U1", "Ana"), ("U2", "Sam")


def test_the_opening_says_whom_a_note_builds_on() -> None:
    assert endorsed("+1 to @Ana's point, the app lags too", [ANA]) == ("U1", False)  # what she said last
    assert endorsed("+1 to @Ana's ack letter, and add the number", [ANA]) == ("U1", True)  # the one it names
    assert endorsed("+1 to @Ana's point on payouts: same in the survey", [ANA]) == ("U1", True)
    assert endorsed("• [ticket] Agree with @Ana: same here", [ANA]) == ("U1", False)
    assert endorsed("building on @Sam’s idea, ship it with the wizard", [ANA, SAM]) == ("U2", False)
    assert endorsed("The app lags, as @Ana said", [ANA]) is None  # a mention, not an endorsement
    assert endorsed("+1 to the idea", []) is None


def _said(note_id: str, author: str, text: str, mentions: list[tuple[str, str]] | None = None) -> Said:
    return Said(Note(id=note_id, text=text), author, text, mentions or [])


def test_a_bare_endorsement_builds_on_the_last_note_a_named_one_on_the_closest() -> None:
    said = [
        _said("1", "U1", "Send an acknowledgement letter when the referral arrives"),
        _said("2", "U1", "Pull waiting list positions into the portal"),
        _said("3", "U2", "+1 to @Ana, and add the phone number", [ANA]),
        _said("4", "U2", "+1 to @Ana's acknowledgement letter idea", [ANA]),
        _said("5", "U1", "+1 to @Ana", [ANA]),  # her own note: no link
    ]
    notes = link_endorsements(said, get_embedder)
    assert [note.builds_on for note in notes] == [None, None, "2", "1", None]


def test_an_endorsement_of_a_reply_of_several_points_builds_on_the_point_it_goes_on_about() -> None:
    def point(note_id: str, text: str) -> Said:
        return Said(Note(id=note_id, text=text, reply="r1"), "U1", text, [])

    said = [
        point("1", "Challenge a parking fine online, upload photos, within 14 days to keep the discount"),
        point("2", "unpaid after 28 days a letter goes to the registered keeper"),
        _said("3", "U2", "+1 to @Ana; the challenge decision comes back by email 2-3 weeks later", [ANA]),
        _said("4", "U3", "+1 to @Ana", [ANA]),  # nothing more said: her last point
    ]
    assert [note.builds_on for note in link_endorsements(said, get_embedder)] == [None, None, "1", "2"]


def test_a_note_that_refers_back_builds_on_its_writers_last_note() -> None:
    said = [
        _said("1", "U1", "Fix notification lag: point the push service at the control feed"),
        _said("2", "U2", "Show the claim banner from 15 min"),
        _said("3", "U1", "• same change should fix the live departures lag"),
        _said("4", "U2", "This would also cut the calls to the contact centre"),
        _said("5", "U3", "Same fix for the web timetable"),  # nothing of theirs before it: no link
        _said("6", "U1", "The same banner text could go in the email"),  # "the same" as a word, not a reference
    ]
    notes = link_endorsements(said, get_embedder)
    assert [note.builds_on for note in notes] == [None, None, "1", "2", None, None]


def test_an_endorsement_of_an_action_listed_for_someone_builds_on_it() -> None:
    said = [
        _said("1", "U9", "1. @Ana: downloadable HMRC submission receipt with the FPS reference", [ANA]),
        _said("2", "U9", "2) @Sam — payday phone line open until 8pm", [SAM]),
        _said("3", "U2", "+1 to @Ana's receipt, and let's email it after every submission", [ANA]),
    ]
    assert [note.builds_on for note in link_endorsements(said, get_embedder)] == [None, None, "1"]


def test_a_named_action_listed_for_someone_is_found_among_their_own_notes_too() -> None:
    said = [
        _said(
            "1", "U9", "Guided rollout kit in the console: staff email templates, a 5-min video. @Ana to scope", [ANA]
        ),
        _said("2", "U1", "Fix the SSO setup docs before the next release", []),
        _said("3", "U2", "+1 to @Ana's rollout kit, let's test it with 3 customers mid-rollout", [ANA]),
    ]
    assert [note.builds_on for note in link_endorsements(said, get_embedder)] == [None, None, "1"]


def test_the_note_an_endorsement_names_is_found_by_the_words_it_names_it_with() -> None:
    said = [
        _said("1", "U1", "Send a referral acknowledgement SMS and letter with the current median wait"),
        _said("2", "U1", "someone should pull waiting list positions into the portal"),
        _said("3", "U2", "+1 to @Ana's ack letter, and put the 'where am I on the list' number on it", [ANA]),
    ]
    assert link_endorsements(said, get_embedder)[2].builds_on == "1"


def test_the_named_note_is_the_one_saying_the_words_not_one_merely_alike() -> None:
    said = [
        _said("1", "U1", "Check passport/name details at the offer stage so the CAS form stops bouncing"),
        _said("2", "U1", "funds checklist + 28-day countdown email the day they firm their offer"),
        _said("3", "U2", "+1 to @Ana's pre-check, and ask for the passport in the application form", [ANA]),
    ]
    assert link_endorsements(said, get_embedder)[2].builds_on == "1"


def test_an_endorsement_that_names_a_subject_builds_on_the_note_about_it() -> None:
    said = [
        _said("1", "U1", "Status tracker in the portal: received, checking documents, approved, with dates"),
        _said("2", "U1", "Extend the form timeout to 60 minutes and save progress"),
        _said("3", "U2", "+1 to the status tracker, can it show the date the documents were checked?"),
        _said("4", "U2", "+1 to the idea"),  # names no subject
    ]
    assert [note.builds_on for note in link_endorsements(said, get_embedder)] == [None, None, "1", None]


def test_a_note_taking_on_what_an_earlier_one_asked_for_builds_on_it() -> None:
    said = [
        _said("1", "U1", "someone needs to own the Google profiles, 34 clinics and it's nobody's job right now"),
        _said("2", "U1", "Reminder texts 48h before every vaccination"),
        _said("3", "U2", "I'll take the Google profiles, all 34 checked and updated by the 28th"),
        _said("4", "U2", "I'll take a look at the budget next week"),  # nothing asked for it
    ]
    assert [note.builds_on for note in link_endorsements(said, get_embedder)] == [None, None, "1", None]


def test_an_offer_to_help_or_to_take_an_action_builds_on_it() -> None:
    """ "+1 happy to help with that" answers the reply before it; "yep I'll take android cancel" names what it takes."""
    said = [
        _said("1", "U1", "Android cancel flow down to 2 taps"),
        _said("2", "U1", "Rewrite the red flags section so it's plain english"),
        _said("3", "U2", "+1 happy to help with that"),
        _said("4", "U3", "Scrap the 48h reply rule, effective now"),
        _said("5", "U2", "yep I'll take android cancel"),
        _said("6", "U1", "Statement redesign: a summary block on top with sales, commission and fees"),
        _said("7", "U3", "+1, and I can pull 50 real statements for the usability test"),
        _said("8", "U2", "+1 good idea"),  # backs the last reply, offers nothing
    ]
    linked = [note.builds_on for note in link_endorsements(said, get_embedder)]
    assert linked == [None, None, "2", None, "1", None, "6", None]


def test_backing_the_reply_before_and_adding_to_it_builds_on_it() -> None:
    """ "+1 and the manufacturer app …" backs the reply before (of its points, the one it goes on about)."""
    listed = "• trustpilot reviews, people read them before booking\n• our facebook page, mostly shares from family"
    said = [
        _said("1", "U1", "youtube how-to videos, 8 of them, 1.2k views total"),
        _said("2", "U2", "+1 and the manufacturer app has its own help section, which sends them off elsewhere"),
        Said(Note(id="3", text="trustpilot reviews, people read them before booking", reply="r3"), "U3", listed),
        Said(Note(id="4", text="our facebook page, mostly shares from family", reply="r3"), "U3", listed),
        _said("5", "U1", "+1, also the reviews mention the price a lot"),
        _said("6", "U2", "same, and the booking line is 9-5 only"),
        _said("7", "U3", "yep, ~150 tickets a month asking where their free tutor is"),
        _said("8", "U1", "Yes — in support, agents can't see the crew's notes"),  # a point of its own
    ]
    linked = [note.builds_on for note in link_endorsements(said, get_embedder)]
    assert linked == [None, "1", None, None, "3", "5", "6", None]


def test_a_note_closing_on_same_ticket_builds_on_its_writers_last_one() -> None:
    said = [
        _said("1", "U1", "1. auto-convert HEIC and compress photos on upload, raise the limit to 10MB"),
        _said("2", "U1", "2. stop the error wiping the other attachments, same ticket"),
    ]
    assert [note.builds_on for note in link_endorsements(said, get_embedder)] == [None, "1"]


def test_an_endorsing_note_moves_into_the_theme_it_builds_on() -> None:
    notes = [Note(id="1", text="Pre-fill the claim form"), Note(id="2", text="Drop the photo upload", builds_on="1")]
    drafts = [ThemeDraft(title="Claim form", ids=["1"]), ThemeDraft(title="Photo upload", ids=["2"])]
    assert [d.ids for d in follow_endorsements(drafts, notes)] == [["1", "2"]]


def test_through_a_step_the_endorsement_joins_whatever_its_wording() -> None:
    rows = [
        ContributionRow(
            id=1, user_id="U1", message_ts="1.0", mentions=[], text="Pre-fill the refund form from the e-ticket"
        ),
        ContributionRow(
            id=2, user_id="U3", message_ts="2.0", mentions=[], text="Rewrite the station announcements with reasons"
        ),
        ContributionRow(id=3, user_id="U3", message_ts="3.0", mentions=[], text="Give the gate staff radios"),
        ContributionRow(
            id=4,
            user_id="U2",
            message_ts="4.0",
            text="+1 to @Ana's idea, and then we can drop the photo upload entirely",
            mentions=[["U1", "Ana"]],
        ),
    ]
    drafts = cluster_step(EmbeddedEngine(), rows, StepPlan(actions=True))
    assert ["1", "4"] in [sorted(d.ids) for d in drafts]


def test_a_theme_that_lost_its_note_is_retitled_but_an_objective_part_keeps_its_name() -> None:
    notes = [
        Note(id="1", text="Pre-fill the claim form from the e-ticket"),
        Note(id="2", text="Raise the Android upload limit"),
        Note(id="3", text="Drop the photo upload step entirely", builds_on="1"),
    ]
    drafts = [
        ThemeDraft(title="Claim form", ids=["1"]),
        ThemeDraft(title="Photo upload step", ids=["2", "3"]),
    ]
    moved = follow_endorsements(drafts, notes)
    assert moved[0].ids == ["1", "3"] and moved[1].ids == ["2"]
    assert moved[1].title != "Photo upload step" and moved[1].title != moved[0].title
    kept = follow_endorsements(drafts, notes, keep_titles=True)
    assert [d.title for d in kept] == ["Claim form", "Photo upload step"]


def test_a_reply_quoting_a_note_builds_on_it_unless_it_answers_a_question_or_adds_another() -> None:
    said = [
        _said("1", "U1", "I'll ship a spend cap + an 80%-of-budget email by end of june"),
        _said("2", "U1", "Docs: fix the quickstart snippets. Is *pooling* in scope?"),
        _said("3", "U2", "&gt; spend cap\nI can pull the refund data to size it, by fri"),
        _said("4", "U2", "&gt; Is pooling in scope?\nno, next quarter"),
        _said("5", "U2", "&gt; ok\nsure"),  # too short to say which
        _said("6", "U2", "&gt; something nobody wrote\nanyway, a new idea"),
        _said("7", "U3", "&gt; spend cap\nalso a daily usage email, nobody checks the console"),
        _said("8", "U3", "&gt; spend cap\nplus the invoice PDF, which finance reads"),
    ]
    notes = link_endorsements(said, get_embedder)
    assert [note.builds_on for note in notes] == [None, None, "1", None, None, None, None, None]
    # one more thing beside the quoted one is compared by its own words, not as the spend cap's double
    assert [note.text for note in notes[6:]] == [
        "also a daily usage email, nobody checks the console",
        "plus the invoice PDF, which finance reads",
    ]
    assert notes[2].text == said[2].note.text  # evidence for the quoted note keeps the quote it answers


def test_a_reply_accepting_what_was_asked_of_its_writer_builds_on_the_asking_note() -> None:
    said = [
        _said("1", "U1", "Docs: fix the quickstart snippets by 6/30. @Sam can you review the pooling section?", [SAM]),
        _said("2", "U3", "I'll raise the pooler default to 400"),
        _said("3", "U2", "yep :+1: will review"),
        _said("4", "U3", "ok, the pooler change ships friday"),  # nobody asked U3
    ]
    assert [note.builds_on for note in link_endorsements(said, get_embedder)] == [None, None, "1", None]


def test_a_short_reply_going_on_with_the_last_note_in_its_words_builds_on_it() -> None:
    said = [
        _said("1", "U1", "I'll prototype a shorter quote form, test live by 14 june"),
        _said("2", "U2", "i can pull the funnel baseline for that by mon"),
        _said("3", "U1", "and the video survey rollout — decision after the pilot readout on 20 june"),
        _said("4", "U2", "me + @Ana on the pilot readout", [ANA]),
        _said("5", "U3", "&gt; shorter quote form\nsure but it's one more form :thinking_face:"),
        _said("6", "U3", "the parking reminder goes in the confirmation email"),  # a new action, in new words
    ]
    assert [note.builds_on for note in link_endorsements(said, get_embedder)] == [None, "1", None, "3", "1", None]


def test_an_offer_to_someone_by_name_or_a_thing_pointed_back_at_builds_on_the_last_note() -> None:
    said = [
        _said("1", "U1", "Move renewal calls to month 30, pilot with 20 accounts"),
        _said("2", "U2", "I'll help Marco pick the 20, I know the wobbly ones"),
        _said("3", "U3", "Add an 'office contact' field in the CRM so setup emails reach the right person"),
        _said("4", "U4", "I'll wire the portal invite to use that field once it exists"),
        _said("5", "U1", "Small-flat photo shoot for the ads"),
        _said("6", "U2", "+1 Ellie, I'll ring-fence budget from the social pot for it"),
        _said("7", "U3", "+1 Liam, and I'll write a day-1 checklist for new members"),  # a new action of its own
        _said("8", "U4", "I'll help with onboarding that week"),  # no one named, nothing pointed back at
    ]
    assert [note.builds_on for note in link_endorsements(said, get_embedder)] == [
        None,
        "1",
        None,
        "3",
        None,
        "5",
        None,
        None,
    ]


def test_a_reply_taking_on_an_action_is_that_action_with_the_owner_and_date_it_lacked() -> None:
    thread = [
        _said("1", "U1", "vehicle length helper in the booking flow. @U7 can you own this?", [("U7", "U7")]),
        _said("2", "U7", "yep mine :+1: designs by 10 Dec"),
        _said("3", "U5", "automatic refunds to the original card when we cancel, needs an owner, no date yet"),
        _said(
            "4", "U2", "&gt; automatic refunds to the original card\nfine, I'll take it to the finance group on the 4th"
        ),
        _said("5", "U3", "+1 to the automatic refunds, and add a refund tracker to the app"),
        _said("6", "U4", "happy to help with the refund tracker copy"),
        _said("7", "U6", "someone should look at a covered dog area on the boats"),
        _said("8", "U8", ":+1: will scope it for next quarter"),
    ]
    drafts = action_drafts(thread, date(2026, 12, 1), get_embedder)
    assert [(d.title, d.owner, d.due) for d in drafts] == [
        ("Vehicle length helper in the booking flow", "U7", date(2026, 12, 10)),
        ("Automatic refunds to the original card when we cancel", "U2", date(2026, 12, 4)),
        ("Add a refund tracker to the app", None, None),  # an action of its own; who offers help owns it not
        ("Look at a covered dog area on the boats", "U8", date(2027, 3, 31)),
    ]
