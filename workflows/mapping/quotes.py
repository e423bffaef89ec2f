"""Customer quotes in the team's notes: the customer's own words, never the team's commentary about them.

The persona card and the map's "Thoughts & quotes" lane both show them, so both read them here with one set of
rules: text in quotation marks that reads as something said (a clause, not a term like "Reminders" or a button
label, nor what the team says among itself: 'we always say "…"', nor what staff or the product say to the customer:
'the kiosk says "…"', whoever is named last before the quotation), or a whole note tagged `[quote]` or `[interview]`
that is itself a quotation ("I just want…"), or a `[survey]`, `[ticket]` or `[review]` note, or what follows such a
tag inside a note, that speaks as the customer. Each quote names who heard it: the note's author.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from workflows.contributions.parsing import source_named, take_evidence_tag
from workflows.contributions.sentences import split_sentences
from workflows.contributions.text import shorten
from workflows.mapping.lexicon import SINGLE_QUOTED, VERB_FORMS, words_pattern
from workflows.mapping.models import Contribution, Evidence

MIN_QUOTE_WORDS = 4  # shorter quoted text is a term, a label or a status ("Verifying"), not something said
MAX_QUOTE_CHARS = 280

# Double quotation marks only: a single one is too often an apostrophe ("it’s").
_QUOTED = re.compile(r"\"([^\"\n]+)\"|“([^”\n]+)”|„([^“”\n]+)[“”]|«\s*([^»\n]+?)\s*»|「([^」\n]+)」")
# Single quotation marks only after words that report speech ("She said: 'every letter makes my stomach drop'",
# "one claimant told us 'I just want it to work'"): elsewhere they are as often apostrophes or scare quotes.
_REPORTED_SINGLE = re.compile(
    r"(?i:\b(?:said|says|told\s+(?:us|me|her|him|them)|put\s+it(?:\s+as)?|wrote(?:\s+(?:on|in)\s+[\w-]+)?|asked"
    r"|(?:interviews?|tickets?|surveys?|reviews?|complaints?|feedback|trustpilot)(?=\s*:))\s*[:,]?\s*)"
    r"(?:‘(?P<curly>(?:[^’\n]|’(?=\w))+)’|'(?P<straight>(?:[^'\n]|'(?=\w))+)'(?!\w))"
)
_OPEN_TAIL = re.compile(r"[\"“„«「][^\"”“„«»「」]*$")  # a quotation cut off before its end
_QUOTE_TAG = re.compile(
    r"^\s*\[\s*(?:quotes?|verbatim|customer\s+quote)\s*\]\s*|\s*\[\s*(?:quotes?|verbatim)\s*\]\s*$", re.IGNORECASE
)
# A clause, not a term: a person speaking, a verb that carries it, or the end of a sentence.
_CLAUSE_WORDS = words_pattern(
    r"i|i'm|i’m|i'd|i’d|i've|i’ve|i'll|i’ll|me|my|mine|we|we're|we’re|our|us|you|your|you're|you’re|it|it's|it’s"
    r"|they|them|their|that|this|he|she|his|her|is|are|was|were|be|been|have|has|had|do|does|did|don't|don’t"
    r"|doesn't|doesn’t|didn't|didn’t|can|can't|can’t|could|couldn't|couldn’t|would|wouldn't|will|won't|should"
    r"|want|wants|need|needs|know|think|feel|get|got|make|pay|like|love|hate|never|always|just"
)
_FIRST_PERSON = words_pattern(r"i|i'm|i’m|i'd|i’d|i've|i’ve|i'll|i’ll|me|my|mine|myself")
# A note that reports what people said, rather than saying it: the team's words.
_SINGLE_QUOTED = re.compile(SINGLE_QUOTED)
_COUNTED = words_pattern(
    r"customers|users|people|reviewers|respondents|participants|members|patients|parents|clients|everyone|most|many"
)
# The speaker's own asking and being told: "I asked about deferring", "nobody told me", "it had told me"
_OWN_REPORTING = re.compile(r"(?i:\bi\s+(?:\w+\s+)?(?:said|asked|told|mentioned|heard)\b|\btold\s+me\b|\basked\s+me\b)")
# A contact reason ranked or counted: "where's my UTR = #2 call reason in jan, 88k calls"
_RANKED = re.compile(r"#\d|\b\d[\d.,]*k?\s+(?:calls|tickets|contacts|complaints|chats|emails)\b", re.IGNORECASE)
# A contact reason or a survey item counted around its words: '22% of member tickets were "where is my invoice"',
# '"when is the engineer coming". 31% of service tickets …', "'communication from my child's room' is our lowest
# scoring item": what many customers ask, named, not one customer speaking
_CONTACTS = r"(?:calls|tickets|contacts|complaints|chats|emails|enquiries|queries)"
_TALLIED_BEFORE = re.compile(
    rf"(?i:\b\d[\d.,]*\s*%?k?\s+of\s+(?:all\s+|our\s+)?(?:[\w-]+\s+){{0,3}}?{_CONTACTS}\b[^.!?\"“”]{{0,40}})$"
)
_TALLIED_AFTER = re.compile(
    rf"^\W{{0,3}}(?i:\d[\d.,]*\s*%?k?\s+(?:of\s+(?:all\s+|our\s+)?(?:[\w-]+\s+){{0,3}}?)?{_CONTACTS}\b"
    r"|(?:is|was|are)\s+(?:our|the)\s+(?:#\d|top|biggest|most\s+common|lowest|highest)\b)"
)
# The writer imagining it: '"why do you need my address again??" is what I'd be thinking as a parent'
_IMAGINED_AFTER = re.compile(r"^\W{0,3}(?i:is\s+what\s+(?:i|she|he|they|you)(?:['’]d|\s+would)\s+(?:be\s+)?think)")
# The team speaking, not a customer: "+1 to that. and i'd add: …", "agree, imo …"
_TEAM_VOICE = re.compile(r"^\W*(?:\+1|agree[ds]?)\b|\bi['’]d\s+(?:add|say|argue|suggest)\b|\bimo\b", re.IGNORECASE)
_REPORTING = words_pattern(
    r"said|says|told|asked|mentioned|interview\w*|interviewees?|participants?|respondents?|watched|observed"
    r"|noticed|heard|talked|spoke|\d+\s+of\s+\d+"
)
# A quoted name of something, not speech: 'the "Add line item" button', '"How to set up VAT" article'.
_NAMING_BEFORE = re.compile(
    r"(?i:\b(?:the|a|an|our|email|e-mail|article|page|button|link|field|tab|menu|label|banner|subject|title|heading"
    r"|template|called|named|titled|labell?ed|status|(?<!put\sit\s)as|option|setting|search\s+for|searches\s+for|picked|chose"
    r"|selected|ticked|clicked|tapped)\s*"
    # what a screen says, in brackets after it: 'goal quiz ("why are you learning?")'
    r"|\b(?:quiz|question|prompt|option|button|screen|pop-?up|modal|toggle|field|label|link|tab|banner)\s*\(\s*)$"
)
_NAMING_AFTER = re.compile(
    r"^\s*(?i:button|e-?mails?|page|link|article|field|tab|menu|label|banner|screen|summary|message|template|option"
    r"|step|feature|section|checkbox|campaign|report|widget|setting"
    # a kind of contact named by its words: '"my collection didn't happen" reports', '"where is my order" msgs'
    r"|reports|forms|msgs?|messages|problems|issues|queries|questions|calls|tickets|complaints|requests|chats|contacts"
    # a thing named by its words: 'the day 3 "how are you getting on" call', 'a 40% "do not call again" rate', 'a
    # clear "what's left before I can go live" list'
    r"|call|rate|list|letter|text|sms|notification|prompt|pop-?up|flag|reason|score|count)\b"
)
# The team quoting itself ('We always say internally "the customer wants the cheapest fare"'): a belief to test, not
# the customer's words.
_OUR_WORDS_BEFORE = re.compile(
    r"(?i:\b(?:we|we've|we’ve|internally|in-house|our\s+(?:team|company|side|org|organisation|organization))\b"
    r"(?:(?!\b(?:she|he|they|customers?|users?|clients?|people|patients?|someone|one|and|but)\b)[^.!?,\"“”]){0,40}?"
    r"\b(?:say|says|said|saying|call|calls|called|describe|describes|described|assume|assumes"
    r"|assumed|tell\s+ourselves|told\s+ourselves|telling\s+ourselves|repeat|believe|think)\b[^.!?\"“”]{0,20})$"
)
# A colleague quoted ('@Grace said in the kickoff "design for the person doing it at 9pm"', 'our CFO says "…"'): the
# team's words, not a customer's.
_COLLEAGUE_BEFORE = re.compile(
    r"(?i:(?:@[\w.'’-]+|\b(?:my|our)\s+(?:colleague|manager|boss|ceo|cfo|cto|coo|director|head\s+of\s+\w+|pm|lead))"
    r"(?:\s+(?:\w+\s+){0,2}?|['’]s\s+)(?:said|says|put\s+it|wrote|writes|reminded\s+us|always\s+says|used\s+to\s+say"
    r"|keeps\s+(?:saying|telling\s+us)|is\s+always\s+saying"
    r"|likes\s+to\s+say|(?:favou?rite|fave)\s+(?:line|saying|phrase)\s+is|line\s+is)\b[^.!?\"“”]{0,40})$"
    # someone by name saying it again and again: "as Graham keeps saying", "Priya always says"
    r"|\b[A-Z][a-z]+\s+(?i:keeps\s+(?:saying|telling\s+us)|is\s+always\s+saying|always\s+says|likes\s+to\s+say)\b"
    r"[^.!?\"“”]{0,40}$"
    # someone of ours by role and name ("Our audiologist Ruth told me", "My instructor mate Tom always says") or by
    # team ("As Martin from finance always says")
    r"|(?i:\b(?:my|our)\s+(?!customers?\b|clients?\b|users?\b|members?\b|patients?\b|guests?\b|tenants?\b)"
    r"(?:[\w-]+\s+){1,4}?(?:always\s+)?(?:said|says|put\s+it|wrote|told\s+(?:me|us)|used\s+to\s+say|mentioned)\b"
    r"[^.!?\"“”]{0,40})$"
    # a lead of ours or a residential assistant, by role: "the volunteer lead told me", "the RA said"
    r"|(?i:\bthe\s+(?:[\w-]+\s+){0,2}?(?:lead|ra)\s+(?:said|says|told\s+(?:me|us)|mentioned)\b[^.!?\"“”]{0,40})$"
    # "Tom on the customs desk has a line for this: …"
    r"|\b[A-Z][a-z]+\s+(?:from|on|in|at)\s+(?:the\s+)?[\w&-]+(?:\s+(?:team|desk|hub|office|branch|depot|store))?\s+"
    r"(?i:always\s+)?"
    r"(?i:said|says|put\s+it|wrote|told\s+(?:me|us)|mentioned|has\s+a\s+(?:line|saying)(?:\s+for\s+(?:this|that|it))?)\b"
    r"[^.!?\"“”]{0,40}$"
)
# A moment the team imagines ('the journey begins when someone thinks "how do I get to Leeds"', 'when she first thinks
# "I could sell this"'): a thought made up to mark where the journey starts or ends, not words a customer said.
_IMAGINED_BEFORE = re.compile(
    r"(?i:\b(?:when|once|if|until|the\s+moment|as\s+soon\s+as)\s+(?:\w+\s+){0,3}?(?:first\s+)?"
    r"(?:thinks?|wonders?|realis(?:es|e)|realiz(?:es|e)|decides?)\s*[,:]?\s*)$"
    # "she's probably quietly wondering", "Kat would be thinking", "she'd be muttering": the persona's imagined thought
    r"|(?i:(?:['’]s|['’]d|['’]ll|\bis|\bwould|\bwill|\bmight|\bmust)\s+(?:be\s+)?(?:\w+ly\s+|also\s+|be\s+){0,3}"
    r"(?:thinking|wondering|muttering|asking\s+(?:herself|himself|themselves))\s*[,:]?\s*)$"
    # "you can just picture him at heathrow thinking", "colin lying awake going", "lol marcus on the forklift like"
    r"|(?i:\bthinking\s*[,:]?\s*|\b(?:picture|imagine|lying\s+awake|lol)\b[^.!?\"“”]{0,60}\b(?:going|like)\s*[,:]?\s*)$"
    # "Imagine being Dana: …", "no way to ask "is this right for me"": a thought or a question never said
    r"|(?i:\bimagine\s+(?:being|you['’]re|you\s+are)\b[^.!?\"“”]{0,40}?[:,]?\s*"
    r"|\b(?:no\s+way|nowhere|no\s+one|nobody)\s+to\s+(?:ask|say)\s*:?\s*)$"
)
# Who speaks a quotation: the last speaker named before it in the note. Staff, the product and its messages speak
# to the customer ('the GP says "I'm going to refer you"', 'Basil the bot replies "…"', 'push notification: "…"',
# 'PA announcements … Often just "we apologise for the delay"'); the customer, or whoever reports them, does not. An
# e-mail, a letter or a message can come from either: from the customer when the clause names them ("Passenger
# email: …"), else from the organisation ("September rebooking email: …").
_ORG_SPEAKER = words_pattern(
    r"agents?|agent's|agent’s|advis[eo]rs?|staff|gps?|doctors?|consultants?|nurses?|receptionists?|guards?|drivers?"
    r"|reps?|hosts?|guides?|crew|concierge|couriers?|officers?|clerks?|tellers?|cashiers?|operators?|shops?|stores?"
    r"|dealers?|dealerships?|branch(?:es)?|partners?|suppliers?|vendors?|installers?|technicians?|mechanics?"
    r"|ambassadors?|coaches?|tutors?|lecturers?|teams?|offices?|departments?|admissions|everyone|handlers?"
    r"|teachers?|instructors?|ams|account\s+managers?|csms?|reports?"
    r"|planners?|surveyors?|inspectors?|assessors?|caseworkers?|adjusters?|underwriters?|pharmacists?|therapists?"
    r"|operatives?|engineers?|fitters?|audiologists?|desk|reception|pickers?|widgets?"
    r"|bots?|chatbots?|assistants?|ivr|banners?|notifications?|push|subject|announcements?|pa"
    r"|pop-?ups?|tooltips?|prompts?|screens?|errors?|messages?|status|tracker|ads?|adverts?|campaigns?|copy|headlines?"
    r"|taglines?|scripts?|googl\w*|searches|searching|typed|types"
)
_CUSTOMER_SPEAKER = words_pattern(
    r"customers?|users?|patients?|clients?|members?|parents?|callers?|passengers?|guests?|shoppers?|buyers?|tenants?"
    r"|policyholders?|homeowners?|students?|residents?|travell?ers?|riders?|subscribers?|someone|people|she|he|they"
    r"|respondents?|participants?|p\d{1,3}"  # a research participant by code: "P11 said …", "from P6:"
    r"|interviewees?|reviewers?|owners?|interviews?|surveys?|reviews?|complaints?|tickets?|quotes?|verbatims?|feedback"
    r"|trustpilot"
)
_CHANNEL = words_pattern(
    r"e-?mails?|letters?|sms|texts?|messages?|newsletters?|leaflets?|flyers?|posts?|apps?|website|site|portal|dashboard"
    r"|forms?|kiosks?|machines?|boards?|signs?|displays?|systems?|receipts?|invoices?|faqs?|labels?|dialogs?|modals?"
    r"|buttons?|pages?|auto-?reply|tablets?|terminals?|devices?|support|helpdesk|chats?|checkers?|tools?|calculators?"
    r"|widgets?|wizards?|onboarding|statements?|sign-?up|checkout"
    r"|handbooks?|waivers?|contracts?|terms|polic(?:y|ies)|rules|instructions|manuals?|guides?|docs?|brochures?"
)
# Whom a speaker tells it: "Partner shops tell riders “…”" is the shops speaking, not the riders.
_LISTENER = re.compile(
    r"\b(?:tell|tells|told|telling|ask|asks|asked|asking|remind|reminds|reminding|warn|warns|warning"
    r"|sent|sends|emailed|messaged|wrote\s+to)\s+(?:[\w'’-]+\s+){0,4}?[\w'’-]+\s*:?\s*$",
    re.IGNORECASE,
)
# The organisation addressing the customer: "Your driver is 5 stops away", "We have received your referral"; not
# the customer addressing it ("Your app rejected my face four times").
_ADDRESSED = re.compile(
    r"^(?i:(?:(?:unfortunately|sorry|oops|thanks|thank\s+you|hi|hello|yes|great|good\s+news)[,!]?\s+)?"
    r"(?:your?|we(?:'|’)?(?:ll|ve|re)?\b.*\byou\w*)\b)(?!.*\b(?i:i|i'm|i’m|me|my)\b)",
    re.DOTALL,
)
_RECEIVED = re.compile(
    r"\b(?:get|gets|got|getting|see|sees|saw|seeing|receive|receives|received|gives|gave|shows|showed|displays"
    r"|displayed|throws|threw|flashes|pops\s+up(?:\s+with)?)\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,1}$",
    re.IGNORECASE,
)
# What software says when it fails or asks ("Unlock failed, try again", "Invalid postcode", "Please wait"): the
# product's words however the note introduces them, unless someone says them of themselves ("I tried again…").
_SYSTEM_MESSAGE = re.compile(
    r"\b(?:try\s+again|went\s+wrong|failed|error|invalid|unable\s+to|not\s+available|could\s+not\s+be"
    r"|couldn['’]t\s+be|please\s+(?:try|wait|contact|call|enter|check|select|reply))\b",
    re.IGNORECASE,
)
# Where the clause that names a channel's sender begins: "they arrive weeks later, and the email just says" is the
# e-mail's own clause; "Passenger email: …" names the customer in it.
# A word naming a page or a tool of the product ("the quote page", "the review form"): no speaker of its own.
_PRODUCT_NAMED = re.compile(
    r"\b[\w-]+\s+(?=(?:pages?|site|website|portal|forms?|apps?|tools?|checkers?|calculators?|screens?|widgets?"
    r"|buttons?|dashboard)\b)",
    re.IGNORECASE,
)
_SENDER_CLAUSE = re.compile(r",|\band\b|\bbut\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r"[.!?;\n•]|\(\w+\)")
_NOT_SPEECH_START = re.compile(r"^(?i:how\s+to)\b")
_QUOTE_END = re.compile(r"(?<=[.!?…][\"”»“」])\s+(?=[A-ZÀ-Þ\"“„«])")  # "…pay.\" Then …", not "…slow?\" she asked"
_WRAP = ' "“”„«»「」'
_SPEAKS_AS_CUSTOMER = re.compile(r"^\W*(?:\S+\s+){0,3}?(?i:i|i'm|i’m|i've|i’ve|i'd|i’d|me|my)\b")  # "Why do I pay …"
_EVIDENCE_TAG = re.compile(r"\[[^\[\]\n]{1,30}\]")  # "[ticket] …": where the note comes from, not who speaks
# Words set off as Slack's quote under a source: "survey: &gt; pickup is 3pm, who finishes work at 3pm??",
# "from the branch interviews:\n&gt; I had to ask my granddaughter …"
_BLOCKQUOTE = re.compile(r"^(?:(?P<label>[^:\n>]{1,60}):\s*)?(?:&gt;|>)\s*(?P<words>[^\n]+)$")
_LABEL_FIRST = re.compile(r"^[^:\n\"“]{1,40}:\s+(?=\S)")  # "Delivery: …", "Check if I need it pain: …"
# A tag inside a note, after a sentence, with the customer's words after it to the end: "… [survey] I pressed 1, …"
_TAGGED_TAIL = re.compile(r"[.!?:]\s+(?P<tag>\[[^\[\]\n]{1,20}\])\s*(?P<words>[^\[\]]+)$")
SPEAKER_CHARS = 300  # who speaks a quotation is said just before it: a long note is not searched from its start
HEARD = frozenset({Evidence.interview, Evidence.ticket, Evidence.survey})  # evidence that reports customers' words


class Quote(BaseModel):
    """A customer's words, who heard them, and whether the note was tagged as an interview or a quote."""

    text: str
    user: str  # the note's author: who heard it
    tagged: bool = False
    evidence: Evidence = Evidence.assumption  # the note's source: interview, ticket, survey…


def quoted_spans(text: str, heard: bool = False) -> list[str]:
    """The quotations in a text that read as something said, in order; `heard`: the note reports what customers
    said (an interview, a ticket, a survey), so an app or an e-mail it names is where they said it."""
    spans = []
    doubles = [(m.start(), m.end(), next(group for group in m.groups() if group)) for m in _QUOTED.finditer(text)]
    singles = [(m.start(_which(m)) - 1, m.end(), m[_which(m)]) for m in _REPORTED_SINGLE.finditer(text)]
    singles = [single for single in singles if not any(a <= single[0] and single[1] <= b for a, b, _ in doubles)]
    for start, end, quoted in sorted(doubles + singles):
        span = " ".join(quoted.split())
        before, after = text[max(0, start - SPEAKER_CHARS) : start], text[end:]
        if _not_speech(before, after):
            continue
        if is_clause(span) and not _said_to_the_customer(before, span, heard):
            spans.append(span)
    return spans


def _which(match: re.Match[str]) -> str:
    return "curly" if match["curly"] else "straight"


def _not_speech(before: str, after: str) -> bool:
    """Whether the quotation between these is no one's speech: a name of something, the team's own words, a moment
    the team imagines or a contact reason counted."""
    return any(
        p.search(before)
        for p in (_NAMING_BEFORE, _OUR_WORDS_BEFORE, _IMAGINED_BEFORE, _COLLEAGUE_BEFORE, _TALLIED_BEFORE)
    ) or any(p.match(after) for p in (_NAMING_AFTER, _TALLIED_AFTER, _IMAGINED_AFTER))


def _said_to_the_customer(before: str, span: str, heard: bool = False) -> bool:
    """Whether the organisation speaks the quotation: its speaker, named last before it, is staff or the product,
    what the customer gets or sees ('people just get “Something went wrong”'), it reads as software failing or asking
    ("Unlock failed, try again"), or it addresses the customer ("Your claim has been approved")."""
    speakers = sorted(
        (match.start(), kind)
        for kind, pattern in (("org", _ORG_SPEAKER), ("customer", _CUSTOMER_SPEAKER), ("channel", _CHANNEL))
        for match in pattern.finditer(_LISTENER.sub(" ", _EVIDENCE_TAG.sub(" ", before)))
    )
    from_customer = bool(speakers) and speakers[-1][1] == "customer"  # "one more from Trustpilot: “Failed on …”"
    if _RECEIVED.search(before) or (
        _SYSTEM_MESSAGE.search(span) and not _FIRST_PERSON.search(span) and not from_customer
    ):
        return True
    if speakers and speakers[-1][1] == "channel":
        clause = _PRODUCT_NAMED.sub(" ", _SENDER_CLAUSE.split(_CLAUSE_START.split(before)[-1])[-1])
        own_words = heard or _CUSTOMER_SPEAKER.search(clause) or _FIRST_PERSON.search(span)  # "[email] “I landed…”"
        return not own_words or bool(_ADDRESSED.search(span))
    return (bool(speakers) and speakers[-1][1] == "org") or bool(_ADDRESSED.search(span))


def is_clause(text: str) -> bool:
    """Enough words to be said by someone, and something that makes it a clause rather than a term."""
    if len(text.split()) < MIN_QUOTE_WORDS or _NOT_SPEECH_START.match(text):
        return False
    if any(word in VERB_FORMS for word in re.findall(r"[a-z]+", text.lower())):
        return True
    return bool(_CLAUSE_WORDS.search(text) or text.rstrip(_WRAP).endswith((".", "!", "?", "…")))


def quotes_in(note: Contribution) -> list[Quote]:
    """The customer quotes in one note: its quotations, or the whole note (or what follows a tag inside it: "She
    needs a patient instructor. [review] My first one shouted at me") where it is a tagged quotation or the
    facilitator marked it as one."""
    tagged = note.quote or note.evidence == Evidence.interview or bool(_QUOTE_TAG.search(note.text))
    spans = quoted_spans(note.text, heard=note.evidence in HEARD)
    body = take_evidence_tag(note.text)[1]
    # "[survey] I never got a reminder" speaks as the customer; "[ticket] 68% of contacts are 'where's my bag'
    # chasers" counts them; a label before it is the team's ("Check if I need it pain: people can't tell …")
    said = _LABEL_FIRST.sub("", body)
    heard = tagged or (note.evidence in HEARD and _in_their_words(said, _SPEAKS_AS_CUSTOMER.match(said) is not None))
    if not spans and heard and (whole := _whole_quotation(body)):
        spans = [whole]
    if not spans and (tail := _TAGGED_TAIL.search(note.text)) and take_evidence_tag(tail["tag"])[0] in HEARD:
        words = tail["words"].strip().strip(_WRAP)  # "… adjustments. [survey] Had to come back four times"
        spans = [words] if is_clause(words) and _in_their_words(words, True) else []
        tagged = tagged or bool(spans)
    if not spans and (block := _BLOCKQUOTE.match(note.text)):
        source = note.evidence in HEARD or (block["label"] and source_named(block["label"]) in HEARD)
        words = block["words"].strip().strip(_WRAP)
        spans = [words] if source and is_clause(words) else []
    if not spans and note.quote:
        spans = [_QUOTE_TAG.sub("", note.text).strip().strip(_WRAP)]
    return [
        Quote(text=shorten(span, MAX_QUOTE_CHARS), user=note.user, tagged=tagged, evidence=note.evidence)
        for span in spans
    ]


def _in_their_words(body: str, spoken: bool) -> bool:
    """Whether a tagged text is the customer's own words: `spoken` as them (opening on "I", or after a tag inside
    the note), or saying "I" anywhere; never counting people or reporting them ("[survey] 38% of people said…",
    "[review] reviewers mention…")."""
    if _TEAM_VOICE.search(body):
        return False
    # "68% of contacts are 'where's my bag'", "120 how-do-I-set-up-a-review-cycle tickets": the customer's words named
    unquoted = re.sub(r"\w+(?:-\w+)+", " ", _SINGLE_QUOTED.sub(" ", without_quotes(body)))
    first_person = _FIRST_PERSON.search(unquoted) is not None
    if _reports(body) or (re.search(r"\d", body) and not first_person) or _RANKED.search(body):
        return False
    return spoken or (first_person and not _COUNTED.search(body))


def _reports(text: str) -> bool:
    """Whether a text reports what others said ("4 of 10 people said …", "interviewees mentioned …"), not the
    speaker's own story ("by the time I asked about deferring", "if it had told me it takes four hours")."""
    return _REPORTING.search(_OWN_REPORTING.sub(" ", text)) is not None


def _whole_quotation(text: str) -> str | None:
    """A `[quote]` note is the customer's words; an `[interview]` note is when it speaks as "I" and reports
    nobody else ("I just want the money to show up", not "4 of 10 people said…")."""
    body = _QUOTE_TAG.sub("", text).strip().strip(_WRAP)
    if not is_clause(body):
        return None
    if _QUOTE_TAG.search(text) or (_FIRST_PERSON.search(body) and not _reports(body)):
        return body
    return None


def customer_quotes(notes: Iterable[Contribution]) -> list[Quote]:
    """Every customer quote in the notes, best first: tagged ones, then the fuller ones; each said once."""
    found = [quote for note in notes for quote in quotes_in(note)]
    ranked = sorted(found, key=lambda quote: (not quote.tagged, -len(quote.text.split())))
    kept: list[Quote] = []
    for quote in ranked:
        key = _plain(quote.text)
        if not any(key in _plain(other.text) for other in kept):
            kept.append(quote)
    return kept


def split_outside_quotes(text: str) -> list[str]:
    """Sentences, as `split_sentences` finds them, but never split inside a quotation."""
    merged: list[str] = []
    for sentence in split_sentences(text):
        if merged and _open_quote(merged[-1]):
            merged[-1] = f"{merged[-1]} {sentence}"
        else:
            merged.append(sentence)
    return [part for sentence in merged for part in _QUOTE_END.split(sentence)]


def without_quotes(text: str) -> str:
    """The text with its quotations blanked out (one left open by a cut too): what the writer says themselves."""
    return _OPEN_TAIL.sub("…", _QUOTED.sub("…", text))


def is_quotation(sentence: str) -> bool:
    """A sentence that is nothing but one quotation (the closing punctuation aside)."""
    match = _QUOTED.fullmatch(sentence.strip().rstrip(".!?…,;:").strip())
    return match is not None


def _open_quote(text: str) -> bool:
    """Whether a quotation opened in the text is still open at its end."""
    low = "„" in text  # German style „…“: there “ closes instead of opening
    opened = text.count("„") + text.count("«") + text.count("「") + text.count("“") * (not low)
    closed = text.count("”") + text.count("»") + text.count("」") + text.count("“") * low
    return text.count('"') % 2 == 1 or opened > closed


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())
