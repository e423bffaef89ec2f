"""The objective step read as a card, without an LLM: why this map, its scope, how success is measured, and the
decision it informs.

A map that does not say what it is for cannot be judged; teams write these things with recognisable cues
("Success measure: …", "Scope: …", "out of scope", "The decision this informs: …"), so the card is read from
those cues sentence by sentence, keeping each sentence whole and as written (numbers included).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from workflows.contributions.sentences import capitalised
from workflows.contributions.text import shorten, ts_order
from workflows.mapping.models import Contribution, ObjectiveCard, Theme
from workflows.mapping.objective_kinds import CARD_CHANCE, GROUPING_CHANCE, ObjectiveKinds, objective_kinds
from workflows.mapping.quotes import split_outside_quotes, without_quotes

MAX_CHARS = 240
MAX_ITEMS = 6
MAX_LABEL_WORDS = 5
MIN_MEASURE_WORDS = 4  # a shorter success measure ("Target +30?") says what it is of in the sentence before

_APOS = r"(?:'|’)"
# Each kind's cue; a sentence takes the first kind, in this order, whose cue it carries.
_CUES: dict[str, str] = {
    "out_of_scope": r"^\W*out\s*:|out\s+of\s+(?:the\s+)?scope|not\s+in\s+scope"
    r"|outside\s+(?:the\s+|our\s+)?scope|non-goals?"
    r"|(?:is|are)\s+(?:also\s+|definitely\s+|defo\s+|def\s+|obviously\s+|probably\s+)?out"
    r"(?:\s+(?:too|as\s+well|imo|imho|i\s+think|tbh))?(?=\s*(?:[.;,!)—–-]|$))|exclud\w*"
    # "PGRs not included pls", "customs fees - not this time", "lottery players - not part of this", "buy to let,
    # leave it", "group arrivals - please let's not"
    r"|\bnot\s+included\b|\bnot\s+this\s+time\b|\bnot\s+part\s+of\s+(?:this|it|the\s+map|scope)\b"
    r"|[,;—–-]\s*leave\s+(?:it|them|those|that)\s*(?:[.,;!]|$)"
    # "Pet insurance claims are also off the table", "Postgrad applicants … so park those", "— not this map",
    # "Let's not get into surgery"
    rf"|\boff\s+the\s+table\b|\bpark\s+(?:those|that|them|it|this)\b|\bnot\s+this\s+map\b"
    rf"|let{_APOS}s\s+not\s+(?:get|go)\s+into\b|let{_APOS}s\s+not\s*(?:[,.;!]|$)"
    # "In-store returns — out, that's the stores team's", "Challenge events — not in this map", "aren't in this"
    r"|\s[—–-]+\s*(?:also\s+)?out\b(?=\s*(?:[.;,!:]|$))|\bnot\s+in\s+(?:this|the)\s+(?:map|one|journey)\b"
    rf"|(?:isn{_APOS}?t|aren{_APOS}?t|is\s+not|are\s+not)\s+(?:in|part\s+of)\s+(?:this|scope|the\s+map)\b"
    # "subsidence shouldnt be in here", "PCNs definately not", "can we park damaged bags for now?", "TV add-ons out pls"
    rf"|\bshouldn{_APOS}?t\s+be\s+in\s+(?:here|this|scope|the\s+map)\b|\b(?:definitely|definately|defo|def)\s+not\s*(?:[,.;!]|$)"
    r"|\bpark\s+[^.;?]{1,40}?\s+for\s+(?:now|later|another\s+time)\b"
    r"|^\W*(?:[\w/&'-]+\s+){1,6}out\s*(?:pls|please|imo|tbh)?\s*(?:[,.;!]|$)"
    r"|^\W*neither\s+(?:is|are)\b|\bnor\s+(?:is|are)\b"
    rf"|(?:we{_APOS}re|we\s+are)\s+(?:also\s+)?not\s+(?:mapping|covering|including|looking\s+at)\b"
    r"|\bha(?:s|ve)\s+(?:its|their)\s+own\s+(?:pathway|journey|map|project|process|team)\b"
    r"|\bha(?:s|ve)\s+(?:[^.;]{0,40}\s)?(?:a\s+)?separate\s+(?:pathway|journey|map|project|process|team)\b"
    rf"|we\s+(?:won{_APOS}t|will\s+not|don{_APOS}t)\s+(?:cover|look\s+at|map|include)"
    r"|(?:leave|leaving|keep|keeping)\s+(?:\S+\s+){0,6}?out\b|not\s+(?:covering|including|looking\s+at)\b"
    r"|^\W*out\s+for\s+now\b"
    # "coach tours … so skip those too", "cash customers / DIY sorts - nah", "I wouldn't include the questionnaire",
    # "I'd keep it off the map", "let's not spend workshop time on theft"
    rf"|\bskip\s+(?:those|that|them|it|this)\b|[-–—]\s*nah\b|\bwouldn{_APOS}?t\s+include\b"
    r"|\bkeep\s+(?:it|that|this|them)\s+off\s+the\s+map\b|let['’]?s\s+not\s+spend\s+(?:\w+\s+)?time\s+on\b",
    "success_measures": r"success\s+(?:measures?|metrics?|criteri(?:a|on))"
    # "Success is …", "for us success means …"; not "so real success is lower than that"
    r"|(?:^\W*|(?:our|the|for\s+(?:us|me))\W+)success\s+(?:looks\s+like|means|is|should\s+(?:include|be)|will\s+be)"
    r"|success\s*(?:[:=]|[-–]\s)|targets?\s*[:=]?\s*[-–+<>~]?\s*\d|measures?\s+of\s+success"
    r"|kpis?|okrs?|key\s+results?|north\s+star(?:\s+metric)?|metrics?(?=\s*:)"
    rf"|targets?(?=\s*:)|(?:we{_APOS}ll|we\s+will)\s+know\s+(?:it|this|we)\s+\w+\s+(?:when|if)"
    # a target: "from -12 to at least 0 by end of Q3", "cut calls by 25%", "we want <2", "baseline for the deck: …"
    r"|from\s+[-−]?\d[^.;]{0,30}?\b(?:(?:down|up)\s+)?to\s+(?:at\s+least\s+|under\s+|below\s+|above\s+|over\s+)?[-−]?\d[^.;]*?"
    r"\bby\s+(?:the\s+)?(?:end\s+of\s+)?(?:q[1-4]|h[12]|fy|20\d\d|next|this|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov"
    r"|dec)"
    r"|(?:cut|reduce|lower|raise|increase|grow|halve|lift)\s[^.;]{0,60}?\bby\s+(?:a\s+(?:third|quarter)|half|\d+\s*%)"
    r"|we\s+want\s+(?:it\s+|that\s+)?(?:(?:[<>≤≥~]|under\b|below\b|above\b|over\b|at\s+least\b)\s*)?\d"
    r"|baselines?(?=\s*(?:for\b|:))"
    # "Goal is DNAs under 6% within 6 months", "Refund within 5 days for 90% of returns, currently 62%", "Settle 50% of
    # claims within 30 days", "95% should log in at least 3 times", "we'll also watch week 1 logins"
    r"|\b(?:goal|aim|ambition|target)\s+is\s+(?:to\s+)?[^.;]{0,40}?\b(?:under|below|above|over|at\s+least|within)\s+\d"
    r"|\d+(?:\.\d+)?\s*%[^.;]{0,60}?,\s*(?:currently|today|now|vs\.?)\s+(?:at\s+)?[~]?\d"
    r"|\d+(?:\.\d+)?\s*%\s+of\s+[^.;]{1,40}?\bwithin\s+\d|\bwithin\s+\d+\s+\w+[^.;]{0,40}?\bfor\s+\d+(?:\.\d+)?\s*%\s+of\b"
    r"|\d+(?:\.\d+)?\s*%\s+(?:should|must|need\s+to)\b"
    # "fewer than 30 late arrivals", "a CSAT of 80 or more", "we'd want cancelling online in under 3 minutes", "no
    # delegate should wait more than 10 minutes", "contacts back to where they were"
    r"|\b(?:and|plus|also)\s+(?:fewer|less)\s+than\s+\d|\b\d+(?:\.\d+)?\s*%?\s+or\s+(?:more|above|higher|better)\b"
    rf"|we{_APOS}d\s+want\s+[^.;]{{0,60}}?\b(?:under|below|within|less\s+than|at\s+least)\s+\d"
    r"|\bno\s+\w+\s+should\s+[^.;]{0,40}?\b(?:more|longer)\s+than\s+\d|back\s+to\s+where\s+(?:it|they)\s+(?:was|were)\b"
    # "halving the calls … would be a massive win", "I'd also count it a success if …", "I want those close to zero",
    # "also cost per retained donor under £200"
    r"|\b(?:would\s+be|that['’]?s|is)\s+(?:a\s+)?(?:big\s+|massive\s+|huge\s+|real\s+|quick\s+)?win\b"
    r"|\bcount\s+it\s+(?:as\s+)?a\s+(?:success|win)\b|\bi\s+want\s+(?:those|that|it|them)\s+(?:close\s+to|near|under|below)\b"
    r"|^\W*(?:and\s+|also\s+|plus\s+)+[^.;?]{0,60}\b(?:under|below|above|over|at\s+least)\s+[£$€]?\d"
    # "getting that to 3 would be great", "fewer handoffs too", "calls about permits coming down", "ready-on-arrival
    # above 95%", "nobody waiting more than 5 mins", "under 10 working days would be the other one for me"
    r"|\b(?:getting|get|bringing|bring)\s+(?:that|it|this|them)\s+(?:down\s+)?(?:to|under|below)\s+[~£$€]?\d"
    r"|(?:^\W*|\b(?:and|also|plus)\s+)fewer\s|\b(?:coming|going)\s+down\b"
    r"|\b(?:above|over|at\s+least)\s+\d+(?:\.\d+)?\s*%|\b(?:nobody|no\s+one|no-one)\s+\w+ing\s+(?:more|longer)\s+than\s+\d"
    r"|\bwould\s+be\s+the\s+(?:other|second|third|next)\s+one\b"
    # "how we'll measure it: …", "measured by …", "get DNA under 8%", "halve no-shows by June"
    rf"|measur\w*\s+(?:success|it|this|progress|impact)|(?:how|what)\s+we(?:{_APOS}ll|\s+will)?\s+measure"
    r"|measured\s+by|metrics?\s+(?:we|that)\s+(?:care|track|watch)|definition\s+of\s+done"
    rf"|(?:we{_APOS}ll|we\s+will|we\s+should|i{_APOS}d|let{_APOS}s)\s+(?:also\s+)?(?:track|watch|monitor)\b"
    r"|(?:get|bring|keep)\s+[^.;]{0,40}?\b(?:under|below|above|over)\s+\d"
    r"|(?:halve|double|triple)\s[^.;]{0,40}?\bby\s+(?:the\s+)?(?:end\s+of\s+)?(?:q[1-4]|h[12]|20\d\d|next|this"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    # "fewer chase-up calls: -35% on that contact reason", "first-time completion >80% (today 61%)"
    r"|(?:fewer|less|more|lower|higher)\s[^.;]{0,40}?[-−+]\d+(?:\.\d+)?\s*%"
    r"|\w+\s*[<>≤≥]\s*\d[^.;]{0,40}?\(?\s*(?:today|currently|now|baseline)\b"
    # "40% fewer 'where is my CAS' emails", "under 5% of new installs, we're at 17%", "back above the sector average",
    # "halve the 'where is my install' calls"
    r"|\d+(?:\.\d+)?\s*%\s+(?:fewer|less|more|lower|higher)\b"
    rf"|(?:under|below|above|over)\s+\d+(?:\.\d+)?\s*%[^.;]*\b(?:we{_APOS}re\s+at|we\s+are\s+at|today|currently)\b"
    r"|back\s+(?:above|below|under|over)\b|back\s+to\s+[-+−~]?\d|^\W*(?:halve|double|triple)\b"
    # "median time to open under 1 day (it's 9 working days today)"
    rf"|\b(?:under|below|above|over|less\s+than|more\s+than)\s+[-+−~£$€]?\d[^.;()]{{0,30}}[(,]\s*(?:it{_APOS}s|it\s+is"
    rf"|we{_APOS}re|today|currently|now)\b"
    # "90% of families seated together without paying (today 71%)"
    r"|\d+(?:\.\d+)?\s*%[^.;()]{0,60}\(\s*(?:today|currently|now|we(?:'|’)re\s+(?:on|at))\b"
    # "online joins without a trip to the desk: 12% now, 50% by Q3", "invoice emails halved (it's ~300 a month now)"
    r"|\d+(?:\.\d+)?\s*%\s+(?:now|today|currently)\W+(?:\w+\s+){0,2}\d+(?:\.\d+)?\s*%\s+(?:by|next|this|in|within)\b"
    rf"|\b(?:halved|doubled|tripled|down|up|cut)\b[^.;()]{{0,40}}\(\s*(?:it{_APOS}s|it\s+is|we{_APOS}re|today|currently|now)\b"
    # "Under 550 a term by next spring", "disputed invoices under 8% by Q1 2027", "Both over 4 by December?"
    r"|\b(?:under|below|above|over|less\s+than|more\s+than|at\s+least)\s+[~£$€]?\d[\d.,]*\s*%?[^.;?]{0,30}?\bby\s+"
    r"(?:the\s+)?(?:end\s+of\s+)?(?:q[1-4]|h[12]|20\d\d|next|this|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring"
    r"|summer|autumn|fall|winter|christmas)",
    "decision": r"decisions?\s+(?:this|it|the\s+map)\s+(?:(?:should|will|would|must)\s+)?(?:informs?|feeds?|supports?)"
    r"|decisions?(?=\s*:)|(?:call|choice)\s+(?:on|about)\s+(?:whether|which|if)|choose\s+between"
    r"|informs?\s+(?:the|our|a)\s+decision|(?:help\w*\s+(?:us\s+)?|so\s+(?:that\s+)?we\s+can\s+|to\s+)decide"
    r"|we\s+(?:need|want|have)\s+to\s+decide|decides?\s+(?:whether|which|what|if|how)"
    r"|whether\s+(?:we|to)\b[^.?!]{3,120}\bor\b"  # "I'd add whether we keep outsourcing … or bring it in"
    rf"|(?:will|it{_APOS}ll|would|should)\s+(?:also\s+)?inform\b"
    # "+1 to @Ana, and whether we launch a price-lock tariff", "it should also settle whether …", "Decision this
    # needs to feed: …"
    r"|(?:and|plus|also)\s+whether\s+(?:we|to|the|our)\b|(?:settle|tell\s+us|answer)\s+whether\b"
    r"|\btell\s+us\s+if\b[^.?!]{3,120}\bor\b"  # "It'll tell us if we pre-assign rooms … or put on pop-up desks"
    r"|^\W*(?:(?:the|our|my|one|a)\s+)?(?:(?:main|key|big|real|other|second)\s+)?decisions?\b[^:.?!]{0,40}:"
    # "This feeds the H2 roadmap call: …", "go/no-go on 1,500 more lockers", "question this answers: do we …"
    r"|(?:this|it|the\s+map)\s+(?:(?:should|will)\s+)?(?:feeds?|goes|is\s+feeding)\s+(?:into\s+)?(?:the|our)\s+[^.;:]{0,40}"
    r"\b(?:call|decision|choice|review|business\s+case|bid)\b|\bgo\s*/\s*no[-\s]go\b"
    r"|\b(?:answers?|settles?)\s*:\s*(?:do|should|can|will)\s+we\b"
    # "it goes to the board in February": who decides, and when
    r"|\bgoes\s+to\s+(?:the\s+)?(?:board|exec\w*|committee|leadership|steerco)\b"
    rf"|(?:we{_APOS}re|we\s+are)\s+deciding\b|\bwants?\s+an\s+answer\b"
    r"|\b(?:do|should)\s+we\s+(?!include|cover|map|start|end|count)\w+[^.?!]{3,120}\bor\b",  # "do we fund X or Y?"
    # why this map: what triggered it, or a change already seen ("refunds are up 40% since February")
    "question": r"why\s+this\s+map|why(?:\s+now)?\s*:|^\W*why\s+(?:we(?:'|’)re|we\s+are|this)\b[^:.?!\n]{0,30}:"
    r"|trigger\s+(?:was|for\s+(?:this|the\s+map|us))|triggered\s+(?:this|the\s+map)"
    r"|(?:prompted|kicked\s+off|sparked)\s+(?:this|the\s+map|all\s+this)"
    r"|(?:up|down)\s+\d+(?:\.\d+)?\s*%\s+(?:since|in|over|on)\b|(?:is|are)\s+(?:up|down)\s+(?:from\s+)?[-+−~]?\d"
    r"|(?:has|have)\s+(?:slid|slipped|doubled|tripled|risen|fallen|dropped|grown|jumped|climbed|gone\s+(?:up|down))\b"
    r"|(?:dropped|fell|rose|slid|grew|doubled|tripled)\s+(?:from\s+[^.;]{1,30}?\s+)?(?:since|after|over\s+the\s+(?:last|past))\b"
    r"|(?:dropped|fell|rose|slid|grew|went(?:\s+(?:up|down))?|(?:has|have)\s+gone)\s+from\s+[-+−~£$€]?\d"
    # "year-1 churn 9.8% -> 16.5% since the April rise", "we used to sit around 15%", "the business case assumed
    # 22%", "families were 14% of passengers but 31% of complaints"
    r"|\d[\d.,]*\s*%?\s*(?:->|→|=>)\s*[-+−~]?\d[\d.,]*\s*%?\s+(?:since|over\s+the|in\s+the\s+(?:last|past))\b"
    # "there's real pressure from above", "the board has been pushing us to look at F2F", "a regulatory reason to do
    # this now", "the #1 theme in negative reviews", "the worst CSAT of any touchpoint", "hit 18k after the storms and
    # we never really recovered"
    # "the board wants AUM growth", "cllrs want digital usage to justify the spend or it gets cut", "which is the real
    # pain", "managers are spending hours on enquiry calls"
    r"|\bthe\s+(?:board|execs?|leadership|regulator|ceo|cllrs|councillors|minister)\s+(?:wants?|is\s+asking|are\s+asking)\b"
    r"|\bor\s+it\s+gets\s+cut\b|\breal\s+pain\b|\bspending\s+hours\b|\bon\s+record\b"
    # "an average claim stays open 97 days vs 41 for everything else", "this one isn't optional for us"
    r"|\d[\d.,]*\s*\w*\s+vs\.?\s+[~]?\d[\d.,]*\s*\w*\s+for\s+(?:everything|everyone|the\s+rest|all\s+other)\b"
    rf"|\b(?:isn{_APOS}?t|is\s+not|not)\s+optional\b"
    r"|\bpressure\s+from\b|\b(?:has|have)\s+been\s+pushing\s+us\b|\breason\s+to\s+do\s+this\b"
    r"|(?:the|our|a)\s+(?:#1|number\s+one|no\.\s*1|top)\s+(?:theme|complaint|reason|issue|topic|contact\s+reason)\b|\bworst\s+\w+\s+of\s+any\b"
    r"|\b(?:single\s+)?biggest\s+(?:reason|driver|source|cause)\b"
    r"|\bnever\s+(?:really\s+)?recover\w*|\bhit\s+[~£$€]?\d[\d.,]*k?\s+after\b"
    r"|we\s+used\s+to\s+(?:be|sit|run|get|have|see)\b|(?:business\s+case|plan|forecast|budget)\s+(?:assumed|expected)"
    r"|\d+(?:\.\d+)?\s*%\s+of\s+[^.;]{1,30}?\bbut\s+(?:only\s+|just\s+)?\d+(?:\.\d+)?\s*%\s+of\b"
    # "…, it was 38% two years ago"
    r"|\bwas\s+(?:only\s+|just\s+)?[-+−~£$€]?\d[\d.,]*\s*%?\s+(?:\w+\s+){0,2}(?:ago|last\s+(?:year|quarter|month))\b"
    r"|(?:key\s+|main\s+|research\s+|open\s+)?questions?(?!\s+(?:to|for)\s+(?:the\s+)?(?:group|team|all|everyone|you))"
    r"(?=[^:\n.?!]{0,30}:)"
    r"|purpose(?=\s*:)"
    rf"|(?:we|i)(?:\s+(?:want|would\s+like)|{_APOS}d\s+like)\s+(?:us\s+)?to\s+(?:learn|know|understand|find\s+out)"
    r"|what\s+we\s+want\s+to\s+(?:learn|know|find\s+out|understand)|we\s+want\s+to\s+learn",
    "scope": r"^\W*(?:in|start|starts|begins?)\s*:|(?<!out\sof\s)\bscope\b|in\s+scope"
    # "From the moment they click Start a return to the refund showing", "FNOL through to final payment", "UK
    # customers only, online orders", "Includes people applying on behalf of someone else"
    r"|^\W*from\s+(?![-+−~£$€]?\d)[^.;]{3,120}?\s+(?:to|through\s+to|until|till)\s|\bthrough\s+to\b|\bend[-\s]to[-\s]end\b"
    r"|\b\w+\s+only\s*(?:[,;.]|$)|^\W*(?:it\s+|and\s+)?(?:includes?|including)\b"
    r"|(?:journey|map|experience|it)\s+(?:really\s+)?[\"“'‘]?(?:starts|begins|began|started|ends|ended|covers|runs)"
    r"|(?:starts|begins|ends)\s+(?:at|with|when)|\b(?:start|begin)\s+(?:at|with|when|from)\b[^.;]{3,120}\band\s+(?:end|stop|finish)\b|(?:has|have|needs?)\s+to\s+(?:include|cover|run|start|end)\b"
    r"|\bin\s+or\s+out\b|(?:do|should|shall)\s+we\s+include\b|\b(?:is|are|be)\s+in\s+(?:too|as\s+well)\b"
    # "prepayment customers are in, …", "exchanges count too", "let's focus on SMB", "the key group", "we should defo
    # include that bit too", "it kicks off 6 months before … and finishes when …"
    r"|\b(?:is|are)\s+in\s*(?:[,.;!—–-]|$)|\bcounts?\s+(?:too|as\s+well|imo)\b|\bthey\s+count\b|\blet['’]?s\s+focus\s+on\b"
    r"|\b[\w*-]+(?:\s+[\w*-]+){0,3}\s+in\s*,\s*[^,.;]{1,40}?\s+out\b"  # "ok web checkout IN, web *app* out"
    # "and freezes too right?", "does it include the in-app banner?", "I'd say include the tracing bit too"
    r"|\btoo\s*(?:,?\s*right)?\s*\?|\bdoes\s+it\s+include\b"
    r"|(?:i['’]?d\s+(?:say\s+)?|let['’]?s\s+|we\s+(?:should|could)\s+)include\b"
    r"|\bkey\s+(?:group|segment|audience)\b|\b(?:should|must|need\s+to)\s+(?:\w+\s+)?include\b"
    r"|\b(?:kicks\s+off|starts|begins)\b[^.;]{3,120}\b(?:and|then)\s+(?:finishes|ends|stops)\b"
    # "one map for heat pumps and solar, or two?", "are we mapping the person who books or the whole family?"
    r"|\b(?:one|a\s+single|the\s+same)\s+map\s+for\b|\bor\s+two\s*\?|\bare\s+we\s+mapping\b"
    r"|\b(?:first|last)\s+touch(?:\s*point)?\s+(?:is|was)\b"  # "so for many the first touch is our template page"
    # "for me it can't stop when they hand the key back", "the rollout week has to be in there"
    rf"|(?:can{_APOS}t|cannot|shouldn{_APOS}t|doesn{_APOS}t|mustn{_APOS}t|won{_APOS}t)\s+(?:stop|end|start|begin)\s+"
    r"(?:at|with|when|before|after)\b|\b(?:has|have|needs?|should)\s+(?:to\s+)?be\s+in\s+(?:there|it|the\s+map)\b"
    # "I'd keep it to small importers", "please keep roaming in", "Customs has to be in, even for …"
    r"|\bkeep\s+(?:it|this|the\s+map|us)\s+to\b|\bkeep\s+(?:[\w/&-]+\s+){1,3}in\b(?!-|\s+(?:mind|touch|the\s+loop|check))"
    r"|\b(?:has|have|needs?)\s+to\s+be\s+in\s*(?:[,.;!—–-]|$)"
    # "I'd follow the HR director from the last demo through signature, implementation, …"
    r"|\bfollow\s+(?:the\s+|her\s+|him\s+|them\s+)?[^.;]{0,40}?\bfrom\b[^.;]{3,120}?\b(?:to|through|until|till)\b"
    # "add pets + the onboard kennels pls", "please include the care plan review", "… belong in here too", "that's
    # the bit I want mapped in detail"
    r"|^\W*(?:i['’]?d\s+|we\s+should\s+|can\s+we\s+|(?:please|pls)\s+)?(?:add|include)\b"
    r"|\bbelongs?\s+in\s+(?:here|this|scope|the\s+map)\b|\bwant(?:ed)?\s+mapped\b",
}
_PATTERNS = {kind: re.compile(rf"(?i:\b(?:{cue}))") for kind, cue in _CUES.items()}
# A label such as "Success measure suggestion:" or "The decision this informs:", dropped from what follows it.
_LABEL = re.compile(r"^(?P<label>[^:\n]{1,60}?)\s*[:=–]\s+(?P<rest>\S.*)$", re.DOTALL)
# After a cue, what makes it a label: "Success measure suggestion: …", "Scope - …".
_SEPARATOR = re.compile(r"^\s*(?:(?:suggestion|idea|proposal)\s*)?(?::|=|\s[-–](?=\s))\s*", re.IGNORECASE)
# Cues that only lead into what follows them: "We'll know it worked when …", "Success should include …".
_LEAD_IN = re.compile(
    rf"(?i:(?:we{_APOS}ll|we\s+will)\s+know\s+(?:it|this|we)\s+\w+\s+(?:when|if)"
    r"|success\s+(?:should\s+include|looks\s+like|means|is|will\s+be))"
)
_FROM_TO = re.compile(
    r"(?i:\bfrom\s+(?:(?:a|an|the)\s+)?(?:(?:median|average|mean|typical)\s+(?:of\s+)?)?[-+−~£$€]?\d[\d.,]*\s*"
    r"(?:%|/\w+|k|m|(?:working\s+|business\s+)?(?:weeks?|days?|months?|hours?|mins?|minutes?))?\s+(?:(?:down|up)\s+)?to\s+"
    r"(?:at\s+least\s+|under\s+|below\s+|above\s+|over\s+)?[-+−~£$€]?\d)"
)
_BARE_CHANGE = re.compile(r"(?i:\b(?:up|down)\s+[-+−~]?\d+(?:\.\d+)?\s*%)")  # "referral redemptions up 50%"
# Other ways a target is written, each with its number: "3.2% → 5% by end of year", "to 5% from 3.2%", "reduce
# handling time to under 6 minutes", "cut no-shows in half", "hits 70%", "call it a win if …", and a label that says
# it is one ("Aim: CSAT 4.5+ by Q3", "Win condition: churn under 3%", "The number we care about is …: 3 days").
_TARGET = re.compile(
    r"(?i:[-+−~]?\d[\d.,]*\s*%?\s*(?:->|→|=>|➜)\s*[-+−~]?\d"
    r"|\bto\s+[-+−~£$€]?\d[\d.,]*\s*%?\s+from\s+[-+−~£$€]?\d"
    r"|\b(?:cut|reduce|lower|raise|increase|grow|lift|get|bring|improve|drop|push|shorten|speed\s+up)\s[^.;]{0,50}?\bto\s+"
    r"(?:(?:under|below|above|over|at\s+least|at\s+most|less\s+than|more\s+than|within)\s+)?[-+−~£$€]?\d"
    r"|\b(?:cut|reduce|halve|lower)\s[^.;]{0,60}?\b(?:in|by)\s+half\b|\bhits?\s+[-+−~£$€]?\d"
    r"|\bcall\s+it\s+an?\s+(?:win|success)\b[^.;]*\d|\b(?:down|up)\s+by\s+(?:half|a\s+(?:third|quarter)|\d+(?:\.\d+)?\s*%)"
    r"|^\W*(?:\w+\s+){0,3}(?:goals?|aims?|targets?|outcomes?|win\s+condition|good\s+looks\s+like|numbers?\s+we\s+care"
    r"\s+about|measures?|metrics?)\b[^:=\d]{0,30}[:=][^.;]*\d)"
)
_SEEN_CHANGE = re.compile(
    r"(?i:\b(?:dropped|fell|rose|slid|slipped|grew|went|moved|jumped|climbed|declined|increased|decreased|shrank|was"
    r"|were|has|have|had|since|ago|last\s+(?:year|quarter|month)|over\s+the\s+(?:last|past)|year\s+on\s+year|yoy"
    r"|(?:is|are)\s+(?:up|down))\b)"
)
# A problem measured today: a share with what goes wrong ("41% of firm offer holders never pay the deposit", "1 in 5
# signed jobs cancel before install day", "complaints doubled in Q1", "we keep hearing …", "only 22% came back",
# "it cost us £610k"): why the map is made. Not
# a caveat on the data ("the churn figure excludes home movers").
_PROBLEM_SEEN = re.compile(
    r"(?i:(?:\d+(?:\.\d+)?\s*%|\b\d+\s+(?:in|of|out\s+of)\s+(?:every\s+|our\s+|the\s+)?\d+\b|\bnearly\s+(?:half|all)\b"
    r"|\b\d[\d,.]*\s*(?:weeks?|days?|months?|hours?|x)\b)"
    r"[^.;]{0,80}?\b(?:never|cancel\w*|churn\w*|abandon\w*|complain\w*|complaints?|fail\w*|lost|leave|left|stuck"
    r"|dormant|rejected|upheld|don['’]t|didn['’]t|doesn['’]t|isn['’]t|aren['’]t|can['’]t|couldn['’]t|no-?shows?|empty"
    r"|drop(?:s|ped)?\s+(?:off|out)|drop-?outs?|missed|wasted|lose|loses|losing|waits?|waiting|called|chasing"
    r"|lapse[sd]?|downgrad\w*|gave\s+up|give\s+up|(?:under|fewer\s+than|less\s+than)\s+half)\b"
    # "We lose 27% of learners in the first 4 weeks", "Escape of water is 35% of our home claims"
    r"|\b(?:lose|loses|losing|lost|miss|missed|waste|wasted)\b[^.;]{0,60}?(?:\d|£|\$|€)"
    r"|\b(?:is|are|makes?\s+up|accounts?\s+for)\s+(?:about\s+|around\s+|~|nearly\s+|over\s+)?\d+(?:\.\d+)?\s*%\s+of\b"
    r"|\b(?:complaints|calls|tickets|cancellations|refunds|claims|churn|contacts)\s+(?:have\s+|has\s+)?"
    r"(?:doubled|tripled|jumped|spiked)\b|\bkeep\s+(?:hearing|telling|saying|getting|seeing)\b"
    # "only 22% of last quarter's guests came back", "is now 44% of all contacts", "cost us £610k last year"
    r"|\b(?:only|just)\s+(?:about\s+|around\s+|~)?(?:\d+(?:\.\d+)?\s*%|\d+\s+in\s+\d+)\s+of\b"
    r"|\b(?:is|are)\s+now\s+(?:about\s+|around\s+|~)?\d+(?:\.\d+)?\s*%\s+of\b|\bcosts?\s+us\b)"
)
_PROBLEM = "problem"
_CAVEAT = re.compile(
    r"(?i:\b(?:includes?|excludes?|doesn['’]t\s+(?:include|count)|not\s+counting|only\s+counts|skew\w*|caveat)\b)"
)
# The workshop's own arrangements: who comes, where, what is shared next ("Can we get someone from compliance in the
# room?", "Happy to host in the Felixstowe office", "Sharing the panel feedback in a sec").
_ARRANGEMENTS = re.compile(
    r"(?i:\b(?:can|could|should)\s+we\s+(?:get|invite|bring|loop\s+in)\s+(?:someone|somebody|people)\b"
    r"|\bare\s+we\s+inviting\b|\bhappy\s+to\s+host\b|\bi\s+can\s+get\s+us\b"
    r"|\b(?:sharing|posting|dropping|uploading)\b[^.;]{0,60}\bin\s+a\s+(?:sec|bit|minute|mo)\b"
    # "is the workshop in the Civic Centre or on Teams?", "is the room booked for 2hrs or 3?", "do we have any engineers
    # joining?", "can someone add @Ana from the warehouse?", "@Raj could you pull the survey results before Thursday?"
    r"|\bis\s+the\s+(?:workshop|session|meeting|call)\b|\broom\s+(?:is\s+)?booked\b|\bjoining\s*\?"
    r"|\bcan\s+(?:someone|somebody|you)\s+(?:add|invite|bring)\s+(?:<@|@)"
    r"|^\W*(?:<@\w+>|@[\w.-]+)\s*,?\s+(?:could|can|would|will)\s+you\b"
    # "are you joining from the Leeds office or remote?", "can you forward the invite", "are the branch staff invited?"
    r"|\bjoining\s+(?:from|in\s+person|remotely?)\b|\b(?:forward|send)\s+(?:them\s+)?(?:the|an?)\s+invite\b"
    r"|\binvited\s*\?|\bable\s+to\s+join\b|\bin\s+the\s+room\b|\b(?:anyone|any\s+\w+)\s+joining\b"
    r"|\bcome\s+back\s+to\s+(?:this|it|that)\b"  # "we can come back to this after the pilot"
    r"|^\W*(?:thanks|thank\s+you|cheers|ty)\b(?:\s+(?:all|everyone|for\s+setting\s+(?:this|it)\s+up))?)"
)
# A caveat on the data, whatever else it says ("the tracing data before Sept is patchy", "take the splits with a
# pinch of salt", "older data isn't comparable", "the stats don't link to our member IDs", "so the real figure is
# nearer 20%"), or a rule the map cannot change ("the checks themselves are set by the regulator").
_DATA_CAVEAT = re.compile(
    r"(?i:\bpatchy\b|\binconsistent\w*|\bpinch\s+of\s+salt\b|\bexpect\s+gaps\b|\b(?:isn['’]?t|not)\s+comparable\b"
    r"|\b(?:real|true|actual)\s+\w+\s+(?:is|would\s+be)\s+(?:nearer|closer\s+to|lower|higher|worse|better)\b"
    r"|\b(?:data|stats|figures|numbers)\b[^.;]{0,40}\b(?:don['’]?t|doesn['’]?t|can['’]?t)\s+(?:link|match|join)\b"
    r"|\b(?:is|are)\s+set\s+by\s+(?:\w+\s+and\s+)?(?:the\s+)?(?:regulator|law|legislation|government|policy)\b"
    # "One warning on the rebooking figures: …", "the parent survey only goes to families who've rebooked"
    r"|\bwarning\s+on\s+the\s+(?:[\w-]+\s+){0,2}(?:figures?|numbers?|data|stats|rates?)\b"
    r"|\bonly\s+(?:goes|went|gets\s+sent|is\s+sent)\s+to\b"
    # "careful with that 13.5 weeks, the clock starts at …", "has only been tracked properly since v3"
    r"|\bcareful\s+with\s+(?:that|the|those|these)\b|\bwatch\s+out\b|\bdon['’]?t\s+trust\b"
    r"|\bonly\s+(?:been\s+)?(?:tracked|measured|recorded|logged|captured)\b[^.;]{0,20}\bsince\b)"
)
_EMOJI_CODE = re.compile(r"\s*:[a-z0-9_+-]+:")
_EMPHASIS = re.compile(r"(?<![\w*_])[*_]+(?=\S)|(?<=\S)[*_]+(?![\w*_])")  # Slack's *bold* and _italics_: "*Scope:* …"
_DECIDE = re.compile(r"(?i:\bdecide\b.*)")


def build_objective_card(objective: str, themes: Sequence[Theme]) -> ObjectiveCard:
    """The card from the objective step's notes, in the order they were written; the workshop's objective (the
    text of `/journey start`) is the question when the notes state none, and its "decide …" the decision."""
    found: dict[str, list[str]] = {kind: [] for kind in _CUES}
    questions: list[str] = []
    notes = _in_order(themes)
    for note, kind in zip(notes, _meant(notes), strict=True):
        if kind in _MEANT_ON_THE_CARD:  # no cue word: the part its meaning says
            found[kind].append(_clean(note.text, kind))
    for note in (note for note in notes if not _aside(note.text)):
        why: list[str] = []  # the "why" runs on through the note's next sentences until one says something else
        previous = ""
        for sentence in split_outside_quotes(note.text):
            kind = _kind(sentence)
            if kind == "success_measures" and previous and len(sentence.split()) < MIN_MEASURE_WORDS:
                sentence = f"{previous} {sentence}"  # "NPS for FTBs is +12 vs +41. Target +30?": what the target is of
            previous = sentence
            kind = None if kind == _PROBLEM else kind  # evidence of the problem, not the question the map answers
            if why and kind in (None, "question"):
                why.append(_EMOJI_CODE.sub("", sentence).strip())
                continue
            if why:
                questions.append(" ".join(why))
                why = []
            if kind == "question":
                why = [_clean(sentence, kind, full_stop=True)]
            elif kind:
                found[kind].append(_clean(sentence, kind))
        if why:
            questions.append(" ".join(why))
    decisions = found["decision"] or [capitalised(m.group()) for m in [_DECIDE.search(objective)] if m]
    return ObjectiveCard(
        question=shorten((_unique(questions) or [objective])[0], MAX_CHARS * 2),
        scope=_unique(found["scope"])[:MAX_ITEMS],
        out_of_scope=_unique(found["out_of_scope"])[:MAX_ITEMS],
        success_measures=_unique(found["success_measures"])[:MAX_ITEMS],
        decision=decisions[0] if decisions else None,
    )


# The parts a note's meaning puts on the card without a cue word. Not the question (a problem's evidence is why, not
# what the map answers), nor the scope: the reader tells what is in from what is out less surely than the words do,
# and a card listing "Pet insurance claims are off the table" under the scope says the opposite of the team.
_MEANT_ON_THE_CARD = frozenset({"out_of_scope", "success_measures", "decision"})


def _meant(notes: Sequence[Contribution]) -> list[str | None]:
    """Per note, the part its meaning says, sure enough for the card, when no cue word says one; None for the
    others."""
    kinds = _read([note.text for note in notes], objective_kinds(), CARD_CHANCE)
    return [None if cue_kind(note.text) else kind for note, kind in zip(notes, kinds, strict=True)]


def note_kind(text: str) -> str | None:
    """Which part of the card one note speaks to (see `note_kinds`)."""
    return note_kinds([text])[0]


def note_kinds(texts: Sequence[str], reader: ObjectiveKinds | None = None) -> list[str | None]:
    """Which part of the card each note speaks to: the kind its cue words say (`cue_kind`), else the one its meaning
    says (`objective_kinds`, the shipped reader unless another is given); the notes read by meaning in one batch."""
    cues = [cue_kind(text) for text in texts]
    kinds = _read([text for text, cue in zip(texts, cues, strict=True) if not cue], reader or objective_kinds())
    return [cue or next(kinds) for cue in cues]


def _read(texts: Sequence[str], reader: ObjectiveKinds | None, floor: float = GROUPING_CHANCE) -> Iterator[str | None]:
    """The reader's part for each text, none for a caveat on the data ("the churn figure excludes home movers") or
    the workshop's arrangements."""
    kinds = reader.kinds(texts, floor) if reader else [None] * len(texts)
    return iter(None if _CAVEAT.search(text) or _aside(text) else kind for text, kind in zip(texts, kinds, strict=True))


def is_data_caveat(text: str) -> bool:
    """Whether a note warns about the data ("the churn figure excludes home movers", "one more caveat — streak data
    before March double counts …"): no part of the card, yet what the team must keep in mind reading it."""
    return not _ARRANGEMENTS.search(text) and bool(_CAVEAT.search(text) or _DATA_CAVEAT.search(text))


def _aside(text: str) -> bool:
    """Whether a note is about the workshop or the data, not the map: its arrangements, a caveat on the data or a
    rule the map cannot change."""
    return bool(_ARRANGEMENTS.search(text) or _DATA_CAVEAT.search(text))


def cue_kind(text: str) -> str | None:
    """The kind of the note's first sentence that carries a cue, if any; a problem measured today is part of why
    this map."""
    if _aside(text):
        return None
    kinds = [kind for sentence in split_outside_quotes(text) if (kind := _kind(sentence))]
    if kinds[:1] == [_PROBLEM] and "success_measures" in kinds:
        return "success_measures"  # "… are 38% of what my team handles. Under 550 a term by next spring": its baseline
    return "question" if kinds[:1] == [_PROBLEM] else next(iter(kinds), None)


def _in_order(themes: Sequence[Theme]) -> list[Contribution]:
    """Every note once, as written in time (Slack timestamps sort as numbers)."""
    notes = {(c.ts, c.user, c.text): c for theme in themes for c in theme.contributions}
    return sorted(notes.values(), key=lambda c: ts_order(c.ts))


def _kind(sentence: str) -> str | None:
    """The first kind whose cue the sentence carries outside its quotations; a bare "from 48% to 60%" or "up 50%" is
    a target unless the sentence says the change has happened ("slid from 4.6 to 4.1 in 3 months"); one that only
    measures a problem today ("1 in 5 cancel before install day") is _PROBLEM."""
    own_words = without_quotes(sentence)
    kind = next((kind for kind, pattern in _PATTERNS.items() if pattern.search(own_words)), None)
    target = _FROM_TO.search(own_words) or _BARE_CHANGE.search(own_words) or _TARGET.search(own_words)
    if kind in (None, "scope") and target and not _SEEN_CHANGE.search(own_words):
        return "success_measures"
    if kind is None and _PROBLEM_SEEN.search(own_words) and not _CAVEAT.search(own_words):
        return _PROBLEM
    return kind


def _clean(sentence: str, kind: str, full_stop: bool = False) -> str:
    """The sentence without its label ("Scope: …"), emoji codes or bullet, capitalised, within a length."""
    text = _EMPHASIS.sub("", _EMOJI_CODE.sub("", sentence)).strip().lstrip("-•* ")
    pattern = _PATTERNS[kind]
    cue = pattern.match(text)
    labelled = _LABEL.match(text)
    labelled_by_cue = cue is not None and cue.group().rstrip().endswith((":", "=", "-", "–"))  # "Success = …"
    if cue and (_SEPARATOR.match(text[cue.end() :]) or _LEAD_IN.match(text) or labelled_by_cue):  # "Scope: …"
        text = _SEPARATOR.sub("", text[cue.end() :], count=1).strip()
    elif labelled and len(labelled["label"].split()) <= MAX_LABEL_WORDS and pattern.search(labelled["label"]):
        # "I'd add a success measure: …"; a longer lead-in ("From support's side the journey starts …:") is meaning
        text = labelled["rest"]
    text = text.strip().lstrip("*_ ")
    if not full_stop:
        text = text.rstrip(".")
    return capitalised(shorten(text, MAX_CHARS))


def _unique(texts: Iterable[str]) -> list[str]:
    """Without repeats, ignoring case and punctuation, nor one that another already says in full."""
    kept: dict[str, str] = {}
    for text in texts:
        key = " ".join(re.sub(r"[^\w%]+", " ", text.casefold()).split())
        if not any(key in other or other in key for other in kept):
            kept[key] = text
    return list(kept.values())
