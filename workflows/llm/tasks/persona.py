"""The persona card from the persona step's themes; quotes are the notes' own words, by their own authors."""

from __future__ import annotations

from collections.abc import Sequence

from workflows.contributions.text import shorten
from workflows.llm.answers import PersonaAnswer, Quote
from workflows.llm.client import LLMClient
from workflows.llm.redaction import Mention, Shield
from workflows.llm.render import short_ids, theme_inputs, theme_listing
from workflows.llm.request import Request
from workflows.mapping.models import Contribution, Persona, Theme, Verbatim
from workflows.mapping.persona import DEFAULT_PERSONA_NAME, MAX_PERSONA_ITEMS, MAX_VERBATIM_CHARS, MAX_VERBATIMS

PersonaRequest = Request[PersonaAnswer, dict[str, Contribution]]  # context: note id shown (c1, …) → its note


def persona(client: LLMClient, themes: Sequence[Theme]) -> Persona:
    request = build_persona(themes, client.people)
    return read_persona(client.ask(request), request)


def build_persona(themes: Sequence[Theme], people: Sequence[Mention]) -> PersonaRequest:
    """The themes with their first notes, each note under an id so a quote can be traced to its author."""
    shield = Shield(people)
    listing, notes = theme_listing(short_ids("t", themes), shield, note_prefix="c")
    return Request(
        task="persona",
        answer=PersonaAnswer,
        variables={"themes": listing},
        inputs=theme_inputs(themes),
        shield=shield,
        context=notes,
        size=len(themes),
        check=persona_problem,
    )


def persona_problem(answer: PersonaAnswer) -> str | None:
    """A card with nothing on it is no persona, whatever its name."""
    if not (answer.goals or answer.needs or answer.frustrations or answer.quotes):
        return "it has no goals, needs, frustrations or quotes; take them from the notes"
    return None


def read_persona(answer: PersonaAnswer, request: PersonaRequest) -> Persona:
    """The card restored and trimmed to the embedded persona's limits; quotes as `_verbatims` allows them."""
    shield = request.shield
    return Persona(
        name=shield.restore(answer.name).strip() or DEFAULT_PERSONA_NAME,
        segment=shield.restore_optional(answer.segment),
        goals=[shield.restore(item) for item in answer.goals][:MAX_PERSONA_ITEMS],
        needs=[shield.restore(item) for item in answer.needs][:MAX_PERSONA_ITEMS],
        frustrations=[shield.restore(item) for item in answer.frustrations][:MAX_PERSONA_ITEMS],
        verbatims=_verbatims(answer.quotes, request.context, shield),
    )


def _verbatims(quotes: Sequence[Quote], notes: dict[str, Contribution], shield: Shield) -> list[Verbatim]:
    """A quote from an unknown note is dropped (no author can be named); words not found in their note are
    replaced by the whole note, so nothing the customer did not say is put in their mouth."""
    verbatims: dict[str, Verbatim] = {}
    for quote in quotes:
        note = notes.get(quote.note)
        if note is None or quote.note in verbatims:
            continue
        words = shield.restore(quote.text).strip(" \"'“”")
        said = words if words and _plain(words) in _plain(note.text) else shorten(note.text, MAX_VERBATIM_CHARS)
        verbatims[quote.note] = Verbatim(text=said, user=note.user)
    return list(verbatims.values())[:MAX_VERBATIMS]


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())
