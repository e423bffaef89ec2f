"""The one interface every clustering engine (embedded model, LLM) sits behind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, Field


class Note(BaseModel):
    """One contribution as the clusterer sees it: an id and its text, nothing about who wrote it."""

    id: str
    text: str
    reply: str | None = None  # the Slack reply it is a part of (a bullet of a list), for placing it on a stage
    builds_on: str | None = None  # the id of the note it endorses ("+1 to @Ana's point"): it joins that note's theme
    subject: str | None = None  # what it is about, said first (`workflows.themes.subjects`): weighs as the whole note
    stage: str | None = None  # the journey stage it is placed on, for touchpoints and pain points
    part: str | None = None  # the part of the persona it speaks to ("goals", "name"), if any
    label: str | None = None  # the short label it opens with ("Context: …"), a stage's name aside
    key_phrase: str | None = None  # the noun phrase that names what it is about ("Referral link"), a stage aside
    tagged: bool = False  # it says where it comes from ("[survey] …", "[analytics] …"): evidence, not an assumption


class ThemeDraft(BaseModel):
    """A group of notes with a title; every input id ends up in exactly one draft."""

    title: str
    ids: list[str]
    summary: str | None = Field(default=None)
    stage: str | None = Field(default=None)  # the journey stage its notes are on, for touchpoints and pain points


class ClusterEngine(Protocol):
    name: str

    def cluster(self, notes: Sequence[Note]) -> list[ThemeDraft]: ...
