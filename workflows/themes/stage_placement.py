"""Which stage of the journey each note is about: the stage it names, else the stage it means.

A team writes "Awareness: …", "• [Book] …", "In Onboarding, …" or "at the checkout stage": such a note is placed on
the stage it names, always. Any other note goes to the stage it is closest to in meaning, judged two ways at once:
against the stage's own name, description and examples, and against the notes already on each stage (the notes of
this step that name their stage, and, for pain points, the touchpoints already placed). The second matters most for
custom stages, which carry no description: the team's own labelled notes are the best description there is.
Where meaning leaves it close, the conversation decides: a bullet goes on the stage its list's heading names, the
bullets of a list without one lean together, and a reply that names none leans toward the stage the thread last
named.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np

from workflows.contributions.parsing import take_evidence_tag
from workflows.contributions.text import unquoted
from workflows.mapping.lexicon import EMOJI_CHARACTERS, NOT_STAGE_WORDS, SHORTHANDS
from workflows.themes.clustering.cleaning import clean
from workflows.themes.clustering.stop_words import ENGLISH_STOP_WORDS
from workflows.workshop.stages import StageDef

# How much the stage's own texts count against the notes already placed there (the rest), when both exist;
# tuned on the annotated demo and the three labelled workshops (bench/map_quality.py): 0.5 places 68% right on
# average, 0.2-0.8 all within 3 points of it.
OWN_TEXTS_WEIGHT = 0.5
# A note that merely mentions a stage ("most churn after Retention emails") leans that way by this much.
MENTION_BONUS = 0.08
# A note that opens on a stage, as its subject ("Booking form asks for HS codes", "discovery happens through friends",
# "missed one earlier: booking confirmation email"), leans there by this much: its writer names the stage, though
# not as a label. A lean, not a name: "adoption of the new dashboard is slow" or "check in with Dev first" may open
# on a stage's word and be about something else. On the 32 labelled maps: the notes that name their stage 604 ->
# 607 of 608 placed there, all notes 1,592 -> 1,595 of 1,820 (half as much: 605 and 1,593).
OPENING_BONUS = 0.32
# A note leans toward the stage its conversation is on: the stage a bullet above it in the same reply names (a
# heading the list continues), else the stage named last before it in the thread. Tuned on the same workshops.
HEADING_BONUS = 0.12
# The bullets of a reply that names no stage lean together: each counts its list mates' closeness this much.
LIST_MATES_WEIGHT = 0.5
THREAD_BONUS = 0.06
# A thread that walks through the journey in order (its notes that name a stage mostly move forward) says where a
# note is better than its words do: on the three labelled workshops the stage the thread last named is right for
# 82-84% of the notes that name none, meaning alone for 48-69%. There a note leans toward the stage last named and,
# less, toward the stages from there up to the next one named (people stop naming a stage once they are on it).
# Refitted on the 20 labelled workshops and the demo, checked on four more written later (hotel, pharmacy, security,
# library, not in the fit): 0.16 and 0.08 place 89.4% of the notes right on average (0.12 and 0.08: 86.8%) and 89.1%
# on the four (86.9%). A stronger pull to the stage last named places more (0.22: 90%), but not on the demo, whose
# thread names Purchase only after five replies about it (0.81 at 0.12, 0.79 at 0.16, 0.67 at 0.22).
# Shuffled threads never count as walking (48 of 48).
WALKING_LAST_BONUS = 0.16
WALKING_AHEAD_BONUS = 0.08
# Walking: at least this share of the moves from one named stage to another go forward, and enough moves that
# chance cannot fake it (three forward moves in a row: one chance in eight).
FORWARD_SHARE = 0.8
FEWEST_MOVES = 3

# An emoji, as Slack's code or the character itself: ":mega:", "📣", "👉".
_EMOJI = rf"(?::[a-z0-9_+'-]+:|[{EMOJI_CHARACTERS}])"
# Bullets, numbering and the emoji a note may open with (":mega: Awareness: …", "📣 Awareness: …").
_OPENING = re.compile(rf"^(?:[\s•*·>\-–—→]|{_EMOJI})*(?:\d{{1,2}}[.)]\s*)?")
_STRUCK = re.compile(r"(?<!\w)~[^~\n]+~(?!\w)\s*")  # Slack's ~struck~: taken back
_EMPHASIS = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)")  # Slack's *bold* and _italic_ around words
_STAGE_WORD = r"(?:stage|phase|step)"
# What a label may say after the stage: "Fact find pain point: …", "Checkout touchpoint - …"
_NOTE_KIND = r"(?:pain[-\s]?(?:points?|pts?)|pains?|touch[-\s]?points?|issues?|problems?)"
_JOINED = r"(?:&|and|/|\+)"  # how the two halves of a name are joined
# What may come before a stage's label: "For Awareness: …", "Re: Awareness - …", "Under retention: …"
_LEAD = r"(?:(?:for|re:?|under|regarding|about|wrt)\s+)?"
# "at the settling-in stage", "going back to the Choose a course stage": the stage called by name, in any form.
_CALLED_STAGE = re.compile(
    r"\b(?:in|at|during|on|for|to)\s+(?:the\s+)?(?P<words>(?:(?!(?:in|at|during|on|for|to|the)\s)[\w/&-]+\s+){0,3}?"
    r"[\w/&-]+)\s+(?:stage|phase|bit|part)\b",
    re.IGNORECASE,
)
# "quote stage — quotes expire …": a note opening with a stage called by one word of its name ("Get a quote").
_OPENING_STAGE = re.compile(
    r"^(?:(?:at|in|on|for|during)\s+)?[\"'“‘]?(?:the\s+)?(?P<words>[\w-]+(?:\s+[\w-]+){0,2}?)[\"'”’]?\s+(?:stage|phase|bit|part|step)\b",
    re.IGNORECASE,
)
# "… — quiz stage", "Ride stage for sure", "booking section:": up to four words before "stage" that are a stage's name
# or one of its words
_FILED_STAGE = re.compile(
    r"(?:^|[.!?—–-]\s+|,\s*)(?P<words>[\w&/-]+(?:\s+[\w&/-]+){0,3})\s+(?:stage|phase|(?:section|bit)(?=\s*:))\b", re.I
)
# "… so I'd file it under support": a note filed, at its end, under a word of a stage's name; a list's heading files
# its items ("returns, I'd put these under Retention since it's what brings them back:")
_FILED_UNDER = re.compile(
    r"\b(?:fil(?:e|es|ed|ing)|put(?:ting)?)\s+(?:it|this|that|these|those|them)(?:\s+ones?)?\s+under\s+(?:the\s+)?"
    r"(?P<word>[\w-]+)(?:\W*$|\s*[,;:—–]|\s+(?:since|because|as|cos|imo|tbh)\b)",
    re.I,
)
# "re: consid., …", "… re D&Q: …": what a note is about, in a word
_ABOUT = re.compile(r"^(?:[^.!?:\n]{0,40}?\s)?re:?\s+(?P<word>[\w&]+)\.?\s*(?:[,:—–-]|$)", re.IGNORECASE)
# "for config, …", "during arrival, …": a stage in a word, shortened or in another form, after "for" or "during"
_FILLER_LEAD = r"(?:oh|and|also|plus|ok|so|btw)"  # "oh and for awareness, …", "also Retention: …"
_FOR_A_WORD = re.compile(
    rf"^(?:[^.!?:\n]{{0,40}}?[:—–]\s+|(?:{_FILLER_LEAD}|same|one\s+more)(?:\s+(?:and|also|one\s+more))?\s+)?"
    r"(?:(?:oh\W+)?(?:forgot|missed)\s+(?:one|another|this(?:\s+one)?)\s+)?"  # "forgot one for Plan: …"
    r"(?:for|during|wrt|in|at|(?:going\s+)?back\s+(?:to|in|at))\s+(?:the\s+)?(?P<word>[\w&]+)"
    r"(?:\.?\s*[,:—–]|\s+(?:for\s+a\s+(?:sec|second|moment|minute|bit)|really|too|as\s+well)\b)",
    re.I,
)
# "sry, was on mute — …": a few words before a dash, naming no stage, then the note
_DASH_PREAMBLE = re.compile(r"^(?P<lead>[^—–:\n]{1,40}?)\s+(?:[—–]|--?)\s+(?P<rest>\S.*)", re.DOTALL)
_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")  # "pick-up", written "Pickup" in a stage's name
_PREFIXED = re.compile(r"(?<!\w)(?:pre|post|re|after|mid|non|un)-[^\W\d_]", re.I)  # "pre-sale", "re-booking"
_SHORTHAND = re.compile(rf"\b(?:{'|'.join(SHORTHANDS)})\b", re.I)  # spelled out where a stage's name has it in full
# A stage in two or three letters, as a label or where the note is filed: "Aw - …", "Ret. - …", "… under Exp"
_SHORT_FORM = re.compile(
    r"^(?P<word>[A-Za-z]{2,3})\.?\s*(?:(?:stage|phase)\s*)?(?::|\s[-–—]\s|[-–—]\s)|\bunder\s+(?P<under>[A-Za-z]{2,3})\W*$"
)
# "— support-ish but people self-serve it": a stage filed by a word of its name, hedged
_ISH = re.compile(r"(?:^|[,:—–.(]\s*|\s[-–—]\s)(?P<word>[^\W\d_]+)-ish\b", re.IGNORECASE)
_BRACKETED = re.compile(r"^[\[(]\s*(?P<words>[^\[\]()]{1,30}?)\s*[\])]")
# Words before "stage" that say which, not what: "the next stage", "the first stage of the project".
_WHEN_IN = frozenset({"early", "late", "mid", "first", "initial", "ongoing", "later"})  # "Early experience: …"
_NOT_FILED = frozenset({"first", "second", "third", "next", "last", "final", "early", "later", "main", "same", "other"})
STEM_LETTERS = 5
# The stage names (and their alternatives) whose label patterns stay compiled: about 140 KB each, a few workshops' worth
LABEL_NAMES_KEPT = 64
MISSPELT_LETTERS = 6
ACRONYM_WORDS = 3
LABEL_WORDS = 2  # of three letters or more: "reporting a problem", "1st visit"
# A sentence or two before a label: "Sorry for the wall of text earlier. Contributions: …"
_PREAMBLE = r"(?:[^:\n]{0,60}?[.!?]\s+)?"
# A label of one to three words that opens a note, after a preamble too ("1st visit: …", "bill adj — …").
_SHORT_LABEL = re.compile(
    rf"^{_PREAMBLE}(?P<words>[\w'/&-]+?(?:\s+[\w'/&-]+){{0,2}}?)(?:\s*(?::|\s[-–—]\s|[-–—]\s|→)|-wise\b)"
)
# "Booking: …", "buying - …", "Financing-wise, …"
_ONE_WORD_LABEL = re.compile(
    rf"^{_PREAMBLE}(?P<word>[A-Za-z]+)(?:\s+(?:{_STAGE_WORD}|{_NOTE_KIND}))?(?:\s*(?::|\s[-–—]\s|→)|-wise\b)", re.I
)
# A stage named by two alternatives ("Onboarding/Setup", "Check-out & review", "Renew and grow") is named by either
# of three letters or more ("Setup: …", "review stage - …", "dry - …" for "Dry & Vac"); "Check-in/out": "Check-in"
# names it alone, "out" not.
MIN_ALTERNATIVE_LETTERS = 4
_PARTICLES = frozenset({"out", "off", "end", "the", "and", "for", "new", "one", "all"})  # "out" of "Check-in/out"
_ALTERNATIVES = re.compile(r"/|\s(?:&|and)\s", re.IGNORECASE)
# "Stage 2: …", "Phase 3 — …", "[stage 4] …": the stage by its number in the journey ("Step 2" is as often a form's).
# What a note opens on after a short preamble ("missed one earlier: …", "Back to the start for a sec: …").
_SUBJECT = re.compile(
    r"^(?:[^:—–\n]{0,40}(?::|\s[—–-])\s+)?(?P<first>[A-Za-z][\w'-]*)(?:\s+(?P<second>[A-Za-z][\w'-]*))?"
)
# "… smoother than Boarding", "Apply or Completion?", "Refund is the worst bit, Label is fine"
_COMPARING = re.compile(r"\b(?:than|vs\.?|versus)\b|\?\s*$|\b(?:is|are|was)\s+(?:fine|ok|okay|alright)\b", re.I)
# "Afterglow is fine, ppl don't expect much", "download step is fine": a stage passed over, unless a "but" follows
_FINE = re.compile(
    rf"^(?:the\s+)?(?P<words>[\w&/' -]{{1,30}}?)\s+(?:{_STAGE_WORD}\s+)?(?:is|are|was|seems|looks)\s+"
    r"(?:\w+ly\s+)?(?:fine|ok|okay|alright)\b(?![^.!?\n]*\b(?:but|except|apart\s+from)\b)",
    re.I,
)
_NUMBERED = re.compile(r"^[\[(]?\s*(?:stage|phase)\s*(?P<number>\d{1,2})\s*(?:[\])]|[:\-–—/](?=\s))", re.IGNORECASE)


class TextEmbedder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Placed:
    """A note already on a stage, that others are compared with."""

    text: str
    stage: str


def named_stage(text: str, stages: Sequence[StageDef]) -> str | None:
    """See `_named_stage`; accents aside ("cafe pain point:" names *Café & Shop*)."""
    if text.isascii() and all(stage.name.isascii() for stage in stages):
        return _named_stage(text, stages)
    plain = [stage.model_copy(update={"name": _unaccented(stage.name)}) for stage in stages]
    named = _named_stage(_unaccented(text), plain)
    return next((stage.name for stage, bare in zip(stages, plain, strict=True) if bare.name == named), None)


def _unaccented(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _named_stage(text: str, stages: Sequence[StageDef]) -> str | None:
    """The stage a note names as its stage, in any of the ways people write it; None when it names none.

    Written as a label ("Awareness: …", "For Awareness - …", "[Awareness] …", "(Awareness)"), as a place ("In Awareness,
    …", "during Awareness", "at the awareness stage"), as "Stage: Awareness", by its number ("Stage 2: …") or as a
    sentence ending "…, but it's advocacy". When several are named, the first, unless the writer settles on one
    ("…belong in Use as much as in Seek support. But fine, Seek support").
    """
    if heading := stage_heading(text, stages):
        return heading
    whole, text = text, _unquoted(text, stages)
    tag = _BRACKETED.match(_OPENING.sub("", html.unescape(text).strip()))
    if tag and (heading := stage_heading(tag["words"], stages)):  # "[Interview] …": a stage's name, not evidence
        return heading
    body = bare(text)
    if named := next(filter(None, (_named_in(reading, stages) for reading in _readings(body, stages))), None):
        return named
    preamble = _DASH_PREAMBLE.match(body)
    if preamble and not _mentioned(preamble["lead"], stages):
        rest = preamble["rest"]
        if named := stage_heading(rest, stages) or _named_in(bare(rest), stages):
            return named
    numbered = _NUMBERED.match(body)
    if numbered and 1 <= int(numbered["number"]) <= len(stages):
        return stages[int(numbered["number"]) - 1].name
    return _argued_onto(whole, stages)


def _argued_onto(text: str, stages: Sequence[StageDef]) -> str | None:
    """The one stage a reply quoting a note says, however it says it: answering a note, the stage is the point
    ("&gt; ppl read our trustpilot …⏎isn't trustpilot advocacy tho?", "&gt; tours at busy times⏎this hits
    post-purchase too", "&gt; that's awareness⏎for the couples i spoke to it was more consideration")."""
    quoted, own = unquoted(text)
    if not quoted:
        return None
    own = re.sub(r'"[^"]*"|“[^”]*”', "", own)  # not in the words it cites: 'the SMS says "on your collection day"'
    words = re.findall(r"[^\W\d_]+", own.lower())
    said = {stage.name for stage in _mentioned(own, stages)} | set(_in_another_form(words, stages))
    return said.pop() if len(said) == 1 else None


def _readings(body: str, stages: Sequence[StageDef]) -> list[str]:
    """The note as written, then, each once, as its hyphens joined ("bib pick-up: …" for "Expo & Bib Pickup"; first
    after a prefix: "pre-sale —" for "Presale", not "General Sale"), its first two words joined ("after glow: …") and
    its shorthand spelled out ("camp wk —" for "Camp Week")."""
    solid = _HYPHEN.sub("", body)
    spelled = _SHORTHAND.sub(lambda word: SHORTHANDS[word[0].lower()], body)
    first = [solid, body] if _PREFIXED.search(body) else [body, solid]
    return list(dict.fromkeys([*first, _joined_opening(body, stages) or body, spelled]))


def _joined_opening(body: str, stages: Sequence[StageDef]) -> str | None:
    """The note with its first two words written as one where that is a one-word stage's name ("after glow: …" for
    "Afterglow", "kick off call" for "Kickoff"); None otherwise."""
    opening = re.match(r"(\W*)([^\W\d_]+)[\s-]+([^\W\d_]+)", body)
    if not opening:
        return None
    word = opening[2] + opening[3]
    one_word = (stage.name for stage in stages if len(_name_parts(stage.name)) == 1)
    if any(word.lower() == name.lower() or _inflected(word, name) for name in one_word):
        return opening[1] + word + body[opening.end() :]
    return None


def _unquoted(text: str, stages: Sequence[StageDef]) -> str:
    """The note without the lines it quotes ("&gt; that's awareness", answered below): they name the other note's
    stage, unless they are only a stage's name ("&gt; Consideration" as a label)."""
    quoted, own = unquoted(text)
    return text if stage_heading(quoted, stages) else own


def _named_in(body: str, stages: Sequence[StageDef]) -> str | None:
    """The stage a note's words name, read as written (see `named_stage`)."""
    if _compares(body, stages):
        return None
    settled = [(m.start(), stage.name) for stage in stages for m in re.finditer(_settled_on(stage.name), body, re.I)]
    if settled:
        return max(settled)[1]
    found = [(position, stage.name) for stage in stages if (position := _labelled_at(body, stage.name)) is not None]
    if not found and (spoken := clean(body)) != body:  # after a preamble: "sorry, late to this — post purchase: …"
        found = [(at, stage.name) for stage in stages if (at := _labelled_at(spoken, stage.name)) is not None]
    if not found and (called := _CALLED_STAGE.search(body) or _OPENING_STAGE.match(body)):
        found = [(called.start(), name) for name in _called(called["words"], stages)]  # "at the renewal stage"
    if not found:  # "… — quiz stage", "Living-with-it stage, I guess": filed there at the end
        found = [(m.start(), name) for m in _FILED_STAGE.finditer(body) for name in _filed(m["words"], stages)][:1]
    if not found and (label := _SHORT_LABEL.match(body)):  # "support: …" for "Seek support", "booking: …"
        found = [(0, name) for name in _named_by_a_word(label["words"], stages)]
        found = found or [(0, name) for name in _first_word_named(label["words"], stages)]
        found = found or [(0, name) for name in _when_in(label["words"], stages)]
    # "re: consid., the free trial …", "… re D&Q: three people …", "for config, …", "during arrival, …"
    if not found and (about := _ABOUT.match(body) or _FOR_A_WORD.match(body)):
        found = [(about.start("word"), stage.name) for stage in stages if _word_names(about["word"], stage.name, body)]
        found = found or [(about.start("word"), name) for name in _named_by_a_word(about["word"], stages)]
    if not found and (filed := _FILED_UNDER.search(body)):  # "… so I'd file it under support" for "Seek support"
        found = [(filed.start(), stage.name) for stage in stages if _word_names(filed["word"], stage.name, body)]
        found = found or [(filed.start(), name) for name in _named_by_a_word(filed["word"], stages)]
    if not found and (tag := _BRACKETED.match(body)):  # "[loss adjuster] asked for receipts" for "Adjuster visit"
        found = [(0, name) for name in _named_by_a_word(tag["words"], stages)]
    if not found and (hedged := _ISH.search(body)):  # "support-ish" for "Seek support"
        found = [(hedged.start("word"), name) for name in _named_by_a_word(hedged["word"], stages)]
    if not found and (short := _SHORT_FORM.search(body)):  # "Aw - …", "Ret. - …", "… I'd put it under Exp"
        found = [(short.start(), name) for name in _cut_short(short["word"] or short["under"], stages)]
    if not found:  # "… activating the app at the booking appointment is painful", "someone with L&B knowledge"
        found = [(at, stage.name) for stage in stages if (at := _said_within(body, stage.name)) is not None][:1]
    if not found:  # "… the big one on the ward" for "Postnatal ward"
        found = _at_the_head(body, stages)[:1]
    return min(found)[1] if found else None


def _said_within(body: str, name: str) -> int | None:
    """Where a note says, anywhere, that it is at a stage of two words or more ("at the booking appointment", "in
    antenatal care"; "great at problem solving" is a skill) or names a stage of two halves by their initials ("L&B"
    for "Labour and birth"); a stage of one word said in passing ("in use") is a word, not a label."""
    parts = [part for part in _name_parts(name) if part.lower() not in ("&", "and", "/")]
    if len(parts) < 2:
        return None
    two_halves = len(parts) == 2 and re.search(r"\s(?:&|and)\s", name)
    initials = "&(?:amp;)?".join(part[0].upper() for part in parts) if two_halves else None
    said = re.search(rf"\b(?:(?:in|during)(?:\s+the)?|(?:at|on)\s+the)\s+{_name_words(name)}(?!\w)", body, re.I) or (
        initials and re.search(rf"(?<!\w){initials}(?!\w)", body)
    )
    return said.start() if said else None


def _at_the_head(body: str, stages: Sequence[StageDef]) -> list[tuple[int, str]]:
    """The stages of several words a note is at by the last word of the name alone, as a place ("on the ward" for
    "Postnatal ward", "at the desk" for "Check-in desk"), where no other stage's name ends on that word."""
    heads = [_name_parts(stage.name)[-1].lower() for stage in stages]
    found = []
    for stage, head in zip(stages, heads, strict=True):
        if len(_name_parts(stage.name)) < 2 or heads.count(head) > 1 or head in NOT_STAGE_WORDS or len(head) < 4:
            continue
        said = re.search(rf"\b(?:on|in|at)\s+the\s+{re.escape(head)}(?=\s*(?:[.,;:!?)—–]|$))", body, re.I)
        if said:
            found.append((said.start(), stage.name))
    return found


def _cut_short(word: str, stages: Sequence[StageDef]) -> list[str]:
    """The one stage whose name opens with a word of two or three letters that says nothing else ("Aw" for
    "Awareness", "Ret" for "Retention"); none when several do ("Exp": Experience or Expansion?)."""
    if word.lower() in ENGLISH_STOP_WORDS or word.lower() in NOT_STAGE_WORDS:
        return []
    named = [stage.name for stage in stages if stage.name.lower().startswith(word.lower()) and len(stage.name) > 4]
    return named if len(named) == 1 else []


def _compares(body: str, stages: Sequence[StageDef]) -> bool:
    """Whether the note weighs stages against each other rather than labelling itself ("we lose more in Consideration
    than in Purchase", "should pilots sit in Shortlist or in Implementation?"); a label first still names one
    ("Purchase: slower than Consideration")."""
    mentioned = _mentioned(body, stages)
    if len(mentioned) == 1 and (fine := _FINE.match(body)):  # "Hire stage is fine, skipping"
        return bool(_mentioned(fine["words"], mentioned))
    if len(mentioned) < 2 or not _COMPARING.search(body):
        return False
    return not any(re.match(rf"^{_LEAD}{_name_words(stage.name)}\s*(?::|\s[-–—]\s)", body, re.I) for stage in stages)


def _mentioned(text: str, stages: Sequence[StageDef]) -> list[StageDef]:
    """The stages a text mentions, by name or by one of its alternatives ("Boarding" of "Security/Boarding")."""
    return [
        stage
        for stage in stages
        if any(re.search(rf"(?<!\w){_name_words(option)}(?!\w)", text, re.I) for option in _options(stage.name))
    ]


def heading_stage(label: str, stages: Sequence[StageDef]) -> str | None:
    """What the items under a heading keep of it: the heading itself where it is a stage ("Purchase stage"), the
    stage's name where it says a little more about one stage ("Adoption (what ops runs)", "Retention — money",
    "sorry late to the party :wave: expansion stuff"); None where it names none, or several."""
    if stage_heading(label, stages):
        return label
    mentioned = [stage.name for stage in _mentioned(label, stages)]
    mentioned = mentioned or _in_another_form(_plain_words(label), stages)  # "tutor stuff, while using the app"
    mentioned = mentioned or _named_by_a_word(re.sub(r"^(?:on|in|at)\s+(?:the\s+)?", "", label, flags=re.I), stages)
    return mentioned[0] if len(mentioned) == 1 else None


def stage_heading(text: str, stages: Sequence[StageDef]) -> str | None:
    """The stage a text names and says nothing else ("Awareness", "*Purchase stage*:", "Stage 3 - Purchase",
    "[Book]", "In Awareness"): a heading over what follows, not a note; None otherwise."""
    # "## Use", "*Use* :electric_plug:", and as a heading's label, its last colon gone: "*Use* :electric_plug"
    body = re.sub(rf"^#+\s*|{_EMOJI}|\s:[a-z0-9_+'-]+$", " ", bare(text)).strip().rstrip(":.!").strip()
    for stage in stages:
        options = _options(stage.name)
        words = f"(?:{'|'.join(_said(option) for option in options)})"
        if any(_inflected(body, option) for option in options if len(_name_parts(option)) == 1):
            return stage.name  # "*Snags*" for "Snagging"
        forms = (
            rf"(?:(?:in|at|during)\s+(?:the\s+)?)?{words}(?:\s+{_STAGE_WORD})?",
            rf"{_STAGE_WORD}(?:\s*\d{{1,2}})?\s*[:=\-–—]?\s*{words}",
            rf"[\[(]\s*{words}\s*[\])]",
        )
        if any(re.fullmatch(form, body, re.IGNORECASE) for form in forms):
            return stage.name
    return None


def place_notes(
    texts: Sequence[str],
    stages: Sequence[StageDef],
    embedder: TextEmbedder,
    placed: Sequence[Placed] = (),
    replies: Sequence[str] | None = None,
) -> list[str]:
    """A stage name per note: the one it names, else the closest in meaning, leaning toward the stage its
    conversation is on (see the module docstring). `replies` says which reply each note is a part of, the texts
    being in thread order; without it every note is a reply of its own."""
    if not stages:
        return []
    named = [named_stage(text, stages) for text in texts]
    examples = [*placed, *(Placed(text, stage) for text, stage in zip(texts, named, strict=True) if stage)]
    open_notes = [i for i, stage in enumerate(named) if stage is None]
    if open_notes:
        scores = _closeness([_plain(texts[i]) for i in open_notes], stages, examples, embedder)
        replies = replies if replies is not None else [str(i) for i in range(len(texts))]
        context = conversation_stages(named, replies)
        walking = walks_the_journey(named, stages)
        scores = _with_list_mates(scores, [None if context[i].heading else replies[i] for i in open_notes])
        for row, i in enumerate(open_notes):
            opening = _opening_words(texts[i])
            bonus = np.array(
                [
                    MENTION_BONUS * _mentions(texts[i], stage.name) + OPENING_BONUS * _opens_on(opening, stage.name)
                    for stage in stages
                ]
            )
            bonus += _conversation_lean(context[i], stages, walking)
            named[i] = stages[int(np.argmax(scores[row] + bonus))].name
    return [stage or stages[0].name for stage in named]


def _conversation_lean(context: Conversation, stages: Sequence[StageDef], walking: bool) -> np.ndarray:
    """How much a note leans toward each stage for where its conversation is (see the constants above)."""
    names = [stage.name for stage in stages]
    lean = np.array([HEADING_BONUS * (name == context.heading) for name in names])
    if context.last is None:
        return lean
    last = names.index(context.last)
    if not walking:
        lean[last] += THREAD_BONUS
        return lean
    lean[last] += WALKING_LAST_BONUS
    ahead = names.index(context.next) if context.next else last
    lean[last + 1 : ahead + 1] += WALKING_AHEAD_BONUS
    return lean


def walks_the_journey(named: Sequence[str | None], stages: Sequence[StageDef]) -> bool:
    """Whether the thread moves through the stages in the journey's order: most of its moves from one named stage
    to another go forward."""
    order = {stage.name: position for position, stage in enumerate(stages)}
    visited = [order[name] for name in named if name]
    moves = [later > earlier for earlier, later in zip(visited, visited[1:], strict=False) if later != earlier]
    return len(moves) >= FEWEST_MOVES and sum(moves) >= FORWARD_SHARE * len(moves)


def _with_list_mates(scores: np.ndarray, replies: Sequence[str | None]) -> np.ndarray:
    """Each note's closeness to the stages plus `LIST_MATES_WEIGHT` times the mean of its list mates' (the other
    bullets of a reply that names no stage; None for a note whose list has a heading): one list is mostly about
    one stage."""
    rows_of: dict[str, list[int]] = {}
    for row, reply in enumerate(replies):
        if reply is not None:
            rows_of.setdefault(reply, []).append(row)
    pooled = scores.copy()
    for rows in rows_of.values():
        if len(rows) > 1:
            total = scores[rows].sum(axis=0)
            for row in rows:
                pooled[row] += LIST_MATES_WEIGHT * (total - scores[row]) / (len(rows) - 1)
    return pooled


@dataclass(frozen=True)
class Conversation:
    """Where a note's conversation is: the stage its own reply names (above it, else below), and, when its reply
    names none, the stages the thread named last before it and next after it."""

    heading: str | None = None
    last: str | None = None
    next: str | None = None


def conversation_stages(named: Sequence[str | None], replies: Sequence[str]) -> list[Conversation]:
    """Per note, where its conversation is (see `Conversation`).

    People write a stage's name once and list under it ("• Arrive: taps out at the gates / • looks for the bus"),
    and a thread moves through the journey: a reply with no stage of its own is most often about the stage the
    conversation just named.
    """
    naming: dict[str, list[int]] = {}  # per reply, its notes that name a stage
    for j, reply in enumerate(replies):
        if named[j]:
            naming.setdefault(reply, []).append(j)
    last = _named_before(named, replies)
    ahead = _named_before(named[::-1], replies[::-1])[::-1]  # the same, read from the end: the stage named next
    result: list[Conversation] = []
    for i, reply in enumerate(replies):
        same = naming.get(reply, [])
        above = [named[j] for j in same if j < i]
        below = [named[j] for j in same if j > i]
        heading = above[-1] if above else (below[0] if below else None)
        result.append(Conversation(heading=heading) if heading else Conversation(last=last[i], next=ahead[i]))
    return result


def _named_before(named: Sequence[str | None], replies: Sequence[str]) -> list[str | None]:
    """Per note, the stage the thread was on when its reply began: the last one named by an earlier reply."""
    result: list[str | None] = []
    thread = latest = None  # latest: the last stage named in the reply under way
    for i, reply in enumerate(replies):
        if i and replies[i - 1] != reply:  # a new reply: the thread is where the last one ended
            thread, latest = latest or thread, None
        result.append(thread)
        latest = named[i] or latest
    return result


def _closeness(
    texts: Sequence[str], stages: Sequence[StageDef], examples: Sequence[Placed], embedder: TextEmbedder
) -> np.ndarray:
    """Notes x stages: the nearest of the stage's own texts and the nearest of its placed notes, blended.

    The nearest, not the mean: a stage spans many moments, and a note resembles one of them, not their average.
    """
    own = [_stage_texts(stage) for stage in stages]
    learned = [[_plain(e.text) for e in examples if e.stage == stage.name] for stage in stages]
    notes = np.asarray(embedder.encode(texts))
    own_best, learned_best = _nearest(notes, own, embedder), _nearest(notes, learned, embedder)
    has_learned = np.array([bool(group) for group in learned])
    return np.where(has_learned, OWN_TEXTS_WEIGHT * own_best + (1 - OWN_TEXTS_WEIGHT) * learned_best, own_best)


def _nearest(notes: np.ndarray, groups: Sequence[Sequence[str]], embedder: TextEmbedder) -> np.ndarray:
    """Notes x groups: each note's highest similarity to a text of the group (0 for an empty group)."""
    flat = [text for group in groups for text in group]
    vectors = np.asarray(embedder.encode(flat)) if flat else np.zeros((0, notes.shape[1]))
    similarity = notes @ vectors.T
    result = np.zeros((len(notes), len(groups)))
    start = 0
    for g, group in enumerate(groups):
        if group:
            result[:, g] = similarity[:, start : start + len(group)].max(axis=1)
        start += len(group)
    return result


def _stage_texts(stage: StageDef) -> list[str]:
    head = stage.name if stage.description == stage.name else f"{stage.name}: {stage.description}"
    return [head, *stage.examples]


def _plain(text: str) -> str:
    return " ".join(take_evidence_tag(html.unescape(text))[1].split())


def bare(text: str) -> str:
    """The note as words: no bullet or tag in front, no struck-through text (taken back), no bold or italics."""
    return _EMPHASIS.sub("", _STRUCK.sub("", opening_stripped(text)))


def opening_stripped(text: str) -> str:
    """The note without bullets and evidence tags in front (a tag may open the note or follow the bullet)."""
    body = _OPENING.sub("", html.unescape(text).strip())
    return _OPENING.sub("", take_evidence_tag(body)[1])


def _name_words(name: str) -> str:
    """A stage's name as a pattern: its words with or without hyphens, "&", "and" and "/" alike ("Renew and grow",
    "search/compare" for "Search & Compare", "review & sign" for "Review/Sign")."""
    return _name_pattern(name, re.escape, r"[-\s]?")


def _any_form(name: str) -> str:
    """A stage's name as a pattern, each word in any form and an article between words allowed: "during interviews"
    for "Interview", "on the receiving side" for "Receive", "planning the trip" for "Plan trip"."""
    any_form = lambda word: rf"(?:{re.escape(word)}|{_forms(word)}|{re.escape(word.removesuffix('s'))})"  # noqa: E731
    return _name_pattern(name, any_form, r"[-\s]?(?:(?:the|a|an)\s+)?")


def _name_pattern(name: str, word: Callable[[str], str], between: str) -> str:
    """A name's words as `word` patterns, joined by `between`; "&", "and" and "/" stand for one another."""
    return between.join(
        _JOINED
        if part.lower() in ("&", "and")
        else re.escape(part).replace("/", rf"\s*{_JOINED}\s*")
        if "/" in part
        else word(part)
        for part in _name_parts(name)
    )


def _name_parts(name: str) -> list[str]:
    """A stage's name in words, a hyphen parting them too ("Check-out" is two)."""
    return re.split(r"[-\s]+", name.strip())


def _labelled_at(body: str, name: str) -> int | None:
    """Where the note labels itself with the stage, by its name or, for a name of alternatives, by one of them (see
    MIN_ALTERNATIVE_LETTERS), or by another form of a one-word name ("Booking: …" for "Plan & book")."""
    names = [*_options(name), *_acronym(name, body)]
    positions = [at for option in dict.fromkeys(names) if (at := _label_position(body, option)) is not None]
    label = _ONE_WORD_LABEL.match(body)
    if label and _word_names(label["word"], name, body):  # "Consid:", "Booking:", "Adpotion -"
        positions.append(0)
    return min(positions, default=None)


def _options(name: str) -> list[str]:
    """The ways a stage is named: whole, without its article ("Big day" for "The big day") and, for a name of
    alternatives, by either ("Setup" for "Onboarding/Setup"; see MIN_ALTERNATIVE_LETTERS)."""
    parts = (part.strip() for part in _ALTERNATIVES.split(name))
    unarticled = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    said = [part for part in parts if len(part) >= MIN_ALTERNATIVE_LETTERS or (len(part) == 3 and part.isalpha())]
    return list(dict.fromkeys([name, unarticled, *(part for part in said if part.lower() not in _PARTICLES)]))


def _said(name: str) -> str:
    """A stage's name as a pattern, its first word in any form too: "Booking a term" for "Book a term", "adopting"
    for "Adoption"."""
    first, *rest = _name_parts(name)
    words = _name_words(" ".join(rest)) if rest else ""
    stem = _stem(first)
    grown = rf"|{re.escape(stem)}\w{{0,4}}" if len(stem) >= STEM_LETTERS else ""  # "adopting" for "Adoption"
    return rf"(?:{re.escape(first)}|{_forms(first)}{grown})" + (rf"[-\s]?{words}" if words else "")


def _acronym(name: str, body: str) -> list[str]:
    """A name of three words or more by its initials where the note writes them in capitals, as teams shorten it
    ("AIP" for "Agreement in principle"; "mac" is no "Make a claim")."""
    letters = "".join(word[0] for word in _name_parts(name) if word[0].isalpha()).upper()
    if len(letters) >= ACRONYM_WORDS and re.search(rf"\b{letters}\b", body):
        return [letters]
    if len(letters) == 2 and re.search(rf"\b(?i:in|at|during|for)\s+{letters}\b", body):  # "in PP" for "Post-purchase"
        return [letters]
    paired = re.fullmatch(r"(\w)\w*\s*(?:&|and)\s*(\w)\w*", name, re.IGNORECASE)  # "D&Q" for "Diagnose & quote"
    joined = f"{paired[1]}&{paired[2]}".upper() if paired else ""
    return [joined] if joined and re.search(rf"(?<!\w){joined}(?!\w)", body) else []


def _word_names(word: str, name: str, body: str) -> bool:
    """Whether one word names a stage: its name or one of its alternatives cut short, in another form or slipped
    ("consid" for "Consideration", "certs" for "Certificate", "brewing" for "Brew & review"), or its initials."""
    options = [option for option in _options(name) if len(_name_parts(option)) == 1]
    plural = word.lower().removesuffix("s")
    return word.upper() in _acronym(name, body) or any(
        word.lower() == option.lower()
        or _shortened(word, option)
        or _shortened(plural, option)
        or _misspelt(word, option)
        or _abbreviated(word, option)
        for option in options
    )


def _abbreviated(word: str, name: str) -> bool:
    """Whether a word is a long name's first letters made plural or clipped with an "o", as teams shorten it: "docs"
    for "Documents", "inspo" for "Inspiration"."""
    word = word.lower()
    short = word.removesuffix("s") if word.endswith("s") else word.removesuffix("o")
    shortest = 3 if word.endswith("s") else 4
    return word != short and len(short) >= shortest and len(name) >= 7 and name.lower().startswith(short)


def _first_word_named(label: str, stages: Sequence[StageDef]) -> list[str]:
    """The one-word stage a short label opens with in another form ("Subscribing on mobile:" for "Subscribe")."""
    first = _plain_words(label)[:1]
    named = _in_another_form(first, stages) or [
        stage.name for stage in stages if [stage.name.lower()] == first and first[0] not in NOT_STAGE_WORDS
    ]  # "placement test: …" for "Placement"
    return named if len(named) == 1 else []


def _when_in(label: str, stages: Sequence[StageDef]) -> list[str]:
    """The one-word stage a label names with when in it it is: "Early experience:", "late retention -"."""
    words = _plain_words(label)
    if len(words) != 2 or words[0] not in _WHEN_IN:
        return []
    return [stage.name for stage in stages if stage.name.lower() == words[1] or _inflected(words[1], stage.name)][:1]


def _in_another_form(words: Sequence[str], stages: Sequence[StageDef]) -> list[str]:
    """The one-word stages any of the words is another form of ("using" of "Use", "subscribing" of "Subscribe")."""
    return [
        stage.name
        for stage in stages
        if len(_name_parts(stage.name)) == 1
        and any(_inflected(word, stage.name) or _misspelt(word, stage.name) for word in words)
    ]


def _shortened(word: str, name: str) -> bool:
    """Whether a label word is a one-word name in another form or cut short ("Consid:" for "Consideration")."""
    cut = len(word) >= MIN_ALTERNATIVE_LETTERS and len(word) < len(name) and name.lower().startswith(word.lower())
    return cut or _inflected(word, name)


def _misspelt(word: str, name: str) -> bool:
    """Whether a label is a one-word name of six letters or more with one slip: a letter wrong, missing, extra or two
    swapped ("Adpotion" for "Adoption", "Reseach" for "Research")."""
    word, name = word.lower(), name.lower()
    if len(name) < MISSPELT_LETTERS or word == name or abs(len(word) - len(name)) > 1:
        return False
    if len(word) == len(name):
        wrong = [i for i, (a, b) in enumerate(zip(word, name, strict=True)) if a != b]
        swapped = len(wrong) == 2 and wrong[1] == wrong[0] + 1 and word[wrong[0]] == name[wrong[1]]
        return len(wrong) == 1 or (swapped and word[wrong[1]] == name[wrong[0]])
    short, long = sorted((word, name), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _inflected(word: str, name: str) -> bool:
    """Whether a word is another form of a one-word name: "booking" of "book", "using" of "use", "arrival" of
    "arrive", "negotiation" of "negotiate", "snags" of "snagging"."""
    word, name = word.lower(), name.lower()
    if word == name:
        return False
    stem, said = _stem(name), _stem(word)
    grown = len(said) >= STEM_LETTERS and name.startswith(said)  # "donating" of "donation", "arriving" of "arrival"
    return re.fullmatch(_forms(name), word) is not None or (len(stem) >= STEM_LETTERS - 1 and said == stem) or grown


def _forms(word: str) -> str:
    """A pattern for a word's other forms: "book" -> booking, books, booked; "plan" -> planning; "apply" ->
    application; "register" -> registration; "discover" -> discovery; "use" -> usage; "expansion" -> expanding."""
    stem = word.lower().removesuffix("e")
    doubled = re.escape(stem[-1:])  # "planning" of "plan"
    forms = rf"{re.escape(stem)}{doubled}?e?(?:ing|s|es|ed|d|al|ion|ions|ation|ations|ment|ments|y|age)"
    if stem.endswith("y"):
        forms += rf"|{re.escape(stem[:-1])}(?:ies|ied|ication|ications)"
    if stem.endswith("acy"):  # "advocate" of "advocacy"
        forms += rf"|{re.escape(stem[:-3])}at(?:e|es|ed|ing|ors?)"
    if stem.endswith("sion"):  # "expand" of "expansion", "deciding" of "decision"
        forms += rf"|{re.escape(stem[:-4])}de?(?:s|d|ed|ing)?"
    if stem.endswith("er"):
        forms += rf"|{re.escape(stem[:-2])}rations?"
    return f"(?:{forms})"


def _stem(word: str) -> str:
    """A word without its ending, its last consonant single: "snagging" and "snags" -> "snag"."""
    word = word.lower()
    stem = re.sub(r"(?:ings?|ations?|ions?|ments?|als?|es|ed|(?<!s)s|e)$", "", word) if len(word) > 4 else word
    return stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls" else stem


def _label_position(body: str, name: str) -> int | None:
    """Where the note labels itself with the stage called `name`, in any of the ways `_label_patterns` reads."""
    return min((m.start() for pattern in _label_patterns(name) if (m := pattern.search(body))), default=None)


@lru_cache(maxsize=LABEL_NAMES_KEPT)
def _label_patterns(name: str) -> tuple[re.Pattern[str], ...]:
    """The patterns a stage's name labels a note by, compiled once per name: a workshop's stages need more of them
    than `re` keeps compiled, and compiling them again for every note took nine tenths of `named_stage`'s time."""
    words, said = _any_form(name), _said(name)
    case_blind = [
        # "Awareness: …", "Awareness - …", "Awareness // …", "Awareness" on a line of its own
        rf"^{_LEAD}[\"'“‘]?{words}[\"'”’]?\s*(?:(?:{_STAGE_WORD}|day|date|week|{_NOTE_KIND})\s*)?"
        rf"(?:\(\s*(?:{_STAGE_WORD}\s*)?\d{{1,2}}\s*\)\s*)?"
        rf"(?::|;|\s[-–—|/·]\s|[-–—]\s|--|//|->|=>|→|➜|➡\ufe0f?|⇒|»|>|\n|\s*{_EMOJI}+\s)",  # "Arrive 👉 …"
        rf"^{_STAGE_WORD}\s+{words}\s*(?::|\s[-–—|]\s)",  # "Stage Awareness: …"
        # after a few words of preamble: "Jumping ahead a bit: Advocacy — …", "oh, forgot one for Discover: …"
        rf"^[^.!?:\n]{{0,40}}[:,—–]\s+{_LEAD}{words}\s*(?::|\s[-–—|]\s|[-–—]\s)",
        rf"^[^.!?:\n]{{0,40}}[:,—–]\s+[\[(]\s*{words}\s*[\])]",  # "Going back to the start: [Awareness] …"
        # after a sentence or two of preamble: "Adding one late, sorry! Consideration: …"
        rf"^{_PREAMBLE}{_LEAD}{words}\s*(?::|\s[-–—|]\s|[-–—]\s)",
        # "oh and Purchase → the 'add extras' step", "also Retention: …"
        rf"^{_FILLER_LEAD}(?:\s+(?:and|also))?[\s,]+{_LEAD}{words}\s*(?::|\s[-–—|]\s|->|→)",
        # "Going back to Purchase for a sec: …", "Back to AIP: …"
        rf"^(?:[^.!?:\n]{{0,30}}?\s)?(?:(?:going|jumping|coming)\s+)?back\s+(?:to|in|at)\s+(?:the\s+)?{said}"
        rf"(?:\s+{_STAGE_WORD})?(?![\w-])",  # "one more back in purchasing: …"
        # "When problem solving for roaming drivers, …", "while they're researching, …"
        # "When Fiona expands to …"
        rf"^(?:when|while)\s+(?:(?:they|you|we|people|customers|users)(?:'re|’re|\s+are)\s+"
        rf"|(?:she|he|(?-i:[A-Z][a-z]+))\s+)?{said}(?![\w-])",
        # "… see it in the app while they're waiting": what people are in the middle of, mid-sentence
        rf"\bwhile\s+(?:they|people|ppl|customers|users|she|he)(?:['’]re|\s+are|['’]s|\s+is)\s+{said}(?![\w-])",
        rf"^{words}\s*,\s(?![^\n]*\?\s*$)",  # "Interest, people ask the web chat …"
        rf"^{_PREAMBLE}[^.!?:\n]{{0,40}}\b(?:for|re|under|about)\s+(?:the\s+)?{words}(?:\s+{_STAGE_WORD})?\s*:\s",
        rf"^(?:for|re:?|under|regarding)\s+(?:the\s+)?{words}(?:\s+{_STAGE_WORD})?\s*(?:,|\.\.\.|…)",  # "For Use, …"
        # "consideration-wise, the comparison table …", "purchase side, …", "…, retention-side: …", "Decision-ish"
        rf"(?:^|[,:—–.]\s+|\(\s*)(?:the\s+)?{words}(?:[-\s]?wise|[-\s]side|-ish)\b",
        # "… that's the interest stage failing us"
        rf"\b(?:that's|that’s|that is|this is|it's|it’s)\s+(?:the\s+)?{words}\s+(?:{_STAGE_WORD}|point)\b",
        # "I'd say that's Try, 38% of …"
        rf"\b(?:i['’]d\s+say|i\s+would\s+say|i\s+think|imo)\s+(?:that['’]s|it['’]s|this\s+is)\s+(?:the\s+)?{words}\b",
        # "Awareness (from the survey): …"
        rf"^{_LEAD}{words}\s*\([^()\n]{{1,40}}\)\s*(?::|\s[-–—]\s)",
        # "In the advocacy bucket: …", "so that's mid-Retention", "imo biggest Adoption pain is …", "hits post-purchase
        # too", "…, for advocacy that's brutal"
        rf"\b(?:in|for|into)\s+the\s+{words}\s+(?:bucket|column|lane|box|pile|area|section)\b",
        # "… during adoption, 30 min per site", "during adoption these are noisy", "pricing confusion at booking — …"
        rf"\bduring\s+(?:the\s+)?{words}(?=\s*[,;:)—–-]|\s+(?:these|this|it|they|we|people|customers|users|there)\b)",
        rf"\b(?:at|during)\s+(?:the\s+)?{words}\s+[—–]\s",
        # "feels like Interest to me", "sounds like a retention thing"
        rf"\b(?:feels|sounds|reads)\s+like\s+(?:an?\s+|the\s+)?{words}(?:\s+{_STAGE_WORD})?(?:\s+(?:to\s+me|imo|tbh))?\b",
        rf"\bmid[-\s]?{words}(?!\w)",
        rf"\b{words}\s+(?:pain(?:[-\s]?points?)?|killer|touch[-\s]?points?)\b",  # "counts as a usage touchpoint"
        # "a touchpoint for expanding"
        rf"\b(?:pain|touch)[-\s]?points?\s+(?:for|in|at|during)\s+(?:the\s+)?{words}(?!\w)",
        rf"\b(?:hits?|affects?)\s+(?:the\s+)?{words}\s+(?:too|as\s+well)\b",
        rf"(?:^|[,;]\s+)for\s+(?:the\s+)?{words}\s+(?:that['’]s|it['’]s|this\s+is|there['’]s|there\s+is)\b",
        # the stage said last, on its own: "… - Advocacy", "…. def awareness-stage", "… — consideration problem more
        # than anything", "… — advocacy touchpoint I guess?"
        rf"(?:[.!?]|\s[-–—]+)\s*(?:(?:def(?:initely)?|prob(?:ably)?|mostly|so)\s+)?(?:an?\s+|the\s+)?{words}"
        rf"(?:[-\s]{_STAGE_WORD}|\s+(?:killer|thing|{_NOTE_KIND}))?"
        rf"(?:\s+(?:imo|imho|i\s+guess|i\s+think|tbh|too|more\s+than\s+anything))?\s*[.!?)]*\s*$",
        rf"^{words}\s*(?:/|&|\+)\s*[^:\n]{{1,30}}:",  # "Purchase/checkout: …", "Retention & renewal: …"
        rf"^[\[{{]\s*{words}\s*[\]}}]",  # "[Awareness] …", "{Awareness} …"
        rf"^#{words}(?![\w-])",  # "#awareness …"
        # "Trial end (Purchase): …", "Helpdesk (retention, obviously): …"
        rf"\(\s*{words}(?:\s+{_STAGE_WORD})?\s*(?:[,;]\s*(?:obviously|imo|i\s+think|i\s+guess|mostly|really)\s*)?\)",
        rf"\b(?:in|at|during|on|for|to)\s+(?:the\s+)?{words}\s+{_STAGE_WORD}\b",  # "at (the) awareness stage"
        rf"\bon\s+the\s+{words}\s+side\b",  # "On the advocacy side: …"
        rf"\b{_STAGE_WORD}(?:\s*\d{{1,2}})?\s*[:=\-–—]\s*{words}(?!\w)",  # "Stage: Awareness", "Stage 3 - Purchase"
        # "In Awareness, …", and after a preamble: "Sorry, one from way back at the start: in awareness, …"
        rf"^(?:[^.!?:\n]{{0,60}}[:—–]\s+|{_FILLER_LEAD}\s+)?(?:in|at|during)\s+(?:the\s+)?{words}\s*(?:{_STAGE_WORD}\s*)?[,:\-–—]",
        # "in consideration it's the postcode checker": the stage as a place, then who or what is there
        rf"(?:^|[.!?]\s+)(?:in|at|during)\s+(?:the\s+)?{words}\s+(?=(?:it's|it’s|it is|there's|there’s|there is|we|"
        r"they|she|he|i|you|people|customers|users|most|everyone|the|a|an|our|their|your|this|that|these|those)\b)",
        # "fines are really a Problem-solving thing", "def a Camping thing": a note filed there
        rf"\ban?\s+{words}\s+(?:thing|issue|problem|question|topic|one)\b",
        # "I'd file this one under …", "(filing under onboarding)", "put this under Tests / Scans", "sits under repair"
        rf"\b(?:fil(?:e|es|ed|ing)|put(?:ting)?|sits?)(?:\s+(?:this|it|that)(?:\s+one)?)?\s+(?:mostly\s+)?"
        rf"(?:under|in)\s+(?:the\s+)?{said}(?![\w-])",
        rf"\bgoes\s+(?:under|in|into)\s+(?:the\s+)?[\"'“‘]?{words}(?![\w-])",  # "goes under Wait"
        # "That's all Advocacy imo", "this one's for Handover"
        rf"\b(?:that's|that’s|this\s+one's|this\s+one’s|this\s+one\s+is)\s+(?:all\s+|really\s+|for\s+)?(?:the\s+)?"
        rf"{words}(?:\s+{_STAGE_WORD})?(?:\s+(?:imo|imho|i\s+think|tbh))?\s*(?:[.!?)]|$)",
        rf"\s[—–-]+\s*all\s+(?:the\s+)?{words}(?:\s+{_STAGE_WORD})?\s*(?:[.!?)]|$)",  # "… — all Check-in & wait"
        # "…, but it's advocacy": a sentence that ends by saying which stage it is
        rf"\b(?:it's|it’s|it is|that's|that’s|that is|this is)\s+(?:the\s+)?{words}(?:\s+{_STAGE_WORD})?"
        rf"\s*(?:[.!?)]|$)",
    ]
    # "During aftercare a nurse rings": "during" opening a note names a stage, whatever follows; "in" and "at" do for
    # a name of several words ("In ongoing care the plan's direct debit …", "at check-out the folio …", "On delivery
    # day the driver …"), one word is
    # as often an everyday word
    opening = "(?:in|at|during|on)" if len(_name_parts(name)) > 1 else "(?:during|on|at)"
    case_blind.append(rf"(?:^|[.!?]\s+){opening}\s+(?:the\s+)?{words}(?!\w)")
    patterns = [re.compile(pattern, re.IGNORECASE) for pattern in case_blind]
    # the stage the note ends on: "… thats a big one for Discover", "… hurts us in discovery :upside_down_face:"; a
    # short one-word name as written only ("great for Use", not "great for use")
    blind = len(_name_parts(name)) > 1 or len(name) >= MISSPELT_LETTERS
    ends_on = (
        rf"\b(?i:for|in|at|during)\s+(?i:the\s+)?{words if blind else _name_words(name)}(?i:\s+{_STAGE_WORD})?"
        rf"(?i:\s+(?:imo|tbh|too|really))?\s*(?:{_EMOJI}\s*)*[.!?)]*\s*$"
    )
    patterns.append(re.compile(ends_on, re.IGNORECASE if blind else 0))
    # "during Purchase": a preposition and the stage's own capitalised name, mid-sentence.
    # Or the stage as what a clause is about, opening the note or after a preamble: "— Purchase for me starts on G2".
    if name[:1].isupper():
        written = _name_words(name)
        patterns.append(re.compile(rf"\b(?i:in|at|during)\s+{written}(?!\w)"))
        patterns.append(
            re.compile(rf"(?:^|[:—–]\s+){written}\s+(?:for\s+(?:me|us|them|most)\s+)?(?:starts|begins|is|was|means)\b")
        )
    return tuple(patterns)


def _settled_on(name: str) -> str:
    """A writer settling on a stage after weighing it: "fine, Seek support,", "ok, Use.", "let's say Retention"."""
    return (
        rf"\b(?:fine|ok|okay|alright|let's say|let’s say|let's go with|let’s go with|going with)\s*,?\s+"
        rf"{_name_words(name)}(?:\s+{_STAGE_WORD})?\s*(?:[,.;!?)]|$)"
    )


def _named_by_a_word(label: str, stages: Sequence[StageDef], ordinary: frozenset[str] = NOT_STAGE_WORDS) -> list[str]:
    """The one stage of several words whose name has a word of the label, in any form ("rollout" for "Team rollout",
    "1st visit" for "First visit", "browsing" for "Browse shows"); none when the label says more ("online banking
    registration"), its words are what any note opens with (`ordinary`: "Problem: …") or name more than one stage
    as much ("Bill queries" names "Query a bill" by both words, "First bill" by one)."""
    words = [word for word in _plain_words(label) if len(word) > 2]
    said = [word for word in words if len(word) >= MIN_ALTERNATIVE_LETTERS and word not in ordinary]
    matched = {
        stage.name: sum(
            any(word == part or _inflected(word, part) or _inflected(part, word) for part in parts) for word in said
        )
        for stage in stages
        if len(parts := _plain_words(stage.name)) > 1
    }
    most = max(matched.values(), default=0)
    named = [name for name, count in matched.items() if count == most > 0]  # "Bill queries": "Query a bill"
    return named if len(named) == 1 and len(words) <= LABEL_WORDS else []


def _plain_words(text: str) -> list[str]:
    """The text's words in lower case, hyphens, slashes and "&" parting them ("dream/save", "Check-out & review")."""
    return [word for word in re.split(r"[-\s/&]+", text.lower()) if word]


def _called(words: str, stages: Sequence[StageDef]) -> list[str]:
    """The stages called by `words` ("settling-in" for "Settle in", "quote" for "Get a quote"): those whose first
    word they share a stem with, else the one stage of several words whose name has their last word."""
    first = _name_parts(words)[0]
    said = _plain_words(words)
    stemmed = [
        stage.name
        for stage in stages
        if _same_stem(words, stage.name)
        or _inflected(first, _name_parts(stage.name)[0])
        or (len(said) > 1 and _plain_words(stage.name)[: len(said)] == said)  # "the find out bit": "Find out I …"
    ]
    return stemmed or _named_by_a_word(_plain_words(words)[-1], stages, ordinary=frozenset())  # "quote stage"


def _filed(words: str, stages: Sequence[StageDef]) -> list[str]:
    """The stage the words before "stage" call, trying their last four words, then three, two and one: a whole name
    in any form ("Living-with-it"), else one word of a longer name ("quiz" for "Taste quiz")."""
    parts = _plain_words(words)
    for size in range(min(len(parts), 4), 0, -1):
        said = " ".join(parts[-size:])
        named = [name for stage in stages for name in [stage.name] if _called_whole(said, stage.name)]
        if not named and size == 1 and said not in _NOT_FILED:
            named = _named_by_a_word(said, stages)
        if len(named) == 1:
            return named
    return []


def _called_whole(said: str, name: str) -> bool:
    """Whether words are a stage's name, or one of its alternatives, in any form ("booking a term", "ride", "design
    measure" for "Design & measure")."""
    bare_name = " ".join(word for word in _plain_words(name) if word != "and")
    return said == bare_name or any(re.fullmatch(_said(option), said, re.IGNORECASE) for option in _options(name))


def _same_stem(words: str, name: str) -> bool:
    """Whether a stage called by another form of its name's first word is that stage ("settling-in" for "Settle
    in", "renewal" for "Renew or appeal"): the same first five letters, the rest of the name aside."""
    said, own = _name_parts(words.lower()), _name_parts(name.lower())
    return len(said[0]) >= STEM_LETTERS and said[0][:STEM_LETTERS] == own[0][:STEM_LETTERS]


def _opening_words(text: str) -> tuple[str, str]:
    """The first two words a note opens on after a short preamble, in lower case ("" where there are none)."""
    subject = _SUBJECT.match(bare(text))
    return (subject["first"].lower(), (subject["second"] or "").lower()) if subject else ("", "")


def _opens_on(opening: tuple[str, str], name: str) -> bool:
    """Whether a note's `_opening_words` are the stage's name, or another form of a one-word name."""
    parts = [part.lower() for part in _name_parts(name)]
    first = opening[0]
    if len(parts) == 2:
        return list(opening) == parts
    return len(parts) == 1 and first not in NOT_STAGE_WORDS and (first == parts[0] or _inflected(first, name))


def _mentions(text: str, name: str) -> bool:
    """Any mention of a stage named in several words; one named in a single word only as its name is written
    ("Arrive", not "e-tickets arrive by email"): one word is as often an everyday word as the stage."""
    flags = re.IGNORECASE if len(name.split()) > 1 else 0
    return bool(re.search(rf"(?<!\w){_name_words(name)}(?!\w)", html.unescape(text), flags))
