"""The persona card from the persona step's themes; quotes are the notes' own words, by their own authors."""

from __future__ import annotations

from collections.abc import Sequence

from workflows.llm.answers import PersonaAnswer, Quote
from workflows.llm.client import LLMClient
from workflows.llm.redaction import Mention, Shield
from workflows.llm.render import short_ids, theme_inputs, theme_listing
from workflows.llm.request import Request
from workflows.mapping.models import Contribution, Persona, Theme, Verbatim
from workflows.mapping.persona import DEFAULT_PERSONA_NAME, MAX_PERSONA_ITEMS, MAX_VERBATIMS
from workflows.mapping.quotes import quotes_in

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
    """The customer's words only, by the rules the embedded engine follows (`mapping.quotes`): a quote from an
    unknown note, or from a note holding no customer quote (the team's commentary), is dropped; words not found
    among the note's customer quotes are replaced by its first one, so nothing is put in the customer's mouth."""
    verbatims: dict[str, Verbatim] = {}
    for quote in quotes:
        note = notes.get(quote.note)
        said = quotes_in(note) if note else []
        if not said or quote.note in verbatims:
            continue
        words = _plain(shield.restore(quote.text).strip(" \"'“”"))
        chosen = next((q.text for q in said if words and (words in _plain(q.text) or _plain(q.text) in words)), None)
        verbatims[quote.note] = Verbatim(text=chosen or said[0].text, user=note.user)
    return list(verbatims.values())[:MAX_VERBATIMS]


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())
