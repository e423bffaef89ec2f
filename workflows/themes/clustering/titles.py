"""Theme titles in the notes' own words: a short noun phrase that the theme's notes share and that means what the
theme means ("Payout verification", "Invoice emails in spam", "Old phone number on Google").

Candidates are noun phrases read off the notes without a tagger. As RAKE does, a note is cut into runs of words at
punctuation, stop words, numbers and verbs; a run is a phrase, and so is any part of it and two of them joined by a
preposition or "and" ("time to first invoice"), up to six words. Verbs come from a short list (lexicon.VERB_FORMS),
so a title never ends in one ("Editor hides"); a participle stays when it describes the next word ("missed
payments"). Titles of two to four words are preferred, and one word is used only when nothing longer is left. A
short label a note opens with ("Help center: …", "The VAT step: …") is the writer's own name for it and counts
more, unless it only says what kind of note follows ("Support touchpoints: …").

Several notes: a phrase scores by class-based TF-IDF (c-TF-IDF, Grootendorst 2022) over its words, so it counts
when many of the theme's notes say its words and the other themes do not. One note (and `note_title`): a phrase
scores by how early it comes and how specific its words are ("Success measure:" and "by Friday" are weak). The best
few are then re-ranked by how close their meaning is to the theme's mean sentence vector (as KeyBERT does); a title
closer to another theme of the step than to its own is used only when nothing else is left.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from workflows.contributions.sentences import capitalised
from workflows.contributions.text import shorten
from workflows.mapping.lexicon import (
    ADJECTIVE_ENDINGS,
    ADJECTIVES,
    ADVERBS,
    INTERJECTIONS,
    LY_NOUNS_AND_ADJECTIVES,
    PHRASAL_VERB_FORMS,
    TITLE_WORDS_AMONG_STOP_WORDS,
    VERB_FORMS,
    WEAK_TITLE_WORDS,
    word_set,
)
from workflows.themes.clustering.stop_words import ENGLISH_STOP_WORDS

MAX_WORDS = 6
RUN_WORDS = 4  # the most words of one run taken together; longer runs are read in parts
SIDE_WORDS = 3  # the most words on each side of a joining preposition
SHORTLIST = 8  # phrases per theme whose meaning is compared with the theme's
WEAK = 0.3  # what a weak word ("time", "owner", "Friday") counts for, against 1 for any other word
LENGTH = {1: 0.3, 2: 1.0, 3: 1.0, 4: 0.9, 5: 0.75, 6: 0.6}  # by a phrase's words, joining words included
MAX_WORD_CHARS = 30  # longer "words" are codes, hashes or keyboard mashing, never a title
MAX_CHARS = 60  # for notes without a phrase, whose first words are their title
LABEL = 1.5  # how much more a note's own label counts ("Help center: …"), against its other phrases
LABEL_WORDS = 4  # the most words of such a label (one-word labels, "Phone:", are often a stage or a tag)
EMPTY = "Empty notes"

_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”/|\n–—→=<>#*+]+|\s-+\s")  # a spaced hyphen too: "Retention - cancelling"
_LABEL = re.compile(r"^\s*([^.,;:!?()\[\]{}\"“”/|\n–—→=<>#*+]+):")
_TOKEN = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?|&")
_JOINS = word_set(
    "of for to in on at from per with without about behind after before during into off under over via vs versus and & "
    "incl including excl excluding"
)
_DETERMINERS = word_set("the a an our their your my his her its this that these those")
_POSSESSIVES = word_set("our their your my his her its")
_AFTER_VERBS = word_set("it them me us him you up")  # "call it", "set it up", "sign up"
_NOTE_KINDS = word_set(  # a label with one of these says what kind of note follows, not what it is about
    "touchpoint pain point persona action objective scope success measure goal need frustration quote verbatim "
    "context segment assumption idea note suggestion proposal example"
)
_PARTICLES = frozenset({"off", "up", "out", "down", "back", "in"})  # "Sign those off"
_FILLERS = frozenset({"bit", "lot", "bunch", "thing", "stuff"})
_LEADS = word_set("every each any no some something anything nothing everything")  # "every tool", "something decent"
_OBJECT_LEADS = _POSSESSIVES | {"a", "an"}  # after a noun these are rare; after a verb they open its object
_NUMBERED = re.compile(r"^\d+(?:[.,]\d+)?-[a-z]+$")  # "30-page", "14-day": a modifier, never a title's head
_PARTICIPANT = re.compile(r"^p(?:[1-9]|[1-3][0-9])$")  # "P7 said …", a participant: who, not what (not "p95")
_STOP = (ENGLISH_STOP_WORDS - TITLE_WORDS_AMONG_STOP_WORDS) | ADVERBS | INTERJECTIONS
# For a note without a noun phrase, whose first clause is its title: where its clauses and their parts end.
_CLAUSE_BREAK = re.compile(r"(?<=\?)\s*|[,;.!:()\[\]\n–—]+\s*|\s+-+\s+")  # a question keeps its "?"
# A clause as written, for a run of its words: figures ("4.1", "22%") and brackets stay whole.
_WRITTEN_CLAUSE = re.compile(r"[,;.!?:]+(?=\s|$)|[\n–—→=|]+|\s-+\s")
_QUOTES = "\"“”‘’'"
_FIGURE = re.compile(r"^[(]?[£$€]?\d[\d.,]*[%kmx]?[)]?$", re.IGNORECASE)
_INTERJECTED = re.compile(rf"^\s*(?:(?:{'|'.join(sorted(INTERJECTIONS))})\b[\s,.!:;-]*)+", re.IGNORECASE)  # "ok that …"
_CONJUNCTION = re.compile(r"\s+(?:and|so|but|because|if|unless|then|which|while)\s+", re.IGNORECASE)

Encode = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class _Token:
    text: str
    kind: str  # "word", "join", "det" (dropped from titles), "participle", "verb" or "stop"

    @property
    def key(self) -> str:
        return _key(self.text)


@dataclass(frozen=True)
class _Phrase:
    tokens: tuple[_Token, ...]
    position: int  # the index of its first word among the note's words: a note's topic tends to come first
    whole: bool  # it starts where its run of words starts ("old phone number", not "phone number")
    headed: bool  # it ends on its run's head noun ("old phone number", "invoice editor" of "invoice editor usable")
    label: bool = False  # the whole label the note opens with ("Help center: …"): the writer's own name for it

    @property
    def spelling(self) -> str:
        return " ".join("and" if t.text == "&" else t.text for t in self.tokens)

    @property
    def stems(self) -> tuple[str, ...]:
        """The phrase's words for matching ("invoice email" is said by "Invoice emails"), joining words left out."""
        return tuple(_stem(t.key) for t in self.tokens if t.kind != "join")


def note_title(text: str) -> str:
    """A title for one note of cleaned text: its key noun phrase, no embedder needed ("Old phone number"); one word
    only where nothing of two can be made of the note's words (see `_two_words_first`)."""
    options = _key_phrases(text)
    return capitalised(_two_words_first(options, [text])[0].spelling) if options else _fallback([text])


def key_phrase(text: str) -> str:
    """What one note of cleaned text is about, as its best noun phrase, however short ("Referral link", "Fees")."""
    options = _key_phrases(text)
    return capitalised(options[0].spelling) if options else _opening_words(text)


def _key_phrases(text: str) -> list[_Phrase]:
    """The note's phrases, best first: a phrase of two words or more, then the likelier title, then the earlier."""
    phrases = _merged([_phrases(text)]).values()
    return sorted(phrases, key=lambda p: (len(p.stems) > 1, _prior(p), -p.position), reverse=True)


def titles(
    groups: Sequence[Sequence[str]], centres: np.ndarray, encode: Encode, taken: Iterable[str] = ()
) -> list[str]:
    """A distinct title per group of cleaned note texts, in the groups' order, none of them among `taken` (the
    titles other themes of the step already have).

    `centres` holds each group's mean sentence vector and `encode` embeds the candidate phrases the same way.
    Larger themes choose first, so the biggest theme gets the best phrase when two would share one.
    """
    notes = [[_phrases(text) for text in group] for group in groups]
    weights = _ctfidf([[{s for p in note for s in p.stems} for note in group] for group in notes])
    ranked = [_lexical(n, w) for n, w in zip(notes, weights, strict=True)]
    shortlists = [_shortlist(scores) for scores in ranked]
    spellings = sorted({p.spelling for shortlist in shortlists for p in shortlist})
    meaning = dict(zip(spellings, encode(spellings), strict=True)) if spellings else {}
    taken = {title.casefold() for title in taken}
    # a word of a stage's name is no title ("Damage"), nor its words in another spelling ("Disruption and refunds")
    given = [set(_stems(title)) for title in taken]
    result = [""] * len(groups)
    for g in sorted(range(len(groups)), key=lambda g: -len(groups[g])):
        fits = {
            p: _fit(ranked[g][p], meaning[p.spelling], centres, g, p.label and len(groups[g]) == 1)
            for p in shortlists[g]
        }
        options = sorted(fits, key=lambda p: fits[p], reverse=True)
        options += [p for p in _by_score(ranked[g]) if p not in fits]
        options = [
            p
            for p in options
            if p.spelling.casefold() not in taken and not any(set(p.stems) <= words for words in given)
        ]
        spelled = [capitalised(p.spelling) for p in _two_words_first(options, groups[g])] or [_fallback(groups[g])]
        title = next((s for s in spelled if s.casefold() not in taken), None) or _numbered(spelled[0], taken)
        taken.add(title.casefold())
        result[g] = title
    return result


def _two_words_first(options: list[_Phrase], texts: Sequence[str]) -> list[_Phrase | _Made]:
    """One word names a theme poorly ("Patients"): a longer option goes first when there is one, else the best word
    with its object when a note has one ("Ring a plumber"), else the two best single words joined ("Registrar and
    consultant"), else the best word with the words that lead to it in a note ("Own a car"), or that follow it
    ("Spend two days a month", "Sign those off"), else the fewest words around it in its clause that make a whole
    ("22% of tickets", "Tell me what was normal")."""
    if not options or len(options[0].stems) > 1:
        return options
    longer = next((p for p in options if len(p.stems) > 1), None)
    if longer is not None:
        return [longer, *(p for p in options if p is not longer)]
    with_object = next(filter(None, (_with_object(options[0], text) for text in texts)), None)
    if with_object is not None:
        return [_Made(with_object), *options]
    second = next((p for p in options[1:] if p.stems != options[0].stems), None)
    if second is not None:
        return [_Made(f"{options[0].spelling} and {second.spelling}"), *options]
    lead_in = next(filter(None, (_lead_in(options[0], text) for text in texts)), None)
    lead_in = lead_in or next(filter(None, (_follow_on(options[0], text) for text in texts)), None)
    lead_in = lead_in or next(filter(None, (_in_clause(options[0], text) for text in texts)), None)
    return [_Made(lead_in), *options] if lead_in else options


@dataclass(frozen=True)
class _Made:
    """A title made for a theme without a phrase of two words."""

    spelling: str


def _with_object(word: _Phrase, text: str) -> str | None:
    """The word as the verb it is when "a", "an" or a possessive and a noun follow it ("ring a plumber", "call our
    partner"); None otherwise."""
    for chunk in _BREAK.split(text):
        tokens = _tokens(chunk)
        for at, token in enumerate(tokens[:-2]):
            article, noun = tokens[at + 1], tokens[at + 2]
            if (_stem(token.key),) == word.stems and article.key in _OBJECT_LEADS and noun.kind == "word":
                return " ".join(t.text for t in tokens[at : at + 3])
    return None


def _lead_in(word: _Phrase, text: str) -> str | None:
    """The word with the fewest words before it in the text that make a phrase of it: a verb ("get in the post",
    "own a car" after "to"), a noun or a quantifier ("something decent", "every tool"), then any joining words;
    None when nothing leads to it."""
    for chunk in _BREAK.split(text):
        tokens = _tokens(chunk)
        at = next((i for i, t in enumerate(tokens) if (_stem(t.key),) == word.stems), None)
        for start in range(at - 1, max(at - SIDE_WORDS, 0) - 1, -1) if at else ():
            first, between = tokens[start], tokens[start + 1 : at]
            if any(t.kind not in ("join", "det") and t.key != "own" for t in between):  # "my own flat"
                break
            after_to = start > 0 and tokens[start - 1].key == "to"  # "want to own a car"
            if (
                first.kind in ("verb", "word", "participle")
                or first.key in _LEADS
                or first.key in VERB_FORMS
                or after_to
            ):
                return " ".join(t.text for t in tokens[start : at + 1])
    return None


def _follow_on(word: _Phrase, text: str) -> str | None:
    """The word with the words after it in its clause, up to the last word that is no joining word or article (at
    most SIDE_WORDS + 1 of them): "I spend two days a month chasing" -> "spend two days a month"; None when nothing
    follows it."""
    for chunk in _BREAK.split(text):
        tokens = _tokens(chunk)
        at = next((i for i, t in enumerate(tokens) if (_stem(t.key),) == word.stems), None)
        if at is None:
            continue
        after = tokens[at + 1 : at + 2 + SIDE_WORDS]
        while after and after[-1].key not in _PARTICLES and _says_little(after[-1]):
            after.pop()
        return " ".join(t.text for t in tokens[at : at + 1 + len(after)]) if after else None
    return None


def _in_clause(word: _Phrase, text: str) -> str | None:
    """The shortest run of two to MAX_WORDS words of the word's clause that holds it and starts and ends on a word
    that says something or a figure, as written ("22% of tickets", "Trustpilot (4.1)"): one ending on the word first,
    then one starting with it; None when its clause has no such run."""
    for clause in _WRITTEN_CLAUSE.split(text):
        words = clause.split()
        at = next((i for i, w in enumerate(words) if _stems(w.strip(_QUOTES)) == word.stems), None)
        if at is None:
            continue
        ends = {i for i, w in enumerate(words) if _says_something(w.strip(_QUOTES + "()"))}
        for length in range(2, MAX_WORDS + 1):
            runs = [(a, a + length) for a in range(at - length + 1, at + 1)]
            runs = [(a, b) for a, b in runs if a in ends and b - 1 in ends and _quotes_closed(words[a:b])]
            if runs:
                a, b = min(runs, key=lambda run: (run[1] - 1 != at, run[0] != at))
                return " ".join(words[a:b]).strip(_QUOTES + ",")
    return None


def _quotes_closed(words: list[str]) -> bool:
    """Whether a run of words cuts no quotation it holds: "weekly 'you saved £x' push", not "saved £x' push"; a
    quotation the run is a part of is fine ("tell me what was normal" of "\"I just wanted … what was normal\"")."""
    marks = sum(w[0] in _QUOTES for w in words[1:]) + sum(w[-1] in _QUOTES for w in words[:-1])
    return marks % 2 == 0


def _says_something(word: str) -> bool:
    """A figure ("22%", "4.1", "£30") or a word that is no joining word, article, stop word or filler."""
    if _FIGURE.match(word):
        return True
    tokens = _tokens(word)
    return len(tokens) == 1 and tokens[0].kind in ("word", "verb", "participle") and not _says_little(tokens[0])


def _says_little(token: _Token) -> bool:
    """A word no title ends on: a joining word, an article, a stop word, a figure or a filler ("a bit", "a lot")."""
    return token.kind in ("join", "det", "stop") or token.key in ENGLISH_STOP_WORDS or token.key in _FILLERS


def _phrases(text: str) -> list[_Phrase]:
    """Every candidate phrase of a note, in the note's order."""
    found: list[_Phrase] = []
    position = 0
    label = _label(text)
    for chunk in _BREAK.split(text):
        tokens = _tokens(chunk)
        phrases = _chunk_phrases(tokens, position)
        found += [replace(p, label=True) if p.spelling == label else p for p in phrases]
        position += len(tokens)
    return [
        p
        for p in found
        if any(s not in WEAK_TITLE_WORDS for s in p.stems) and not _names_the_method(p) and not _possessive(p)
    ]


def _possessive(phrase: _Phrase) -> bool:
    """A lone possessive ("person's", "Kemi's") leaves out what is theirs: no title."""
    return len(phrase.tokens) == 1 and phrase.tokens[0].text.lower().endswith(("'s", "’s"))


def _names_the_method(phrase: _Phrase) -> bool:
    """A phrase with the workshop's own terms ("Support touchpoints", "Biggest pain point") says what kind of note
    it is, never what the note is about."""
    stems = " ".join(phrase.stems)
    return any(term in f" {stems} " for term in (" touchpoint ", " touch point ", " pain point ", " painpoint "))


def _label(text: str) -> str | None:
    """The words of a short label the note opens with ("Help center: …", "The VAT step: …"), determiners left
    out; None when it opens otherwise or the label says what kind of note it is ("Support touchpoints: …")."""
    match = _LABEL.match(text)
    if not match:
        return None
    words = [m.group() for m in _TOKEN.finditer(match.group(1)) if _key(m.group()) not in _DETERMINERS]
    if any(_stem(_key(word)) in _NOTE_KINDS for word in words):
        return None
    return " ".join(words) if 1 < len(words) <= LABEL_WORDS else None


def _chunk_phrases(tokens: list[_Token], start: int) -> Iterator[_Phrase]:
    """Runs of words and their parts, and pairs of runs joined by a preposition or "and" (a determiner may follow).

    Each side ends in a noun, not an adjective; only whole runs are joined by "and" ("sales deck and FAQ", not
    "deck and FAQ").
    """
    runs = list(_runs(tokens))
    for a, b in runs:
        for i in range(a, b):
            for j in range(i + 1, min(b, i + RUN_WORDS) + 1):
                if not _is_adjective(tokens[j - 1].key):
                    headed = all(_is_adjective(t.key) for t in tokens[j:b])  # "invoice editor" of "… editor usable"
                    yield _Phrase(tuple(tokens[i:j]), start + i, whole=i == a, headed=headed)
    for (a1, b1), (a2, b2) in pairwise(runs):
        between = tokens[b1:a2]
        if not between or between[0].kind != "join" or any(t.kind != "det" for t in between[1:]):
            continue
        if _is_adjective(tokens[b1 - 1].key):
            continue
        both = between[0].key in ("and", "&")
        for i in [a1] if both else range(max(a1, b1 - SIDE_WORDS), b1):
            for j in [b2] if both else range(a2 + 1, min(b2, a2 + SIDE_WORDS) + 1):
                if (b1 - i) + 1 + (j - a2) <= MAX_WORDS and not _is_adjective(tokens[j - 1].key):
                    yield _Phrase((*tokens[i:b1], between[0], *tokens[a2:j]), start + i, i == a1, j == b2)


def _runs(tokens: list[_Token]) -> Iterator[tuple[int, int]]:
    start = None
    for i, token in enumerate([*tokens, _Token("", "stop")]):
        if token.kind == "word" and start is None:
            start = i
        elif token.kind != "word" and start is not None:
            yield start, i
            start = None


def _tokens(chunk: str) -> list[_Token]:
    """A chunk's words, each of the kind its next word decides."""
    return _in_context([_Token(m.group(), _kind(_key(m.group()))) for m in _TOKEN.finditer(chunk)])


def _in_context(tokens: list[_Token]) -> list[_Token]:
    """Kinds that the next words decide. A past participle directly before a word describes it ("missed
    payments") and is a word; elsewhere it is a verb ("invoice sent"). A word before "it" or "up" is a verb
    ("call it", "sign up"), and so is one before a particle it takes ("times out", `_phrasal`). An "-ing" form is
    always a verb: before a word it is as often a verb with its object ("chasing people") as a modifier ("sending
    domain")."""
    end = _Token("", "stop")
    following = [*tokens[1:], end]
    after = [*tokens[2:], end, end]
    return [_Token(t.text, _kind_before(t, *next_two)) for t, *next_two in zip(tokens, following, after, strict=False)]


def _kind_before(token: _Token, following: _Token, after: _Token) -> str:
    if token.kind == "participle":
        return "word" if following.kind in ("word", "participle") else "verb"
    if token.kind != "word":
        return token.kind
    if following.key in _AFTER_VERBS or _takes_object(token.key, following) or _phrasal(token, following, after):
        return "verb"
    return "word"


def _phrasal(token: _Token, particle: _Token, after: _Token) -> bool:
    """A verb with its particle: "the session times out", "hand out leaflets", "report back"; not the noun of
    "the sign up page"."""
    particles, base = PHRASAL_VERB_FORMS.get(token.key, (frozenset(), False))
    return particle.key in particles and not (base and after.kind in ("word", "participle"))


def _takes_object(key: str, following: _Token) -> bool:
    """A word with an object straight after is a verb: before a possessive ("ring our partner"), or in -s before
    any determiner ("contradicts the app"). A noun is rarely followed by either; "the app the evening before" is
    why a noun before "the" stays one."""
    if following.kind != "det" or _is_adjective(key):
        return False
    return following.key in _POSSESSIVES or (key.endswith("s") and not key.endswith(("ss", "us", "is", "'s")))


def _kind(key: str) -> str:
    if key in _JOINS:
        return "join"
    if key in _DETERMINERS:
        return "det"
    if _NUMBERED.match(key):
        return "word"
    if (
        key[0].isdigit()
        or _PARTICIPANT.match(key)
        or not 1 < len(key) <= MAX_WORD_CHARS
        or key in _STOP
        or _is_adverb(key)
        or _is_contraction(key)
    ):
        return "stop"
    if key.endswith("ed") and not key.endswith("eed") and len(key) > 4:
        return "participle"
    return "verb" if key in VERB_FORMS else "word"


def _is_adjective(key: str) -> bool:
    return key in ADJECTIVES or _NUMBERED.match(key) is not None or (len(key) > 5 and key.endswith(ADJECTIVE_ENDINGS))


def _is_adverb(key: str) -> bool:
    return len(key) > 4 and key.endswith("ly") and key not in LY_NOUNS_AND_ADJECTIVES


def _is_contraction(key: str) -> bool:
    """ "don't", "we're", "it's", "let's"; a possessive noun ("client's") is a word."""
    return "'" in key and not (key.endswith("'s") and key[:-2] not in _STOP and key != "let's")


def _key(text: str) -> str:
    return text.lower().replace("’", "'")


def _stem(key: str) -> str:
    """Singular, without a possessive: enough to match "invoice emails" with "the invoice email"."""
    key = key.removesuffix("'s")
    if len(key) > 4 and key.endswith("ies"):
        return key[:-3] + "y"
    if len(key) > 3 and key.endswith("s") and not key.endswith(("ss", "us", "is")):
        return key[:-1]
    return key


def _stems(text: str) -> tuple[str, ...]:
    return tuple(_stem(_key(m.group())) for m in _TOKEN.finditer(text))


def _strength(stems: Sequence[str]) -> float:
    return sum(WEAK if s in WEAK_TITLE_WORDS else 1.0 for s in stems) / len(stems)


def _prior(phrase: _Phrase) -> float:
    """How well a phrase names its one note: specific words, two to four of them, early in the note, not cut."""
    return _strength(phrase.stems) * _shape(phrase) / (1 + phrase.position / 20)


def _shape(phrase: _Phrase) -> float:
    """Two to four words, and a whole noun phrase: a part without its head ("old phone") is worse than one without
    its first modifiers ("phone number")."""
    fit = LENGTH[len(phrase.tokens)] * (1.0 if phrase.whole else 0.9) * (1.0 if phrase.headed else 0.6)
    return fit * (LABEL if phrase.label else 1.0)


def _merged(notes: list[list[_Phrase]]) -> dict[tuple[str, ...], _Phrase]:
    """One phrase per wording, spelled as most notes spell it, as whole as it is anywhere."""
    spellings: defaultdict[tuple[str, ...], Counter[_Phrase]] = defaultdict(Counter)
    for note in notes:
        for phrase in note:
            spellings[(*phrase.stems, len(phrase.tokens))][phrase] += 1
    merged = {}
    for key, seen in spellings.items():
        common = max(seen, key=lambda p: (seen[p], _shape(p), -p.position))
        best = max(seen, key=_shape)
        label = any(p.label for p in seen)
        merged[key] = _Phrase(common.tokens, min(p.position for p in seen), best.whole, best.headed, label)
    return merged


def _lexical(notes: list[list[_Phrase]], weights: dict[str, float]) -> dict[_Phrase, float]:
    """Each candidate's score for its theme, the best being 1: its prior for one note, else its words' c-TF-IDF."""
    phrases = _merged(notes).values()
    if len(notes) == 1:
        scores = {p: _prior(p) for p in phrases}
    else:
        scores = {
            p: sum(weights.get(s, 0.0) * (WEAK if s in WEAK_TITLE_WORDS else 1.0) for s in p.stems)
            / len(p.stems)
            * _shape(p)
            for p in phrases
        }
    top = max(scores.values(), default=0.0) or 1.0
    return {p: score / top for p, score in scores.items()}


def _by_score(scores: dict[_Phrase, float]) -> list[_Phrase]:
    """Best first; one word only after every longer phrase."""
    return sorted(scores, key=lambda p: (len(p.stems) == 1, -scores[p], p.position, p.spelling))


def _shortlist(scores: dict[_Phrase, float]) -> list[_Phrase]:
    ranked = _by_score(scores)
    longer = [p for p in ranked if len(p.stems) > 1]
    return (longer or ranked)[:SHORTLIST]


def _fit(score: float, vector: np.ndarray, centres: np.ndarray, g: int, own_label: bool) -> tuple[bool, float]:
    """Closer to its own theme than to any other of the step first (or the label a one-note theme's writer gave it:
    "Help center: …" names its note even when another theme mentions the help center too), then score times
    closeness to its theme."""
    closeness = centres @ vector
    own = float(closeness[g])
    others = np.delete(closeness, g)
    return (others.size == 0 or own > float(others.max()) or own_label, score * max(own, 0.0))


def _ctfidf(groups: list[list[set[str]]]) -> list[dict[str, float]]:
    """Per theme, each word's share of the theme's notes times log(1 + average words per theme / its frequency)."""
    counts = [Counter(word for note in group for word in note) for group in groups]
    frequency: Counter[str] = sum(counts, Counter())
    average = frequency.total() / max(len(groups), 1)
    return [
        {word: n / len(group) * math.log(1 + average / frequency[word]) for word, n in theme.items()}
        for group, theme in zip(groups, counts, strict=True)
    ]


def _opening_words(text: str) -> str:
    """What a note without a phrase ("+1 same here", "not now") is about: its first words, all it has to say."""
    return capitalised(shorten(" ".join(text.split()[:MAX_WORDS]), MAX_CHARS).rstrip(" ,;:-—–")) or EMPTY


def _fallback(texts: Sequence[str]) -> str:
    """A title for notes without a phrase ("not now", "Try: nobody tells them that, they just see nothing happen"):
    the first whole clause of the first note that says something, past an aside ("ok, …") and a short label
    ("Nobody tells them that"), made short (`_short_part`) where longer than a title; `EMPTY` when no note says
    anything."""
    text = _INTERJECTED.sub("", next((text for text in texts if text.strip()), ""))
    label = _LABEL.match(text)
    if label and len(label[1].split()) <= LABEL_WORDS and text[label.end() :].strip():
        text = text[label.end() :]  # "Try: …", "Before we wrap: …"
    clauses = [c for c in (c.strip(" \"'“”‘’*_") for c in _CLAUSE_BREAK.split(text)) if c]
    clause = next((c for c in clauses if len(c.split()) > 1 and _ends_whole(c)), clauses[0] if clauses else "")
    words = clause.split()
    if len(words) > MAX_WORDS:
        words = _short_part(words)
    return capitalised(shorten(" ".join(words).replace(" …", "…"), MAX_CHARS)) or EMPTY


def _ends_whole(clause: str) -> bool:
    """Whether a clause does not stop on a joining word ("agree with", before ", Alison it is")."""
    return _key(clause.split()[-1].rstrip("?")) not in _JOINS


def _short_part(words: list[str]) -> list[str]:
    """A clause too long for a title, made whole and short: a part of it between conjunctions ("not get it wrong
    and have to knock it down": *not get it wrong*), else its words up to a joining word ("can we agree a success
    metric for each of these?": *can we agree a success metric*), else its first words and "…"."""
    parts = [part.split() for part in _CONJUNCTION.split(" ".join(words))]
    if part := next((part for part in parts if 1 < len(part) <= MAX_WORDS), None):
        return part
    joins = [at for at, word in enumerate(words[: MAX_WORDS + 1]) if at > 1 and _key(word) in _JOINS]
    return words[: joins[-1]] if joins else [*words[:MAX_WORDS], "…"]


def _numbered(title: str, taken: set[str]) -> str:
    n = 2
    while f"{title} ({n})".casefold() in taken:
        n += 1
    return f"{title} ({n})"
