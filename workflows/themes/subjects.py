"""What a touchpoint or pain-point note is about, as its writer says it first.

Such notes mostly name their subject, then comment: "Demo call with an AE, 30 min, mostly Gantt because that's
what the COO cares about". A sentence model reads the whole note, so two notes about the demo call drift apart
on their commentary and two comments alike ("the COO cares", "the CFO cares") drift together. The opening
clause, without the stage it is labelled with, is the subject; the embedded engine weighs it as much as the
whole note.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from workflows.themes.clustering.cleaning import clean
from workflows.themes.clustering.titles import key_phrase
from workflows.themes.stage_placement import bare, stage_heading
from workflows.workshop.stages import StageDef

MOST_WORDS = 8  # a subject longer than this is a sentence: its first words are the subject
LABEL_WORDS = 3  # a label is a word or three before a colon: "Context:", "Digital habits:", "Price checker:"
# Where an opening clause ends: a mark before a space ("1,900", "10:30" and "v2.1" go on), a bracket, or a dash or
# an arrow between words ("-" inside "e-mail" is no end).
_LABEL = re.compile(r"^\s*([^.,;:!?()\[\]{}\"“”/|\n–—→=<>#*+]{2,40}):\s")
# A stage's name the note opens with: "Awareness: …", "[Purchase] …", "(Loyalty) …", "Discover damage - …".
_STAGE_LABEL = re.compile(r"^\s*(\[[^\]\n]{1,40}\]|\([^)\n]{1,40}\)|[^:\n]{1,40}?(?::|\s[-–—]+\s|//))\s*")
_LEAD_IN = re.compile(r"^\s*(?!>)([^:\n]{2,160}?):\s+(\S.*)", re.DOTALL)
_CLAUSE_END = re.compile(r"\s*(?:[:;,.!?](?=\s|$)|[()\[\]]|\s[-–—]+\s|[–—]|--|//|->|=>|→)\s*")


def subject_of(text: str, stages: Sequence[StageDef]) -> str | None:
    """The note's opening clause (at least two words, at most MOST_WORDS) past any greeting and stage label; None
    when the note has no more than that to say."""
    clauses = [c for c in _CLAUSE_END.split(clean(bare(text))) if c.strip()]
    if clauses and stage_heading(clauses[0], stages):  # "Awareness: …", "[Purchase] …", "In Adoption, …"
        clauses = clauses[1:]
    opening = next((c.split() for c in clauses if len(c.split()) >= 2), None)
    if opening is None or len(clauses) == 1 and len(opening) <= MOST_WORDS:
        return None
    return " ".join(opening[:MOST_WORDS])


def past_lead_in(text: str) -> str | None:
    """What a note says past a lead-in longer than a label, before its first colon: a list's heading kept on its
    items ("From the Feb interviews, the core profile: 28–40, self-employed …" -> "28–40, self-employed …") or the
    note's own ("Frustration I hear on every sales call: VAT …"); None without one. Items under one heading were
    mostly different parts of a persona (32 pairs of 97 in the labelled workshops share a theme), yet the heading's
    words made them read alike."""
    match = _LEAD_IN.match(bare(text))
    return match[2] if match and len(match[1].split()) > LABEL_WORDS else None


def opening_label(text: str, stages: Sequence[StageDef]) -> str | None:
    """The short label a note opens with, in lower case ("Context: …" -> "context"); None for none, or for a
    stage's name ("Awareness: …"), which says where the note is, not what it is."""
    match = _LABEL.match(bare(text))
    if match is None or len(match[1].split()) > LABEL_WORDS or stage_heading(match[1], stages):
        return None
    return " ".join(match[1].split()).casefold()


def key_phrase_of(text: str, stages: Sequence[StageDef]) -> str:
    """The noun phrase that names what the note is about, as a title of it would ("Referral link" of "NPS
    promoters see the referral link on the thank-you page"), past any stage's name it opens with: two notes of
    which one says the other's key phrase are most often about one thing, in however different words."""
    body = bare(text)
    label = _STAGE_LABEL.match(body)
    if label and stage_heading(label[1].strip("[]():/ -–—"), stages):
        body = body[label.end() :]
    return key_phrase(clean(body))
