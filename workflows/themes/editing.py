"""The facilitator's say over a closed step's themes: rename one, merge two, split one, move notes to another theme
or a new one, set notes aside or mark them as customer quotes, place a touchpoint or pain point, name a touchpoint's
channel, or group the step again. Each change is applied to the stored themes (what the map is made from) and kept
in the step's history; a theme a person edited keeps its edits when the step is grouped again."""

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
from workflows.themes.clustering.embedded import EmbeddedEngine
from workflows.themes.reactions import PROMPTS as RATED
from workflows.themes.service import (
    cluster_step,
    free_notes,
    note_stages,
    step_plan,
    store_themes,
    substantive,
    themes_of,
)
from workflows.workshop.errors import WorkshopError, require_one_of
from workflows.workshop.models import StepState, WorkshopState
from workflows.workshop.service import view_of

EDITORS = "the workshop's facilitator or the map's owner"
MAX_TITLE = 150
MAX_CHANNEL = 60
MAX_THEMES = 60  # a regrouping's most themes: more would not make a readable map


class ThemeGone(WorkshopError):
    def __init__(self) -> None:
        super().__init__("That theme has changed meanwhile (merged or emptied): open the editor again to see it now.")


class NoteCard(BaseModel):
    id: int
    text: str
    quote: bool = False  # marked as a customer's own words


class ThemeCard(BaseModel):
    id: int
    title: str
    stage: str | None = None
    channel: str | None = None
    kept: bool = False  # a person edited it: grouping the step again leaves it as it is
    notes: list[NoteCard] = Field(default_factory=list)


class StepThemes(BaseModel):
    """A closed step's themes as the editor shows them."""

    step_id: int
    key: StepKey
    themes: list[ThemeCard]
    may_edit: bool
    stages: list[str] = Field(default_factory=list)  # where a theme can be placed (touchpoints and pain points)
    ungrouped: int = 0  # notes in no theme (late ones): grouping the step again takes them in
    regroupable: bool = True  # closed: its notes can be grouped again (a revision step's open themes cannot)


class Edited(BaseModel):
    """What an edit changed, so the theme messages follow: themes to show again, themes gone, themes new."""

    step_id: int
    changed: list[int] = Field(default_factory=list)
    # (its message ts, its title, the theme its notes joined: None when they were set aside)
    removed: list[tuple[str | None, str, int | None]] = Field(default_factory=list)
    added: list[int] = Field(default_factory=list)
    regrouped: list[tuple[str | None, str]] = Field(default_factory=list)  # (message ts, title) of themes re-made


def step_themes(session: Session, team_id: str, step_id: int, user_id: str) -> StepThemes:
    step = _step(session, team_id, step_id)
    cards = [
        ThemeCard(
            id=row.id,
            title=row.title,
            stage=row.stage,
            channel=row.channel,
            kept=row.kept,
            notes=[
                NoteCard(id=m.contribution.id, text=m.contribution.text, quote=m.contribution.quote)
                for m in row.members
            ],
        )
        for row in sorted(step.themes, key=lambda r: r.position)
    ]
    return StepThemes(
        step_id=step.id,
        key=StepKey(step.key),
        themes=cards,
        may_edit=_may_edit(step, user_id),
        ungrouped=len(ungrouped_notes(step)) if step.status == StepState.closed else 0,
        regroupable=step.status == StepState.closed,
        stages=[s.name for s in note_stages(step)],
    )


def ungrouped_notes(step: Step) -> list[int]:
    """Notes in no theme: replies that came after the step closed. Grouping the step again takes them in."""
    themed = {m.contribution_id for row in step.themes for m in row.members}
    notes = substantive(step)
    return [c.id for c in step.contributions if c.id in notes and not c.aside and c.id not in themed]


def rename(session: Session, team_id: str, step_id: int, theme_id: int, title: str, user_id: str) -> Edited:
    step = _editable(session, team_id, step_id, user_id)
    theme = _theme(step, theme_id)
    title = shorten(" ".join(title.split()), MAX_TITLE)
    if not title:
        raise WorkshopError("A theme needs a title.")
    _record(session, step, user_id, "rename", {"theme": theme.id, "from": theme.title, "to": title})
    theme.title, theme.kept = title, True
    return Edited(step_id=step.id, changed=[theme.id])


def set_stage(session: Session, team_id: str, step_id: int, theme_id: int, stage: str, user_id: str) -> Edited:
    """Puts a touchpoint or pain-point theme on another of the map's stages."""
    step = _editable(session, team_id, step_id, user_id)
    theme = _theme(step, theme_id)
    if stage not in {s.name for s in note_stages(step)}:
        raise WorkshopError("Pick one of the map's stages.")
    _record(session, step, user_id, "stage", {"theme": theme.id, "from": theme.stage, "to": stage})
    theme.stage, theme.kept = stage, True
    return Edited(step_id=step.id, changed=[theme.id])


def merge(session: Session, team_id: str, step_id: int, theme_id: int, into_id: int, user_id: str) -> Edited:
    """Every note of `theme_id` joins `into_id`, which keeps its title; people's ratings and votes come along."""
    step = _editable(session, team_id, step_id, user_id)
    theme, into = _theme(step, theme_id), _theme(step, into_id)
    if theme.id == into.id:
        raise WorkshopError("Pick another theme to merge with.")
    _record(session, step, user_id, "merge", {"theme": theme.id, "title": theme.title, "into": into.id})
    into.kept = True
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
    kind: str = "move",
) -> Edited:
    """The chosen notes leave their theme for `to_id`, or for a new theme (`to_id` None) titled `new_title`: a
    split (`kind`) is the latter. A theme left without notes is removed; the theme the notes joined is kept as it
    is when the step is grouped again."""
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
            kept=True,
        )
        session.add(target)
        session.flush()
        edited.added.append(target.id)
    else:
        target = _theme(step, to_id)
        if target.id == theme.id:
            raise WorkshopError("Pick another theme to move the notes to.")
        target.kept = True
        edited.changed.append(target.id)
    _record(session, step, user_id, kind, {"notes": chosen, "from": theme.id, "to": target.id})
    _leave(session, theme, chosen, target, edited)
    return edited


def mark_quotes(
    session: Session, team_id: str, step_id: int, theme_id: int, note_ids: Sequence[int], user_id: str
) -> Edited:
    """The chosen notes of the theme are customers' own words (the map quotes them); its other notes are not."""
    step = _editable(session, team_id, step_id, user_id)
    theme = _theme(step, theme_id)
    chosen = set(note_ids)
    marked = [m.contribution.id for m in theme.members if m.contribution.quote]
    _record(session, step, user_id, "quote", {"theme": theme.id, "from": marked, "to": sorted(chosen)})
    for member in theme.members:
        member.contribution.quote = member.contribution_id in chosen
    return Edited(step_id=step.id, changed=[theme.id])


def set_channel(session: Session, team_id: str, step_id: int, theme_id: int, channel: str, user_id: str) -> Edited:
    """Names the channel of a touchpoint (email, app, phone…); empty lets the map read it from the notes again."""
    step = _editable(session, team_id, step_id, user_id)
    theme = _theme(step, theme_id)
    if StepKey(step.key) != StepKey.touchpoints:
        raise WorkshopError("Only a touchpoint has a channel.")
    named = shorten(" ".join(channel.split()), MAX_CHANNEL) or None
    _record(session, step, user_id, "channel", {"theme": theme.id, "from": theme.channel, "to": named})
    theme.channel, theme.kept = named, True
    return Edited(step_id=step.id, changed=[theme.id])


def regroup(session: Session, team_id: str, step_id: int, count: int | None, user_id: str) -> Edited:
    """Groups the step's notes again, into about `count` themes (None: as many as the notes call for).

    Themes a person edited stay as they are, with their notes; every other note (late ones included, notes set
    aside excepted) is grouped afresh by the embedded engine, whichever engine made the first grouping."""
    step = _editable(session, team_id, step_id, user_id)
    if step.status != StepState.closed:
        raise WorkshopError("The step's notes are grouped when it closes; group them again after that.")
    kept = [row for row in step.themes if row.kept]
    if count is not None and not len(kept) < count <= MAX_THEMES:
        least = f"more than the {len(kept)} themes you edited, which stay" if kept else "at least 1"
        raise WorkshopError(f"Ask for {least}, and at most {MAX_THEMES} themes.")
    free = free_notes(step)
    wanted = None if count is None else count - len(kept)
    drafts = cluster_step(EmbeddedEngine(count=wanted), free, step_plan(step))
    _record(session, step, user_id, "regroup", {"count": count, "kept": [row.id for row in kept]})
    gone = [(row.message_ts, row.title) for row in step.themes if not row.kept]
    added = store_themes(session, step, drafts, EmbeddedEngine.name)
    return Edited(step_id=step.id, changed=[row.id for row in kept], regrouped=gone, added=added)


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
        regrouped=[(ts, title) for ts, title in edited.regrouped if ts],
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


def retire(session: Session, team_id: str, step_id: int, theme_id: int, user_id: str) -> Edited:
    """The whole theme is no longer part of the journey (in a revision: no longer true): all its notes are set
    aside, kept on the map's set-aside list."""
    theme = _theme(_editable(session, team_id, step_id, user_id), theme_id)
    return set_aside_notes(session, team_id, step_id, theme_id, [m.contribution_id for m in theme.members], user_id)


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
    """Once the step has closed, and until the map is published; in a revision, its previous themes from the
    moment the step opens."""
    if step.workshop.status != WorkshopState.open:
        return False
    return step.status == StepState.closed or (step.status == StepState.open and bool(step.workshop.revision_of_id))


def _editable(session: Session, team_id: str, step_id: int, user_id: str) -> Step:
    step = _step(session, team_id, step_id)
    require_one_of(user_id, _editors(step), EDITORS, "change these themes")
    if not _changeable(step):
        raise WorkshopError("These themes can be changed once their step has closed and until the map is published.")
    if not step.themes and step.status != StepState.closed:
        raise WorkshopError("This step has no themes yet: they are made when it closes.")
    return step


def _theme(step: Step, theme_id: int) -> ThemeRow:
    found = next((row for row in step.themes if row.id == theme_id), None)
    if found is None:
        raise ThemeGone()
    return found
