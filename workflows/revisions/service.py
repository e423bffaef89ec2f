"""Quarterly revisions: a published map comes up for review every `cadence_days`.

"Still accurate" records a validation and schedules the next review; "Revise" runs a revision workshop: each
step starts from the previous version's notes (carried over, so they cluster again with the new ones), people
add notes, rename or retire old themes, and publishing makes the next version and says what changed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import (
    ActionItemRow,
    ContributionRow,
    MapValidation,
    MapVersion,
    Step,
    ThemeMember,
    ThemeRow,
    Workshop,
)
from workflows.actions.service import action_of, done_at, require_published
from workflows.jobs import queue as jobs
from workflows.jobs.queue import JobKind
from workflows.mapping.models import LIVE_STATUSES, STEP_ORDER, ActionItem, ActionStatus, JourneyMap, StepKey
from workflows.ports import WorkshopView
from workflows.themes.clustering.base import ThemeDraft
from workflows.themes.clustering.naming import apart_from
from workflows.workshop.errors import NoWorkshop, WorkshopError, require_one_of
from workflows.workshop.models import WorkshopState
from workflows.workshop.service import in_channel, start, view_of

EMOTION_MOVE = 0.5  # on the -2..2 emotion scale, a smaller change is noise


class StageBrief(BaseModel):
    name: str
    emotion: float | None = None
    pain_points: list[str] = Field(default_factory=list)


class ReviewPrompt(BaseModel):
    """What the channel sees when its map is due for review: the map in brief and what became of its actions."""

    workshop: WorkshopView
    version: int
    published_at: datetime
    map_owner_id: str | None
    stages: list[StageBrief]
    done: list[ActionItem]
    overdue: list[ActionItem]
    still_open: list[ActionItem]


class PreviousTheme(BaseModel):
    """A theme of the previous version, shown in a revision step's thread; people change it in the theme editor."""

    step_id: int
    theme_id: int
    version: int  # the version it comes from
    title: str
    notes: int
    quote: str | None = None


class StepChanges(BaseModel):
    step: StepKey
    added: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    merged: list[tuple[list[str], str]] = Field(default_factory=list)  # (old titles, new title)
    renamed: list[tuple[str, str]] = Field(default_factory=list)
    split: list[tuple[str, list[str]]] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.merged or self.renamed or self.split)


class EmotionMove(BaseModel):
    stage: str
    before: float | None
    after: float | None


class MapChanges(BaseModel):
    """ "What changed since last time", posted when a revision publishes."""

    workshop: WorkshopView
    version: int
    previous_version: int
    steps: list[StepChanges]
    emotions: list[EmotionMove]
    done: list[ActionItem]
    still_open: list[ActionItem]


class VersionInfo(BaseModel):
    workshop_id: int
    version: int
    published_at: datetime | None
    status: str
    themes: int
    actions_done: int
    actions_total: int
    validations: list[tuple[str, datetime]] = Field(default_factory=list)


# --- scheduling -------------------------------------------------------------------------------------------


def schedule_review(session: Session, workshop: Workshop, since: datetime) -> datetime:
    """Sets the next review `cadence_days` after `since` and adds its job (keyed by its time: never doubled)."""
    due = since + timedelta(days=workshop.cadence_days)
    workshop.next_revision_at = due
    jobs.enqueue(
        session,
        JobKind.revision_prompt,
        f"revision_prompt:{workshop.id}:{due.isoformat()}",
        {"workshop_id": workshop.id},
        due,
        team_id=workshop.team_id,
    )
    return due


def _successor(session: Session, workshop: Workshop) -> Workshop | None:
    """A revision of this version that is running or published: then this version is no longer reviewed."""
    return session.scalar(
        select(Workshop).where(
            Workshop.revision_of_id == workshop.id, Workshop.status.in_((WorkshopState.open, WorkshopState.published))
        )
    )


def _lineage(session: Session, workshop: Workshop) -> list[Workshop]:
    """This version and every earlier one, newest first."""
    chain = [workshop]
    while chain[-1].revision_of_id is not None:
        earlier = session.get(Workshop, chain[-1].revision_of_id)
        if earlier is None:
            break
        chain.append(earlier)
    return chain


def map_family(session: Session, workshop: Workshop) -> list[Workshop]:
    """Every workshop of the same map: the first version and all revisions of it, oldest first."""
    family = [_lineage(session, workshop)[-1]]
    frontier = [family[0].id]
    while frontier:
        found = list(session.scalars(select(Workshop).where(Workshop.revision_of_id.in_(frontier))))
        family += found
        frontier = [w.id for w in found]
    return sorted(family, key=lambda w: (w.version, w.id))


def lineage_actions(session: Session, workshop: Workshop) -> list[ActionItemRow]:
    """This version's actions and the ones still open from earlier versions: the map's live action list."""
    rows = list(workshop.action_items)
    for earlier in _lineage(session, workshop)[1:]:
        rows += [row for row in earlier.action_items if row.status in LIVE_STATUSES]
    return sorted(rows, key=lambda row: row.id)


def _stored_map(session: Session, workshop: Workshop) -> JourneyMap | None:
    stored = session.scalar(
        select(MapVersion).where(MapVersion.workshop_id == workshop.id, MapVersion.version == workshop.version)
    )
    return JourneyMap.model_validate(stored.map_json) if stored is not None else None


def review_prompt(session: Session, workshop_id: int, now: datetime) -> ReviewPrompt | None:
    """The prompt for a review that has come due; None when it no longer applies (revised, cancelled, moved)."""
    workshop = session.get(Workshop, workshop_id)
    if workshop is None or workshop.status != WorkshopState.published or workshop.next_revision_at is None:
        return None
    if workshop.next_revision_at > now or _successor(session, workshop) is not None:
        return None
    journey_map = _stored_map(session, workshop)
    stages = [
        StageBrief(name=s.name, emotion=s.emotion, pain_points=[p.title for p in s.pain_points[:2]])
        for s in (journey_map.stages if journey_map else [])
    ]
    since = workshop.last_validated_at or workshop.published_at or now
    actions = lineage_actions(session, workshop)
    today = now.date()
    return ReviewPrompt(
        workshop=view_of(workshop),
        version=workshop.version,
        published_at=workshop.published_at or now,
        map_owner_id=workshop.map_owner_id,
        stages=stages,
        done=[action_of(r) for r in _done_since(session, workshop, since)],
        overdue=[action_of(r) for r in actions if r.status in LIVE_STATUSES and r.due and r.due < today],
        still_open=[action_of(r) for r in actions if r.status in LIVE_STATUSES and not (r.due and r.due < today)],
    )


def _done_since(session: Session, workshop: Workshop, since: datetime) -> list[ActionItemRow]:
    rows = [row for w in _lineage(session, workshop) for row in w.action_items if row.status == ActionStatus.done]
    return sorted((row for row in rows if done_at(row) >= since), key=lambda row: row.id)


def _require_map_owner(workshop: Workshop, user_id: str, what: str) -> None:
    allowed = {workshop.map_owner_id, workshop.facilitator_id}
    require_one_of(user_id, allowed, "the map's owner or the workshop's facilitator", what)


def validate(session: Session, team_id: str, workshop_id: int, user_id: str, now: datetime) -> datetime:
    """ "Still accurate": records who confirmed the map and when, and schedules the next review."""
    workshop = session.get(Workshop, workshop_id)
    if workshop is None or workshop.team_id != team_id or workshop.status != WorkshopState.published:
        raise WorkshopError("This map is no longer published, so there is nothing to confirm.")
    _require_map_owner(workshop, user_id, "confirm that it is still accurate")
    session.add(MapValidation(workshop_id=workshop.id, user_id=user_id, validated_at=now))
    workshop.last_validated_at = now
    return schedule_review(session, workshop, now)


def set_cadence(session: Session, team_id: str, channel_id: str, user_id: str, days: int) -> Workshop:
    """Changes how often the channel's map comes up for review; the next review moves accordingly."""
    if not 7 <= days <= 730:
        raise WorkshopError("The review cadence must be between 7 and 730 days, for example `/journey cadence 60d`.")
    workshop = require_published(session, team_id, channel_id)
    _require_map_owner(workshop, user_id, "change its review cadence")
    workshop.cadence_days = days
    schedule_review(session, workshop, workshop.last_validated_at or workshop.published_at or workshop.created_at)
    return workshop


# --- the revision workshop --------------------------------------------------------------------------------


def start_revision(
    session: Session, team_id: str, channel_id: str, user_id: str, workshop_id: int | None = None
) -> WorkshopView:
    """A revision workshop of the channel's latest map (or of `workshop_id`): same objective and stages,
    next version number, same map owner and cadence; whoever starts it facilitates it."""
    previous = session.get(Workshop, workshop_id) if workshop_id else require_published(session, team_id, channel_id)
    if previous is None or previous.team_id != team_id or previous.status != WorkshopState.published:
        raise WorkshopError("That map is no longer published, so it cannot be revised.")
    if (successor := _successor(session, previous)) is not None:
        raise WorkshopError(f"Version {successor.version} of this map already exists (workshop #{successor.id}).")
    view = start(
        session,
        team_id,
        previous.channel_id,
        user_id,
        previous.objective,
        step_days=previous.step_days,
        manual_advance=previous.manual_advance,
    )
    revision = session.get_one(Workshop, view.id)
    revision.revision_of_id = previous.id
    revision.version = previous.version + 1
    revision.map_owner_id = previous.map_owner_id
    revision.cadence_days = previous.cadence_days
    revision.stage_model = previous.stage_model  # the same stages, descriptions included
    return view


def _previous_step(session: Session, step: Step) -> Step | None:
    revision_of = step.workshop.revision_of_id
    if revision_of is None:
        return None
    return session.scalar(select(Step).where(Step.workshop_id == revision_of, Step.key == step.key))


def carry_over(session: Session, step: Step) -> list[PreviousTheme]:
    """Copies the previous version's notes of this step into it (once) and returns that version's themes.

    Notes blanked by the retention pass (`workflows.retention.scheduled`) are not carried: an empty note would
    cluster as noise. The previous themes are still shown, by their titles."""
    previous = _previous_step(session, step)
    if previous is None:
        return []
    carried = {c.carried_from_id: c for c in step.contributions if c.carried_from_id is not None}
    for note in previous.contributions:
        if note.id not in carried and note.text.strip():
            carried[note.id] = ContributionRow(
                step_id=step.id,
                user_id=note.user_id,
                message_ts=f"carried-{note.id}",
                part=0,
                text=note.text,
                mentions=note.mentions,
                evidence=note.evidence,
                carried_from_id=note.id,
            )
            session.add(carried[note.id])
    session.flush()
    if not step.themes:
        _carry_themes(session, step, previous, carried)
    return previous_themes(session, step)


def _carry_themes(session: Session, step: Step, previous: Step, carried: dict[int | None, ContributionRow]) -> None:
    """The previous version's themes, with the carried notes, so the theme editor can rename, merge, split or
    retire them while the step takes new notes. When the step closes, the themes nobody edited are made again
    with the new notes (keeping their titles: `settle_titles`); the edited ones stay as they were left."""
    for theme in previous.themes:
        members = [carried[m.contribution_id] for m in theme.members if m.contribution_id in carried]
        if not members:
            continue
        quote = carried.get(theme.quote_contribution_id)
        session.add(
            ThemeRow(
                step_id=step.id,
                position=theme.position,
                title=theme.title,
                summary=theme.summary,
                stage=theme.stage,
                channel=theme.channel,
                quote_contribution_id=(quote or members[0]).id,
                members=[ThemeMember(contribution_id=c.id) for c in members],
            )
        )
    session.flush()
    session.expire(step, ["themes"])


def previous_themes(session: Session, step: Step) -> list[PreviousTheme]:
    previous = _previous_step(session, step)
    if previous is None:
        return []
    themes = []
    for theme in previous.themes:
        texts = {m.contribution_id: m.contribution.text for m in theme.members}
        themes.append(
            PreviousTheme(
                step_id=step.id,
                theme_id=theme.id,
                version=previous.workshop.version,
                title=theme.title,
                notes=len(theme.members),
                quote=texts.get(theme.quote_contribution_id or -1) or None,  # None once the notes are blanked
            )
        )
    return themes


def _origin_themes(previous: Step) -> dict[int, int]:
    """Previous contribution id → the previous theme it belonged to."""
    return {m.contribution_id: theme.id for theme in previous.themes for m in theme.members}


def settle_titles(session: Session, step: Step, drafts: list[ThemeDraft]) -> list[ThemeDraft]:
    """Themes keep their previous title while mostly made of that theme's notes, so a revision does not rename
    what nobody changed (a theme people renamed in the editor is kept as they left it: `ThemeRow.kept`)."""
    previous = _previous_step(session, step)
    if previous is None:
        return drafts
    origin = _origin_themes(previous)
    carried = {str(c.id): origin.get(c.carried_from_id or -1) for c in step.contributions}
    titles = {theme.id: theme.title for theme in previous.themes}
    heir: dict[int, tuple[int, int]] = {}  # previous theme -> (its notes in the draft, draft index)
    for index, draft in enumerate(drafts):
        sources = [carried[i] for i in draft.ids if carried.get(i) is not None]
        leader = max(set(sources), key=sources.count) if sources else None
        if leader is not None and 2 * sources.count(leader) >= len(draft.ids):
            heir[leader] = max(heir.get(leader, (0, -1)), (sources.count(leader), -index))
    # A theme split in two passes its title to the larger half only: the other half keeps the title it was given,
    # or gets a fresh one when that is the inherited title.
    titled = {-index: titles[leader] for leader, (_count, index) in heir.items()}
    rest = [i for i in range(len(drafts)) if i not in titled]
    texts = {str(c.id): c.text for c in step.contributions}
    apart = dict(zip(rest, apart_from([drafts[i] for i in rest], texts, titled.values()), strict=True))
    return [drafts[i].model_copy(update={"title": titled[i]}) if i in titled else apart[i] for i in range(len(drafts))]


# --- what changed -----------------------------------------------------------------------------------------


def _step_changes(session: Session, step: Step) -> StepChanges:
    changes = StepChanges(step=StepKey(step.key))
    previous = _previous_step(session, step)
    if previous is None:
        return changes
    origin = _origin_themes(previous)
    old_titles = {theme.id: theme.title for theme in previous.themes}
    sources: dict[int, set[int]] = {}
    destinations: dict[int, set[int]] = {theme_id: set() for theme_id in old_titles}
    for theme in step.themes:
        carried = (m.contribution.carried_from_id for m in theme.members)
        sources[theme.id] = {origin[c] for c in carried if c in origin}
        for source in sources[theme.id]:
            destinations[source].add(theme.id)
    new_titles = {theme.id: theme.title for theme in step.themes}
    for theme_id, found in sources.items():
        if not found:
            changes.added.append(new_titles[theme_id])
        elif len(found) > 1:
            changes.merged.append((sorted(old_titles[s] for s in found), new_titles[theme_id]))
    for theme_id, found in destinations.items():
        if not found:
            changes.removed.append(old_titles[theme_id])
        elif len(found) > 1:
            changes.split.append((old_titles[theme_id], sorted(new_titles[t] for t in found)))
        else:
            (new,) = found
            if len(sources[new]) == 1 and new_titles[new] != old_titles[theme_id]:
                changes.renamed.append((old_titles[theme_id], new_titles[new]))
    return changes


def what_changed(session: Session, workshop: Workshop) -> MapChanges | None:
    """Compares a published revision with the version it revises; None for a first version."""
    previous = session.get(Workshop, workshop.revision_of_id) if workshop.revision_of_id else None
    if previous is None:
        return None
    before, after = _stored_map(session, previous), _stored_map(session, workshop)
    emotions_before = {s.name: s.emotion for s in (before.stages if before else [])}
    # Only people's ratings of this version move a stage's emotion: an estimate replacing last time's ratings is
    # not a change anyone reported.
    moves = [
        EmotionMove(stage=stage.name, before=emotions_before.get(stage.name), after=stage.emotion)
        for stage in (after.stages if after else [])
        if any(t.ratings for t in stage.touchpoints) and _moved(emotions_before.get(stage.name), stage.emotion)
    ]
    steps = {step.key: step for step in workshop.steps}
    since = previous.published_at or previous.created_at
    return MapChanges(
        workshop=view_of(workshop),
        version=workshop.version,
        previous_version=previous.version,
        steps=[c for key in STEP_ORDER if not (c := _step_changes(session, steps[key.value])).is_empty()],
        emotions=moves,
        done=[action_of(r) for r in _done_since(session, previous, since)],
        still_open=[action_of(r) for r in lineage_actions(session, previous) if r.status in LIVE_STATUSES],
    )


def _moved(before: float | None, after: float | None) -> bool:
    if before is None or after is None:
        return (before is None) != (after is None)
    return abs(after - before) >= EMOTION_MOVE


# --- history ----------------------------------------------------------------------------------------------


def history(session: Session, team_id: str, channel_id: str) -> list[VersionInfo]:
    """Every version of the channel's map, oldest first, with what became of its actions and its validations."""
    workshops = list(
        session.scalars(
            in_channel(team_id, channel_id, WorkshopState.published).order_by(Workshop.published_at, Workshop.id)
        )
    )
    if not workshops:
        raise NoWorkshop()
    versions = []
    for workshop in workshops:
        validations = session.scalars(
            select(MapValidation).where(MapValidation.workshop_id == workshop.id).order_by(MapValidation.validated_at)
        )
        versions.append(
            VersionInfo(
                workshop_id=workshop.id,
                version=workshop.version,
                published_at=workshop.published_at,
                status=workshop.status,
                themes=sum(len(step.themes) for step in workshop.steps),
                actions_done=sum(row.status == ActionStatus.done for row in workshop.action_items),
                actions_total=len(workshop.action_items),
                validations=[(v.user_id, v.validated_at) for v in validations],
            )
        )
    return versions
