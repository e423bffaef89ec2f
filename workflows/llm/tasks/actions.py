"""Action items from the action-plan notes: title, owner (only someone the note mentions), due date, the pain
point it addresses; near-identical notes become one action."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from pydantic import BaseModel, Field

from workflows.actions.parsing import parse_action
from workflows.llm.answers import ActionsAnswer
from workflows.llm.client import LLMClient
from workflows.llm.redaction import Mention
from workflows.llm.render import short_ids, theme_inputs
from workflows.mapping.models import ActionItem, Theme
from workflows.mapping.synthesis import link_actions


class ActionNote(BaseModel):
    """An action-plan contribution with its mentions, in order: (Slack user id, label as written after @)."""

    id: str
    text: str
    mentions: list[Mention] = Field(default_factory=list)


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
    pain_stage = pain_stage or {}
    shield = client.shield()
    short = short_ids("a", notes)
    pains = short_ids("p", pain_themes)
    answer = client.ask(
        "actions",
        ActionsAnswer,
        {
            "today": f"{today.isoformat()} ({today:%A})",
            "pain_points": "\n".join(f"{pid}: {shield.send(theme.title)}" for pid, theme in pains.items()) or "(none)",
            "notes": "\n".join(f"{nid}: {shield.send(note.text, note.mentions)}" for nid, note in short.items()),
        },
        inputs={
            "notes": [note.model_dump(mode="json") for note in notes],
            "pains": theme_inputs(pain_themes),
            "today": today.isoformat(),
        },
    )
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
                title=shield.restore(action.title).strip() or sources[0].text,
                owner=_owner(shield.user_of(action.owner) if action.owner else None, sources),
                due=action.due,
                pain_point=pain.id if pain else None,
                stage=pain_stage.get(pain.id) if pain else None,
            )
        )
    forgotten = [note for note in notes if note.id not in taken]
    if forgotten:
        drafts = [parse_action(note.text, note.mentions, today) for note in forgotten]
        items += link_actions(drafts, pain_themes, pain_stage)
    return [item.model_copy(update={"id": f"A{number}"}) for number, item in enumerate(items, start=1)]


def _owner(user: str | None, sources: Sequence[ActionNote]) -> str | None:
    """The user the model named, if one of the action's own notes mentions them: owners are never invented."""
    return user if any(user == mentioned for note in sources for mentioned, _ in note.mentions) else None
