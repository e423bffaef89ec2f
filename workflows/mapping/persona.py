"""The persona card from the persona step's themes, without an LLM: cue words, quotes and who said them.

The research notes want one actor per map, with expectations and, ideally, the customer's own words; this
reads them from how facilitators write ("Meet Priya", "Segment: …", "She hates …"); the customer's own words come
from `workflows.mapping.quotes`, so the card and the map agree on what is a quote.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence

from workflows.contributions.sentences import capitalised
from workflows.contributions.text import shorten
from workflows.mapping.lexicon import (
    FRUSTRATION_CUES,
    GOAL_CUES,
    NEED_CUES,
    SEGMENT_HEADS,
    SEGMENT_STOPWORDS,
    words_pattern,
)
from workflows.mapping.models import Contribution, Persona, Theme, Verbatim
from workflows.mapping.quotes import (
    MAX_QUOTE_CHARS,
    customer_quotes,
    is_quotation,
    split_outside_quotes,
    without_quotes,
)

DEFAULT_PERSONA_NAME = "Primary customer"
MAX_NAMING_WORDS = 12  # a note this short that says the persona's name is about the name ("Maya works for me")
MAX_PERSONA_ITEMS = 5
MAX_VERBATIMS = 6
MAX_VERBATIM_CHARS = MAX_QUOTE_CHARS  # the LLM engine cuts its quotes to the same length
MAX_ITEM_CHARS = 160


_CUES = {
    "goals": words_pattern(GOAL_CUES),
    "needs": words_pattern(NEED_CUES),
    "frustrations": words_pattern(FRUSTRATION_CUES),
}
_NAME_WORD = r"[^\W\d_][^\W_]*(?:['’-][^\W_]+)*"  # no "_" at its end: "_Restart Rob_" is Slack's italics


def _quoted(group: str) -> str:
    """A name in quotes, *bold* (or markdown's **bold**) or _italics_, perhaps asked (“Commuter Kemi?”), as the
    regex group `group`."""
    return rf"(?:[\"“'‘_]|\*\*?)(?P<{group}>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})[?!]?(?:[\"”'’_]|\*\*?)"


_QUOTED_NAME = _quoted("quoted")
# "Meet Priya", "let's call her Maya", "we'll call him …", "name her Nora", "Her name is Ana", "Persona name
# suggestion: "Fiona"", "call this persona 'Hannah'", "name → Sam", "working title for her: Clara".
_PERSONA_NAME = re.compile(
    r"(?i:\b(?:call(?:ing)?\s+(?:her|him|them|it|the(?:\s+[a-z][\w-]*){1,2}|(?:this|that|our)\s+persona)"
    r"|name\s+(?:her|him|them|it|(?:the|this|our)\s+persona)|(?:persona\s+)?name(?:d)?"
    r"(?:\s+(?:suggestion|idea|proposal))?|working\s+(?:title|name)(?:\s+for\s+(?:her|him|them))?|called|meet"
    r"|(?:our|my)\s+(?:guy|girl|gal|man|woman|person|hero)\s+is|throw(?:ing)?\s+in)"
    r"\s*(?:is|:|=|-|–|→|->|=>)?\s*)"
    rf"(?:{_QUOTED_NAME}|(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}))"
)
# "we'll go with "Maker Mia" as the name", "I propose Budget Ben as the persona", "I vote for Marco as the persona
# name", "Busy Bea it is", "Car-free Niamh then, best of both"
_CAPITALISED = r"[A-Z][^\W_]*(?:['’-][^\W_]+)*"
# A name of one to three capitalised words, or two people: "Hannah + Joe", "Sam &amp; Alex"
_PAIR = rf"{_CAPITALISED}(?:\s*(?:\+|&|&amp;|and)\s*{_CAPITALISED}|(?:\s+{_CAPITALISED}){{0,2}})"
_NAME_AFTER = re.compile(
    rf"(?:{_QUOTED_NAME}|(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}}))"
    r"\s+(?i:(?:as|for)\s+(?:the|our|her|his|a)\s+(?:persona(?:'s|’s)?\s+)?name|(?:as|for)\s+(?:the|our)\s+persona\b"
    r"|then(?=\s*(?:[,.!]|$)))"
)
# "Persona: Commuter Carl, 41, …", "Our persona is …", "Our persona, Ollie the Owner, …": a label, so only a name
# that stands alone ("Persona: Solo designers" is none).
_PERSONA_LABEL = re.compile(
    rf"(?i:\bpersona\s*(?:[:=–,-]|\s+is\s)\s*)[\"“*_]?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})[\"”*_]?"
    r"\s*(?:[,.;:(–-]|$)"
)
# "what about *Maker Maya*?": a name only where it is quoted or bold, or two capitalised words asked ("I was
# thinking Techy Tom?"); "going with Priya the Renter", "+1 for Rob", "I'd go Loyal Linda"; "Gadget Gary works".
_PASSING_CUE = re.compile(
    rf"(?i:\b(?:what|how)\s+about|\bthinking|\bmaybe|^\W*or)\s*(?:{_QUOTED_NAME}"
    rf"|(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED}){{1,2}})\s*\?)"
)
# A name in bold or italics that opens a note and is described after it ("*Juggling Jess* — mum of three, …").
_OPENING_NAME = re.compile(
    rf"^\s*[*_](?P<quoted>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})[*_]\s*(?:[—–:,]|-\s)"
    rf"|^\s*[\"“](?P<opening>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})[\"”]"
)
# A first name, one capitalised word that is not a common one opening a sentence; a couple is two ("Rob &amp; Jen")
_FIRST_NAME = r"(?!(?:I|OK|Ok|Yes|No|So|And|But|Or|The|This|That|It|We|She|He|They)\b)[A-Z][a-z]{1,11}"
_COUPLE = rf"{_FIRST_NAME}\s*(?:&amp;|&|\+)\s*{_FIRST_NAME}"
_NAME_WORKS = re.compile(
    rf"(?:{_QUOTED_NAME}|(?P<exact>{_COUPLE})|(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED}){{1,2}}))"
    r"\s+(?:works|wins|👍|:\+1:|:thumbsup:)"
    rf"|(?P<alone>{_CAPITALISED})\s+works\s+for\s+(?:me|us)\b"  # "Sunita works for me"
    rf"|(?P<voted>{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}})\s+(?:gets|has)\s+my\s+vote"  # "Zara gets my vote"
)
# The team's last word on it, which wins whatever was said more: "final answer: Freelance Fran", "**Irene Walsh** —
# settled", "Rachel's set", "agree with Ade — just Rachel.", "Busy Bea it is".
_SETTLED = re.compile(
    rf"(?i:\bfinal\s+(?:answer|name|call|decision)|\bsettl(?:ed|ing)\s+on|\bdecided\s+on|\b(?:changing|renaming)\s+(?:(?:it|her|him)\s+)?to)"
    rf"\s*[:—–-]?\s*(?:{_QUOTED_NAME}|(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}}))"
    rf"|(?:{_quoted('quoted_first')}|(?P<first>{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}}))"
    r"(?:\s*[—–-]\s*|\s*)(?i:\s+it\s+is\b|\s*settled\b|(?:\s+is|['’]s)\s+(?:done|set|settled|final)\b)"
    rf"|(?i:(?:\b(?:agree\w*|yes|yep|ok|okay|fine)\b[^.?!\n]{{0,30}}?|^\W*)\bjust)\s+(?P<just>{_CAPITALISED})"
    r"\s*(?i:then\b)?\s*(?:[.!,]|$)"
    # written as the team settles it, whole: "Fran wins 6-2", "so persona = Fran, 29", "renamed: Beryl", "locked as
    # *Freya*", "she's *Megan* — 34, …", "i'll write it as Hannah + Joe on the map"
    rf"|(?P<winner>{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}})\s+(?i:wins)\b"
    rf"|(?i:\bpersona\s*=\s*|\brenamed\s*(?::|to)\s*|\blocked\s+(?:in\s+)?as\s+|\b(?:she|he)['’]s\s+(?=[*_]))[*_]?(?P<exact>{_PAIR})"
    rf"|(?i:\b(?:write|put|call)\s+(?:it|her|him|them)\s+(?:down\s+)?as)\s+(?P<written>{_PAIR})"
)
_DECIDED = re.compile(
    rf"(?i:\bgo(?:ing)?\s+with|\bvote\s+for|\+1\s+for|\bi(?:['’]d|\s+would)\s+go(?:\s+for)?)\s*"
    rf"(?:{_QUOTED_NAME}|(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}))"
)
# The options of a vote: "vote :one: Megan :two: Chris", "1️⃣ Fran 2️⃣ Sam"
_VOTE_OPTION = re.compile(
    rf"(?::(?:one|two|three|four):|[1-4]\ufe0f?\u20e3)\s*(?P<name>{_CAPITALISED}(?:\s+{_CAPITALISED})?)"
)
# What is said before a name weighed as the persona's: "I like Nadia", "I'd lean Karim", "I'd rather someone like
# Sunita", "what about Priya", "please not Fiona", "could be Rosa", "ok with Nadia", "or just Hannah?"
_WEIGHING_CUE = (
    r"(?i:\bi(?:['’]d|\s+would)?\s+(?:(?:like|vote|prefer|keep|pick|lean|go)(?:\s+for)?"
    r"|rather(?:\s+have|\s+(?:someone|something)\s+like)?)"
    r"|\b(?:what|how)\s+about|\bplease\s+not|\bcould\s+be|\bok(?:ay)?\s+with|^\W*or(?:\s+just)?)"
)
# A name coined the way teams coin them, alliterating ("Toner Tina :joy:", "Four-Eyes Fiona", "> Anxious Annie⏎please
# no", "or Loyal Len, most of them …", "Nomad Nia? or Laptop Lou"): alone, asked, laughed at, or offered as another.
_COINED = re.compile(
    rf"(?:^\W*|^(?:&gt;|>)\s*|(?P<offered>\b(?i:or|persona:|what\s+about|how\s+about))\s+)"
    rf"(?P<name>(?P<initial>[A-Z])[^\W_]*(?:['’-][^\W_]+)*(?:\s+{_CAPITALISED})?\s+(?P=initial)[a-z]{{1,11}})"
    r"(?=\s*(?:$|\?|!|\n|(?i:lol|haha|ha|lmao)\b|:[a-z0-9_+-]+:|[^\w\s.,;:'’\"”)-]|(?(offered)(?:,|\s[-–—]\s)|(?!))))"
    # or a reply that is only a two-word name, asked or laughed at: "Commuter Kate :bike:"
    rf"|^\W*(?P<alone>{_CAPITALISED}\s+{_FIRST_NAME})\s*(?:\?|(?i:lol|haha)\b|:[a-z0-9_+-]+:|[^\w\s.,;:'’\"”)-])\W*$"
)
_OFFERED = re.compile(
    rf"(?:^[\W\d]*(?:(?i:yes|yep|yeah|ok|okay|so|fine|fair|agreed?|\+1|:\+1:)[\s,!.]+)?|{_WEIGHING_CUE}\s+)"
    rf"(?P<name>{_FIRST_NAME})(?:\s*(?:&amp;|&|\+)\s*(?P<partner>{_FIRST_NAME}))?(?:\s+or\s+(?P<other>{_FIRST_NAME}))?"
    r"(?=\s*(?:$|[?.!,]|:[a-z0-9_+-]+:|\s(?i:or|and|but|then|it\s+is|works|for\s+me|done|confirmed)\b))"
)
# Talking about naming itself: "Name ideas? I'll start: …", "Names?", "I'd avoid alliteration tbh", "persona #2",
# "can we avoid names that make fun of them?"
_NAMING_TALK = re.compile(
    r"(?i)\bnames?\s+(?:ideas?|suggestions?|options?)\b|^\W*names?\s*\?|\balliterat\w*|\bpersona\s*#\s*\d"
    r"|\bnames\s+(?:that|which|need|should|sound|feel)\b"
)
_EXACT = ("just", "winner", "exact", "written")  # `_SETTLED`'s groups that give the name as the team writes it
_NOT_NAMES = frozenset(
    {"the", "a", "an", "our", "this", "that", "she", "he", "they", "it", "i", "we", "persona", "tbc", "tbd"}
)
_SEGMENT_LABEL = re.compile(
    r"\b(?:segment|audience|target\s+group|customer\s+type|role|job\s+title|occupation)\s*[:=\-–]\s*"
    r"(?P<segment>[^.\n;]{3,120})",
    re.IGNORECASE,
)
_A_WHO = re.compile(r"\ban?\s+(?P<segment>[^.,;!?\n]{3,60}?\s+who\s+[^.;!?\n]{3,100})", re.IGNORECASE)
_SEGMENT_HEAD = words_pattern(SEGMENT_HEADS)
_SEGMENT_STOP = re.compile(SEGMENT_STOPWORDS, re.IGNORECASE)
_LABEL = re.compile(r"^\s*(?P<label>[^:\n]{1,50}):\s+(?P<rest>.+)$", re.DOTALL)
# A label naming another part of the persona: "Context: … has to park" describes her day, it is no need.
_OTHER_PART = re.compile(r"context|background|segment|demographics?|habits?|behaviou?rs?|profile|situation|day", re.I)


def build_persona(themes: Sequence[Theme], aside: Sequence[Contribution] = ()) -> Persona:
    """The persona card from the persona step; the most-mentioned themes come first on it. Its name is read from
    every reply in the order they were posted, the `aside` ones too: a wrap-up ("Persona locked as *Freya* :tada:
    thanks all, touchpoints next") is no note, but it is the team's last word on the name."""
    ordered = sorted(themes, key=lambda theme: -len(theme.contributions))
    notes = [contribution for theme in ordered for contribution in theme.contributions]
    texts = [note.text for note in notes]
    said = [reply.text for reply in sorted([*notes, *aside], key=_posted)]
    items = _persona_items(ordered)
    if not any(items.values()):  # nothing matched a cue word (a terse or non-English step): titles as goals
        items["goals"] = _fallback_goals(ordered)
    return Persona(
        name=_persona_name(said) or DEFAULT_PERSONA_NAME,
        segment=_segment(texts),
        verbatims=_verbatims(notes),
        **items,
    )


def _posted(reply: Contribution) -> tuple[int, ...]:
    """When a reply was posted, from its Slack timestamp ("1712345678.000100"); () where it is no timestamp."""
    parts = reply.ts.split(".")
    return tuple(map(int, parts)) if all(part.isdigit() for part in parts) else ()


def _fallback_goals(themes: Sequence[Theme]) -> list[str]:
    """Theme titles, except those that only say who the persona is ("Segment: …", "Meet Priya")."""
    titles = [
        theme.title for theme in themes if not (_SEGMENT_LABEL.search(theme.title) or _persona_name([theme.title]))
    ]
    return _unique(shorten(title, MAX_ITEM_CHARS) for title in titles)[:MAX_PERSONA_ITEMS]


def _persona_items(themes: Sequence[Theme]) -> dict[str, list[str]]:
    """Each sentence that carries a cue word; a theme with none contributes its title if that has one."""
    found: dict[str, list[str]] = {kind: [] for kind in _CUES}
    for theme in themes:
        sentences = [sentence for note in theme.contributions for sentence in split_outside_quotes(note.text)]
        classified = [item for item in map(_classify, sentences) if item] or [
            item for item in [_classify(theme.title)] if item
        ]
        for kind, text in classified:
            found[kind].append(text)
    return {kind: _unique(texts)[:MAX_PERSONA_ITEMS] for kind, texts in found.items()}


# Who the persona is: an age or size range ("27-40, renting", "a 150-400 person company"), a median age, a share of
# the customers ("72% of new puppy registrations"), a segment, a role.
_SEGMENT_FACET = re.compile(
    r"(?i:\b[1-9]\d{0,2}\s*[-–]\s*[1-9]\d{0,2}\b(?!\s*(?:%|min\w*|days?|weeks?|months?|years?|hours?|hrs?|km|kg|miles|nights))"
    r"|\bmedian\s+age\b|\baged\s+\d|\bsegment\b|\b(?:owner-occupier|sole\s+(?:director|trader)|head\s+of)\b"
    r"|\d+(?:\.\d+)?\s*%\s+of\s+(?:new\s+|our\s+|the\s+|all\s+)?(?:[\w/-]+\s+){0,3}(?:customers|users|applicants|bookings"
    r"|contracts|registrations|joiners|recruits|sellers|buyers|offers|members|donors|households|patients|starts|trials"
    r"|accounts)\b)"
)
# Their circumstances: "Context: …", where and how they live and work.
_CONTEXT_FACET = re.compile(
    r"(?i:^\W*context\s*[:\-–]|\blives\s+(?:in|with|alone|on|near|about|around|\d+)\b"
    r"|\bworks\s+(?:from\s+home|full[-\s]time|part[-\s]time|shifts|nights)\b)"
)


def persona_facet(text: str) -> str | None:
    """What else of the persona a note describes: "segment" (who they are) or "context" (their circumstances)."""
    own_words = without_quotes(text)
    if _SEGMENT_FACET.search(own_words):
        return "segment"
    return "context" if _CONTEXT_FACET.search(own_words) else None


def persona_kind(text: str) -> str | None:
    """The part of the persona a note speaks to first ("goals", "needs", "frustrations"), by its cue words."""
    return next((item[0] for item in map(_classify, split_outside_quotes(text)) if item), None)


def _classify(sentence: str) -> tuple[str, str] | None:
    """The kind whose cue comes first in the sentence, and the sentence without a "Frustrations:" label.

    Cue words inside a quotation are the customer's, not the team's description ("Why do you need my passport"
    is no need), unless the sentence is the quotation itself."""
    labelled = _LABEL.match(sentence)
    if labelled and _OTHER_PART.fullmatch(labelled["label"].strip(" -•*_")):
        return None
    quotation = is_quotation(sentence)
    probe = sentence if quotation else without_quotes(sentence)
    hits = [(match.start(), kind) for kind, cue in _CUES.items() if (match := cue.search(probe))]
    if not hits:
        return None
    kind = min(hits)[1]
    if labelled and _CUES[kind].search(labelled["label"]):
        sentence = labelled["rest"]
    sentence = sentence.strip().lstrip("-•* ").rstrip(".")
    if quotation:
        sentence = sentence.strip(' "“”„«»「」').rstrip(".")
    return kind, capitalised(shorten(sentence, MAX_ITEM_CHARS))


def _persona_name(texts: Sequence[str]) -> str | None:
    """The name the team settles on: of the names suggested, the one the notes say most (the latest on a tie:
    "Startup Steve", then "what about *Maker Maya*?", "Maya works for me"), whole where it was given in full ("Busy
    Bea" for "call her Bea" after a note suggesting "Busy Bea", or said twice: "Planner Nadia?", "+1 Planner
    Nadia")."""
    names = list(_suggested(texts))
    if not names:
        return None
    settled = [
        (match, name)
        for text in texts
        for match in _SETTLED.finditer(text)
        if (name := _name_of(match)) and not _lone_winner(match, name, text, texts)
    ]
    if settled and any(settled[-1][0][group] for group in _EXACT):
        return settled[-1][1]  # "just Rachel", not "Rusty Rachel"; "Fran wins", not "Freelance Fran"
    thread = "\n".join(texts)
    said = lambda n: len(re.findall(rf"(?<!\w){re.escape(n.split()[-1])}(?!\w)", thread))  # noqa: E731
    name = settled[-1][1] if settled else max(reversed(names), key=said)
    quoted = [m["quoted"] for text in texts for m in re.finditer(_QUOTED_NAME, text)]
    longer = re.compile(rf"(?:{_NAME_WORD}\s+){{1,2}}{re.escape(name)}(?!\w)")
    forms = [m.group() for text in texts for m in longer.finditer(text)]
    repeated = [form for form in forms if forms.count(form) > 1]  # "Planner Nadia?", "+1 Planner Nadia"
    whole = [
        n
        for n in [*reversed(names), *quoted, *repeated]
        if n.endswith(f" {name}") and _name_words(n.split()) == n.split()
    ]
    return whole[0] if whole else name


def naming_notes(texts: Sequence[str]) -> list[bool]:
    """Which notes are about the persona's name: they suggest one ("let's call her Maya", "Toner Tina :joy:"), quote
    the one the team settles on ('Straw man: "Busy Bea", 38'), weigh the options ("Megan's fine but …", "I vote
    Carla", "please not Fiona, …"), talk about naming ("Name ideas?", "I'd avoid alliteration") or say little else
    ("Maya works for me", "+1 for Rob")."""
    name = _persona_name(texts)
    coinings = [_COINED.search(text) for text in texts]
    coined = [match["name"] or match["alone"] for match in coinings if match]
    if name is None and not coined:
        return [_NAMING_TALK.search(text) is not None for text in texts]
    # "jo +1" for Jo; "chris for me" for a name voted down
    options = {option.split()[-1] for option in [*([name] if name else []), *_suggested(texts), *_offered(texts)]}
    said = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, options))})(?!\w)" if options else "(?!)", re.I)
    weighed = _weighing(options | {option.split()[-1] for option in coined})
    quoted = (
        re.compile(rf"[\"“'‘*_]{re.escape(name)}[\"”'’*_]|(?<!\w){re.escape(name.split()[-1])}\?") if name else None
    )  # "Or Alison?"
    return [
        bool(coining or next(_suggested([text], texts), None) or (quoted and quoted.search(text)))
        or any(pattern.search(text) for pattern in (_NAMING_TALK, weighed))
        or (len(text.split()) <= MAX_NAMING_WORDS and bool(said.search(text)) and persona_kind(text) is None)
        for text, coining in zip(texts, coinings, strict=True)
    ]


def _offered(texts: Sequence[str]) -> Iterator[str]:
    """First names put forward on their own: a reply that is only the name ("Carol", ":+1: Nadia", "yes, Eva"), or
    one offered, voted for or accepted ("what about Priya", "I'd lean Karim but …", "could be Rosa or Roberto", "ok
    with Nadia"); a name stands alone, so "what about Android users" offers none."""
    for text in texts:
        for match in _OFFERED.finditer(text):
            yield from filter(None, (match["name"], match["partner"], match["other"]))


def _weighing(options: Iterable[str]) -> re.Pattern[str]:
    """A note weighing one of the names suggested: "I like Nadia", "I'd keep Tash", "what about Priya", "please not
    Fiona", "or just Hannah?", "Megan's fine but …", "Carla works but …", "Rosa. half the calls …"."""
    name = rf"[*_\"“]?(?:{'|'.join(map(re.escape, sorted(options)))})(?!\w)"
    return re.compile(
        rf"(?:{_WEIGHING_CUE}|(?<=\w)\s+or)\s+{name}"
        rf"|{name}(?i:(?:['’]s|\s+is)\s+(?:fine|nice|good|great|ok)\b|\s+works\b)|^\W*{name}\s*[.!]\s"
    )


def _suggested(texts: Sequence[str], thread: Sequence[str] | None = None) -> Iterator[str]:
    """Each name after a cue, in order: quoted as written ("Tina the Teacher"), or the capitalised words after the
    cue; after a label ("Persona: …"), only a name that is all of what follows; after a passing cue ("what about",
    "going with"), only a quoted one; a name said to win only where the `thread` (`texts` unless given) says it
    elsewhere too (see `_lone_winner`)."""
    patterns = (
        _PERSONA_NAME,
        _NAME_AFTER,
        _PERSONA_LABEL,
        _PASSING_CUE,
        _DECIDED,
        _NAME_WORKS,
        _OPENING_NAME,
        _SETTLED,
        _VOTE_OPTION,
    )
    for text in texts:
        for pattern in patterns:
            for match in pattern.finditer(text):
                name = _name_of(match, whole=pattern is _PERSONA_LABEL)
                if name and not _lone_winner(match, name, text, thread or texts):
                    yield name


def _lone_winner(match: re.Match[str], name: str, text: str, thread: Sequence[str]) -> bool:
    """Whether a match says a word wins that no other note of the thread says: "Speed wins." is about speed, "Fran
    wins 6-2" about a name the team put forward."""
    said = re.compile(rf"(?<!\w){re.escape(name.split()[-1])}(?!\w)")
    return bool(match.groupdict().get("winner")) and not any(said.search(other) for other in thread if other != text)


def _name_of(match: re.Match[str], *, whole: bool = False) -> str | None:
    """The name a cue's match gives: quoted as written, or the capitalised words it starts with (`whole`: only when
    they are all of what was matched)."""
    found = {key: value for key, value in match.groupdict().items() if value}
    quoted = found.get("quoted") or found.get("quoted_first") or found.get("opening")
    if quoted and quoted[0].isupper() and quoted.split()[-1][0].isupper():
        return quoted
    if exact := next((found[group] for group in _EXACT if group in found), None):
        return html.unescape(exact)
    named = [found.get(key) for key in ("name", "voted", "first", "alone")]
    words = (quoted or next(filter(None, named), "")).split()
    name = _name_words(words)
    return " ".join(name) if name and (not whole or len(name) == len(words)) else None


def _name_words(words: Sequence[str]) -> list[str]:
    """The capitalised words a name starts with, up to three, and "the" between them: "Frank the Fleet Manager"."""
    name: list[str] = []
    for n, word in enumerate(words):
        joins = word == "the" and bool(name) and "the" not in name and n + 1 < len(words) and words[n + 1][0].isupper()
        capital = word[0].isupper() and word.casefold() not in _NOT_NAMES and len(name) < 3 + ("the" in name)
        if not (joins or capital):
            break
        name.append(word)
    return name if name and name[-1] != "the" else []


def _segment(texts: Sequence[str]) -> str | None:
    """An explicit "Segment: …", else "a … who …", else the richest noun phrase ("small business owners")."""
    for pattern in (_SEGMENT_LABEL, _A_WHO):
        match = next((m for text in texts if (m := pattern.search(text))), None)
        if match:
            return capitalised(shorten(match["segment"].strip(), MAX_ITEM_CHARS))
    phrases = [phrase for text in texts for phrase in _segment_phrases(text)]
    best = max(phrases, key=lambda phrase: len(phrase.split()), default=None)
    return capitalised(best) if best else None


def _segment_phrases(text: str) -> list[str]:
    """Head nouns with at least one modifier before them; a bare "customers" says nothing."""
    phrases = []
    for match in _SEGMENT_HEAD.finditer(text):
        modifiers: list[str] = []
        for word in reversed(text[: match.start()].split()[-3:]):
            if _SEGMENT_STOP.fullmatch(word) or not re.fullmatch(r"[\w&/-]+", word):
                break
            modifiers.insert(0, word)
        if modifiers:
            phrases.append(" ".join([*modifiers, match.group()]))
    return phrases


def _verbatims(notes: Sequence[Contribution]) -> list[Verbatim]:
    """The customer's own words, best first, with who heard them."""
    return [Verbatim(text=quote.text, user=quote.user) for quote in customer_quotes(notes)][:MAX_VERBATIMS]


def _unique(texts: Iterable[str]) -> list[str]:
    """Texts without repeats, ignoring case; the first spelling stays."""
    first: dict[str, str] = {}
    for text in texts:
        first.setdefault(text.casefold(), text)
    return list(first.values())
