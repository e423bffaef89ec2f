"""One action-plan contribution ("@Ana to fix the invoice PDF by Friday") into a title, an owner and a date.

The research notes say a map is not final until each top pain point has an owner and a date, so both are read
from the way people naturally write them; the title keeps only what is to be done.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel

from workflows.actions.dates import parse_due
from workflows.contributions.sentences import capitalised
from workflows.contributions.text import unquoted
from workflows.mapping.lexicon import EMOJI_CHARACTERS, word_set


class ActionDraft(BaseModel):
    title: str
    owner: str | None = None  # Slack user id
    due: date | None = None


# "TODO @Pip: …", "TODO find out …", "1) …", "- [ ] …": a list's marks, no part of the action
_TODO = re.compile(
    r"^\s*(?:-\s*\[\s*[xX ]?\s*\]|\d{1,2}[.)](?!\d)|[•*·]|(?:todo|to-do)\b\s*[:\-–—]?)\s*", re.IGNORECASE
)
# ":pray:", ":calendar:": no part of the action; between words, where the action's sentence ends ("… :pray: quick win")
_SHORTCODE = re.compile(r"\s*(?<!\w):[a-z0-9_+-]+:(?!\w)")
_OPENING_EMOJI = re.compile(rf"^[\s{EMOJI_CHARACTERS}]+")  # "🙋‍♀️ mine — …"
# An opening that backs or credits what came before, up to a sentence break, a dash or an emoji: "+1 to Sam's point.",
# "👍 on that.", "+1 —", "Agreed.", "Nice work @Rita on the interviews 🙌", "shoutout to @Pete for the template —";
# the action follows ("+1 to @Ana's idea, and add …" goes on after a comma: see _LEADING_FILLER)
_BACKING_FIRST = re.compile(
    r"^\s*(?:(?:\+1|👍|💯)(?:\s+(?:to|on)\s+[^.!?;,—–]{1,50}?)?|(?:agreed?|yep|yup|yeah|yes|same)(?=\s*[.!;—–])"
    r"|(?:(?:nice|great|good|lovely|brilliant|amazing)\s+(?:work|job|stuff|shout|call)|shout-?\s*out|kudos|props)\b"
    r"[^.!?;,—–]{0,60}?)"
    rf"(?:\s*(?:[.!?;]|[—–]|\s-|[{EMOJI_CHARACTERS}]))+\s*(?:(?:and|also|so)\b[\s,:]*)?",
    re.IGNORECASE,
)
# A field of an action written as a form: "Owner: …", "Due - 2 weeks", "What - shadow the night shift …"
_FIELD = r"(?:owners?|due|when|deadline|eta|action|what|task|who)"
_FIELD_LABEL = re.compile(rf"^(?P<field>{_FIELD})\b(?!['’])\s*[:=\-–—]?\s*", re.IGNORECASE)  # not "what's …"
_FIELD_KINDS = {"owner": "owner", "who": "owner", "due": "due", "when": "due", "deadline": "due", "eta": "due"}
_POLITENESS = re.compile(r"[\s,]+(?:pls|plz|please|thx|thanks|ta|cheers)[\s.!]*$", re.IGNORECASE)  # "…, Thursday pls"
_OPENS_WITH_MENTION = re.compile(r"^\W*@")
_MEETING_VERBS = word_set("meet meeting sync talk speak chat check align pair up liaise work working review discuss")
_CREDIT_FIRST = re.compile(r"^\W*(?:as|per|like|following|thanks|thx)\b", re.IGNORECASE)
_OBJECT_OF = re.compile(r"(?:\b(?:to|with|from|for)|(?<!\w)w/)$", re.IGNORECASE)
# A word of thanks or a remark before the action: "thanks @Mia for flagging! I'll …", "Just to close the loop: I'll …"
_CHATTER = (
    r"(?:thanks|thx|cheers|kudos|props|(?:great\s+)?shout-?(?:out)?|ok(?:ay)?|right|just|also|one\s+more|last\s+one"
    r"|next\s+steps?"
    r"|idea\s+(?:via|from))\b(?:\([^()]{0,10}\)|[^.!?:—–(]){0,40}[.!?:—–]+\s*"
)
# An aside before the action: "fyi @Lu —", "+1 to @Oli's idea,", "With @Bel's help"
_ASIDE_FIRST = (
    r"with\s+@[^,;:]{1,40}?['’]s\s+help\s*,?\s*|(?:fyi|cc|\+1(?:\s+to)?)\s+@[^,;:—–]{1,40}?\s*(?:[,;:]|\s[-–—])+\s*"
    # "I can help @Ana with that, will test …": the writer's own action follows
    r"|(?:i\s+can\s+|happy\s+to\s+)?help\s+@[^,;:—–]{1,40}?\s+(?:with|on)\s+(?:that|this|it)\s*[,;:—–]\s*(?:and\s+)?"
    r"(?:i\s+)?(?:will\s+|['’]ll\s+)?"
)
# Taking it on or helping before the action itself: "On it, I'll draft …", "Happy to help @Ana, I can run …"
_TAKEN_FIRST = (
    r"(?:on\s+it|(?:happy|glad)\s+to\s+help(?:\s+@\S+)?(?:\s+with\s+(?:that|this|it))?)\s*[,;:—–-]\s*(?:and\s+)?"
    r"(?:i\s+can|i['’]ll|i\s+will|will)\s+"
)
_CREDITED_IDEA = (
    r"(?:as|per|like)\s+(?:@[^,]{1,40}?\s+)?(?:suggested|said|mentioned|asked)\s*,\s*"  # "As @Ruby said, …"
)
_OWNER_CUE = r"(?:owner|owned\s+by|assign(?:ed)?(?:\s+to)?|assignee|responsible|dri|lead|who)"
# Before a mention, a field that names the owner: "(owner: @Kemi)", "assigned to @Bo"
_OWNER_FIELD = re.compile(r"\b(?:owner|owned\s+by|assigned\s+to|assignee|dri)\s*[:=\-–]?\s*$", re.IGNORECASE)
# The writer naming themself as the owner: "Me —", "mine:", "On me —", "Leave it with me:", "That one's mine —".
_WRITER = r"(?:me|myself|mine|on\s+me|leave\s+it\s+with\s+me|that(?:\s+one)?(?:['’]s|\s+is)\s+mine)"
# The writer and someone owning it together, after the action: "…, me + @Dev, first draft by 15 June", "… — owner me
# + @Kim, scoping"
_WITH_ME = re.compile(rf"(?:[,;(]|\s[-–—])\s*(?:{_OWNER_CUE}\s*[:=]?\s*)?(?:me|i|myself)\s*(?:\+|&|and)\s*$", re.I)
_COPY = r"(?:cc|fyi)"  # "cc @Dan", "fyi @Lux": told, not asked to do it
_SOMEONE = r"some(?:one|body)(?:\s+from\s+(?:the\s+)?[\w&/-]+(?:\s+team)?)?"  # "someone from the ops team"
_LEADING_FILLER = re.compile(
    r"^(?:(?:i\s+think|i\s+reckon|imo|honestly|hmm+|umm*|erm+)\s*,?\s+"
    rf"|{_SOMEONE}\s+(?:should|needs?\s+to|has\s+to|must)\s+(?:probably\s+|really\s+|definitely\s+)?"
    rf"|(?:we\s+)?need\s+{_SOMEONE}\s+to\s+"  # "Need someone to map … any takers?"
    # "thanks @Mia for flagging! I'll …", "Just to close the loop: I'll …", "As @Ruby suggested, …"
    rf"|{_CHATTER}|{_CREDITED_IDEA}|{_TAKEN_FIRST}"
    rf"|(?:action(?:\s+item)?|ap|task|urgent|priority|p[0-3]|quick\s+win|owner\s*:?\s*(?:tbc|tbd)?|needs?\s+an?\s+owner)"
    r"\s*(?:\([^)]{0,40}\))?\s*[:\-–—]\s*"
    rf"|{_WRITER}\s*(?:\([^)]{{0,40}}\))?[\s{EMOJI_CHARACTERS}]*[:\-–—.]\s*"  # "Me —", "mine 🙋 —", "Mine. I'll …"
    # "we should …", "we really need to fix …", "I'll also …"
    r"|(?:we|i|you|they)\s+(?:really\s+|also\s+|probably\s+|definitely\s+|just\s+)?"
    r"(?:should|must|will|can|could|need\s+to|have\s+to|are\s+going\s+to)\s+"
    r"|(?:and\s+)?also\s*[,:]?\s+(?=\w)"  # "also we should add …", "let's also get …"
    r"|(?:yep|yup|yeah|yes|agreed?|sure)\s*[,.!:—–-]+\s*"  # "Yep — A/B test …" once "I'll take that one" has gone
    r"|i(?:'|’)m\s+going\s+to\s+|i\s+am\s+going\s+to\s+"
    r"|(?:we|i|they)(?:'|’)ll\s+|let(?:'|’)?s\s+|(?:please|pls|plz)\s+|need\s+to\s+|should\s+|must\s+|will\s+|to\s+|me\s+to\s+"
    r"|\+1\s+to\s+[^,;:.]{1,80}[,;:.]\s*(?:and\s+)?|\+1\s*,?\s+and\s+"  # "+1 and I'll build the calculator bit'
    rf"|{_ASIDE_FIRST}"
    r"|(?:to\s+)?(?:own|take|lead|drive)s?(?:\s+(?:this|it|(?:this|that)\s+one))?\s*[:\-–—]\s*"  # "@Ana to own: fix …"
    # "I'll take the accessibility one — checking contrast …": what follows says which
    r"|take\s+(?:on\s+)?the\s+[\w-]+(?:\s+[\w-]+)?\s+one\s*[,;:]?\s*[—–-]+\s*(?=\w)"
    r"|take\s+(?:on\s+)?the\s+(?=\w))",  # "I'll take the IVR audit": the audit
    re.IGNORECASE,
)
# Only words that never end a sensible title: "log in" and "turn it on" keep their last word.
_TRAILING_FILLER = re.compile(
    r"(?:\s+(?:by|due|until|and|cc|owner|assignee|aim(?:ing)?(?:\s+for)?|target(?:ing)?|pls|plz|please|thx|thanks|ta"
    r"|cheers|probably|though|at\s+the\s+latest|should\s+(?:have\s+it|be)\s+done|give\s+me(?:\s+till)?"
    r"|(?:(?:on|at|in|from|for)\s+)?the)\s*:?"  # "… steering group on the" once "4th Dec" has gone
    # what is left of a date's hedge once the date has gone, after a comma or a dash: "…, will do it", "…, is fine",
    # "…, if poss", "…, so realistically", "… — hopefully, Thursday latest"
    r"|[,;—–-]\s*(?:will(?:\s+do\s+it)?|is\s+fine|if\s+poss(?:ible)?|(?:so\s+)?realistically|ideally|hopefully"
    # "…, should have something by wed", "— need it by Friday", "…, ready by w/c 4 Jan"
    r"|should\s+have\s+(?:something|it|one)|need(?:ed)?\s+(?:it|this|that|them)|ready"
    # what is left of "…, findings by mid Aug", "…, draft by Friday" and "…, no date yet"
    r"|findings|results|draft(?:\s+copy)?|readout|write-?up|proposal|no\s+(?:date|deadline|eta)(?:\s+yet)?"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+latest|ok(?:ay)?\s*\?)"
    r"|[\s.,;:!\-–—|])+$",
    re.IGNORECASE,
)
_WITH_SHORT = re.compile(r"(?<!\w)w/(?=\s)", re.IGNORECASE)  # "interviews w/ landlords"; not "w/c 14 Dec"
_EMPTY_BRACKETS = re.compile(r"\(\s*[,;:\-–—]?\s*\)|\[\s*\]")
# An aside about the owner or another person inside the action's sentence: "(owner TBD)", ", who? not sure yet".
_OWNER_ASIDE = re.compile(
    r"\(\s*(?:owner|who)\s*(?:tbd|tbc|\?)[^)]*\)|(?:[,;]|\s[-–—])\s*(?:owner|who)\s*(?:tbd|tbc|\?)[^,;.!?]*"
    r"|(?:[,;]|\s[-–—])\s*some(?:one|body)\s+(?:should|needs?\s+to|has\s+to|must)\s+own\s+(?:this|it|that)\b[^,;.!?]*"
    r"|(?:[,;]|\s[-–—])\s*whoever\s+has\s+(?:the\s+)?(?:time|capacity|bandwidth)\b"
    r"|[,;]\s*(?:same|usual)\s+owner\b|\(\s*(?:no|needs?\s+an?|without\s+an?)\s+owner\b[^)]*\)"
    r"|[,;]\s*owners?\s*[:=]?\s*(?:both|all\s+of\s+us|us\s+(?:two|both))\b"
    r"|(?:[,;]|\s[-–—])\s*(?:no|needs?\s+an?|without\s+an?)\s+owner\b[^,;.!?]*"
    # "(someone from the chat squad?)", "— someone from ops?": who might own it, asked
    r"|\(\s*some(?:one|body)\b[^()]*\?\s*\)|(?:[,;]|\s[-–—])\s*some(?:one|body)\b[^,;.!?]*\?"
    r"|\([^()]*@[^()]*\)",  # "(same data as @Ana's first item)", "(with @Ben)": whose, not what
    re.IGNORECASE,
)
# The writer taking it on in words of their own: "I'll own it", "I'm on it", "I can take this", "it's mine", "leave it
# with me", "I'll get to it".
_TAKES_IT = (
    r"i(?:['’]ll|\s+will)\s+(?:own|take|pick\s+up|do|get\s+to)\s+(?:it|this|that)(?:\s+one)?(?:\s+on)?\b"
    r"(?!\s+(?:to|into|up\s+with|through)\b)"  # "I'll take that to finance" is the action
    r"|i(?:['’]ve|\s+have)\s+got\s+(?:it|this)\b|i['’]?m\s+on\s+it\b|i\s+can\s+take\s+(?:it|this|that)(?:\s+one)?\b"
    r"|(?:it['’]s|that['’]s|this\s+is)\s+mine\b|leave\s+it\s+with\s+me\b"
    r"|i(?:['’]ll|\s+will)\s+pick\s+(?:it|this|that)(?:\s+one)?\s+up\b"  # "I'll pick this one up asap — …"
)
_WRITER_TAKES_IT = re.compile(_TAKES_IT, re.IGNORECASE)
# The writer taking it on: "…, owner me", "(owner: myself)", "I'll own it"; "(me, by Friday)", "-- mine": the writer
# alone in a clause.
_SELF_OWNED = re.compile(
    rf"(?:[,;]|\s[-–—]+)?\s*\(?\s*\b(?:owner\s*[:=]?\s*(?:me|myself)\b|{_TAKES_IT})"
    r"\s*\)?[.!]?"
    r"|(?:[,;]|\s[-–—]+|(?<=\())\s*(?:on\s+)?(?:me|mine|myself)\s*[,;.!]?(?=\s|\)|$)",
    re.IGNORECASE,
)
# A note that opens with the writer taking it on: "I'll draft the FAQ", "Me — rewrite the text", "Me: map …".
_SELF_STARTED = re.compile(
    rf"^\s*(?:{_ASIDE_FIRST}|{_CHATTER})?"
    rf"(?:{_TAKEN_FIRST}|i(?:['’]ll|\s+will|\s+can|['’]m\s+going\s+to|\s+am\s+going\s+to)\s"
    rf"|{_WRITER}[\s{EMOJI_CHARACTERS}]*[:\-–—,.]\s|me\s+to\s"
    r"|(?:me|i)\s+(?:and|&|\+)\s+@)",  # "Me and @Kurt will …"
    re.IGNORECASE,
)
# A request to the owner: "@Chloe can you add a cancel button …?"
_REQUEST = re.compile(
    r"^(?:(?:would|do)\s+you\s+mind|(?:(?:are\s+you\s+|would\s+you\s+be\s+)?happy\s+to|fancy|up\s+for)(?=[^.!?]*\?))"
    r"\s+(?=\w)"  # asked, not offered: "happy to run the interviews?", not "happy to help with that"
    rf"|^(?:can|could|would)\s+(?:you|u|ya|we|some(?:one|body)\s+with\s+[\w&/-]+(?:\s+[\w&/-]+)?|{_SOMEONE})"
    r"\s+(?:please\s+)?(?=\w)",
    re.IGNORECASE,
)
# An aside before what is asked: "Not urgent, but could you …", "Since you ran the last round, could you …", "Re the
# freeze policy — could you …", "Parking this for now, but we should …".
_LEAD_IN = re.compile(
    r"^(?:not\s+urgent|no\s+rush|since|as|because|given|re\b:?|regarding|about|parking|btw|fwiw|while|now\s+that|after)"
    r"\b[^.!?]{0,60}?(?:,\s*(?:but|so|then)?|\s[—–-])\s*"
    r"(?=(?:can|could|would)\s+(?:you|u|we)\b|(?:we|you|i)\s+(?:should|need\s+to|must)\b|(?:pls|please)\s)",
    re.IGNORECASE,
)
# After the owner, how a note tells what they will do: "@Tariq is going to chase …", "@Ana needs to …" ("@Ana will …"
# goes with the other leading words, see _LEADING_FILLER)
_TOLD = re.compile(r"\s+(?:is\s+(?:going\s+to|gonna)|(?:has|needs|plans|is\s+planning)\s+to)\s+", re.I)
# A verb told of the owner ("rebuilds the picker"), before what it is done to
_TOLD_VERB = re.compile(
    r"\s+(?!(?:plus|thus|minus|versus|always|perhaps|towards|afterwards|sometimes|was|has)\b)"
    r"(?P<stem>[a-z]{2,}?)(?:(?P<y>ies)|(?<=ch|sh|ss|.[xzo])es|s)"
    r"(?=\s+(?:the|a|an|our|their|all|some|this|that|these|those|its|his|her|every|each|up|out|through|over)\b)"
)
# Before a mention, words that say the person is not the owner: "cc @Dan"; "ask @Lena whether …" (see _CONSULTED).
_COPIED = re.compile(rf"\b{_COPY}\s*:?\s*(?:@[\w.-]+\s*(?:,|and|&|\+)\s*)*$", re.IGNORECASE)  # "fyi @Val, @Will"
_ASKED = re.compile(r"\b(?:ask|check\s+with|consult|ping)\s+$", re.IGNORECASE)
_CONSULTED = re.compile(r"\s+(?:whether|if|about|what|how|why|when|for)\b", re.IGNORECASE)
# What is said about an action's owner or timing rather than the action: dropped from its title.
_OWNERSHIP_SENTENCE = re.compile(
    r"(?:^|(?<=[.!?;]))\s*[^.!?;]*\b(?:nobody|no\s+one|no-one)\s+(?:owns?|has\s+(?:it|this|that)|is\s+on)\b[^.!?;]*[.!?;]?"
    r"|(?:^|(?<=[.!?;]))\s*[^.!?;]*\b(?:no|without\s+an?|needs?\s+an?)\s+owner\b(?!\s*[:\-–—])[^.!?;]*[.!?;]?"
    r"|(?:^|(?<=[.!?;]))\s*[^.!?;]*\b(?:owner|who)\s*(?:tbd|tbc|\?)[^.!?;]*[.!?;]?"
    r"|(?:^|(?<=[.!?;]))\s*(?:when|due|deadline|eta)\s*[:=][^.!?;]*[.!?;]?",  # "When: next month" after its date
    re.IGNORECASE,
)
_VAGUE_WHEN = re.compile(
    r"\b(?:(?:in\s+)?(?:this|next|the\s+next|the\s+following|following)\s+(?:sprint|iteration|cycle|release)"
    r"|(?:(?:target|aim(?:ing)?\s+for)\s*:?\s*)?(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?(?:sprint|iteration|cycle)"
    r"(?:\s+\d+)?|(?:starting\s+)?(?:before|after)\s+(?:the\s+)?(?:holidays|christmas|summer|launch|release"
    r"|year[-\s]end|peak|(?:code\s+)?freeze)"
    r"|asap|as\s+soon\s+as\s+possible|(?:some\s*time\s+)?soon(?:ish)?|ideally|hopefully|(?:date\s+)?tbd|(?:date\s+)?tbc"
    r"|when\s+we\s+can|whenever|no\s+rush|(?:early|mid|late|later)\s+(?:next|this)\s+(?:year|month|quarter)|when\s+(?:capacity|time)\s+allows|at\s+some\s+point|(?:starting\s+)?in\s+the\s+new\s+year"
    r"|once\s+the\s+[\w-]+\s+is\s+(?:signed|live|done|agreed|in))\b",
    re.IGNORECASE,
)
# Before an owner's mention that opens the note, words that only lead to them: "As @Ruby said, @Colm …", "quick one
# @Aoife —", "pls @Abdul share …", "let's get @Aisha to run …", "over to @Efe:"
_BEFORE_OWNER = (
    rf"(?:{_CREDITED_IDEA}|(?:quick\s+one|one\s+more|also|ok(?:ay)?|right)\s*,?\s*|(?:pls|plz|please)\s+"
    r"|let['’]?s\s+(?:get|have)\s+)?(?:over\s+to\s+)?"
)
# Before an owner's mention, the end of the action: a sentence or clause break, or "owner".
_OWNER_CLAUSE_START = re.compile(rf"(?:[.;:,!?\-–—(\[|]|\b{_OWNER_CUE}|{_WITH_ME.pattern})\s*$", re.IGNORECASE)
MIN_TITLE_WORDS = 3
STATED_WORDS = 4  # an action stated before the writer's "…, I'll raise it with IT"
# The writer taking the action on in a clause after it: "…, I'll raise it with IT", "Child seats: I'll raise the order
# by 40%", "… — i'll add it"; not "I'll be …" or "I'll need …", which say no action.
_WRITER_CLAUSE = re.compile(
    r"(?:[,;:]|\s[—–-]+|^\W*\+1\b)\s*(?:(?:and|but|so|then|meanwhile)\s+)?(?:i['’]ll|i\s+will|i\s+can)\s+"
    r"(?:just\s+|also\s+)?"
    r"(?!be\b|need\b|see\b|have\b|let\b|leave\b|keep\b|try\b)(?P<rest>[a-z][^.!?]*)",
    re.IGNORECASE,
)
LABEL_WORDS = 5  # "re the checkout drop-off: @Rhys to add …" is a label; a longer text before the owner is the action
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\s*;\s+|\s*:[a-z_+-][a-z0-9_+-]*:(?!\w)\s*")
_ABBREVIATIONS = frozenset(
    {"e.g.", "i.e.", "etc.", "incl.", "approx.", "vs.", "no.", "nr.", "mr.", "mrs.", "ms.", "dr.", "st."}
    | {f"{month}." for month in ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")}
)
# A trailing aside on who might own it (", not sure who owns that, Network Rail?", " who — resort ops?") or where
# the draft is (", draft here PA scripts v3", "— draft spec here Tracker feed v2").
_UNSURE = re.compile(
    r"(?:,\s*(?:not\s+sure|no\s+idea|i\s+think|i\s+guess|probably|maybe)\b[^.!]*|\s+who\s*[—–-]+[^.!]*"
    r"|(?:,|\s[—–-])\s*(?:the\s+)?(?:draft|spec|doc|write-?up|proposal|details)(?:\s+spec)?\s*(?:here|in|at|:)[^,;]*"
    r"|\s*\(\s*(?:the\s+)?(?:draft|spec|doc|write-?up|proposal|details|notes?)\b[^)]*\)"  # "(draft in the doc)"
    # "(low effort)", ", low effort", "(see thread)", "…, and let me know", "… so she can brief the agency"
    r"|\s*\(\s*(?:(?:low|high|medium|big|small)\s+effort|see\s+(?:the\s+)?thread|quick\s+win)\s*\)"
    r"|,\s*(?:low|high|medium)\s+effort|,?\s*and\s+let\s+me\s+know\b[^.!]*"
    r"|,\s*(?:thanks|thx|cheers)\s+@[^,;—–]{1,40}?(?:\s+for\s+[^,;—–]{1,40})?\s*[—–-]*"
    # why, after the action: "…, it's confusing"
    r"|,\s*(?:it|this|that)(?:['’]s|\s+is)\s+(?:(?:so|really|very|quite|a\s+bit|super)\s+)?[\w-]+"
    # who said they would do it, or an aside of the writer's: "…, said he'd do it", "(I'll review but he's driving)"
    r"|,\s*(?:(?:and\s+)?(?:he|she|they)\s+)?(?:said|says)\s+(?:he|she|they)['’](?:d|ll)\b[^.!]*"
    r"|,?\s*\([^()]*\b(?:i|i['’]ll|i['’]m|we|he['’]s|she['’]s|they['’]re)\b[^()]*\))"
    r"[?.!]*$",
    re.IGNORECASE,
)


def parse_action(text: str, mentions: Sequence[tuple[str, str]], today: date, author: str | None = None) -> ActionDraft:
    """The first mentioned user owns the action, unless only credited ("+1 to @Ana's idea"), else its `author` when
    the note says so ("owner me", "I'll own it"); a mention inside the sentence ("ask @Ben to…") stays."""
    text = _POLITENESS.sub("", _SHORTCODE.sub(_code_break, _as_fields(unquoted(text)[1])))  # not what it answers
    text = _BACKING_FIRST.sub("", text) or text  # "+1 to this." alone is all the note there is
    text = _TODO.sub("", _OPENING_EMOJI.sub("", text))
    owner, label = _named_owner(text, mentions)
    if (
        owner is not None
        and not _OPENS_WITH_MENTION.match(text)
        and (_SELF_STARTED.match(text) or _WRITER_TAKES_IT.search(text))
    ):
        owner, label = None, None  # "I'll send @Leo the list", "Send @Vera the deck. I'll do it": the writer's
    elif label and author and _WITH_ME.search(text[: _owning_mentions(text, label)[0].start()]):
        owner = author  # "… — me and @Theo — by Fri": the writer named first; @Theo's mention goes as an owner's
    due = parse_due(text, today)
    # "… the deposit by 30 June. Needs …": the sentence still ends where its date did
    after = re.sub(r"^['’]s\s+\w+", "", text[due.end :]) if due else ""  # "before Thursday's workshop"
    title = f"{text[: due.start]}{'.' if due.text.endswith('.') else ''} {after}" if due else text
    if owner is None and (_SELF_OWNED.search(title) or _SELF_STARTED.match(title)):
        owner, title = author, _SELF_OWNED.sub(" ", title)
    elif owner is None and (clause := _WRITER_CLAUSE.search(title)):
        owner, title = author, _writer_left_out(title, clause)
    if label:
        title = _as_asked(title, label)
        title = _before_owner_clause(title, label) or _without_owner(title, label)
    labels = [name for _, name in mentions]
    if labels:
        title = _without_others(title, labels)
    title = _first_sentence(_tidy(_VAGUE_WHEN.sub(" ", _OWNERSHIP_SENTENCE.sub(" ", _OWNER_ASIDE.sub(" ", title)))))
    title = _by_name(title, labels) if labels else title
    return ActionDraft(title=title or " ".join(text.split()), owner=owner, due=due.due if due else None)


def _writer_left_out(title: str, clause: re.Match[str]) -> str:
    """The action where the writer takes it on in a clause of its own: what comes before, when it says enough ("Email
    check on the tablet, I'll raise it with the agency"), else what they will do ("Full lockers: I'll do a capacity
    review …", "+1 to the 24h updates, I can build the push side")."""
    before = title[: clause.start()].strip()
    backs = re.match(r"\W*(?:\+1|agreed?|yes|yep|same)\b", before, re.IGNORECASE)  # "+1 to the 24h updates, I can …"
    return before if len(re.findall(r"\w+", before)) >= STATED_WORDS and not backs else clause["rest"]


def _code_break(code: re.Match[str]) -> str:
    """An emoji code between words ends the action's sentence ("… :pray: quick win"); opening or closing it, nothing."""
    inside = code.string[: code.start()].strip() and code.string[code.end() :].strip()
    return "; " if inside else " "


def _as_fields(text: str) -> str:
    """An action written as a form, its fields between pipes, slashes or dots or one per line ("Owner: @Bram / Due:
    18 Dec / Action: …", "Due 1 Feb · @Jonas · replace …", "Owner - me⏎Due - 2 weeks⏎What - shadow …"), as the
    action followed by its owner and date ("shadow …, owner me, due 2 weeks"); other text as it is."""
    parts = re.split(rf"\s*(?:\||·|\n)\s*|\s+/\s+(?={_FIELD}\b(?!['’]))", text.strip(), flags=re.IGNORECASE)
    if len(parts) < 2 or not any(_FIELD_LABEL.match(part) for part in parts):
        return text
    fields = {"owner": [], "due": [], "action": []}
    for part in filter(None, parts):
        label = _FIELD_LABEL.match(part)
        kind = _FIELD_KINDS.get(label["field"].lower().rstrip("s"), "action") if label else "action"
        value = part[label.end() :] if label else part
        fields["owner" if not label and re.fullmatch(r"@[\w.-]+", value) else kind].append(value)
    if not fields["action"]:
        return text
    owner = f", owner {' '.join(fields['owner'])}" if fields["owner"] else ""
    due = f", due {' '.join(fields['due'])}" if fields["due"] else ""
    return f"{' '.join(fields['action'])}{owner}{due}"


def _named_owner(text: str, mentions: Sequence[tuple[str, str]]) -> tuple[str | None, str | None]:
    """The owner among the mentioned: the one named in an owner field ("Review the findings w/ @Hugo (owner: @Kemi)"),
    else the first not only credited for the idea."""
    owning = [(i, name) for i, name in mentions if not _credited(text, name)]
    named = (
        (i, name)
        for i, name in owning
        if any(_OWNER_FIELD.search(text[: m.start()]) for m in _owning_mentions(text, name))
    )
    return next(named, None) or next(iter(owning), (None, None))


def _credited(text: str, label: str) -> bool:
    """Whether a mention only credits someone for the idea: "+1 to @Ana's point", "as @Ana said"; not when they are
    also asked to do it ("+1 to @Ana's audit, … @Ana can you fold that in?")."""
    return not _owning_mentions(text, label)


def _owning_mentions(text: str, label: str) -> list[re.Match[str]]:
    """The mentions of `label` that do not credit them for an idea."""
    mentions = re.finditer(rf"@{re.escape(label)}(?!\w)", text)
    credit = re.compile(
        r"(?:\+1(?:\s+to)?|agree\w*\s+with|thanks?(?:\s+to)?|thx|cheers|kudos\s+to|shout-?(?:out)?\s+to|\bas|\bwith|\bfrom|\bvia"
        r"|\bhelp)"
        r"\s+$",
        re.IGNORECASE,
    )
    return [
        m
        for m in mentions
        if not credit.search(before := text[: m.start()])
        and not re.match(r"['’]s\b(?!\s+on\s+it)", after := text[m.end() :])  # "@Ana's idea"; "@Grace's on it" owns
        and not re.match(r"\s*,?\s*(?:thanks|thank\s+you|thx|ty)\b", after, re.IGNORECASE)  # "@Mo thanks for covering"
        and not _COPIED.search(before)
        and not (_ASKED.search(before) and _CONSULTED.match(after))
    ]


def _before_owner_clause(text: str, label: str) -> str | None:
    """The action alone when the owner's mention opens a clause after it ("Fix X. @Ana to get it in this sprint",
    "Fix X, owner @Ana (me), end of March"): what follows is about who and when. None when the mention is part of
    the action ("Ask @Ben to review the copy") or opens the text."""
    mention = next(iter(_owning_mentions(text, label)), None)
    if mention is None:
        return None
    before = text[: mention.start()]
    if not _OWNER_CLAUSE_START.search(before) or _CREDIT_FIRST.match(before):
        return None  # "As @Ruby suggested, @Colm to …": the action follows the owner
    if re.match(r"\s+over\s+to\s+you\b", text[mention.end() :], re.IGNORECASE):
        return None  # "@Mo thanks for covering — @Efe over to you for the next round …"
    if (
        re.search(r"[:→]\s*$", before)
        and len(before.split()) <= LABEL_WORDS
        and re.match(r"\s*(?:(?:and|&|\+)\s*@\S+\s*)?(?:to|will|can|could)\s", text[mention.end() :])
    ):
        return None  # "re the checkout drop-off: @Rhys to add …": a label, then the owner and the action
    action = re.sub(rf"\b{_OWNER_CUE}\s*[:=\-–]?\s*$", "", _WITH_ME.sub("", before).rstrip(), flags=re.I).rstrip(
        " ([{|"
    )
    return action if len(re.findall(r"\w+", action)) >= MIN_TITLE_WORDS else None


def _without_owner(text: str, label: str) -> str:
    """Drops the owner's mention where it only names the owner: after "owner:", at the start or the end."""
    mention = rf"@{re.escape(label)}(?!\w)"
    asking = re.compile(rf"^(\s*(?:(?:pls|please)\s+)?(?:can|could|would)\s+){mention}", re.IGNORECASE)
    if asking.match(text):  # "Can @Nell update the template?" is asked as "can you …?" (see _REQUEST)
        return asking.sub(r"\1you", text)
    for pattern in (
        rf"[(\[]?\s*{_OWNER_CUE}\s*[:=\-–]?\s*{mention}\s*[)\]]?",
        rf"[\s,;\-–—]*{mention}['’]s\s+on\s+it\s*[:,.]?\s*",  # "— @Grace's on it", "@Jin's on it: …"
        rf"^\s*(?:action|task|ap|todo)\s+for\s+{mention}\s*[:,\-–—]?\s*",  # "Action for @Freya: …"
        # "@Mo thanks for covering — @Efe over to you for the next round …"
        rf"^(?:.*?(?:[.!?]|\s[-–—]))?\s*{mention}\s+over\s+to\s+you\s*(?:for\s+|with\s+|on\s+)?",
        rf"^[\s,;:\-–—]*{_BEFORE_OWNER}{mention}(?:\s*(?:and|&|\+)\s*(?:i|me)\b)?(?:\s+(?:pls|please))?\s*[:,\-–—]?\s*",
        rf"[\s,;\-–—(]*{mention}\s*\)?[\s.,;:!]*$",
        rf"(?:(?<=[.!?])|^)\s*{mention}[^.!?]*\?\s*$",  # "… @Ana can you fold that in?"
    ):
        text, removed = re.subn(pattern, " ", text, count=1, flags=re.IGNORECASE)
        if removed:
            break
    return text


def _without_others(text: str, labels: Sequence[str]) -> str:
    """Drops the mentions that only say who, wherever the owner's went: co-owners beside it ("@Priya + @Tom: kill
    …", "@Tom and I will …", "… page @Rui @Ana"), and anyone copied in ("cc @Dan")."""
    person = _any_of(labels)
    people = rf"@(?:{person})(?![\w'’])(?:\s*(?:[+&,/]|and)?\s*@(?:{person})(?![\w'’]))*"
    for pattern, kept in (
        (rf"(?:^|[,;(]|\s[-–—])\s*{_COPY}\s*:?\s*{people}\s*[)\-–—:,]?", " "),
        (
            rf"^\s*(?:\d{{1,2}}[.)]\s*|[•*-]\s*)?(\s*(?:[A-Za-z][\w -]{{0,40}}?(?::|\s[-–—→])\s*)?)"
            rf"(?:[+&,/]|and\s)?\s*{people}(?:\s*(?:and|&|\+)\s*(?:i|me)\b)?\s*(?:to\s+)?[:,\-–—]?\s*",
            r"\1",
        ),
        (r"^\s*(?:&|and)\s+(?:i|me)\b\s*", ""),  # "@Tom and I will …", once the owner's mention is gone
        (rf"^\s*((?:can|could|would)\s+you)\s+(?:and|&)\s+{people}\s*", r"\1 "),  # "could you and @Farid run …"
        (rf"^\s*(?:me|i)\s+(?:and|&|\+)\s+{people}\s+(?:will\s+|to\s+|can\s+)?", ""),  # "Me and @Kurt will …"
        (rf"[\s,;\-–—(+&]*{people}\s*\)?[\s.,;:!\-–—]*$", _unless_object),
        # "Rewrite the red flags section with @Vic so it's plain English": who helps, not what is done
        (rf"(?P<before>\w+),?\s+(?:with|w/)\s+{people}(?=\s+(?:so|and|by|before|for)\b|\s*[,.;)]|\s*$)", _unless_met),
        (
            rf"\b(help|support)\s+{people}\s+(?=(?:with|on)\s+(?!(?:that|this|it)\b))",
            r"\1 ",
        ),  # "happy to help @Ana with the designs"
        # a question to someone after the action ("… — @Ash ok?") and a closing clause that leans on someone
        # ("…, need @Ola to send the report within 48h", "…, feeds into @Dev's rewrite")
        (rf"\s*[,;\-–—]+\s*{people}\s+[^.!?\n]{{1,30}}\?\s*$", ""),
        (rf",\s+[^,.;:!?\n]{{0,30}}?(?:{people}|@(?:{person})['’]s)(?:\s[^,.;:!?\n]*)?$", ""),
    ):
        text = re.sub(pattern, kept, text, count=1, flags=re.IGNORECASE)
    return text


def _by_name(text: str, labels: Sequence[str]) -> str:
    """The people the action is done for or with, by name ("Give Priya the top 50 tickets"): a mention left in a
    title reads as its owner."""
    return re.sub(rf"@({_any_of(labels)})(?!\w)", r"\1", text)


def _any_of(labels: Sequence[str]) -> str:
    """A pattern for any of the mentioned people's names, the longest first ("Ana Lima" before "Ana")."""
    return "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))


def _unless_met(helped: re.Match[str]) -> str:
    """The word before "with @Vic" alone, unless meeting them is the action ("sync with @Vic", "meet w/ @Vic",
    "Review the findings w/ @Hugo")."""
    clause = re.split(r"[.;:!?—–(]", helped.string[: helped.start()])[-1]
    opening = re.match(r"\W*(?:(?:@\S+|i['’]ll|i\s+will|to|and)\s+)*([\w-]+)", clause, re.IGNORECASE)
    met = helped["before"].lower() in _MEETING_VERBS or bool(opening and opening[1].lower() in _MEETING_VERBS)
    return helped.group() if met else helped["before"]


def _unless_object(mention: re.Match[str]) -> str:
    """Nothing for a mention closing the text that only says who, the mention itself where the action is done to
    or with them ("send feedback to @Iris")."""
    return mention.group() if _OBJECT_OF.search(mention.string[: mention.start()]) else ""


def _first_sentence(text: str) -> str:
    """The action as its first sentence says it: what follows is how, who or when ("… milestone. Marketing",
    "… the queue; needs telephony budget", "…, not sure who owns that, Network Rail?")."""
    sentences = _sentences(text)
    first = next((s for s in sentences if len(re.findall(r"\w+", s)) >= MIN_TITLE_WORDS), text)
    return _TRAILING_FILLER.sub("", _UNSURE.sub("", first)) or text


def _sentences(text: str) -> list[str]:
    """The text's sentences: after a full stop (not an abbreviation's: "e.g. for iPhones"), "!" or "?", at ";", or
    at an emoji code ("… email :pray: quick win"); never inside brackets or quotation marks ("a 'getting worse?'
    link")."""
    sentences, start = [], 0
    for end in _SENTENCE_BREAK.finditer(text):
        words = text[start : end.start()].split()
        if words and words[-1].lower() in _ABBREVIATIONS or _left_open(text[start : end.start()]):
            continue
        sentences.append(text[start : end.start()].strip())
        start = end.end()
    return [s for s in [*sentences, text[start:].strip()] if s]


def _left_open(text: str) -> bool:
    """Whether a bracket or a quotation opened in the text is still open at its end."""
    opened = len(re.findall(r"(?:^|(?<=[\s(]))['‘\"“](?=\w)", text))
    closed = len(re.findall(r"(?<=[\w.!?])['’\"”](?=[\s.,;:!?)]|$)", text))
    return text.count("(") > text.count(")") or opened > closed


def _tidy(text: str) -> str:
    text = _EMPTY_BRACKETS.sub(" ", " ".join(text.split()))
    text = re.sub(r"\s+([,;:.!?)])", r"\1", text)
    text = re.sub(r"([.!?])[,;:]+", r"\1", text)  # "… reviews. I'll own that, from …": the owner went, the stop stays
    while (stripped := _without_lead_in(_LEADING_FILLER.sub("", text.strip(" ,;:.-–—|"), count=1))) != text:
        text = stripped
    if request := _REQUEST.match(text):  # "can you add a cancel button …?": what is asked
        text = re.sub(r"\?+(?=\s|$)", ".", text[request.end() :], count=1)  # the question ends what is asked
    text = _TRAILING_FILLER.sub("", text)
    return capitalised(_WITH_SHORT.sub("with", text))


def _without_lead_in(text: str) -> str:
    """What is asked without the aside before it, unless what is asked points back to it ("Re the invoices, can you
    check them?")."""
    lead = _LEAD_IN.match(text)
    if lead is None or re.search(r"\b(?:it|this|that|them)\b", " ".join(text[lead.end() :].split()[:5]), re.I):
        return text
    return text[lead.end() :]


def _as_asked(text: str, label: str) -> str:
    """The owner's action as asked of them where the note tells of it: "@Tariq rebuilds the picker" and "@Tariq is
    going to rebuild the picker" become "@Tariq to rebuild the picker"."""
    mention = next(iter(_owning_mentions(text, label)), None)
    if mention is None:
        return text
    rest = text[mention.end() :]
    if told := _TOLD.match(rest):
        rest = rest[told.end() :]
    elif verb := _TOLD_VERB.match(rest):
        rest = f"{verb['stem']}{'y' if verb['y'] else ''}{rest[verb.end() :]}"
    else:
        return text
    return f"{text[: mention.end()]} to {rest}"
