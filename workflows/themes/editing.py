"""The facilitator's say over a closed step's themes: rename one, merge two, move notes to another theme or a new
one. Each change is applied to the stored themes (what the map is made from) and kept in the step's history."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from storage.models import Step, ThemeEdit, ThemeMember, ThemeReaction, ThemeRow
from workflows.actions.service import theme_key
from workflows.contributions.text import shorten
from workflows.mapping.models import StepKey
from workflows.ports import ThemeChanges
from workflows.themes.reactions import PROMPTS as RATED
from workflows.themes.service import themes_of
from workflows.workshop.errors import WorkshopError, require_one_of
from workflows.workshop.models import StepState, WorkshopState
from workflows.workshop.service import stage_defs, view_of

EDITORS = "the workshop's facilitator or the map's owner"
STAGED = {StepKey.touchpoints, StepKey.pain_points}  # the steps whose themes sit on the map's stages
MAX_TITLE = 150


class ThemeGone(WorkshopError):
    def __init__(self) -> None:
        super().__init__("That theme has changed meanwhile (merged or emptied): open the editor again to see it now.")


class NoteCard(BaseModel):
    id: int
    text: str


class ThemeCard(BaseModel):
    id: int
    title: str
    stage: str | None = None
    notes: list[NoteCard] = Field(default_factory=list)


class StepThemes(BaseModel):
    """A closed step's themes as the editor shows them."""

    step_id: int
    key: StepKey
    themes: list[ThemeCard]
    may_edit: bool
    stages: list[str] = Field(default_factory=list)  # where a theme can be placed (touchpoints and pain points)


class Edited(BaseModel):
    """What an edit changed, so the theme messages follow: themes to show again, themes gone, themes new."""

    step_id: int
    changed: list[int] = Field(default_factory=list)
    # (its message ts, its title, the theme its notes joined: None when they were set aside)
    removed: list[tuple[str | None, str, int | None]] = Field(default_factory=list)
    added: list[int] = Field(default_factory=list)


def step_themes(session: Session, team_id: str, step_id: int, user_id: str) -> StepThemes:
    step = _step(session, team_id, step_id)
    cards = [
        ThemeCard(
            id=row.id,
            title=row.title,
            stage=row.stage,
            notes=[NoteCard(id=m.contribution.id, text=m.contribution.text) for m in row.members],
        )
        for row in sorted(step.themes, key=lambda r: r.position)
    ]
    return StepThemes(
        step_id=step.id,
        key=StepKey(step.key),
        themes=cards,
        may_edit=_may_edit(step, user_id),
        stages=[s.name for s in stage_defs(step.workshop)] if StepKey(step.key) in STAGED else [],
    )


def rename(session: Session, team_id: str, step_id: int, theme_id: int, title: str, user_id: str) -> Edited:
    step = _editable(session, team_id, step_id, user_id)
    theme = _theme(step, theme_id)
    title = shorten(" ".join(title.split()), MAX_TITLE)
    if not title:
        raise WorkshopError("A theme needs a title.")
    _record(session, step, user_id, "rename", {"theme": theme.id, "from": theme.title, "to": title})
    theme.title = title
    return Edited(step_id=step.id, changed=[theme.id])


def set_stage(session: Session, team_id: str, step_id: int, theme_id: int, stage: str, user_id: str) -> Edited:
    """Puts a touchpoint or pain-point theme on another of the map's stages."""
    step = _editable(session, team_id, step_id, user_id)
    theme = _theme(step, theme_id)
    if StepKey(step.key) not in STAGED or stage not in {s.name for s in stage_defs(step.workshop)}:
        raise WorkshopError("Pick one of the map's stages.")
    _record(session, step, user_id, "stage", {"theme": theme.id, "from": theme.stage, "to": stage})
    theme.stage = stage
    return Edited(step_id=step.id, changed=[theme.id])


def merge(session: Session, team_id: str, step_id: int, theme_id: int, into_id: int, user_id: str) -> Edited:
    """Every note of `theme_id` joins `into_id`, which keeps its title; people's ratings and votes come along."""
    step = _editable(session, team_id, step_id, user_id)
    theme, into = _theme(step, theme_id), _theme(step, into_id)
    if theme.id == into.id:
        raise WorkshopError("Pick another theme to merge with.")
    _record(session, step, user_id, "merge", {"theme": theme.id, "title": theme.title, "into": into.id})
    kept = {(r.user_id, r.reaction) for r in into.reactions}
    for reaction in list(theme.reactions):
        if (reaction.user_id, reaction.reaction) not in kept:
            session.execute(
                update(ThemeReaction)
                .where(ThemeReaction.theme_id == theme.id, ThemeReaction.user_id == reaction.user_id)
                .where(ThemeReaction.reaction == reaction.reaction)
                .values(theme_id=into.id)
            )
    edited = Edited(step_id=step.id, changed=[into.id])
    _leave(session, theme, [m.contribution_id for m in theme.members], into, edited)
    return edited


def move_notes(
    session: Session,
    team_id: str,
    step_id: int,
    theme_id: int,
    note_ids: Sequence[int],
    to_id: int | None,
    user_id: str,
    new_title: str | None = None,
) -> Edited:
    """The chosen notes leave their theme for `to_id`, or for a new theme (`to_id` None) titled `new_title`.

    A theme left without notes is removed."""
    step = _editable(session, team_id, step_id, user_id)
    theme = _theme(step, theme_id)
    chosen = [m.contribution_id for m in theme.members if m.contribution_id in set(note_ids)]
    if not chosen:
        raise WorkshopError("Pick at least one note to move.")
    edited = Edited(step_id=step.id)
    if to_id is None:
        texts = {c.id: c.text for c in step.contributions}
        title = shorten(" ".join((new_title or texts[chosen[0]]).split()), MAX_TITLE)
        target = ThemeRow(
            step_id=step.id,
            position=max(r.position for r in step.themes) + 1,
            title=title,
            stage=theme.stage,
            quote_contribution_id=chosen[0],
        )
        session.add(target)
        session.flush()
        edited.added.append(target.id)
    else:
        target = _theme(step, to_id)
        if target.id == theme.id:
            raise WorkshopError("Pick another theme to move the notes to.")
        edited.changed.append(target.id)
    _record(session, step, user_id, "move", {"notes": chosen, "from": theme.id, "to": target.id})
    _leave(session, theme, chosen, target, edited)
    return edited


def changes(session: Session, edited: Edited) -> ThemeChanges:
    """What the step's messages must now show, after `edited`."""
    step = session.get_one(Step, edited.step_id)
    session.refresh(step)
    by_key = {theme.id: theme for theme in themes_of(step)}
    shown = {row.id: by_key[theme_key(row)] for row in step.themes}
    ts = {row.id: row.message_ts for row in step.themes}
    titles = {row.id: row.title for row in step.themes}
    return ThemeChanges(
        workshop=view_of(step.workshop),
        step=StepKey(step.key),
        thread_ts=step.message_ts,
        themes_ts=step.themes_ts,
        themes=list(shown.values()),
        changed=[(ts[i], shown[i]) for i in edited.changed if ts.get(i)],
        removed=[(gone, title, titles.get(into) if into else None) for gone, title, into in edited.removed if gone],
        added=[(i, shown[i]) for i in edited.added if StepKey(step.key) in RATED],
    )


def set_aside_notes(
    session: Session, team_id: str, step_id: int, theme_id: int, note_ids: Sequence[int], user_id: str
) -> Edited:
    """The chosen notes are not notes about the journey (a side remark, a question to the team): they leave their
    theme for the map's set-aside list. A theme left without notes is removed."""
    step = _editable(session, team_id, step_id, user_id)
    theme = _theme(step, theme_id)
    chosen = [m.contribution for m in theme.members if m.contribution_id in set(note_ids)]
    if not chosen:
        raise WorkshopError("Pick at least one note to set aside.")
    _record(session, step, user_id, "aside", {"notes": [c.id for c in chosen], "from": theme.id})
    for contribution in chosen:
        contribution.aside = True
    edited = Edited(step_id=step.id)
    _leave(session, theme, [c.id for c in chosen], None, edited)
    return edited


def set_message(session: Session, theme_id: int, ts: str) -> None:
    """The message a new theme got in its step's thread, where people rate it or vote on it."""
    session.execute(update(ThemeRow).where(ThemeRow.id == theme_id).values(message_ts=ts))


def _leave(
    session: Session, theme: ThemeRow, contribution_ids: list[int], target: ThemeRow | None, edited: Edited
) -> None:
    """The notes leave `theme` for `target` (None: for no theme). The theme keeps a quote of its own, or, left
    without notes, is removed; `edited` says which, for its message to follow."""
    leaving = (ThemeMember.theme_id == theme.id) & ThemeMember.contribution_id.in_(contribution_ids)
    if target is None:
        session.execute(delete(ThemeMember).where(leaving))
    else:
        session.execute(update(ThemeMember).where(leaving).values(theme_id=target.id))
    session.flush()
    session.expire_all()
    if theme.members:
        if theme.quote_contribution_id in contribution_ids:
            theme.quote_contribution_id = theme.members[0].contribution_id
        edited.changed.insert(0, theme.id)
        return
    edited.removed.append((theme.message_ts, theme.title, target.id if target else None))
    session.delete(theme)
    session.flush()


def _record(session: Session, step: Step, user_id: str, kind: str, detail: dict) -> None:
    session.add(ThemeEdit(step_id=step.id, user_id=user_id, kind=kind, detail=detail))


def _step(session: Session, team_id: str, step_id: int) -> Step:
    step = session.get(Step, step_id)
    if step is None or step.workshop.team_id != team_id:
        raise WorkshopError("That step is not part of a workshop here.")
    return step


def _may_edit(step: Step, user_id: str) -> bool:
    return user_id in _editors(step) and _changeable(step)


def _editors(step: Step) -> set[str | None]:
    return {step.workshop.facilitator_id, step.workshop.map_owner_id}


def _changeable(step: Step) -> bool:
    """Once the step has closed, and until the map is published."""
    return step.workshop.status == WorkshopState.open and step.status == StepState.closed


def _editable(session: Session, team_id: str, step_id: int, user_id: str) -> Step:
    step = _step(session, team_id, step_id)
    require_one_of(user_id, _editors(step), EDITORS, "change these themes")
    if not _changeable(step):
        raise WorkshopError("These themes can be changed once their step has closed and until the map is published.")
    return step


def _theme(step: Step, theme_id: int) -> ThemeRow:
    found = next((row for row in step.themes if row.id == theme_id), None)
    if found is None:
        raise ThemeGone()
    return found
