"""Theme titles and the cleaning before them, as a facilitator reads them: short noun phrases from the notes' own
words, never a greeting, a cut-off sentence or a single word."""

from __future__ import annotations

import re

import numpy as np
import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from journeybot.demo.script import DEMO_SCRIPT
from workflows.contributions.parsing import parse_reply
from workflows.contributions.text import shorten
from workflows.mapping.lexicon import TITLE_WORDS_AMONG_STOP_WORDS, VERB_FORMS
from workflows.mapping.models import StepKey
from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.themes.clustering.cleaning import clean, is_note
from workflows.themes.clustering.embedded import EmbeddedEngine
from workflows.themes.clustering.embeddings import get_embedder
from workflows.themes.clustering.naming import apart_from, name_groups
from workflows.themes.clustering.titles import note_title, titles

WORD = re.compile(r"[^\W_][\w'’-]*")
STOP_WORDS = ENGLISH_STOP_WORDS - TITLE_WORDS_AMONG_STOP_WORDS


def demo_notes(step: StepKey) -> list[str]:
    """A demo step's notes as the bot stores them: bullets split, edits played, deleted and bot messages left out."""
    return [
        note.text
        for reply in DEMO_SCRIPT.step(step).replies
        if reply.is_contribution and reply.final_text is not None
        for note in parse_reply(reply.final_text, keep_headings=step == StepKey.persona)
    ]


def assert_reads_as_a_title(title: str, source: str, fewest_words: int = 2) -> None:
    """Two to six of the source's words, not starting with a number, not ending in a stop word or a verb."""
    words = title.split()
    assert fewest_words <= len(words) <= 6, title
    assert not title[:1].isdigit(), title
    assert "…" not in title, title
    last = words[-1].lower()
    assert last not in STOP_WORDS and last not in VERB_FORMS, title
    said = {w.lower() for w in WORD.findall(source)} | {"and"}
    assert {w.lower() for w in WORD.findall(title)} <= said, title


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        (
            "Hi all, late to the party. The invoice-paid push has a 61% open rate",
            "The invoice-paid push has a 61% open rate",
        ),
        ("Hey team — the VAT step is confusing", "the VAT step is confusing"),
        ("hello everyone! Export is slow", "Export is slow"),
        ("Good morning folks, the export is slow", "the export is slow"),
        ("Hi Priya, the export is slow", "the export is slow"),
        ("For the record, solo accounts are 72% of trials", "solo accounts are 72% of trials"),
        ("heads up, this is the big one: payouts stuck in review", "payouts stuck in review"),
        ("<!channel> Heads-up: payouts stuck in review", "payouts stuck in review"),
        ("+1 to <@U0DEMO02>'s point on payout verification: it takes days", "payout verification: it takes days"),
        ("+1 to @dana's point about pricing: nobody reads it", "pricing: nobody reads it"),
        ("Quick one: the PDF is blank", "the PDF is blank"),
        ("FYI the PDF is blank", "the PDF is blank"),
        ("fyi: the PDF is blank", "the PDF is blank"),
        ("Honestly the onboarding is too long", "the onboarding is too long"),
        ("IMO the onboarding is too long", "the onboarding is too long"),
        ("TBH, I think the onboarding is too long", "the onboarding is too long"),
        ("Sorry I'm late! Checkout is slow", "Checkout is slow"),
        ("Just catching up on this thread. Checkout is slow", "Checkout is slow"),
        ("Also, the export is slow", "the export is slow"),
        ("One more from me: refunds take weeks", "refunds take weeks"),
        ("Refunds take weeks. Thanks!", "Refunds take weeks."),
        ("Refunds take weeks, hope this helps", "Refunds take weeks"),
        ("Best quote of the round, <!here>: “Honestly I'd pay double”", "“I'd pay double”"),
        ("[interview] Hi all: people want reminders", "people want reminders"),
    ],
)
def test_filler_is_dropped_wherever_people_write_it(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned


@pytest.mark.parametrize(
    "text",
    [
        "This is the same day every month",
        "So that people can pay by card",
        "Right sidebar is broken",
        "Same problem with invoices on mobile",
        "Evening and weekend chat coverage",
        "Thanks page never loads",
        "Hidden fees appear at the last step",
        "The checkout page is slow to load on mobile",
    ],
)
def test_substance_that_looks_like_filler_is_kept(text: str) -> None:
    assert clean(text) == text


@pytest.mark.parametrize(
    "text",
    [
        ":+1: :100:",
        "👍👍",
        "🔥",
        "+1",
        "+1 <@U0DEMO02>",
        "same",
        "Same here!",
        "agreed",
        "Agreed 💯",
        "this!",
        "^ this",
        "lol",
        "haha yes",
        "Thanks all!",
        "thank you so much :pray:",
        "Hi everyone",
        "Hey <@U0DEMO02> :wave:",
        "Good point",
        "Great idea, love it",
        "...",
        "?!",
        "",
        "   ",
        "me too",
        "Yes, exactly",
        "ok",
        "<!channel>",
        "Sorry, late :sweat_smile:",
        "Apologies for the delay!",
        "Subscribing",
        "Great thread, thanks everyone!",
        "strongly agree",
        "good shout",
        "exactly what I was going to say",
        "thanks all, great input 🙌",
        "Sorry I'm late to this one, catching up now",
        "will add more later",
        "+1 to what Marco said",
        "Same as <@U0DEMO02> tbh",
        "👋 hi all, just joined",
        "brb, adding thoughts after standup",
        # the facilitator moving the thread on
        "Morning all :wave: thanks for making time, let's start with the why",
        "Nice, loads here :raised_hands: anything after the first month?",
        "5 mins left on this bit, anything past the first month?",
        "Right, touchpoints. Stage by stage if you can, but honestly just dump them in and we'll sort it after",
        "Pain points next :point_down: quotes very welcome, tag where they're from please",
        "Last bit, actions",
        # the workshop's own business
        "<@U0DEMO02> can you add yours when you get a sec?",
        "will think about it and come back",
        "in another meeting, will catch up",
        "give me 5 min",
        "where's the miro link again?",
        "10 minutes left, wrap up your pain points pls",
        "Great work everyone, moving on to actions now :rocket:",
        # a step opened or timed, whatever instructions follow it
        "Touchpoints now :point_down: every place a driver meets us, any stage, tag your evidence if you've got it",
        "Pain points :fire: same drill, evidence tags where you've got them, quotes very welcome",
        "Pain points. Tag your evidence where you have it, and [assumption] is fine :slightly_smiling_face:",
        "Right, actions. Name + date on each one or it's just a wish :pray:",
        "Morning both teams :wave: :zap: objective first, then we'll do the persona",
        "Hi all :wave: welcome to the swim map! First thread is the objective, just throw thoughts in",
        "15 mins left for touchpoints, then pain points :hourglass_flowing_sand:",
        "Good stuff :raised_hands: 15 mins left on this bit. What happens when it goes wrong? :sos:",
        "makes sense to me, let's crack on :ship:",
        "Hi all :wave: thanks for joining. Starting with the objective: why are we mapping this?",
        "Last one: actions. Owner and date on everything please :pray:",
        "5 mins ⏰ then dot-voting on pain points, 3 dots each",
        "ok that's time on touchpoints! pain points next, same drill",
        "brilliant, let's park that and move on",
        # the workshop's own tools, comings and goings, and thanks for it
        "can someone drop the miro link again, mine's expired",
        "will the recording be shared?",
        "who's taking notes? 🙋",
        "is anyone from the contact centre joining today or just us?",
        "brb, fire drill",
        "ok back, what did I miss",
        "sorry can't make the second half, will add async",
        "Hi all, sorry, dentist :tooth: catching up now",
        "sorry, I have to drop at 11 for a customer call :see_no_evil:",
        "thanks for organising <@U02ZZB8K4> :sparkles:",
        "brilliant session, same time next week?",
        "lol I'm just here for the biscuits",
        "is slack super laggy for anyone else today or just me",
        "morning :coffee: is anyone else's train stuck outside leeds or just mine",
        "unrelated but who's doing cake on friday :cake:",
        "+1 to the parking one",
        # where the workshop goes next, how long is left, the board praised, the facilitator's follow-up
        "great start, thanks all 🙏 persona thread is up next :point_down:",
        "thanks, good board. touchpoints tomorrow 10am",
        "Adoption next? what happens after the contract's signed",
        "great list :raised_hands: pain points thread opens tomorrow",
        "thanks all, this is gold. actions thread is next, pls come with owners + dates 🙏",
        "halfway :hourglass_flowing_sand: keep going, nobody's touched the later stages yet",
        "about a day left :clock3:",
        "great stuff, thanks all 🙏 action plan next",
        "wow. didn't know that one",
        "thanks everyone :pray: I'll post the map + summary in #partner-exp by Monday",
        "Kicking off :wave: this thread is for the *why*. Drop why we're doing this and how we'll know it worked",
        "Last one :checkered_flag: actions. format whatever, but each one needs an owner and a date",
        # a thread opened, input asked for, time kept and a wrap-up, in a facilitator's words
        "thread 2 :bust_in_silhouette: who's our customer? give them a name, a situation, what they want from a move",
        "thread 4 :fire: pain points. where does it hurt for megan? evidence tags pls ([ticket] [survey])",
        "pains :fire: what hurts for Dana? evidence tags pls",
        "thread 3 :round_pushpin: touchpoints — every place megan meets us. use the stages if you can, doesn't need "
        "to be perfect",
        "morning all :wave: kicking off the async journey map for ashcombe. this thread = why we're doing it + "
        "what's in/out. short answers fine, no essays pls",
        "morning all :wave: kicking off the map. objective thread first: why are we doing this, what's in/out. go wild",
        "last thread :rocket: actions, owner + date pls. reminder the decision is which 2 bids we fund",
        "10 mins :alarm_clock: anything on the final invoice?",
        "that's a wrap :clap: thanks everyone, map coming your way monday",
        "thanks everyone 🙏 this was great, closing the thread :wave:",
        "brill, thanks all :pray: i'll write this up + share the map tmrw 🙌",
        # coming and going, praise, nudges and the thread's house-keeping
        "i'm out next week, <@U0ABC03> will cover for me",
        "i'll be 15 min late to the sync, start without me",
        "thanks, that's super helpful!",
        "joining late, reading back now 👀",
        "deleted, posted in the wrong place",
        "note to self: export the thread before it gets archived",
        "same question as <@U0ABC02> tbh, do we map the current or the ideal journey?",
        "quick time check: we're halfway, 2 threads to go",
        "thx <@U0ABC04> &amp; <@U0ABC05> for running this",
        ":wave: morning all! first thread is the objective - why are we doing this + what's in/out. drop it below",
        "thread for the objective :dart: why are we doing this, what's in/out, how do we know it worked. go wild",
        # time left and what is thin, the facilitator's next move, late arrivals, who takes what, nudges by name
        "lovely, keep em coming. ~15 mins before I collate :clock3:",
        "5 min warning before I tidy these onto the board",
        "halfway check :hourglass: good stuff. still light on Renewal if anyone has data",
        "nice list, not much on Advocacy yet though...",
        "ok 5 mins left on this, any last ones for Onboarding?",
        "Wrapping soon, I'll cluster these tonight. action plan tomorrow :wave:",
        "I'll put all of this in the canvas and we review at the retro",
        "Great, thanks all. See you in the pain points thread",
        "hi! :coffee: just catching up",
        "sorry late to this!! nothing to add, looks good",
        "morning, sorry late to this, was at the depot all day yesterday :truck:",
        "happy to be roped in :wave:",
        "who's taking the invoice one?",
        "anyone want to pick up the filter fix?",
        "right, he needs a name :smile: suggestions?",
        "nudge :wave: <@U0ABC05> <@U0ABC08> anything on the renewal side?",
        "Brilliant, thank you all",
        "ok let's move on",
        "ok folks, thread 3 of 5, touchpoints: list every place the customer meets us",
        "closing this one out, thanks all for the input :pray:",
        "last call for additions before I lock this thread",
        "Morning all :wave: thread 1 of 5 is the objective. Shout if it looks off, I'll leave this open till Weds",
        "Thanks all :raised_hands: Pain points thread is open :arrow_down:",
        "morning all :sunny: catching up on this now",
        "happy to be on this one :wave:",
        ":eyes: loving this. anything at the try stage we're missing? feels thin",
        "Great stuff all. I'll cluster over the weekend and open the action plan thread Monday :pray:",
        "Who's going to own the case studies thing?",
        "Night entrance signage, anyone?",
        "Name ideas? :thinking_face:",
        "thanks all, this is a goldmine :pray:",
        "is there a deadline for this thread or is it open all week?",
        "anyone know if the readout is recorded? I can't make it live",
        "signing off for today, will pick this up tomorrow",
        "apologies for the radio silence, back-to-back calls all morning",
        "<@U0ABC08> can you share the doc link again? lost it",
        "can we push the live sync to thursday? clashes with sprint review",
        "gentle nudge for anyone who hasn't posted yet :slightly_smiling_face:",
        ":skull: accurate",
        "&gt; Four-Eyes Fiona\nlol no :grimacing:",
        "Own the face shape quiz?",
        "Morning all :wave: excited for this one",
        "Ok we need a name for this person :smile: suggestions?",
        "quick one, are we doing ideas/solutions here or later?",
        "nice, this is rich. 15 more min then we wrap :clock3:",
        "I'm just here for the alliteration :joy:",
        "Great stuff. Nobody's said much about the actual collection yet — <@U0ABC04>?",
        "targets please :bar_chart:",
        # the step's question with its instructions, an emoji before it
        "Where does it hurt for Brian? Tag your evidence: [interview] [survey], or [assumption]. Quote &amp; back each "
        "other up!",
        "Who are we mapping for? context, goals, needs, frustrations. research quotes welcome, and we need a name!",
        "every moment Nadia meets us (or meets something about us) from first thinking about cover to renewal. say "
        "which channel and how she feels",
        "Every moment Priya meets Kestrel, from first look to recommending us. Channel + how she feels",
        ":boom: *Thread 4 — Pain points*\nWhere does it hurt for Priya? Say which stage and tag your evidence",
        "What do we change, who owns it, by when",
        # backing a note with only how big it is
        "+1 to the login one, it's huge",
        "great point, the refund thing is huge",
        "big +1, we hear this constantly",
        "yep, seen this a hundred times",
        "+1 to the renewal one, so many angry emails :rage:",
        # calling for names and nothing more
        "great stuff :clap: ok, name time :label: suggestions?",
        "ok names! suggestions? :thinking_face:",
        "love these. ok naming time :name_badge: suggestions?",
    ],
)
def test_a_reply_without_substance_is_not_a_note(text: str) -> None:
    assert not is_note(text)


@pytest.mark.parametrize(
    "text",
    [
        "VAT confusion",
        "Pain points: the app crashes on login",  # the step named with a colon is a label
        "touchpoints, the booking email and the app",
        # a clause about the workshop, then a note
        "Sorry, catching up — at the settlement stage they get an offer letter with the amount",
        "Morning all :wave: kicking off with the objective. Why we're doing this: first-time buyers fell to 22%",
        "the payment link in the reminder email is broken?",
        "Slow checkout",
        "No phone",
        "+1, and the export is slow too",
        "Same problem with invoices",
        "Hi all, refunds take three weeks",
        "Thanks page never loads",
        "Refunds :rage:",
        "<https://example.com/report|Q3 churn report>",
        "配送が遅れた",
        "Sorry for the late reply, the app crashes on login",
        "The late payment reminder is rude",
        "Instagram",
        "Same for Android",
        "agree with @Dee, Alison it is",
        "+1 for Rob",  # a vote for the persona's name
        "Nobody said why",  # short, and a complaint of its own
        "Just the IVR",
        "Add a live chat",
        "Input validation on the form",
        "Later delivery slots",
        "Pain points: the app crashes",
        "Touchpoints next: the shop and the app",
        "the app :rage: crashes on login",
        "Meeting rooms are never free",
        "Late fees",
        "the board link is broken in the welcome email",
        "reminder emails on day 1, day 7 and 24h before it closes",
        "evidence of address pls is the form's worst line",
        "anything over 30 mins on hold and they hang up",
        "the action plan template in the app is confusing",
        "same on android",
        "no phone line",
        # the same words about the customer's journey
        "the engineer rings ~30 min before arriving",
        "the departure board shows the platform 3 min before departure",
        "most prospects are halfway through a security review when they find us",
        "the car arrives with a warning light on",
        "Catching up late :sweat_smile: lots of people say a neighbour sent them",
        "sorry late to this - pls keep the catering contracts out of scope",
        "I was on hold all morning and nobody picked up",
        "I'll cluster the support tickets by reason before the review",
        # nouns the stop-word list holds, a thread named mid-sentence, a decision's final call
        "Move out – closing bill",
        "Build a dashboard for the measures from thread 1 so we see if anything moves",
        "the decision this informs, final call at the roadmap review on the 14th",
        "nudge emails are too frequent, people unsubscribe",
        "welcome email is broken on mobile",
        "push the session timeout to 45 mins",
        "is this thread view the same on android?",
        "signing off the contract takes 3 weeks",
        "the doc link in the welcome email is dead",
        "the readout is recorded but nobody watches it",
        "the inventory bit is where half drop off, but that's a pain, will put it in the next thread",
        "we're light on stock most Mondays",
        "Visit & apply: show-rounds only offered 10am-2pm, working parents can't make it",
        "&gt; pre-app advice\nuptake is tiny, 4% of householder apps",
        "Take payment upfront at booking?",
        "every time she meets us she has to re-enter her details",
        "every touchpoint has a different login, that's the real problem",
        "What do we change first? I'd say the claim form",
        ":rage: the claim form times out after 10 minutes",
        "+1 to the refund delay, it's huge for B2B customers",
        "+1, and the claim form is huge",
        "yes - it's everywhere in the tickets",
        "ok name time?? Locker Lucy :lock:",
        "ok name time :smile: 'Museum Mum'?",
        "naming time? I'll start: *Household Hannah*",
        "is it just me or is the checkout slow on Android?",
    ],
)
def test_a_short_real_note_is_a_note(text: str) -> None:
    assert is_note(text)


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Take the old phone number off Google Business and the website footer", {"Old phone number"}),
        ("Our office coffee machine has been broken since Tuesday", {"Office coffee machine"}),
        ("The invoice PDF is missing the VAT number", {"Invoice PDF"}),
        ("Success measure: median time from signup to first invoice sent under 2 days", {"Signup to first invoice"}),
        ("The invoice editor hides the Add line item button behind the keyboard", {"Invoice editor"}),
        ("Payouts stuck in Verifying for 3-5 business days", {"Business days", "Payouts"}),
        (
            "Stop saying payouts are instant on calls; update the sales deck & the FAQ",
            {"Sales deck", "Sales deck and FAQ"},
        ),
        ("We should send invoice emails from the customer's own domain", {"Invoice emails"}),
        ("Missed payments pile up at the end of the month", {"Missed payments"}),
        # the writer's own label names the note, unless it only says what kind of note follows
        ('Help center: "How to set up VAT" is the most viewed article in a new account\'s first week', {"Help center"}),
        ("The VAT step: studios with EU clients abandon at the VAT question", {"VAT step"}),
        ("Support touchpoints: in-app chat on weekdays, the help center and email", {"In-app chat"}),
        ("The biggest pain point for support: in-app chat on weekdays only", {"In-app chat"}),
        # "let's" is no possessive, and a word in -s before "the" is a verb: neither ends a title
        ("let's call her Margaret, the retired teacher", {"Retired teacher"}),
        ("What the station board says contradicts the app", {"Station board"}),
        # nor does a verb before its particle, nor a chat's aside
        ("Renewal form times out after 15 mins", {"Renewal form"}),
        ("Front desk hands out 'bring a buddy' passes on Fridays", {"Front desk"}),
        ("My mortgage approval ran out two weeks before we could move", {"Mortgage approval"}),
        ("Awareness: Instagram, mostly the Bristol account tbh", {"Bristol account"}),
        ("lol 'haggle' is literally the word our interviewees used", {"Haggle and interviewees"}),
        ("ok that one genuinely shocked me, I didn't know we still did that", {"That one genuinely shocked me"}),
        # a research participant's code says who, not what; a percentile is a what
        (
            "\"I'd recommend you, but nobody's ever asked me\" - P3, when I asked about referrals",
            {"Asked about referrals"},
        ),
        ("p95 latency on the checkout API is 2s", {"P95 latency"}),
        # a noun before a particle stays one ("delayed bags back"), so does the noun of "the check in desk"
        ("58% of delayed bags back with the customer within 48h", {"Delayed bags"}),
        ("the check in desk is always busy", {"Check in desk"}),
        # an abbreviation that opens what follows never ends a title ("Yr-2 price incl")
        ("yr-2 price incl. the April rise in £ next to every price", {"Yr-2 price", "Yr-2 price incl the April rise"}),
        # a note with no phrase of two words: its two best words, or the word with what leads to it
        ("Students mostly use WhatsApp, not email", {"Students and WhatsApp"}),
        (
            "He wants to do everything on his phone, but the phone is the thing that's broken",
            {"Everything on his phone"},
        ),
    ],
)
def test_a_note_is_titled_by_its_key_noun_phrase(note: str, expected: set[str]) -> None:
    assert note_title(clean(note)) in expected


def test_every_demo_note_gets_a_short_title_of_its_own_words() -> None:
    """One word only where a note has no noun phrase of two ("If my client gets an invoice that looks homemade")."""
    named = {note_title(clean(text)): clean(text) for step in StepKey for text in demo_notes(step) if is_note(text)}
    for title, text in named.items():
        assert_reads_as_a_title(title, text, fewest_words=1)
    assert len([title for title in named if " " not in title]) <= 2


@pytest.fixture(scope="module")
def engine() -> EmbeddedEngine:
    return EmbeddedEngine(get_embedder())


@pytest.mark.parametrize("step", list(StepKey))
def test_demo_themes_are_named_by_distinct_short_noun_phrases(engine: EmbeddedEngine, step: StepKey) -> None:
    notes = [Note(id=str(n), text=text) for n, text in enumerate(demo_notes(step)) if is_note(text)]
    themes = engine.cluster(notes)
    texts = {n.id: clean(n.text) for n in notes}
    assert len({t.title.casefold() for t in themes}) == len(themes)
    for theme in themes:
        assert not re.match(r"(?i)(hi|hey|hello|thanks)\b", theme.title), theme.title
        assert_reads_as_a_title(theme.title, " ".join(texts[i] for i in theme.ids))


def test_a_shared_phrase_names_a_theme_of_several_notes() -> None:
    groups = [
        [
            "Payouts stuck in verification for five days",
            "Payout verification takes 52 hours",
            "Payout verification never says what is missing",
        ],
        ["Invoice emails land in spam", "Clients never get the invoice emails", "Invoice emails bounce"],
    ]
    embedder = get_embedder()
    centres = np.stack([embedder.encode(g).mean(axis=0) for g in groups])
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    assert titles(groups, centres, embedder.encode) == ["Payout verification", "Invoice emails"]


def test_notes_without_words_are_titled_plainly() -> None:
    assert titles([[""], ["🔥🔥🔥"]], np.zeros((2, 384)), get_embedder().encode) == ["Empty notes", "🔥🔥🔥"]
    assert note_title("") == "Empty notes"
    assert note_title("x" * 500) == "X" + "x" * 58 + "…"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("try: nobody tells them that, they just see nothing happen", "Nobody tells them that"),
        (
            "that one genuinely shocked me, I didn't know we still did that. it has to go",
            "That one genuinely shocked me",
        ),
        ("agree with, Alison it is", "Alison it is"),
        ("Am I covered? no idea", "Am I covered?"),
        ("Goals: not get it wrong and have to knock it down", "Not get it wrong"),
        ("“I wasn't sure I was doing them right so I just stopped”", "I just stopped"),
        ("she's probably thinking 'is this even worth it if they never pay out'", "They never pay out"),
        ("nobody ever really knows what happens to it afterwards honestly", "Nobody ever really knows what happens"),
        ("they basically never ever really actually do anything", "They basically never ever really actually…"),
    ],
)
def test_a_note_without_a_phrase_is_titled_by_its_first_clause_never_cut_unmarked(text: str, title: str) -> None:
    assert note_title(text) == title


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Refunds take three weeks", 60, "Refunds take three weeks"),
        ("Refunds take three weeks", 16, "Refunds take…"),
        ("Supercalifragilistic", 10, "Supercali…"),
        ("a Supercalifragilistic word", 10, "a…"),
    ],
)
def test_shorten_cuts_at_a_word_and_always_says_so(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected


def test_a_theme_without_a_two_word_phrase_is_titled_by_its_two_key_words() -> None:
    groups = [["Sees the registrar, not the consultant"], ["The kiosk rejects the insurance card"]]
    embedder = get_embedder()
    centres = np.stack([embedder.encode(g).mean(axis=0) for g in groups])
    first, _ = titles(groups, centres, embedder.encode)
    assert len(first.split()) >= 2 and {"registrar", "consultant"} <= set(first.casefold().split())


def test_a_lone_possessive_is_no_title_word() -> None:
    groups = [["No loaner. Kemi's back on the bus."], ["The kiosk rejects the card"]]
    embedder = get_embedder()
    centres = np.stack([embedder.encode(g).mean(axis=0) for g in groups])
    first, _ = titles(groups, centres, embedder.encode)
    assert "kemi's" not in first.casefold()  # was "Loaner and Kemi's"


def test_a_title_avoids_those_the_step_already_has() -> None:
    """A theme split in a revision: the half that does not inherit the old title gets one of its own."""
    group = ["The 1% per-payment fee surprises new customers", "Per-payment fee not on the pricing page"]
    (free,) = name_groups([group])
    (other,) = name_groups([group], taken=[free])
    assert other.casefold() != free.casefold()
    assert 2 <= len(other.split()) <= 6


def test_a_new_theme_is_never_titled_like_one_people_edited() -> None:
    texts = {"1": "Per-payment fee not on the pricing page", "2": "Card payments fail for clients abroad"}
    drafts = [ThemeDraft(title="Per-payment fee", ids=["1"]), ThemeDraft(title="Card payments", ids=["2"])]
    apart = apart_from(drafts, texts, fixed=["per-payment fee"])
    assert apart[0].title.casefold() not in {"per-payment fee", "card payments"}
    assert apart[1] == drafts[1]


def test_a_one_note_theme_keeps_its_writers_label_when_another_theme_mentions_the_same_thing() -> None:
    """ "Help center: …" is the touchpoint's name even though the support theme lists the help center too."""
    groups = [
        [
            "Support touchpoints: in-app chat on weekdays, the help center and email",
            "New users mostly use the help center and the chat during the trial",
        ],
        ['Help center: "How to set up VAT" is the most viewed article in a new account\'s first week'],
    ]
    assert name_groups(groups)[1] == "Help center"


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("owners leave with a 30-page booklet and remember maybe two things", "30-page booklet"),
        ('"Every tool says it\'s easy to set up. None of them are."', "Every tool"),
        ("What they want is pretty simple: to feel they're doing something decent every month", "Something decent"),
        ('"I don\'t want to own a car, I just want one for the two hours a week I actually need it"', "Own a car"),
        ('"The first time I had no idea if I was allowed to park it outside my own flat"', "Outside my own flat"),
        # the words that follow it, where none lead to it
        ('"I spend two days a month just chasing people for their hours"', "Spend two days a month"),
        ("Sign those off", "Sign those off"),
        # else the fewest words around it in its clause, as written, cutting no quotation
        ("3 invoices a month → 22% of tickets", "22% of tickets"),
        ("Trustpilot (4.1), people definately read it before buying", "Trustpilot (4.1)"),
        ('"I just wanted someone to tell me what was normal"', "Tell me what was normal"),
        ("Use: the weekly 'you saved £x' push", "Weekly 'you saved £x' push"),
    ],
)
def test_a_one_note_theme_without_a_noun_phrase_gets_two_words_of_its_own(note: str, expected: str) -> None:
    """A lone word ("Booklet", "Tool", "Tickets") is no title: a number that describes it, the words that lead to it
    or follow it, or the words around it."""
    groups = [[clean(note)], [clean("The kiosk rejects the insurance card")]]
    embedder = get_embedder()
    centres = np.stack([embedder.encode(g).mean(axis=0) for g in groups])
    assert titles(groups, centres, embedder.encode)[0] == expected


def test_a_theme_titled_like_a_stage_is_named_by_its_own_words_not_a_word_of_the_stage() -> None:
    """ "Discover damage: first thing most people do is ring a plumber": not "Discover damage", nor "Damage"."""
    texts = {"1": "Discover damage: first thing most people do is ring a plumber, often a random one off Google"}
    drafts = [ThemeDraft(title="Discover damage", ids=["1"])]
    (retitled,) = apart_from(drafts, texts, fixed=["Discover damage", "Report claim", "Repairs"])
    assert retitled.title == "Ring a plumber"


def test_personal_data_is_never_compared_nor_titled() -> None:
    """ "my client jess.moreno@example.com …" titled "Client jess" before e-mail addresses were left out."""
    text = "my client jess.moreno@example.com says nothing arrived, please call me on +1 415 555 0134"
    cleaned = clean(text)
    assert "jess" not in cleaned and "415" not in cleaned
    assert "jess" not in note_title(cleaned).casefold()


def test_thanks_to_someone_or_wrapping_up_is_no_title() -> None:
    assert clean("Thanks Priya. For me the decision bit is the key one") == "For me the decision bit is the key one"
    assert clean("Before we wrap: can we agree a success metric for each?") == "can we agree a success metric for each?"
    assert clean("Thanks page never loads") == "Thanks page never loads"
