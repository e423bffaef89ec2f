"""The words the embedded (no-LLM) synthesis reads: channels, sentiment, persona cues.

Kept as data in one place so a facilitator's complaint ("it missed 'Zendesk'") is a one-line fix. Patterns are
regular-expression fragments matched case-insensitively on word boundaries; Slack emoji arrive as shortcodes
(`:rage:`), so both the characters and the codes are listed.
"""

from __future__ import annotations

import re

# The characters an emoji is written with, for a character class: pictographs and symbols, the variation selector and
# the joiner of sequences ("🙋‍♀️").
EMOJI_CHARACTERS = r"\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d"
# Words teams write short, with the word they stand for: "camp wk", "appts:", "give me 2 wks", "3 mths"
SHORTHANDS = {
    "wk": "week",
    "wks": "weeks",
    "mth": "month",
    "mths": "months",
    "mgmt": "management",
    "appt": "appointment",
    "appts": "appointments",
    "acct": "account",
    "mtg": "meeting",
}
# Words in single quotation marks, an apostrophe inside a word kept ("'where's my bag'"); at most 200 characters, so a
# note full of apostrophes is read in one pass.
SINGLE_QUOTED = r"(?<!\w)['‘](?:[^'’\n]|['’](?=\w)){0,200}['’](?!\w)"


def words_pattern(fragment: str) -> re.Pattern[str]:
    """A lexicon fragment as a case-insensitive pattern that only matches whole words ("app", not "apple")."""
    return re.compile(rf"(?<!\w)(?:{fragment})(?!\w)", re.IGNORECASE)


# Channel label -> what people write.
CHANNELS: dict[str, str] = {
    "sales call": r"sales\s+(?:calls?|reps?|team|demos?)|demo\s+calls?|account\s+manager"
    r"|talk\w*\s+to\s+sales",
    "phone": r"phone\s+calls?|(?:by|over\s+the)\s+phone|phoned|telephone|hotline|call\s+cent(?:er|re)s?"
    r"|calls?\s+(?:us|support|the\s+hotline)|rang\s+us",
    "chat": r"live\s+chat|chat\w*|intercom|whatsapp|messenger",
    "email": r"e-?mails?|newsletters?|inbox|mailing\s+list",
    "sms": r"sms|text\s+messages?",
    "mobile app": r"mobile(?:\s+app)?|(?:ios|android|iphone)(?:\s+app)?|(?:the|our|their|your|her|his)\s+app"
    r"|app\s+store|play\s+store|smartphone|on\s+(?:her|his|their|my|a)\s+phone",
    "in product": r"in[-\s]app|in[-\s]product|dashboard|notifications?"
    r"|onboarding\s+(?:flow|tour|checklist|wizard)",
    "documentation": r"docs|documentation|help\s+(?:cent(?:er|re)|articles?)|knowledge\s+base|faqs?"
    r"|tutorials?",
    "support": r"support(?:\s+team|\s+tickets?)?|help\s*desk|zendesk|tickets?|customer\s+service",
    "search": r"google|search\w*|seo|bing",
    "ads": r"ads?|adverts?|advertis\w*|banners?|paid\s+social|retarget\w*|billboards?|commercials?",
    "social media": r"social(?:\s+media)?|instagram|linkedin|twitter|facebook|tiktok|youtube|reddit"
    r"|influencers?",
    "review sites": r"reviews?|trustpilot|g2|capterra|ratings?",
    "word of mouth": r"word\s+of\s+mouth|friends?|colleagues?|peers?|referr\w*",
    "community": r"communit(?:y|ies)|forums?|slack\s+(?:groups?|channels?)|facebook\s+groups?|meetups?",
    "events": r"events?|conferences?|trade\s+shows?|webinars?",
    "store": r"in[-\s]store|(?<!app\s)(?<!play\s)stores?|shop\s+floor|showroom|branch",
    "website": r"website|web\s*site|landing\s+page|home\s*page|pricing\s+page|web|browser|online|blog"
    r"|checkout\s+page|site",
}

# Sentiment: pattern -> weight on the map's emotion scale (-2 very negative .. +2 very positive). Emoji are
# listed without the variation selector, so "❤" also matches "❤️".
SENTIMENT: dict[str, float] = {
    r"lov(?:e|es|ed|ing)|delight\w*|amaz\w*|awesome|fantastic|excellent|brilliant|seamless\w*": 2.0,
    r"great|happy|happily|excit\w*|enjoy\w*|impress\w*|wow|thrilled|can(?:'|’)?t\s+wait|best|high\s+point"
    r"|highlight|proud\w*": 1.5,
    r"easy|easily|effortless\w*|simple|quick\w*|fast|smooth\w*|clear|helpful|useful|convenient|intuitive"
    r"|relie(?:f|ved)|glad|pleased|satisf\w*|confident|trust\w*|good|nice|thank\w*|recommend\w*": 1.0,
    r"fine|ok|okay": 0.5,
    r"wait\w*|meh": -0.5,
    r"confus\w*|slow\w*|hard|difficult\w*|struggl\w*|errors?|bugs?|bugg\w*|worr\w*|anxi\w*|stress\w*|stuck"
    r"|lost|expensive|unclear|overwhelm\w*|tedious|complain\w*|cancel\w*|churn\w*|delay\w*|time[sd]?\s+out"
    r"|timeouts?|ugh|missing|can(?:'|’)?t(?!\s+wait)|cannot|no\s+way\s+to|dislik\w*|afraid|fear\w*"
    r"|pain\w*|black\s+holes?|in\s+the\s+dark|no\s+idea|embarrass\w*|hesitat\w*|awkward\w*": -1.0,
    r"frustrat\w*|annoy\w*|disappoint\w*|broken|breaks|broke|crash\w*|fail\w*|upset|unhappy"
    r"|doesn(?:'|’)?t\s+work|does\s+not\s+work|not\s+working|gave\s+up|give\s+up": -1.5,
    r"hat(?:e|es|ed|ing)|furious|angry|anger|terribl\w*|awful|horrible|useless|nightmare|disaster"
    r"|rage\w*": -2.0,
}
EMOJI_SENTIMENT: dict[str, float] = {
    "😍 🥰 🤩 ❤ 💚 💯 🙌 🎉 :heart_eyes: :star-struck: :heart: :100: :raised_hands: :tada:": 2.0,
    "😀 😃 😄 😁 😊 🙂 👍 :smile: :smiley: :grinning: :blush: :slightly_smiling_face: :+1: :thumbsup:": 1.0,
    "😐 😕 :neutral_face: :confused:": -0.5,
    "😞 😟 😢 🙁 ☹ 👎 😩 😫 😖 😣 :disappointed: :worried: :cry: :slightly_frowning_face: "
    ":white_frowning_face: :-1: :thumbsdown: :weary: :tired_face: :confounded: :persevere:": -1.5,
    "😡 😠 🤬 😭 😤 🤯 💀 :rage: :angry: :face_with_symbols_on_mouth: :sob: :triumph: :exploding_head: :skull:": -2.0,
}
NEGATION = re.compile(r"\b(?:not|no|never|without|hardly|barely|isn|wasn|aren|don|doesn|didn)\b|n(?:'|’)t\b")

# Persona cues: which sentences are goals, needs or frustrations; the earliest cue in a sentence decides.
GOAL_CUES = (
    r"wants?|wanted|wanting|goals?|aims?|hopes?|trying\s+to|would\s+like|wish\w*|dreams?|objectives?|aspir\w*"
    r"|looking\s+to|cares?\s+about|so\s+that"
)
NEED_CUES = (
    r"needs?|needed|expects?|expectations?|requires?|requirements?|must\s+have|has\s+to|have\s+to|relies\s+on"
    r"|depends\s+on|looking\s+for|should\s+be\s+able"
)
FRUSTRATION_CUES = (
    r"frustrat\w*|hat(?:e|es|ed|ing)|annoy\w*|struggl\w*|slow\w*|confus\w*|pains?|painful|fails?|broken"
    r"|hard\s+to|difficult|wast\w*|worr\w*|angry|complain\w*|stuck|unclear|too\s+(?:many|much|long|slow)"
    r"|can(?:'|’)?t|cannot|doesn(?:'|’)?t\s+work|dislik\w*|fears?|afraid|tedious|stress\w*|overwhelm\w*"
    r"|pet\s+peeves?"
)

# Who a persona is: the plural head noun of a segment ("small business owners"); singular ones come as
# "a … who …", and a bare singular ("less admin") is too often something else.
SEGMENT_HEADS = (
    r"owners|managers|founders|freelancers|designers|developers|engineers|marketers|accountants|bookkeepers"
    r"|buyers|shoppers|parents|students|teachers|nurses|doctors|admins|administrators|consultants|agencies"
    r"|retailers|sellers|merchants|creators|professionals|teams|companies|businesses|smbs|startups|enterprises"
    r"|users|customers|clients|households|families|travell?ers|patients|landlords|tenants|contractors"
    r"|tradespeople|photographers|coaches|therapists|makers|illustrators|writers|artists"
)
# Words that end a segment's modifiers when reading backwards from the head noun ("mostly | small business").
SEGMENT_STOPWORDS = (
    r"a|an|the|our|their|his|her|its|my|your|we|they|she|he|it|i|is|are|was|were|be|mostly|mainly|primarily"
    r"|typically|usually|often|many|most|some|all|few|lots|of|for|with|and|or|to|who|that|which|these|those"
    r"|target|serve|sell|selling|serving|like|as|at|in|on|by|from|about|other|new|existing|typical|main|key|busy"
)


def word_set(words: str) -> frozenset[str]:
    """A list of words written as one string, the way they are read and edited."""
    return frozenset(words.split())


# Theme titles are noun phrases, so a title neither starts nor ends with a verb ("Editor hides"). Base forms of
# verbs that are rarely nouns; their regular forms (-s, -ed, -ing) are derived, irregular past forms are listed.
# Words as often nouns ("email", "check", "support", "upload") are left out: "Identity check" is a title. A past
# participle before a word describes it ("missed payments"), which titles.py allows.
_VERB_BASES = (
    "abandon accept add agree allow appear arrive ask assume avoid become begin believe borrow bring build buy "
    "chase choose come compare complain confirm consider continue convert create decide deliver describe do "
    "enable ensure enter expect explain fail fall feel fill find finish follow forget get give go happen hate "
    "hear hesitate hide hope ignore improve include inform keep know land leak learn leave let like live look "
    "lose love make mention miss move notice pay pick prefer pretend provide put reach read realise realize "
    "receive recommend reject remember remove require rewrite run say see seem sell send set show sit stall stay "
    "stick stop struggle suggest take tell think try turn understand use validate verify want wish write"
)
_IRREGULAR_VERB_FORMS = (
    "ate became began begun bought brought built came chose chosen did does done fell felt forgot forgotten found "
    "gave given gone got gotten had has heard hid kept knew led left lost made put read said saw seen sent shown "
    "sold stood stuck thought told took taken went wrote written ran rang"
)
# Words as often nouns that are verbs before one of their particles: "the session times out", "receptionists hand
# out leaflets", "the form bounces back". Their -s, -ed and -ing forms always are; a base form is a noun when a noun
# follows the particle ("the sign up page", "check in desk").
_PHRASAL_VERBS = (
    "back:out bounce:back break:down call:back check:in,out click:in,out cut:off,out drop:out hand:out hang:up "
    "head:back,off,out hold:back jump:around kick:in,off lock:out log:in,off,out loop:back pay:out phone:back "
    "print:out report:back ring:back roll:out,over scare:off sell:out shut:down sign:off,up sort:out switch:off,on "
    "time:out top:up wear:off work:out"
)


def _verb_forms(base: str) -> set[str]:
    """A verb's regular forms; a doubled final consonant ("stopped") and its absence are both listed."""
    stem = base[:-1] if base.endswith("e") and not base.endswith("ee") else base
    forms = {base, base + ("es" if base.endswith(("s", "x", "z", "ch", "sh", "o")) else "s"), stem + "ing"}
    forms.add(base + "d" if base.endswith("e") else base + "ed")
    if base.endswith("y") and base[-2] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    if len(base) <= 4 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou":
        forms |= {base + base[-1] + "ed", base + base[-1] + "ing"}
    return forms


VERB_FORMS: frozenset[str] = frozenset(
    {form for base in _VERB_BASES.split() for form in _verb_forms(base)} | set(_IRREGULAR_VERB_FORMS.split())
)
# Each form of those verbs, with the particles it takes and whether it is the base form.
PHRASAL_VERB_FORMS: dict[str, tuple[frozenset[str], bool]] = {
    form: (frozenset(particles.split(",")), form == base)
    for base, particles in (entry.split(":") for entry in _PHRASAL_VERBS.split())
    for form in _verb_forms(base)
}

# Adverbs and hedges that carry no topic; words ending in "-ly" are taken for adverbs unless listed in
# LY_NOUNS_AND_ADJECTIVES ("monthly price", "reply").
ADVERBS = word_set(
    "abroad actually again ahead already also always anyway asap basically certainly clearly currently definitely "
    "especially even exactly far finally generally here honestly instead just later literally maybe mostly "
    "nearly never now often only perhaps pretty probably quite rarely really simply sometimes soon still super "
    "too totally typically usually very yet"
)
LY_NOUNS_AND_ADJECTIVES = word_set(
    "anomaly apply assembly daily early family fly friendly holy italy july monthly only quarterly rally reply "
    "supply weekly yearly"
)

# A title's last word is its head noun, so it is not one of these (nor a word ending in ADJECTIVE_ENDINGS): no
# "Invoice editor usable", no "Instant on calls". Before a noun they are welcome ("Late payers").
ADJECTIVES = word_set(
    "automatic available awkward bad best big blurry broken cheap clear common complex complicated confusing "
    "correct different difficult due early easy entire exact expensive fast fine free frustrating good great "
    "happy hard high important impossible instant late long low manual missing new old open possible proud proudest "
    "quick ready real right scared simple slow small steady sure tedious typical unclear unhappy whole worst "
    "worth wrong"
)
ADJECTIVE_ENDINGS = ("able", "ible", "ous", "ful", "less")

# sklearn's stop-word list holds words that can name a theme ("first invoice", "phone bill", "back office").
TITLE_WORDS_AMONG_STOP_WORDS = word_set(
    "amount bill bottom call detail empty fire first front full interest last name part side system third top"
)

# Chat's asides and reactions, never part of a title: "P11 hurt tbh", "Lol haggle", "Spam yep"
INTERJECTIONS = word_set(
    "lol lmao rofl haha hahaha hehe omg wow ugh oof ouch yikes hmm tbh imo imho fwiw btw iirc afaik yep yeah yup "
    "nope ok okay ah oh meh tho sorry oops"
)

# Words a title may contain but that cannot name a theme on their own: the labels people put before a note
# ("Success measure:", "Expectation:"), a workshop's own vocabulary, deadlines and vague quantities.
WEAK_TITLE_WORDS = word_set(
    "action advocacy aim april assumption august average awareness bit case consideration context day december "
    "decision deadline due end eod eow example expectation february feeling first form frustration friday goal "
    "hour idea issue january june kind lot march may measure median metric minute monday month moment mood need "
    "note november objective october ok okay owner pain people percent persona point problem proposal purchase "
    "q1 q2 q3 q4 question quote retention saturday scope segment september share sprint stage step stuff success "
    "suggestion sunday thing thursday time today tomorrow touchpoint tuesday type verbatim way wednesday week "
    "year"
)

# Conversational filler that is not a note's substance: what people write before (or after) what they mean.
# Each entry is a regular-expression fragment matched case-insensitively at the start of a note or of one of its
# sentences. FILLER_OPENERS stand before a comma, colon, dash or full stop ("Hi all,", "Quick one:");
# FILLER_LEADS may be followed by the substance directly ("Honestly I'd pay double", "FYI the PDF is blank").
_GREETING = r"(?:hi|hey|hello|hiya|howdy|yo|greetings|morning|good\s+(?:morning|afternoon|evening))"
FILLER_OPENERS = (
    rf"{_GREETING}(?:\s+[a-z][\w'-]*)?",  # "Hi all,", "Hey team —", "Morning Dana!"
    r"(?:sorry,?\s+)?(?:i'?m\s+)?late\s+to\s+(?:the\s+(?:party|thread|game|discussion)|this(?:\s+(?:one|thread))?)",
    r"(?:sorry|apologies),?\s+(?:i'?m\s+|i\s+am\s+|for\s+being\s+|for\s+the\s+)?(?:so\s+)?(?:late|delay)(?:\s+(?:reply|response|answer))?",
    r"(?:just\s+)?(?:catching\s+up|jumping\s+in|chiming\s+in)(?:\s+(?:here|late|now|on\s+(?:this|the)\s+thread))?",
    r"(?:ok(?:ay)?|so|well|right|oh|also|anyway|and)",
    r"(?:\+1|agreed?|same|seconded|ditto|this|yes|yep|yeah)(?:\s+(?:to|with|as)\s+what\s+[\w.'-]+\s+said)?",
    r"(?:thanks|thank\s+you|thx|ty|cheers)(?:\s+[a-z][\w'-]*)?",  # "Thanks Priya. For me the decision …"
    r"before\s+we\s+(?:wrap|close|finish)(?:\s+up)?",  # "Before we wrap: can we agree a success metric …"
    r"quick\s+(?:one|note|thought|point|question|update|addition)|(?:one\s+)?more\s+from\s+me|one\s+more"
    r"|another\s+one|adding\s+(?:one|another)(?:\s+more)?|to\s+add(?:\s+to\s+(?:this|that))?",
    r"(?:just\s+)?my\s+(?:two|2)\s+cents|my\s+take|from\s+my\s+side|from\s+me",
    r"this\s+(?:is|one'?s|one\s+is)\s+(?:the|a|an)\s+(?:big|main|important|key|biggest|major)(?:\s+one)?"
    r"|(?:the\s+)?big\s+one",
    r"(?:best|favou?rite)\s+quote(?:\s+of\s+the\s+(?:round|day|week|thread))?",
    r"building\s+on\s+(?:this|that|the\s+above)|following\s+up(?:\s+on\s+(?:this|that))?",
    # the facilitator moving the thread on: "thanks for making time, let's start with the why", "Pain points next 👇",
    # "5 mins left on this bit", "anything after the first month?", "stage by stage if you can", "Last bit, actions"
    r"(?:thanks|thank\s+you)\s+(?:all\s+|everyone\s+)?for\s+(?:making|finding)\s+(?:the\s+)?time"
    r"|let(?:'|’)?s\s+(?:start|kick\s+off|begin)\s+with\s+(?:the\s+)?\w+"
    r"|\d+\s+(?:mins?|minutes)\s+left(?:\s+on\s+this(?:\s+\w+)?)?"
    # the workshop's own business: "where's the miro link again?", "will think about it and come back"
    r"|where(?:'|’)?s\s+the\s+(?:miro|mural|figjam|board|doc|deck)(?:\s+link)?(?:\s+again)?\s*\?"
    r"|(?:i(?:'|’)ll|will)\s+(?:think\s+about\s+it\s+and\s+)?come\s+back(?:\s+to\s+(?:it|this))?(?:\s+later)?"
    r"|(?:right|ok(?:ay)?|so|now)?,?\s*(?:the\s+)?(?:touchpoints|pain\s+points|actions|action\s+plan|persona|objective)"
    r"(?:\s+next)?|last\s+(?:bit|one|step|round)|anything\s+(?:else|more|after|past|before|beyond)\b[^?.!]{0,60}\?"
    r"|stage\s+by\s+stage(?:\s+if\s+you\s+can)?|(?:(?:but\s+)?(?:honestly\s+)?just\s+)?dump\s+(?:them|it|everything)\s+in"
    r"(?:\s+and\s+we(?:'|’)ll\s+sort\s+(?:it|them)(?:\s+(?:out|after|later))?)?"
    r"|(?:customer\s+)?quotes?\s+(?:very\s+|always\s+|more\s+than\s+)?welcome"
    r"|tag\s+(?:where\s+they(?:'|’)re\s+from|your\s+sources?|the\s+stage)(?:\s+please)?"
    r"|(?:nice|great),?\s+loads\s+(?:here|already)|last\s+call(?:\s+for\s+\w+(?:\s+\w+)?)?"
    r"|what\s+[\w.'-]+\s+said|agree\w*\s+w/\s*[\w.'-]+|step\s+\d+(?:\s+of\s+\d+)?",
    # a note that says where in the thread it belongs: "Going back to Purchase for a sec:", "one more from the start:"
    r"(?:(?:going|jumping|coming)\s+)?back\s+(?:to\s+(?:the\s+)?[\w&/-]+(?:\s+[\w&/-]+){0,3}?|a\s+step)"
    r"(?:\s+for\s+a\s+(?:sec|second|moment|minute|bit))?(?:\s*\([^)]{0,80}\))?"
    r"|(?:sorry,?\s+)?(?:one\s+)?more\s+from\s+the\s+(?:very\s+)?(?:start|beginning|top)",
)
FILLER_LEADS = (
    r"for\s+the\s+record|heads[\s-]up|fyi|fwiw|btw|imo|imho|tbh|iirc|afaik|psa|nb",
    r"for\s+what\s+it'?s\s+worth|by\s+the\s+way|to\s+be\s+(?:honest|fair)|in\s+my\s+(?:opinion|view|experience)",
    r"honestly|frankly|personally|basically|obviously|i\s+(?:think|guess|reckon|believe|feel\s+like)|i'?d\s+say",
    r"as\s+(?:discussed|mentioned|i\s+said)(?:\s+(?:above|before|earlier))?",
    # "+1 to @dana's point on payout verification:" keeps what the point was about.
    r"\+1\s+(?:to\s+)?(?:[\w.-]+\s*)?['’]s\s+(?:point|comment|idea|note|take)s?(?:\s+(?:on|about|re))?",
)
FILLER_CLOSERS = (
    r"(?:many\s+)?thanks(?:\s+(?:all|everyone|team|folks))?|thank\s+you(?:\s+all)?|thx|ty|cheers"
    r"|hope\s+(?:this|that)\s+helps|thoughts\?|wdyt\??|just\s+my\s+(?:two|2)\s+cents"
)

# A reply made only of these words (and emoji, punctuation, stop words) has no substance of its own.
NON_NOTE_WORDS = word_set(
    "absolutely ack actions add added adding agree agreed all async awesome brb bump can't catch cheers come cool "
    "crack give late lunch meeting min minute pls remind sec sry step think we're work yours "
    "definitely ditto done drop everybody everyone exactly fair folks following friday fwiw go going good got great "
    "guys ha haha hahaha hehe hello hey hi hiya hmm i'll i'm idea imo indeed input interesting joined joining just "
    "later let's lmao lol love make makes me mine mins minutes monday morning moving much next nice nope note noted "
    "ok okay omg pain perfect persona please plus pm point points reminder replies reply same say seconded sense "
    "session share shout sorry sounds spot standup still strongly stuff subscribed subscribing sure synthesise "
    "synthesize take tbh team thank thanks thinking thoughts thread thursday thx today too totally touchpoint "
    "touchpoints true tuesday ty w watching we'll wednesday welcome who's wow wrap wrong yay yeah yep yes yup "
    # the workshop's own business: presence, praise, nudges, recaps and polls ("joining late, reading back now",
    # "thanks, that's super helpful!", "friendly nudge", "recap so far: …", "quick poll")
    "amazing anyone apologies below bits bye collate drafted energy friendly gotta halfway helpful "
    "jump lurking missed nudge ping poll reading recap repeating rules sick sticking summarise summarize super "
    "tagging tonight tomorrow whenever brilliant fab fantastic excellent lovely looks accurate ouch oof yikes classic "
    "genuinely gif voted worries ugh "
    # the workshop's steps and tools by name, and small talk's contractions and reactions
    "action plan objective threads workshop miro board sync readout wrap-up round final confused ooh question "
    "comment react quick what's that's we've they're you're there's instead"
)

# Words any note may open a label with, whatever the stages are called ("Problem: …", "Context: …"): never a stage's.
NOT_STAGE_WORDS = word_set(
    "problem problems issue issues pain point points note notes idea ideas question questions quote quotes team "
    "data context goal goals need needs frustration frustrations touchpoint touchpoints customer customers user users "
    "also another more update"
)
