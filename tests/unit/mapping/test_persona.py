"""The persona card without an LLM: the name the team gives it, whole sentences, and only customers' words quoted."""

from __future__ import annotations

import pytest

from bot.text import decode
from journeybot.demo.script import DEMO_SCRIPT
from workflows.contributions.parsing import parse_reply
from workflows.mapping.models import Contribution, Evidence, StepKey, Theme
from workflows.mapping.persona import DEFAULT_PERSONA_NAME, build_persona, naming_notes, persona_facet


def theme(*notes: str | tuple[str, Evidence], user: str = "U0TEAM") -> Theme:
    contributions = [
        Contribution(user=user, ts=f"1700000000.00{n}", text=text, evidence=evidence)
        for n, (text, evidence) in enumerate(
            (note if isinstance(note, tuple) else (note, Evidence.assumption) for note in notes), start=1
        )
    ]
    return Theme(id="persona-1", title=contributions[0].text[:60], contributions=contributions)


def demo_persona_themes() -> list[Theme]:
    """The demo's persona replies as the bot stores them: decoded, split into notes, one theme each."""
    themes = []
    for number, reply in enumerate(DEMO_SCRIPT.step(StepKey.persona).replies):
        if not reply.is_contribution or reply.final_text is None:
            continue
        text, _ = decode(reply.final_text, lambda user: DEMO_SCRIPT.user(user).real_name)
        for item, note in enumerate(parse_reply(text, keep_headings=True)):
            contribution = Contribution(user=reply.user, ts=f"{number}.{item}", text=note.text, evidence=note.evidence)
            themes.append(Theme(id=f"persona-{number}-{item}", title=note.text[:60], contributions=[contribution]))
    return themes


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("Let's call her Maya, she commutes from Reading every weekday", "Maya"),
        ("Persona: Commuter Carl, 41, season ticket holder", "Commuter Carl"),
        ('Persona name suggestion: "Outpatient Olu", 67, visits the clinic monthly', "Outpatient Olu"),
        ("Meet Priya, an admin who sets up the tool for her whole team", "Priya"),
        ("We'll call him Dev Admin Dan", "Dev Admin Dan"),
        ("I propose we name her Nora, she's a night nurse", "Nora"),
        ("Persona name: _Tina the Teacher_", "Tina the Teacher"),  # Slack's italics, as quotes
        ("Name suggestion - 'Busy Ben'", "Busy Ben"),
        ('we\'ll go with "Maker Mia" as the name', "Maker Mia"),
        ("Our persona is Fleet Manager Frank, 52", "Fleet Manager Frank"),
        ("Our persona is Solo designers in the EU", DEFAULT_PERSONA_NAME),
        ("Name idea: “Night-shift Nia”", "Night-shift Nia"),
        ("Persona: solo designers in the EU", DEFAULT_PERSONA_NAME),
        ("Persona: Solo designers in the EU", DEFAULT_PERSONA_NAME),  # a segment, not a name
        ("We need to meet deadlines", DEFAULT_PERSONA_NAME),
        ("I propose we name him Frank the Fleet Manager", "Frank the Fleet Manager"),
        ("Our persona, Ollie the Owner, runs a small garage", "Ollie the Owner"),
        ("I vote for Marco as the persona name", "Marco"),
        ("Persona: Solo designers", DEFAULT_PERSONA_NAME),
        ("Our persona, in short, is a busy parent", DEFAULT_PERSONA_NAME),
        ("ok, Hannah it is then", "Hannah"),
        ("Persona: _Restart Rob_, 44, used to play five-a-side", "Restart Rob"),
        ("Meet the Okafors, kids aged 4 and 9. Let's call the lead booker Nadia", "Nadia"),
        ("Persona name suggestion: “Commuter Kemi?” — early 30s, 12 km each way", "Commuter Kemi"),
        ("How about we call this persona 'Harried Hannah'? two jobs, one car", "Harried Hannah"),
        ("Persona name → Solo Sam, runs his own studio", "Solo Sam"),
        ("I propose Budget Ben as the persona", "Budget Ben"),
        ("Let's name the persona Tired Tom, night-shift worker", "Tired Tom"),
        ("working title for her: Careful Clara", "Careful Clara"),
        ('Internally we still call this group "PRM-lite" in the ops reports', DEFAULT_PERSONA_NAME),  # not her name
        ("*Juggling Jess* — mum of three, works part-time", "Juggling Jess"),
        ("_Weekend Will_: retired, does the garden himself", "Weekend Will"),
    ],
)
def test_the_persona_is_called_what_the_team_calls_it(note: str, name: str) -> None:
    assert build_persona([theme(note)]).name == name


@pytest.mark.parametrize(
    ("notes", "name"),
    [
        (  # the one the notes say most, not the first suggested
            [
                'Persona name idea: "Startup Steve", just left employment and set up a Ltd',
                "what about *Maker Maya*? makes homeware, feels closer to who applies than Steve tbh",
                "Maya works for me :+1:",
                "going with Maya then, thanks both",
            ],
            "Maker Maya",
        ),
        (  # settled by naming the blend: "X then"
            [
                "Persona name: _Car-free Ciara_? :red_car:",
                "Nomad Niamh? she's not really a nomad tbh. Or just Niamh",
                "+1 for Niamh",
                "Car-free Niamh then, best of both :+1:",
            ],
            "Car-free Niamh",
        ),
        (  # the one the facilitator goes with
            [
                'Persona name suggestion: "Commuter Colin", drives to the business park',
                "hmm, Colin is more our renewals crowd. The ones who struggle are new renters. Priya the Renter?",
                "Going with Priya the Renter :+1: thanks both",
            ],
            "Priya the Renter",
        ),
        # whole where it was quoted in full before, or said twice in full
        (['Straw man to get us going: "Busy Bea", 38, two kids', "I'd call her Bea then :raised_hands:"], "Busy Bea"),
        (
            ["Let's call the lead booker Nadia", "Planner Nadia?", "+1 Planner Nadia", "Nadia books in January"],
            "Planner Nadia",
        ),
        # asked without quotes, then agreed to
        (
            [
                "Persona for the claims journey — I was thinking Techy Tom?",
                "please no",
                "lol. What about Gadget Gary?",
                "Gadget Gary works. Settled.",
                "Gary, 27, field sales rep, iPhone 15 Pro on a 24-month contract",
            ],
            "Gadget Gary",
        ),
        (
            [
                "Hi both! Draft persona below, name TBC",
                "68, retired teacher in Harrogate, has given £10/month since 2009",
                "Ha. I'd go Loyal Linda — the loyalty is the point, not the payment method",
                "Loyal Linda 👍 updating the board",
            ],
            "Loyal Linda",
        ),
        # the team's last word wins over what was said most
        (
            [
                "Side-Hustle Sid — day job in IT, does web dev on the side",
                "love Sid",
                "ok Sid it is for now",
                "the segment data says the biggest group is full-time freelancers. Sid doesn't really fit",
                "Freelance Fran? illustrator, self-employed 3 yrs",
                "ok changing it, final answer: Freelance Fran. Sid's goal still works",
            ],
            "Freelance Fran",
        ),
        (
            ["Rusty Rachel? played as a kid", "or just Rachel, the alliteration is cheesy", "agree — just Rachel."],
            "Rachel",
        ),
        (
            [
                "what about **Irene**, no nickname",
                "a surname so she doesn't get mixed up with the other project? **Irene Walsh**?",
                "yes ok, **Irene Walsh** — settled",
            ],
            "Irene Walsh",
        ),
        (
            ["what about _Far-Away Farah_", "ok _Far-Away Farah_ works, I'm sold", "lovely, Farah's done"],
            "Far-Away Farah",
        ),
        (
            ['"Cold Shower Colin" 😂 dad of two, boiler died on a Monday', "haha yes, Cold Shower Colin"],
            "Cold Shower Colin",
        ),
        (
            ["Let's call him Council Colin", "Confused Colin?", "Renaming to Confused Colin then.", "OK, Colin's done"],
            "Confused Colin",
        ),
        (
            ["ok so for the business shipping journey, our guy is Ops Omar", "Ops manager, ~300 parcels a day"],
            "Ops Omar",
        ),
        # the team's last word, as it writes it: a vote won, "persona = …", a rename, a bold name, "write it as …"
        (
            [
                "name suggestion: Freelance Fran :woman_artist:",
                "or Sole-trader Sam? bit more neutral",
                "ok voting :one: Fran :two: Sam - react pls",
                "Fran wins 6-2 :tada: so persona = Fran, 29, first-year sole trader",
            ],
            "Fran",
        ),
        (
            [
                "name suggestions? i'll throw in Moving Megan",
                "Megan's fine but Chain-Stressed Chris is more accurate lol",
                "ok tallying… 5 for Megan, 3 for Chris. she's *Megan* — 34, moving with a toddler",
            ],
            "Megan",
        ),
        (
            [
                "name suggestion: Hannah &amp; Joe",
                "or just Hannah? the one doing the enquiring is mostly her",
                "ok let's go with both :slightly_smiling_face: i'll write it as Hannah + Joe on the map",
            ],
            "Hannah + Joe",
        ),
        (["let's call her Margaret, 68", "Margaret :+1:", "or Beryl", "beryl +1", "ok renamed: Beryl."], "Beryl"),
        (
            [
                "what about First-Nest Freya? they're nesting, it's their first real place",
                ":+1: for Freya but drop the First-Nest bit, bit of a mouthful",
                "Persona locked as *Freya* :tada: thanks all, touchpoints next",
            ],
            "Freya",
        ),
        (["name idea: Sarah?", "&gt; Sarah\nhow about Maya", "Maya 👍", "ok settling on *Maya*, 38, ty all"], "Maya"),
        (
            ["Side-hustle Sophie?", "Mum-seller Mel?", "ok so Mum-seller Mel is final? a bit clunky", "just Mel then"],
            "Mel",
        ),
        (
            [
                "They compare 3 venues at once and go with whoever quotes first. Speed wins.",
                "&gt; Offsite Olivia\nnot bad, but what about Deadline Dana? always up against a date",
                "Love this. Going with *Deadline Dana* then",
            ],
            "Deadline Dana",
        ),
        (  # a couple, backed and agreed as written
            [
                "should we do a couple persona? names... Rob &amp; Jen?",
                "I like a couple. Rob &amp; Jen :+1:",
                "or Pete &amp; Sue :older_man::older_woman:",
                "fair, Rob &amp; Jen",
            ],
            "Rob & Jen",
        ),
    ],
)
def test_the_persona_takes_the_name_the_team_settles_on(notes: list[str], name: str) -> None:
    assert build_persona([theme(*notes)]).name == name


def test_the_notes_about_the_name_are_those_that_suggest_quote_or_just_say_it() -> None:
    notes = [
        'Straw man to get us going: "Busy Bea", 38, two kids',
        "I'd call her Bea then :raised_hands:",
        "Bea does the big shop at 10pm once the kids are asleep, and by then every slot this week is gone",
        "Goal: Bea wants the weekly shop done in 20 minutes",
    ]
    assert naming_notes(notes) == [True, True, False, False]
    agreed = [
        "I'd rather someone like Sunita: 34, rents a flat",
        "Sunita works for me. Mike can be persona #2 later on",
    ]
    assert naming_notes(agreed)[1], "agreeing to a name at length is about the name"
    voted = ["I like Jo. or Dawn?", "Jo gets my vote", "jo +1", "she rings the clinic twice a week"]
    assert naming_notes(voted) == [True, True, True, False], "a vote in lower case"


@pytest.mark.parametrize(
    ("note", "kind", "item"),
    [
        (
            'Ticket verbatim: "Why do I need to log in twice to see my results?? I just want the letter." Weekly.',
            None,
            None,
        ),
        (
            '"Delay Repay" is the most requested feature, and commuters need the refund without filling a form',
            "needs",
            '"Delay Repay" is the most requested feature, and commuters need the refund without filling a form',
        ),
        (
            'Survey: top goals were "arrive on time" and "a seat". They want fewer cancellations.',
            "goals",
            'Survey: top goals were "arrive on time" and "a seat"',
        ),
        # the team's framing before the colon says which part it is; the item is what follows
        (
            "Frustration I hear on every sales call: VAT and sales tax. They don't know what to charge",
            "frustrations",
            "VAT and sales tax",
        ),
    ],
)
def test_items_are_whole_sentences_and_quotations_stay_whole(note: str, kind: str | None, item: str | None) -> None:
    persona = build_persona([theme(note), theme("She wants to see her results on her phone")])
    items = persona.goals + persona.needs + persona.frustrations
    assert all(entry.count('"') % 2 == 0 for entry in items), items  # no stray quotation mark
    if kind and item:
        assert item in getattr(persona, kind)


@pytest.mark.parametrize(
    "note",
    [
        "Context: usually comes with a relative who also has to park",
        "- Background: has to commute two hours, hates mornings",
        "Habits: wants everything on paper",
    ],
)
def test_a_note_labelled_as_another_part_of_the_persona_is_no_goal_need_or_frustration(note: str) -> None:
    persona = build_persona([theme(note), theme("Needs the letter to say which entrance to use")])
    assert persona.needs == ["Needs the letter to say which entrance to use"]
    assert persona.goals == persona.frustrations == []


def test_verbatims_are_customer_quotes_attributed_to_who_heard_them() -> None:
    persona = build_persona(
        [
            theme(
                (
                    '[interview] "I stood on the platform for forty minutes and the board said on time."',
                    Evidence.interview,
                ),
                ('Frustration: "Delays" is the word we hear most', Evidence.ticket),
                ("We think the app should push platform changes", Evidence.assumption),
                user="U0RESEARCH",
            ),
            theme(
                ('A ticket: "my card was charged twice and nobody has called me back"', Evidence.ticket),
                user="U0SUPPORT",
            ),
        ]
    )
    assert [(v.text, v.user) for v in persona.verbatims] == [
        ("I stood on the platform for forty minutes and the board said on time.", "U0RESEARCH"),
        ("my card was charged twice and nobody has called me back", "U0SUPPORT"),
    ]


def test_the_demo_persona_keeps_its_name_its_sentences_and_its_best_quote() -> None:
    persona = build_persona(demo_persona_themes())
    assert persona.name == "Freelance Fiona"
    items = persona.goals + persona.needs + persona.frustrations
    assert all(entry.count('"') % 2 == 0 for entry in items), items
    assert not any(entry.startswith(("I just want to bill my client", "Reminders")) for entry in items)
    verbatims = [v.text for v in persona.verbatims]
    assert "Honestly I'd pay double if it just chased my late payers for me." in verbatims
    assert "Reminders" not in verbatims and all(len(text.split()) >= 4 for text in verbatims)
    assert not any("feature request" in text or "survey" in text.casefold() for text in verbatims)
    heard_by = {v.text: v.user for v in persona.verbatims}
    assert heard_by["Honestly I'd pay double if it just chased my late payers for me."] == DEMO_SCRIPT.facilitator.id


@pytest.mark.parametrize(
    ("note", "facet"),
    [
        ("27-40, renting a flat, no car", "segment"),
        ("Office manager at a 20-60 person business", "segment"),
        ("median age at consult is 33", "segment"),
        ("72% of new puppy registrations are at a clinic the owner has never used", "segment"),
        ("Context: works from home 3 days a week", "context"),
        ("lives 30-40 min away, relies on her daughter to get in", "context"),
        ("Her goal: pay everyone on time", None),
        ('"I sat in that waiting room for 40-50 minutes"', None),  # the customer's words, not the team's description
    ],
)
def test_who_the_persona_is_and_their_circumstances_are_told_apart(note: str, facet: str | None) -> None:
    assert persona_facet(note) == facet


def test_names_coined_weighed_or_talked_about_are_notes_about_the_name() -> None:
    notes = [
        "Name ideas? I'll start: Busy Bex :sweat_smile:",
        "Toner Tina :joy:",
        "vote :one: Megan :two: Chris",
        "&gt; Anxious Annie\nplease no, we try hard not to label people as anxious",
        "or Loyal Len, most of them have been with us a decade",
        "Megan's fine but Chain-Stressed Chris is more accurate lol",
        "I'd avoid alliteration tbh, last time it became a meme",
        "names need to be less cutesy imo, this person is stressed",
        "What about Busy Becky - being time-poor is the real driver, not anxiety",
        "I vote Tina, it's what the engineers call them anyway",
        "Backing Ben up: median app opens drop to 0.8 a week by week 8",
        "Direct Debit failures are what she rings about most",
        "Tina runs the office on her own and orders the toner herself when the printer starts to complain",
    ]
    assert naming_notes(notes) == [True] * 10 + [False] * 3


def test_first_names_put_forward_on_their_own_are_notes_about_the_name() -> None:
    notes = [
        "Main bookers skew female in our data",
        "what about Priya",
        "could be Nadia or Nathan, keep it neutral-ish",
        "yes, Nadia",
        "Commuter Kate :bike:",
        "so I'd lean Karim but honestly either works",
        "Iona?",
        "Iona's nice but isn't that an actual island?",
        "visiting family in Spain, Poland or Ireland, mostly",
        "what about Android users? half of them are",
        "Nadia books the tickets on her phone in the car park, every single visit, because the queue is long",
    ]
    assert naming_notes(notes) == [False, True, True, True, True, True, True, True, False, False, False]


def test_a_couple_put_forward_is_a_note_about_the_name() -> None:
    notes = [
        "I like a couple. Rob &amp; Jen :+1:",
        "or Pete &amp; Sue :older_man:",
        "fair, Rob & Jen",
        "Jen books the whole trip on her phone months ahead and Rob only ever sees the confirmation email",
    ]
    assert naming_notes(notes) == [True, True, True, False]
