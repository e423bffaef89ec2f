"""The words the embedded (no-LLM) synthesis reads: channels, sentiment, persona cues.

Kept as data in one place so a facilitator's complaint ("it missed 'Zendesk'") is a one-line fix. Patterns are
regular-expression fragments matched case-insensitively on word boundaries; Slack emoji arrive as shortcodes
(`:rage:`), so both the characters and the codes are listed.
"""

from __future__ import annotations

import re


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
    r"great|happy|happily|excit\w*|enjoy\w*|impress\w*|wow|thrilled|can(?:'|’)?t\s+wait": 1.5,
    r"easy|easily|effortless\w*|simple|quick\w*|fast|smooth\w*|clear|helpful|useful|convenient|intuitive"
    r"|relie(?:f|ved)|glad|pleased|satisf\w*|confident|trust\w*|good|nice|thank\w*|recommend\w*": 1.0,
    r"fine|ok|okay": 0.5,
    r"wait\w*|meh": -0.5,
    r"confus\w*|slow\w*|hard|difficult\w*|struggl\w*|errors?|bugs?|bugg\w*|worr\w*|anxi\w*|stress\w*|stuck"
    r"|lost|expensive|unclear|overwhelm\w*|tedious|complain\w*|cancel\w*|churn\w*|delay\w*|time[sd]?\s+out"
    r"|timeouts?|ugh|missing|can(?:'|’)?t(?!\s+wait)|cannot|no\s+way\s+to|dislik\w*|afraid|fear\w*"
    r"|pain\w*": -1.0,
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

# Stage names that are also everyday words ("buy", "use") count as a mention only when written as a stage.
EVERYDAY_STAGE_WORDS = frozenset(
    {
        "use",
        "try",
        "buy",
        "interest",
        "experience",
        "research",
        "discover",
        "discovery",
        "decision",
        "purchase",
    }
)
