"""Customer quotes: the customer's own words in a team's notes, never the team's commentary or a quoted term."""

from __future__ import annotations

import pytest

from workflows.mapping.models import Contribution, Evidence
from workflows.mapping.quotes import customer_quotes, quoted_spans, quotes_in, split_outside_quotes


def note(text: str, evidence: Evidence = Evidence.assumption, user: str = "U0HEARD") -> Contribution:
    return Contribution(user=user, ts="1700000000.000100", text=text, evidence=evidence)


@pytest.mark.parametrize(
    ("text", "evidence", "quote"),
    [
        # rail: quoted in an interview note
        (
            '"The app told me the train was on time while I stood on an empty platform."',
            Evidence.interview,
            "The app told me the train was on time while I stood on an empty platform.",
        ),
        # hospital: a survey comment in curly quotes, after the team's lead-in
        (
            "Patient survey comment: “Nobody told me how long I would wait for the scan.”",
            Evidence.survey,
            "Nobody told me how long I would wait for the scan.",
        ),
        # SaaS: a ticket quoted inside the team's sentence
        (
            'Typical ticket: "why does the export stop at 10,000 rows?" Comes up every week',
            Evidence.ticket,
            "why does the export stop at 10,000 rows?",
        ),
        # an interview note that is itself the customer speaking
        (
            "I never know which platform my train leaves from",
            Evidence.interview,
            "I never know which platform my train leaves from",
        ),
        # a note tagged [quote]
        (
            "[quote] Booking a repair slot took me three phone calls",
            Evidence.assumption,
            "Booking a repair slot took me three phone calls",
        ),
        # the team asked, the customer answered
        (
            'We asked why and she said "I never know when the money arrives"',
            Evidence.interview,
            "I never know when the money arrives",
        ),
        # a ticket that quotes the customer in full, and a customer's e-mail
        (
            '[ticket] "The builder said Tuesday, then Thursday, then nobody came for a fortnight"',
            Evidence.ticket,
            "The builder said Tuesday, then Thursday, then nobody came for a fortnight",
        ),
        (
            'Passenger email: "I waited forty minutes on the platform and nobody told us why."',
            Evidence.ticket,
            "I waited forty minutes on the platform and nobody told us why.",
        ),
        # a channel named before, then the customers' words
        (
            'The client receives the invoice by email. A steady share of tickets is "my client says they never got it"',
            Evidence.ticket,
            "my client says they never got it",
        ),
        # an interview note (its tag stored as its evidence) naming the app where customers said it
        (
            'Sending the first invoice from the web app is the high point: "oh, that looks really professional"',
            Evidence.interview,
            "oh, that looks really professional",
        ),
        # an e-mail the customer wrote, in the first person
        (
            "[email] “I landed with nowhere to stay and spent my first week in an Airbnb an hour away”",
            Evidence.assumption,
            "I landed with nowhere to stay and spent my first week in an Airbnb an hour away",
        ),
        # a customer speaking at a machine the note names
        (
            "Customers at the ticket machine: “I can't find the railcard button anywhere”",
            Evidence.observation,
            "I can't find the railcard button anywhere",
        ),
        # a customer speaking in the app
        (
            "Customers in the app chat: “I can't find where my ticket went”",
            Evidence.ticket,
            "I can't find where my ticket went",
        ),
        # the customer addressing the company
        (
            '[app review] "Your app rejected my face four times and then told me to go to a branch"',
            Evidence.survey,
            "Your app rejected my face four times and then told me to go to a branch",
        ),
        # single quotation marks after words that report speech
        (
            "She said: 'every letter makes my stomach drop'",
            Evidence.assumption,
            "every letter makes my stomach drop",
        ),
        (
            "One claimant told us 'I just want it to work' and honestly that's Gary",
            Evidence.assumption,
            "I just want it to work",
        ),
        (
            "She told us ‘the letters might as well be in Latin’",
            Evidence.assumption,
            "the letters might as well be in Latin",
        ),
        (
            "He put it as “I don't need cheap, I need predictable”",
            Evidence.interview,
            "I don't need cheap, I need predictable",
        ),
        (
            "A regular we spoke to at Reading, Mr Hughes, said “the app shows me five prices and no answer”",
            Evidence.interview,
            "the app shows me five prices and no answer",
        ),
        # German quotation marks
        (
            "Aus dem Interview: „Ich will einfach nur meine Rechnung bezahlen.“",
            Evidence.interview,
            "Ich will einfach nur meine Rechnung bezahlen.",
        ),
    ],
)
def test_the_customers_words_are_a_quote_heard_by_the_notes_author(text: str, evidence: Evidence, quote: str) -> None:
    found = quotes_in(note(text, evidence))
    assert [q.text for q in found] == [quote]
    assert found[0].user == "U0HEARD"


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ('"Reminders" is our #2 feature request', Evidence.ticket),  # a quoted word is a term
        ('Top goals were "get paid faster" and "look professional"', Evidence.survey),  # short phrases
        ('Most patients click the "Book a follow-up appointment" button twice', Evidence.observation),  # a label
        ('After paying they get an email "We are processing your refund" and then nothing', Evidence.observation),
        ('"How to change my seat reservation" is the most read help article', Evidence.analytics),  # a title
        ("I think we should fix the onboarding checklist first", Evidence.assumption),  # the team speaking
        ("4 of 10 patients said the waiting room felt chaotic", Evidence.interview),  # the team reporting
        ("In every interview I heard that delays are announced too late", Evidence.interview),
        ("Consideration: the pricing page on the website, then a live chat with sales", Evidence.assumption),
        # the team quoting itself: a belief to test, not the customer's words
        ('We always say internally "the customer just wants the cheapest fare" but I doubt it', Evidence.assumption),
        ('Internally we keep saying "the admin is our customer" but the COO decides', Evidence.assumption),
        # the product speaking: its words, not a customer's
        ('The banner says "You may be able to claim" only after 30 min', Evidence.observation),
        ('The SMS reads: "Your appointment is confirmed, reply STOP to opt out"', Evidence.ticket),
        ('the app still says "on time" when the train is already cancelled', Evidence.assumption),
        ('The check-in kiosk says "Please see reception" for every second patient', Evidence.observation),
        # staff and the product speaking to the customer, however the note puts it
        ('Journey starts when the GP says "I\'m going to refer you", not when the referral lands', Evidence.assumption),
        ('Basil the bot replies "Sorry, I didn\'t quite get that!" to anything off its menu', Evidence.observation),
        (
            'push notification: "Your 07:42 to Leeds is delayed by 12 minutes" — customers like these',
            Evidence.assumption,
        ),
        (
            'PA announcements on the platform. Often just "we apologise for the delay" with no reason',
            Evidence.assumption,
        ),
        ('Cash offers go out by email, subject line "Your offer is ready to view"', Evidence.assumption),
        ('Acknowledgement letter: "We have received your referral" + expected wait', Evidence.assumption),
        ('the agent\'s first question is "Is the water still running?"', Evidence.observation),
        (
            "the rep opens every one with “Welcome to paradise, I'm your first call!” and people remember it",
            Evidence.assumption,
        ),
        ("(Loyalty) September rebooking email: “Same week next year? Lock in this year's price”", Evidence.assumption),
        ("Partner shops tell riders “we're not authorised to open the motor, contact Brisa”", Evidence.assumption),
        (
            "(Retention) the app pings every 12 months: “Time for your Brisa service!” with a button",
            Evidence.assumption,
        ),
        ("We keep telling ourselves “our customers are sporty people who like to tinker”", Evidence.assumption),
        (
            "bounced between admissions and the CAS team, and everyone says “that's not us, try the other inbox”",
            Evidence.assumption,
        ),
        (
            "ambassadors telling applicants “yes you can definitely bring your wife” when that's wrong",
            Evidence.assumption,
        ),
        (
            "App login broke after the migration, people just get “Something went wrong, please call your clinic”",
            Evidence.assumption,
        ),
        ('standing in a puddle googling "is a burst pipe covered by my policy"', Evidence.assumption),
        ('27% of churned trials picked "too complicated to set up VAT and taxes" in the exit survey', Evidence.survey),
        (
            'fines arrive 6-10 weeks after the trip, and the email just says "A charge of €105.00 has been applied"',
            Evidence.assumption,
        ),
        (
            'ending outside the zone gives "Trip could not be ended: vehicle outside operating area"',
            Evidence.assumption,
        ),
        ('support chat: Loopy loops on "Did this answer your question?" and never hands over', Evidence.assumption),
        (
            'the tablet just says "Unfortunately we\'re unable to offer you finance at this time"',
            Evidence.assumption,
        ),
        # software failing or asking, however the note brings it in
        ('Use: "Unlock failed, try again" and no reason given, most of the time', Evidence.assumption),
        ('[ticket] top tag this month: "Payment error, please contact your bank"', Evidence.ticket),
        # a moment the team imagines, to say where the journey starts
        ('Journey begins when someone thinks "how do I get to Leeds on Saturday" and searches', Evidence.assumption),
        ('The journey starts when she first thinks "I could sell this" and ends at payout', Evidence.assumption),
        # a colleague quoted, and single quotes that are no one's speech
        ('@Grace said in the kickoff "design for the person doing it at 9pm" — Dana fits that', Evidence.assumption),
        ("our CFO always says “the customer never reads the small print”", Evidence.assumption),
        ("Also: 'where is my prescription' is now 44% of all contacts", Evidence.assumption),
        ("postcode checker says 'Yes, we deliver to you!' but the edge of a zone gets an error", Evidence.assumption),
    ],
)
def test_terms_labels_and_team_commentary_are_not_quotes(text: str, evidence: Evidence) -> None:
    assert quotes_in(note(text, evidence)) == []


def test_interview_quotes_come_first_then_the_fuller_ones_and_none_twice() -> None:
    notes = [
        note('Ticket: "I was charged twice for one journey and nobody answers"', Evidence.ticket, user="U0SUP"),
        note('"Short wait, but nobody said why."', Evidence.interview, user="U0UXR"),
        note('"I was charged twice for one journey and nobody answers"', Evidence.ticket, user="U0OPS"),
        note('"The nurse explained every step before she did it, which calmed me down."', Evidence.interview),
    ]
    quotes = customer_quotes(notes)
    assert [q.text for q in quotes] == [
        "The nurse explained every step before she did it, which calmed me down.",
        "Short wait, but nobody said why.",
        "I was charged twice for one journey and nobody answers",
    ]
    assert quotes[2].user == "U0SUP"  # the first note that heard it


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            'Ticket: "Why is it so slow?? I just want to pay." Happens weekly.',
            ['Ticket: "Why is it so slow?? I just want to pay."', "Happens weekly."],
        ),
        (
            "She said “Never again. The queue took an hour.” We lost her.",
            ["She said “Never again. The queue took an hour.”", "We lost her."],
        ),
        ("No quotes here. Two sentences.", ["No quotes here.", "Two sentences."]),
    ],
)
def test_sentences_are_never_split_inside_a_quotation(text: str, sentences: list[str]) -> None:
    assert split_outside_quotes(text) == sentences


@pytest.mark.parametrize(
    ("text", "evidence", "quote"),
    [
        (
            "She needs a patient instructor. [review] My first instructor shouted at me and I never went back.",
            Evidence.assumption,
            "My first instructor shouted at me and I never went back.",
        ),
        (
            "[webchat] Why do I pay for bins when they never get collected?",
            Evidence.ticket,
            "Why do I pay for bins when they never get collected?",
        ),
        (
            "From a complaint ticket: 'I only found out it had gone up when I checked my bank statement.'",
            Evidence.assumption,
            "I only found out it had gone up when I checked my bank statement.",
        ),
        (
            "one more from Trustpilot: “Failed on a number plate light. A number plate light!”",
            Evidence.assumption,
            "Failed on a number plate light. A number plate light!",
        ),
        # a review or a letter that says "I" past its first words; after a tag inside the note, without it
        (
            "[review] The staff were lovely once I got in the door but getting a visit booked was a nightmare.",
            Evidence.survey,
            "The staff were lovely once I got in the door but getting a visit booked was a nightmare.",
        ),
        (
            "[letter] Thank you for the pack. Could someone ring me instead? I don't like doing this by email.",
            Evidence.ticket,
            "Thank you for the pack. Could someone ring me instead? I don't like doing this by email.",
        ),
        (
            "frustration is the follow-up adjustments. [survey] Had to come back four times, a different audiologist.",
            Evidence.assumption,
            "Had to come back four times, a different audiologist.",
        ),
        (
            "from a WhatsApp a student sent one of our teachers: “Sorry to cancel again, can we do Thursday?”",
            Evidence.assumption,
            "Sorry to cancel again, can we do Thursday?",
        ),
        (
            "she's wary of phone menus. [survey] I pressed 1, then 3, then got cut off.",
            Evidence.assumption,
            "I pressed 1, then 3, then got cut off.",
        ),
        # a quote set off under a source; single quotation marks after "wrote on …"; the speaker's own asking
        (
            "survey: &gt; pickup is 3pm, who finishes work at 3pm??",
            Evidence.survey,
            "pickup is 3pm, who finishes work at 3pm??",
        ),
        (
            "from the branch interviews:\n&gt; I had to ask my granddaughter to set it up",
            Evidence.assumption,
            "I had to ask my granddaughter to set it up",
        ),
        (
            "one guy wrote on trustpilot 'paid the deposit &amp; then nothing for 6 weeks, "
            "had to ring them every friday'",
            Evidence.assumption,
            "paid the deposit &amp; then nothing for 6 weeks, had to ring them every friday",
        ),
        (
            "I got injured in February and by the time I asked about deferring it was too late",
            Evidence.interview,
            "I got injured in February and by the time I asked about deferring it was too late",
        ),
    ],
)
def test_a_customer_heard_through_a_tag_or_a_source_is_quoted(text: str, evidence: Evidence, quote: str) -> None:
    assert [q.text for q in quotes_in(note(text, evidence))] == [quote]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (
            'needs: a calm checklist, one tap to call, status updates. P11 said _"I had to call four times"_',
            "I had to call four times",
        ),
        (
            'needs: a slot that holds while she shops. from P6:\n&gt; "Just tell me it\'s late. I can cope with late"',
            "Just tell me it's late. I can cope with late",
        ),
    ],
)
def test_a_research_participant_by_code_is_the_customer_speaking(text: str, quote: str) -> None:
    """The last speaker before a quotation says who said it: "P11" and "P6" are customers, whatever came before."""
    assert [q.text for q in quotes_in(note(text))] == [quote]


@pytest.mark.parametrize(
    "text",
    [
        "My instructor mate Tom always says 'most people need about 45 hours' but nobody tells them",
        'Our audiologist Ruth told me "half of them keep them in a drawer after a month"',
        'As Martin from finance always says, "it\'s basically a tax, stop worrying"',
        'Our onboarding asks "Are you VAT registered on a flat rate scheme?" and half of them don\'t know',
        'The annual statement literally says "Balance includes interest applied to date" and nothing else',
        "my manager's favourite line is \"if it's not on the pavement by 7am it's not our problem\"",
        'my old boss at Leeds used to say "international students just want certainty"',
        'our call handlers are trained to open with "I\'m so sorry for your loss" even when it jars',
        # the persona's thoughts, imagined by the team
        'she\'s probably also thinking "why is this £35 when the tip is free"',
        'Kat would be thinking "is this a scam?" at every single step',
        # staff, a colleague and the product by the page that says it
        'One of the senior teachers said at the away day "half the parents never read the reports anyway"',
        'reports that say "great effort this term!" and nothing else',
        "Tom on the customs desk has a line for this: \"the HS code is the importer's problem until it's ours\"",
        'AMs open every QBR with "How can we make your supply chain smarter this quarter?"',
        'Side note, the quote page literally says "All-in price. No surprises." in big letters',
        "Sean at the Leeds hub always says \"they're not buying a car, they're buying not having to think about cars\"",
        'My manager keeps saying "the HR director is the buyer, not the user" but she\'s both',
        'she\'s probably quietly wondering "will this company even exist when I die?"',
        # the persona pictured, documents of ours, a lead or a desk of ours
        'i can picture Harriet in the car park thinking "did I pay for this term or not??" lol',
        'colin lying awake going "have I just wasted 9 grand" is very real',
        'lol marcus at 2:45 on the forklift like "I\'m never making it"',
        'the handbook literally says "Missed lessons will not be rescheduled or refunded" and people hate it',
        'the contract says "Early arrivals cannot be accommodated before 12:00 on the contract start date"',
        '+1 to that, the volunteer lead told me "the back of the pack gets forgotten"',
        'Mrs Okafor at the desk told me "half my morning is resetting PINs for ebook people"',
        'our ops lead mentioned "callout fee is £95 before anyone looks at anything" - do we show that earlier?',
        "+1 and when they do get through the planner won't give a definite answer (\"it's only informal advice\")",
        # a contact reason or a survey item counted, a thought the writer imagines
        'top one: "where is my parcel". 40% of delivery tickets are people chasing it [ticket]',
        'returns: 18% of all support chats last month were "how do I send it back" [ticket]',
        "survey: 'ease of cancelling' is our lowest scoring item at 2.4/5 [survey]",
        "the form asks for the address twice. \"didn't I just type that?\" is what I'd be thinking",
        'people never hear back. Imagine being Dana: "I told you the room was cold, did anyone read it?"',
        'no human anywhere during the trial, no way to ask "is this right for me" before it ends',
        # a kind of contact named by its words
        'the fly-tip app, where a lot of "my collection didn\'t happen" reports end up',
        'whatsapp too, mostly "where is my order" msgs',
        'the ticket window for "my card\'s not working" problems',
        # a thing named by its words, and a colleague's saying by name
        'day 3 "how are you getting on" call from the audiologist. only some clinics do it',
        '[analytics] the 5-day follow-up call has a 40% "do not call again" rate',
        '• a clear "what\'s left before I can go live" list',
        'it\'s mostly us being slow. as Graham keeps saying "nobody remembers the flat, they remember the wait"',
        # staff and the product by what they are
        'also the slot picker says "Sorry, no slots left today" at like 9am :upside_down_face:',
        'the operative told him "not my trade mate, you\'ll need another job raising" :grimacing:',
        'and the front desk line is "have you thought about trying a class first?"',
    ],
)
def test_a_colleague_staff_or_the_product_in_quotation_marks_is_no_customer(text: str) -> None:
    assert quotes_in(note(text)) == []


def test_a_ticket_or_survey_note_that_counts_customers_is_no_quote() -> None:
    assert quotes_in(note("68% of delayed-bag contacts are 'where's my bag' chasers", Evidence.ticket)) == []
    assert quotes_in(note("'where is my install' is our #2 contact reason", Evidence.ticket)) == []
    assert quotes_in(note("120 how-do-I-set-up-a-review-cycle tickets last quarter", Evidence.ticket)) == []
    assert quotes_in(note("Register: where's my UTR = #2 call reason in jan, 88k calls", Evidence.ticket)) == []
    # a stage label saying "I" is the team's, and so is a "+1 … i'd add"
    label = "Check if I need it pain: people can't tell whether they need permission. it's 22% of planning tickets"
    assert quotes_in(note(label, Evidence.ticket)) == []
    assert quotes_in(note("+1 to that. and i'd add: fewer complaints escalating to her boss", Evidence.ticket)) == []
    assert [q.text for q in quotes_in(note("I never got a reminder about the discount", Evidence.survey))] == [
        "I never got a reminder about the discount"
    ]


def test_what_a_screen_says_in_brackets_after_it_is_no_ones_speech() -> None:
    assert quoted_spans('the goal quiz ("why are you learning?") feeds nothing') == []
    assert quoted_spans('reviews are harsh ("worst app I have ever used")') == ["worst app I have ever used"]
