"""Replies that build on someone's note ("+1 to @Ana's point, and …") belong with that note, and so does a note
that refers back to its writer's own last one ("• same change should fix the live departures lag").

A thread is a conversation: "+1 to @Ana's point", "agree with @Sam", "building on @Lee's idea" say in so many words
which note they join, however different their wording. "+1 to @Sam" or "+1 to @Sam's point" builds on what Sam said
last in the step (of the points of Sam's last reply, the one it goes on about); "+1 to @Ana's ack letter" names one
of Ana's notes, the one closest in meaning (she may have posted several).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from workflows.actions.parsing import ActionDraft, parse_action
from workflows.contributions.text import unquoted
from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.themes.clustering.cleaning import clean, content_words, is_note
from workflows.themes.clustering.naming import name_groups
from workflows.themes.stage_placement import TextEmbedder, opening_stripped

_OPENING = re.compile(
    r"^(?:\+1|\+100|:\+1:|agreed?|agreeing|seconding|seconded|building on|adding to|to add to|echoing|"
    r"yes to|same as)[\s,:]*(?:to|with|on)?\s*",
    re.IGNORECASE,
)


# A note that only makes sense after its writer's last one: "same change should fix …", "this would also …",
# "…, same ticket".
_REFERS_BACK = re.compile(
    r"^(?:the\s+)?same\s+(?:change|fix|thing|work|approach|idea)\b"
    r"|^(?:this|that|which)\s+(?:(?:would|will|should|could|might)\s+)?also\b|^also\s+(?:fixes|solves|covers|helps)\b"
    r"|[,;(]\s*(?:the\s+)?same\s+(?:ticket|change|fix|story|epic|pr|work\s+item)\b",
    re.IGNORECASE,
)
_ACK_WORD = r"(?:yes|yep|yeah|ok(?:ay)?|sure|fine)"
_ACK = rf"(?:{_ACK_WORD}[\s,.!—–-]+)?"  # "yep, …", "ok …"
_ACCEPTS = re.compile(rf"^(?:{_ACK_WORD}|on\s+it|will\s+do|can\s+do|done|sure\s+thing)\b", re.IGNORECASE)
# "I'll take the Google profiles, …", "yep I'll take android cancel" takes on what an earlier note asked someone to own.
_TAKES_ON = re.compile(
    rf"^{_ACK}(?:i['’]?ll|i will|i can|happy to|i['’]m happy to)\s+"
    r"(?:take|own|pick up|grab|handle|drive|help(?:\s+out|\s+@\S+)?\s+(?:with|on))\s+",
    re.IGNORECASE,
)
# "+1 happy to help with that", "+1, and I can pull 50 real statements …": an offer to help with the last reply's
# action, whoever wrote it.
_OFFER = r"(?:i\s+can|i['’]?ll|i\s+will|happy\s+to|count\s+me\s+in|can\s+help)\b"
_OFFERS = re.compile(rf"^(?:\+1|{_ACK_WORD})\b[\s,.!:—–-]*(?:and\s+)?{_OFFER}", re.IGNORECASE)
# "+1 and the manufacturer app has its own help section": backing the reply before, and adding to it;
# "yep, ~150 tickets a month asking …" backs it with evidence; "Yes — in support, …" opens a point of its own
_AND_MORE = re.compile(
    r"^(?:(?:\+1|:\+1:|agreed?|same)[\s,.!]*(?:and|also|plus)\b|(?:yep|yeah|yup|yes)(?:!+|,)?\s+(?![—–:-]))",
    re.IGNORECASE,
)
# "&gt; box office counter⏎also the phone line, …": one more thing beside the quoted one (11 of 13 such replies in
# the labelled workshops are another theme)
_ADDS_ANOTHER = re.compile(r"^(?:(?:oh\s+)?and\s+)?(?:also|plus|another|there['’]s\s+also)\b", re.IGNORECASE)
_BACKING = re.compile(rf"^(?:\+1|{_ACK_WORD})\b(?:\s+[A-Z][a-z]+)?[\s,.!:—–-]*", re.IGNORECASE)  # "+1 Ellie, "
# ":+1: will scope it", "I'll take it to them", "happy to check it": an action taken on, pointed back at
_LEADING_MARKS = re.compile(r"^(?:\s*(?::[a-z0-9_+-]+:|\+1)[\s,.!]*)+", re.IGNORECASE)
_TAKES_IT_ON = re.compile(  # not "I'll take it: …" or "I'll take it - …", which say what
    rf"^{_ACK}(?:i['’]?ll|i\s+will|will|i\s+can|happy\s+to)\s+[a-z]+\s+(?:it|this|that|them)\b(?!\s*[:—–-])",
    re.IGNORECASE,
)
_OFFERS_ANY = re.compile(rf"^{_OFFER}", re.IGNORECASE)  # "i can pull the funnel baseline for that": with `_FOR_THAT`
# "+1 to the status tracker, …" names a note by its subject: the words up to the clause's end; what is taken on
# needs no article ("I'll take android cancel").
_SUBJECT = re.compile(r"^(?:the|this|that|your|their)\s+(?P<subject>[^,;:.!?()]{3,60})", re.IGNORECASE)
_TAKEN = re.compile(
    r"^(?:(?:the|this|that|your|their)\s+)?(?!(?:it|them|one|these|those)\b)(?P<subject>[^,;:.!?()]{3,60})", re.I
)
SAME_SUBJECT_FLOOR = 0.4  # how close a named subject must be to an earlier note to join it
MIN_QUOTED_CHARS = 8  # "&gt; spend cap" names a note; "&gt; ok" could be any
MIN_CONTINUING_WORDS, MAX_CONTINUING_WORDS = 2, 5  # a short reply going on with the last note, in its words
_FOR_THAT = re.compile(r"\b(?:for|on|with|to)\s+(?:that|this|it)\b", re.IGNORECASE)
# "I'll help Marco pick the 20", "happy to help Tom with the numbers", "I'll pair with Jen on the video": an offer to
# someone by name, after their note
_HELPS_SOMEONE = re.compile(
    rf"^(?i:{_ACK}(?:\+1[\s,]*)?{_OFFER}\s*(?:help|pair\s+with|support|work\s+with|team\s+up\s+with))\s+"
    r"(?:@\S+|[A-Z][a-z]+\b)"
)
# An offer to help with an action, which gives it no owner: "happy to help with the year summary copy"
_HELPS = re.compile(rf"^{_ACK}(?:\+1[\s,]*)?{_OFFER}\s*help\b", re.IGNORECASE)
# What a reply taking on an action points back to it with: "yep mine", "I'll take it to finance", "the comms one"
_POINTS_AT_IT = re.compile(r"\b(?:it|this|that|them|one|mine)\b", re.IGNORECASE)
# "I'll wire the portal invite to use that field": a thing of the last note, pointed back at
_POINTS_BACK = re.compile(r"\b(?:that|those)\s+(?P<word>[a-z][\w-]{2,})\b", re.IGNORECASE)
_NOT_POINTED = frozenset({"week", "day", "time", "one", "way", "point", "bit", "part", "stage", "step", "thread"})
# A phrase naming one of several notes ("@Ana's ack letter") leans this much toward the note saying all its words.
NAMED_WORDS_WEIGHT = 0.5
# "@Ana's ack letter" or "@Ana's point on payouts" names one of her notes; "@Ana's point" (or idea, comment…) alone
# is whatever she said last.
_GENERIC = (
    r"(?:point|points|idea|ideas|comment|comments|note|notes|suggestion|post|message|take|one|thing|view|remark"
    r"|answer|reply)"
)
_NAMES_ONE = re.compile(
    rf"^['’]s\s+(?:(?!{_GENERIC}\b)\w|{_GENERIC}\s+(?:on|about|re|regarding|around|that)\s+\w)", re.IGNORECASE
)


_NAMED = re.compile(r"@[^@]*?['’]s\s+([^,;:.!?()]{3,80})")


@dataclass(frozen=True)
class Said:
    """A note with who wrote it and whom it mentions, as (user id, label) in order; `text` as written."""

    note: Note
    author: str
    text: str
    mentions: Sequence[tuple[str, str]] = ()


def endorsed(text: str, mentions: Sequence[tuple[str, str]]) -> tuple[str, bool] | None:
    """The user a note opens by endorsing, and whether it names which of their notes ("+1 to @Ana's ack letter" ->
    (Ana's id, True), "+1 to @Ana's point" -> (Ana's id, False)); None when it opens otherwise."""
    body = opening_stripped(text)
    opening = _OPENING.match(body)
    if not opening:
        return None
    rest = body[opening.end() :]
    for user, label in mentions:
        if rest.startswith(f"@{label}"):
            return user, bool(_NAMES_ONE.match(rest[len(label) + 1 :]))
    return None


def only_endorses(text: str, mentions: Sequence[tuple[str, str]]) -> bool:
    """Whether a note only backs someone's ("+1 to @Ana's tracker idea"), saying nothing more of its own: no new
    action in the action plan ("+1 to @Ana's idea, and add a retry button" is one)."""
    if endorsed(text, mentions) is None:
        return False
    return not is_note(re.sub(r"^[^,;:.!?—–]*", "", opening_stripped(text)))


def endorsed_subject(text: str) -> str | None:
    """What a note opens by endorsing or taking on when it names a subject, not a person: "+1 to the status
    tracker, …" -> "status tracker", "I'll take the Google profiles, …" -> "Google profiles"."""
    body = opening_stripped(text)
    opening, taken = _OPENING.match(body), _TAKES_ON.match(body)
    subject = (_TAKEN if taken else _SUBJECT).match(body[(opening or taken).end() :]) if opening or taken else None
    if subject is None or re.fullmatch(rf"{_GENERIC}(?:\s+(?:above|here|too))?", subject["subject"].strip(), re.I):
        return None  # "+1 to the idea" names none
    return subject["subject"].strip()


def link_endorsements(said: Sequence[Said], embedder: Callable[[], TextEmbedder]) -> list[Note]:
    """The notes (in thread order), each that builds on another's note pointing at it (`Note.builds_on`).
    `embedder` is called only when a reply names the note it builds on (most steps need no model here)."""
    notes = []
    for position, item in enumerate(said):
        item = _beside_quote(item)
        answered = (
            _quoted_note(item.text, said[:position])
            or _asked_of(item, said[:position])
            or _continues(item, said[:position])
        )
        if answered:
            notes.append(item.note.model_copy(update={"builds_on": answered.id}))
            continue
        found = endorsed(item.text, item.mentions)
        theirs = [earlier.note for earlier in said[:position] if found and earlier.author == found[0] != item.author]
        if found and found[0] != item.author and (found[1] or not theirs):  # "+1 to @Ana's receipt": listed for her
            theirs = [
                earlier.note
                for earlier in said[:position]
                if earlier.author == found[0] or found[0] in (user for user, _ in earlier.mentions)
            ]
        opening = opening_stripped(item.text)
        if not found and _REFERS_BACK.search(opening):
            theirs = [earlier.note for earlier in said[:position] if earlier.author == item.author][-1:]
        elif not found and (subject := endorsed_subject(item.text)):
            others = [earlier.note for earlier in said[:position] if earlier.author != item.author]
            if others:
                vectors = np.asarray(embedder().encode([subject, *(note.text for note in others)]))
                closeness = vectors[1:] @ vectors[0]
                theirs = [others[int(np.argmax(closeness))]] if closeness.max() >= SAME_SUBJECT_FLOOR else []
        elif not found and (_OFFERS.match(opening) or _AND_MORE.match(opening)):  # "+1 happy to help", "+1 and …"
            others = [earlier.note for earlier in said[:position] if earlier.author != item.author]
            theirs = _last_reply(others) if others else []
            theirs = [_named_one(item.text, theirs, embedder())] if len(theirs) > 1 else theirs
        if not theirs:
            notes.append(item.note)
            continue
        target = theirs[-1]
        if found and found[1]:
            named = _NAMED.search(item.text)  # "ack letter" of "+1 to @Ana's ack letter, and put the list on it"
            target = _named_one(named[1] if named else item.text, theirs, embedder())
        elif found and len(last := _last_reply(theirs)) > 1:
            target = _named_one(item.text, last, embedder())
        notes.append(item.note.model_copy(update={"builds_on": target.id}))
    return notes


def _beside_quote(item: Said) -> Said:
    """A reply adding one more thing beside the line it quotes ("&gt; box office counter⏎also the phone line, …") is
    read and compared by its own words: the quoted line is what another note says (read with it, the two look
    alike), and the reply does not build on it."""
    quoted, own = unquoted(item.text)
    if not quoted or not _ADDS_ANOTHER.match(own):
        return item
    return replace(item, text=own, note=item.note.model_copy(update={"text": unquoted(item.note.text)[1]}))


def _quoted_note(text: str, earlier: Sequence[Said]) -> Note | None:
    """The note a reply answers by quoting it ("&gt; needs finance sign-off\ni'll take that to finance on weds"):
    the latest that says the quoted words. A quoted question is answered by another part ("&gt; first-timers only
    or returning filers too?\nboth, but …"); one adding one more beside it was read without the quote
    (`_beside_quote`)."""
    quoted = _plain(unquoted(text)[0]).strip(" .…")
    if len(quoted) < MIN_QUOTED_CHARS or quoted.endswith("?"):
        return None
    return next((e.note for e in reversed(earlier) if quoted in _plain(e.text) or quoted in _plain(e.note.text)), None)


def _asked_of(item: Said, earlier: Sequence[Said]) -> Note | None:
    """The note a reply accepts when it was asked of its writer: "yep :+1: will review" or ":+1: will scope it"
    after "@Kim can you review the pooling section?", the latest note of someone else that mentions them; one taking
    "it" on ("I'll take it to them", "I'll check it Ben") takes the last one of someone else when none asked them."""
    said = _LEADING_MARKS.sub("", opening_stripped(unquoted(item.text)[1]))
    takes_it = _TAKES_IT_ON.match(said)
    if not (_ACCEPTS.match(said) or takes_it):
        return None
    others = [e for e in earlier if e.author != item.author]
    asking = [e.note for e in others if item.author in (user for user, _ in e.mentions)]
    return asking[-1] if asking else (others[-1].note if takes_it and others else None)


def _continues(item: Said, earlier: Sequence[Said]) -> Note | None:
    """The last note of someone else that a short reply only goes on with, every word of it said there ("me +
    @Kim on the pilot readout" after "… decision after the pilot readout on 20 june"; "i can pull the funnel baseline
    for that" after the quote form's prototype), that it offers help with ("I'll help Marco pick the 20") or whose
    thing it points back at ("… use that field" after "add an 'office contact' field")."""
    others = [e for e in earlier if e.author != item.author]
    if not others:
        return None
    own = unquoted(item.text)[1]
    words = _words(clean(own))  # not whom it mentions
    opening = opening_stripped(own)
    offer = _OFFERS_ANY.match(_BACKING.sub("", opening))  # "+1 Ellie, I'll ring-fence budget for it"
    if (_FOR_THAT.search(own) and offer) or _HELPS_SOMEONE.match(opening):
        return others[-1].note
    pointed = {m["word"].lower() for m in _POINTS_BACK.finditer(own)} - _NOT_POINTED
    if pointed & _words(others[-1].text):
        return others[-1].note
    if not MIN_CONTINUING_WORDS <= len(words) <= MAX_CONTINUING_WORDS or not words <= _words(others[-1].text):
        return None
    return others[-1].note


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[*_~`]", "", html.unescape(text)).lower().split())


def _last_reply(notes: Sequence[Note]) -> list[Note]:
    """The notes of the last reply among `notes`: "+1 to @Sam" answers Sam's last message, and when it listed
    several points, the one the endorsement goes on about ("+1 to @Sam; the decision comes back by email")."""
    last = notes[-1].reply or notes[-1].id
    return [note for note in notes if (note.reply or note.id) == last]


def _named_one(phrase: str, notes: Sequence[Note], embedder: TextEmbedder) -> Note:
    """The note a phrase names: the closest in meaning, and more so for each of its words the note says ("@Ana's
    pre-check" names her "Check passport details at the offer stage", not her "funds checklist")."""
    vectors = np.asarray(embedder.encode([phrase, *(note.text for note in notes)]))
    words = _words(phrase)
    said = np.array([len(words & _words(note.text)) / max(len(words), 1) for note in notes])
    return notes[int(np.argmax(vectors[1:] @ vectors[0] + NAMED_WORDS_WEIGHT * said))]


def _words(text: str) -> frozenset[str]:
    return content_words(re.sub(r"[-/]", " ", text))


def follow_endorsements(
    drafts: Sequence[ThemeDraft], notes: Sequence[Note], keep_titles: bool = False
) -> list[ThemeDraft]:
    """Each note that builds on another moved into that note's theme. A theme left empty is dropped; one that lost
    notes is titled again, distinct from the step's other titles, unless `keep_titles` (the objective's parts are
    named for what they are, not for their notes)."""
    theme_of = {note_id: n for n, draft in enumerate(drafts) for note_id in draft.ids}
    members = [list(draft.ids) for draft in drafts]
    for note in notes:
        source, target = theme_of.get(note.id), theme_of.get(note.builds_on or "")
        if source is None or target is None or source == target:
            continue
        members[source].remove(note.id)
        members[target].append(note.id)
        theme_of[note.id] = target
    changed = [n for n, draft in enumerate(drafts) if members[n] and len(members[n]) < len(draft.ids)]
    titles = [draft.title for draft in drafts]
    if changed and not keep_titles:
        texts = {note.id: note.text for note in notes}
        others = [title for n, title in enumerate(titles) if members[n] and n not in changed]
        fresh = name_groups([[texts[i] for i in members[n]] for n in changed], taken=others)
        titles = [fresh[changed.index(n)] if n in changed else title for n, title in enumerate(titles)]
    return [
        draft.model_copy(update={"ids": ids, "title": title})
        for draft, ids, title in zip(drafts, members, titles, strict=True)
        if ids
    ]


def action_drafts(said: Sequence[Said], today: date, embedder: Callable[[], TextEmbedder]) -> list[ActionDraft]:
    """The action plan's items, one per action, from its notes in thread order: a reply that only takes on, accepts
    or answers the note it builds on ("yep mine :+1: designs by 10 Dec" after "@Kim can you own this?", "&gt; so
    owner is @Tom?⏎fine, I'll take it to the steering group on the 4th") is that action's, not one of its own; it
    gives the action the owner (unless it only offers help) and the date it lacked. A reply that adds an action of its
    own ("+1 to @Ana's idea, and add a retry button") stays one."""
    drafts = [parse_action(item.text, item.mentions, today, item.author) for item in said]
    notes = link_endorsements(said, embedder)
    index = {note.id: n for n, note in enumerate(notes)}
    into = list(range(len(drafts)))  # where each item went
    merged = list(drafts)
    for n, (note, item) in enumerate(zip(notes, said, strict=True)):
        target = index.get(note.builds_on or "")
        opening = _LEADING_MARKS.sub("", opening_stripped(unquoted(item.text)[1]))
        takes = bool(_ACCEPTS.match(opening) or _TAKES_ON.match(opening) or _TAKES_IT_ON.match(opening))
        if target is None or target >= n or not (takes or _POINTS_AT_IT.search(drafts[n].title)):
            continue
        target = into[target]
        owner = None if _HELPS.match(opening) else drafts[n].owner or (item.author if takes else None)
        action = merged[target]
        merged[target] = action.model_copy(update={"owner": action.owner or owner, "due": action.due or drafts[n].due})
        into[n] = target
    return [draft for n, draft in enumerate(merged) if into[n] == n]
