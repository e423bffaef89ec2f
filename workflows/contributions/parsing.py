"""Turning one thread reply into contributions: bullets split, evidence tags read.

A participant often answers a step with a list ("- slow checkout\n- no invoice on mobile"): each line is
its own note, so it can land in its own theme. A plain paragraph stays whole. The evidence tag fights
assumption bias (research notes), so it is read leniently: `[Interviews]`, `[support ticket]` and a tag at
the end all count.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

from pydantic import BaseModel

from workflows.mapping.models import Evidence

_EVIDENCE_WORDS: dict[Evidence, tuple[str, ...]] = {
    Evidence.interview: ("interview", "interviews", "user interview", "customer interview", "call notes"),
    Evidence.ticket: (
        *("ticket", "tickets", "support ticket", "support", "zendesk", "complaint", "complaints"),
        *("webchat", "web chat", "live chat", "chat log", "email", "customer email", "letter", "customer letter"),
    ),
    Evidence.survey: (
        *("survey", "surveys", "nps", "csat", "poll", "questionnaire"),
        *("review", "reviews", "app review", "app store", "trustpilot", "google review", "forum", "forum post"),
    ),
    Evidence.analytics: ("analytics", "data", "metrics", "funnel", "usage data", "ga"),
    Evidence.observation: ("observation", "observations", "observed", "usability test", "field visit"),
    Evidence.assumption: ("assumption", "assumptions", "assumed", "hunch", "guess", "hypothesis"),
}
_EVIDENCE_BY_WORD = {word: evidence for evidence, words in _EVIDENCE_WORDS.items() for word in words}
_SOURCE_WORDS = frozenset({"interview", "interviews", "survey", "surveys", "ticket", "tickets", "complaints"})
MAX_SOURCE_WORDS = 6
_TAG = re.compile(r"\[\s*([^\[\]\n]{1,30}?)\s*\]")
_NUMBERED = re.compile(r"\s*(?:#|no\.?\s*)?\d+$", re.IGNORECASE)  # "[interview 2]", "[ticket #4411]"
_BULLET = re.compile(r"^\s*(?:[-*•◦‣+–—]|\(?\d{1,3}[.)])(?:\s+|$)(?P<rest>.*)$")
# how a lead-in line ends: "From this week's tickets:", and a stage over its list written "Advocacy -" or "Arrive →"
_LEAD_IN_END = re.compile(r"(?::|\s(?:-|–|—|->|→))$")
_CLOSING_EMOJI = re.compile(r"(?<!\w):[a-z0-9_+-]+:$")  # "… mostly on her phone :neutral_face:" ends on no colon
MAX_HEADING_CHARS = 120  # "returns, I'd put these under Retention since it's what brings them back every week:"
_QUOTED_LINE = re.compile(r"^(?:>|&gt;)")
# A line that goes on with the one above: "and …", "but …", "(…)", "… and more"; or, after a line left unfinished, one
# in lower case that opens with no label of its own ("…, ⏎we can't answer them", not "setup: the app …")
_CONTINUES = re.compile(r"^(?:(?:and|but|so|or|because|cos|which|then|plus)\b|[&+(…]|\.\.\.)", re.IGNORECASE)
_GOES_ON = re.compile(r"^[a-z](?![\w' /&-]{0,30}(?::|\s[-–—]\s))")
# A sentence wrapped mid-way: a line opening in lower case on a preposition ("Refund form breaks⏎on Android")
_WRAPPED = re.compile(
    r"^(?:on|in|at|to|for|with|of|from|by|about|than|as|into|onto|over|under|after|before|while|where|who|whose)\b"
)
# A line visibly left unfinished: "…between client meetings,", "… and the"
_UNFINISHED = re.compile(
    r"(?:[,(&+/]|\s-|\b(?:and|or|but|of|to|the|a|an|for|with|in|on|at|by|from|that|which|because|so|when|if))\s*$", re.I
)
_BOLD_LINE = re.compile(r"^\*(?P<label>[^*\n]+?):?\*:?$")  # "*Awareness*", "*Goals:*", "*Pain points*:"


class ParsedNote(BaseModel):
    text: str
    evidence: Evidence = Evidence.assumption


class _Heading(NamedTuple):
    label: str | None
    evidence: Evidence | None


_NO_HEADING = _Heading(None, None)


class Headings(NamedTuple):
    """Which headings over a list stay on its items, and how: `bare` tells a heading written without a colon
    ("Awareness" over a list); `label` gives what the items keep of a heading's label (None: nothing)."""

    bare: Callable[[str], bool] | None
    label: Callable[[str], str | None]


def parse_reply(text: str, *, keep_headings: bool | Headings = False) -> list[ParsedNote]:
    """Every contribution in a reply, in order; a tag applies to what is below it unless an item has its own.

    A line such as "Frustrations:" heads the items under it. With `keep_headings` (the persona step) the
    label stays on each item ("Frustrations: slow app"), because there it is the meaning; given a test, the
    labels it keeps stay (a stage's name over the touchpoints at that stage: "Awareness: Google ads");
    elsewhere it is dropped, since a shared prefix would pull unrelated notes together when clustering.
    """
    rule = keep_headings if isinstance(keep_headings, Headings) else Headings(None, _all if keep_headings else _none)
    reply_evidence, body = _evidence_tag(text, rule)
    notes = []
    for raw, heading in _items(body, rule.bare):
        evidence, item = _evidence_tag(raw, rule)
        if not item:
            continue
        if heading.label and (kept := rule.label(heading.label)):
            item = f"{kept}: {item}"
        evidence = evidence or heading.evidence or reply_evidence or Evidence.assumption
        notes.append(ParsedNote(text=item, evidence=evidence))
    return notes


def _evidence_tag(text: str, rule: Headings) -> tuple[Evidence | None, str]:
    """The text's evidence tag, unless the tag is the name of a stage the notes go on ("[Interview] …" where a stage
    is called Interview): a label then, kept in the text."""
    opening = _TAG.match(text.lstrip())
    if opening and rule.bare and rule.bare(opening.group(1)):
        return None, text
    return take_evidence_tag(text)


def _all(label: str) -> str:
    return label


def _none(_label: str) -> None:
    return None


def take_evidence_tag(text: str) -> tuple[Evidence | None, str]:
    """The evidence tag opening (or closing) a text, and the stripped text without it; None when untagged."""
    text = text.strip()
    for match in (_TAG.match(text), _closing_tag(text)):
        evidence = match and _EVIDENCE_BY_WORD.get(" ".join(_NUMBERED.sub("", match.group(1)).lower().split()))
        if evidence:
            return evidence, (text[: match.start()] + text[match.end() :]).strip()
    return None, text


def source_named(label: str) -> Evidence | None:
    """The source a heading names as where what follows comes from ("survey:", "from the branch interviews:",
    "From this week's tickets:"); None for any other label, or a source word that is as often a touchpoint
    ("support", "email")."""
    words = label.lower().split()
    last = words[-1].strip("*_") if 0 < len(words) <= MAX_SOURCE_WORDS else ""
    return _EVIDENCE_BY_WORD.get(last) if last in _SOURCE_WORDS else None


def _closing_tag(text: str) -> re.Match[str] | None:
    matches = list(_TAG.finditer(text))
    return matches[-1] if matches and matches[-1].end() == len(text) else None


def _items(body: str, bare: Callable[[str], bool] | None) -> list[tuple[str, _Heading]]:
    lines = body.splitlines()
    if any(_BULLET.match(line) for line in lines):
        return _list_items(lines, bare, bullets=True)
    filled = [line for line in lines if line.strip()]
    if filled and _heading(filled[0], bare) and sum(not _heading(line, bare) for line in filled) >= 2:
        return _list_items(lines, bare, bullets=False)
    return [(point, _NO_HEADING) for point in _points(filled)] or [(body.strip(), _NO_HEADING)]


def _points(lines: list[str]) -> list[str]:
    """Plain lines are points of their own ("Buy - pricing page …⏎Buy - checkout …", "[First bill] …⏎[First bill]
    …"), unless a line goes on with the one above: it opens with "and", "but", "so" …, or in brackets, or in lower
    case after a line left unfinished ("~1,100 calls a yr,⏎we can't answer them"). A quoted line ("&gt; …") and a
    line ending in a colon, a dash or an arrow ("Advocacy -") stay with the line they lead to."""
    points: list[str] = []
    leading = ""  # quoted lines and lead-ins, waiting for the line they go with
    for line in lines:
        text = line.strip()
        if _QUOTED_LINE.match(text) or _LEAD_IN_END.search(text):
            leading += f"{text}\n"
        elif points and not leading and _goes_on(points[-1], text):
            points[-1] = f"{points[-1]}\n{text}"  # as written
        else:
            points.append(leading + text)
            leading = ""
    if leading:  # nothing followed: the lines belong to the last point, or are the reply
        points = [*points[:-1], f"{points[-1]}\n{leading}".strip()] if points else [leading.strip()]
    return points


def _list_items(lines: list[str], bare: Callable[[str], bool] | None, *, bullets: bool) -> list[tuple[str, _Heading]]:
    """Bullets (or, without bullets, lines under a heading) are items; in a bulleted reply an unmarked line
    continues the item above it, unless a blank line or a heading came first. A quoted line ("&gt; …") over a bullet
    goes with it, the reply it answers; under a heading ("survey:"), quoted lines are items of their own."""
    items: list[tuple[str, _Heading]] = []
    heading, item_open, quoted = _NO_HEADING, False, ""
    for line in lines:
        bullet = _BULLET.match(line)
        content = bullet.group("rest").strip() if bullet else line.strip()
        new_heading = _heading(content, bare, bulleted=bool(bullet))
        if not content:
            item_open = False
        elif bullets and not bullet and _QUOTED_LINE.match(content):
            quoted, item_open = f"{quoted}{content}\n", False
        elif new_heading:
            heading, item_open = new_heading, False
        elif bullets and item_open and not bullet:
            items[-1] = (f"{items[-1][0]} {content}", items[-1][1])
        else:
            items.append((quoted + content, heading))
            item_open, quoted = bullets, ""
    return items + ([(quoted.strip(), heading)] if quoted else [])


def _goes_on(above: str, line: str) -> bool:
    """Whether a line goes on with the one above (see `_points`), or is a quotation tagged as the evidence for it
    ("…, people feel insulted.⏎[interview] "It told me my dress was worth £14"")."""
    evidence, rest = take_evidence_tag(line)
    if evidence and rest[:1] in '"“':
        return True
    return bool(_CONTINUES.match(line) or _WRAPPED.match(line) or (_GOES_ON.match(line) and _UNFINISHED.search(above)))


def _heading(line: str, bare: Callable[[str], bool] | None = None, *, bulleted: bool = False) -> _Heading | None:
    """A line that only introduces what follows: "From this week's tickets:", a lone "[interview]", a line in
    Slack's bold ("*Awareness*"; not a bullet: a bullet in bold is an item, only emphasised), or a line that
    passes `bare` whole."""
    evidence, rest = take_evidence_tag(line)
    if not rest and evidence:
        return _Heading(None, evidence)
    bold = _BOLD_LINE.match(rest)
    if bold and not bulleted and len(rest) <= MAX_HEADING_CHARS:
        return _Heading(bold["label"].strip(), evidence)
    lead_in = _LEAD_IN_END.search(rest)
    if lead_in and not _CLOSING_EMOJI.search(rest) and len(rest) <= MAX_HEADING_CHARS:
        label = rest[: lead_in.start()].strip()
        return _Heading(label or None, evidence or source_named(label))
    if bare is not None and rest and bare(rest):
        return _Heading(rest, evidence)
    return None
