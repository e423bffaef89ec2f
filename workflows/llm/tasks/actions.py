"""Action items from the action-plan notes: title, owner (only someone the note mentions), due date, the pain
point it addresses; near-identical notes become one action."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field

from workflows.actions.parsing import parse_action
from workflows.llm.answers import ActionsAnswer
from workflows.llm.checks import left_out
from workflows.llm.client import LLMClient
from workflows.llm.redaction import Mention, Shield
from workflows.llm.render import short_ids, theme_inputs
from workflows.llm.request import Request
from workflows.mapping.models import ActionItem, Theme
from workflows.mapping.synthesis import link_actions


class ActionNote(BaseModel):
    """An action-plan contribution with its mentions, in order: (Slack user id, label as written after @)."""

    id: str
    text: str
    mentions: list[Mention] = Field(default_factory=list)
    author: str | None = None  # who wrote it: the owner when the note says so ("owner me", "I'll take it")


@dataclass(frozen=True)
class ActionsContext:
    """What reading the answer needs: notes and pain themes by short id, and what the embedded fallback needs."""

    notes: dict[str, ActionNote]  # a1, … → note, in the caller's order
    pains: dict[str, Theme]  # p1, … → pain-point theme, in the caller's order
    today: date
    pain_stage: Mapping[str, str]  # pain theme id → its stage


ActionsRequest = Request[ActionsAnswer, ActionsContext]


def actions(
    client: LLMClient,
    notes: Sequence[ActionNote],
    pain_themes: Sequence[Theme],
    today: date,
    pain_stage: Mapping[str, str] | None = None,
) -> list[ActionItem]:
    """Items A1, A2, … like `link_actions`. Each note feeds one action at most (unknown ids discarded); a note the
    model forgot is parsed and linked by the embedded functions. `pain_stage` maps a pain theme id to its stage."""
    if not notes:
        return []
    request = build_actions(notes, pain_themes, today, pain_stage or {}, client.people)
    return read_actions(client.ask(request), request)


def build_actions(
    notes: Sequence[ActionNote],
    pain_themes: Sequence[Theme],
    today: date,
    pain_stage: Mapping[str, str],
    people: Sequence[Mention],
) -> ActionsRequest:
    """Today's date (to resolve "by Friday"), the pain points' titles and the notes, each under a short id and
    redacted with its own mentions pseudonymised."""
    shield = Shield(people)
    short = short_ids("a", notes)
    pains = short_ids("p", pain_themes)
    return Request(
        task="actions",
        answer=ActionsAnswer,
        variables={
            "today": f"{today.isoformat()} ({today:%A})",
            "pain_points": "\n".join(f"{pid}: {shield.send(theme.title)}" for pid, theme in pains.items()) or "(none)",
            "notes": "\n".join(f"{nid}: {shield.send(note.text, note.mentions)}" for nid, note in short.items()),
        },
        inputs={
            "notes": [note.model_dump(mode="json") for note in notes],
            "pains": theme_inputs(pain_themes),
            "today": today.isoformat(),
        },
        shield=shield,
        context=ActionsContext(notes=short, pains=pains, today=today, pain_stage=pain_stage),
        size=len(notes),
        check=lambda answer: left_out("note", (nid for action in answer.actions for nid in action.notes), short),
    )


def read_actions(answer: ActionsAnswer, request: ActionsRequest) -> list[ActionItem]:
    """The model's actions in the caller's ids, each note used once; forgotten notes parsed by the embedded
    functions; then numbered A1, A2, …"""
    context, shield = request.context, request.shield
    short, pains = context.notes, context.pains
    taken: set[str] = set()
    items: list[ActionItem] = []
    for action in answer.actions:
        sources = [short[nid] for nid in dict.fromkeys(action.notes) if nid in short and short[nid].id not in taken]
        if not sources:
            continue
        taken.update(note.id for note in sources)
        pain = pains.get(action.pain_point or "")
        items.append(
            ActionItem(
                id="",
                title=_plain_title(shield.restore(action.title), sources, context.today) or sources[0].text,
                owner=_owner(shield.user_of(action.owner) if action.owner else None, sources, context.today),
                due=action.due,
                pain_point=pain.id if pain else None,
                stage=context.pain_stage.get(pain.id) if pain else None,
            )
        )
    forgotten = [note for note in short.values() if note.id not in taken]
    if forgotten:
        drafts = [parse_action(note.text, note.mentions, context.today, note.author) for note in forgotten]
        items += link_actions(drafts, list(pains.values()), context.pain_stage)
    return [item.model_copy(update={"id": f"A{number}"}) for number, item in enumerate(items, start=1)]


def _plain_title(title: str, sources: Sequence[ActionNote], today: date) -> str:
    """The model's title without an owner or a date it kept ("Add a decline reason, @Ana by Friday"), as the embedded
    engine words a title; empty when the model gave none."""
    if not title.strip():
        return ""
    return parse_action(title, [mention for note in sources for mention in note.mentions], today).title


def _owner(user: str | None, sources: Sequence[ActionNote], today: date) -> str | None:
    """The user the model named, if one of the action's own notes mentions them: owners are never invented. Else
    the owner the notes themselves give, as the embedded engine reads them (a writer saying "owner me")."""
    if any(user == mentioned for note in sources for mentioned, _ in note.mentions):
        return user
    return next(filter(None, (parse_action(n.text, n.mentions, today, n.author).owner for n in sources)), None)
