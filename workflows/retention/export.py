"""`journeybot export-workspace`: everything stored about one workspace as one JSON document.

What a data owner asks for: the workspace's settings and every workshop with its steps, notes, themes (with their
reactions and the edits made to them), actions with their history, map versions and LLM usage. The shape is a
pydantic model, so its keys are fixed and its dates ISO 8601; lists are in id order, so two exports of the same
data are the same bytes but for `exported_at`. Jobs, the outbox and Slack's raw events are the bot's machinery,
not the workspace's content, and are left out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import (
    ActionItemRow,
    LLMCall,
    MapValidation,
    MapVersion,
    Step,
    ThemeEdit,
    ThemeReaction,
    ThemeReview,
    Workshop,
    Workspace,
)
from workflows.workshop.errors import WorkshopError

FORMAT_VERSION = 1


class NoteExport(BaseModel):
    id: int
    user_id: str
    message_ts: str
    part: int
    text: str
    mentions: list[Any]
    evidence: str
    aside: bool
    quote: bool
    carried_from_id: int | None
    created_at: datetime
    updated_at: datetime


class ReactionExport(BaseModel):
    user_id: str
    reaction: str
    active: bool
    event_ts: str


class ThemeExport(BaseModel):
    id: int
    position: int
    title: str
    summary: str | None
    stage: str | None
    channel: str | None
    kept: bool
    quote_note_id: int | None
    note_ids: list[int]
    reactions: list[ReactionExport]


class EditExport(BaseModel):
    id: int
    user_id: str
    kind: str
    detail: dict[str, Any]
    at: datetime


class ReviewExport(BaseModel):
    """In a revision step: what became of one of the previous version's themes."""

    previous_theme_id: int
    decision: str
    new_title: str | None
    user_id: str
    decided_at: datetime


class StepExport(BaseModel):
    id: int
    key: str
    position: int
    status: str
    engine: str | None
    engine_note: str | None
    opened_at: datetime | None
    deadline: datetime | None
    closed_at: datetime | None
    notes: list[NoteExport]
    themes: list[ThemeExport]
    edits: list[EditExport]
    reviews: list[ReviewExport]


class ActionEventExport(BaseModel):
    at: datetime
    actor_id: str | None
    kind: str
    old: str | None
    new: str | None


class ActionExport(BaseModel):
    id: str  # as Slack shows it: "A12"
    title: str
    owner_id: str | None
    due: date | None
    status: str
    stage: str | None
    pain_point_theme_id: int | None
    map_version: int
    source: str
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    history: list[ActionEventExport]


class MapVersionExport(BaseModel):
    version: int
    created_at: datetime
    map: dict[str, Any]  # `journey-map.json` as published


class ValidationExport(BaseModel):
    user_id: str
    validated_at: datetime


class LLMUsageExport(BaseModel):
    task: str
    model: str
    prompt_version: str
    prompt_tokens: int
    completion_tokens: int
    cached: bool
    created_at: datetime


class WorkshopExport(BaseModel):
    id: int
    channel_id: str
    facilitator_id: str
    map_owner_id: str | None
    objective: str
    stage_model: list[Any]
    status: str
    current_step: str | None
    version: int
    revision_of_id: int | None
    engine: str | None
    publish_mode: str
    step_days: int
    manual_advance: bool
    cadence_days: int
    created_at: datetime
    published_at: datetime | None
    next_revision_at: datetime | None
    last_validated_at: datetime | None
    notes_purged_at: datetime | None
    steps: list[StepExport]
    actions: list[ActionExport]
    validations: list[ValidationExport]
    map_versions: list[MapVersionExport]
    llm_usage: list[LLMUsageExport]


class WorkspaceExport(BaseModel):
    format_version: int = FORMAT_VERSION
    team_id: str
    exported_at: datetime
    installed_at: datetime | None
    settings: dict[str, Any] = Field(default_factory=dict)
    workshops: list[WorkshopExport]


class UnknownWorkspace(WorkshopError, LookupError):
    def __init__(self, team_id: str) -> None:
        super().__init__(f"journeybot stores nothing about workspace {team_id}")


def _step(session: Session, step: Step) -> StepExport:
    edits = session.scalars(select(ThemeEdit).where(ThemeEdit.step_id == step.id).order_by(ThemeEdit.id))
    reviews = session.scalars(select(ThemeReview).where(ThemeReview.step_id == step.id).order_by(ThemeReview.id))
    themes = []
    for theme in sorted(step.themes, key=lambda row: (row.position, row.id)):
        reactions = session.scalars(
            select(ThemeReaction)
            .where(ThemeReaction.theme_id == theme.id)
            .order_by(ThemeReaction.user_id, ThemeReaction.reaction)
        )
        themes.append(
            ThemeExport(
                id=theme.id,
                position=theme.position,
                title=theme.title,
                summary=theme.summary,
                stage=theme.stage,
                channel=theme.channel,
                kept=theme.kept,
                quote_note_id=theme.quote_contribution_id,
                note_ids=sorted(member.contribution_id for member in theme.members),
                reactions=[ReactionExport.model_validate(r, from_attributes=True) for r in reactions],
            )
        )
    return StepExport(
        id=step.id,
        key=step.key,
        position=step.position,
        status=step.status,
        engine=step.engine,
        engine_note=step.engine_note,
        opened_at=step.opened_at,
        deadline=step.deadline,
        closed_at=step.closed_at,
        notes=[NoteExport.model_validate(note, from_attributes=True) for note in step.contributions],
        themes=themes,
        edits=[EditExport.model_validate(edit, from_attributes=True) for edit in edits],
        reviews=[ReviewExport.model_validate(review, from_attributes=True) for review in reviews],
    )


def _action(row: ActionItemRow) -> ActionExport:
    return ActionExport(
        id=f"A{row.id}",
        title=row.title,
        owner_id=row.owner_id,
        due=row.due,
        status=row.status,
        stage=row.stage,
        pain_point_theme_id=row.pain_point_theme_id,
        map_version=row.map_version,
        source=row.source,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        history=[ActionEventExport.model_validate(event, from_attributes=True) for event in row.history],
    )


def _workshop(session: Session, workshop: Workshop) -> WorkshopExport:
    validations = session.scalars(
        select(MapValidation).where(MapValidation.workshop_id == workshop.id).order_by(MapValidation.id)
    )
    versions = session.scalars(
        select(MapVersion).where(MapVersion.workshop_id == workshop.id).order_by(MapVersion.version)
    )
    usage = session.scalars(select(LLMCall).where(LLMCall.workshop_id == workshop.id).order_by(LLMCall.id))
    return WorkshopExport(
        **{name: getattr(workshop, name) for name in _WORKSHOP_FIELDS},
        steps=[_step(session, step) for step in workshop.steps],
        actions=[_action(row) for row in workshop.action_items],
        validations=[ValidationExport.model_validate(v, from_attributes=True) for v in validations],
        map_versions=[MapVersionExport(version=v.version, created_at=v.created_at, map=v.map_json) for v in versions],
        llm_usage=[LLMUsageExport.model_validate(call, from_attributes=True) for call in usage],
    )


_NESTED = {"steps", "actions", "validations", "map_versions", "llm_usage"}
_WORKSHOP_FIELDS = [name for name in WorkshopExport.model_fields if name not in _NESTED]


def export_workspace(session: Session, team_id: str, now: datetime) -> WorkspaceExport:
    """The whole workspace; `UnknownWorkspace` when nothing at all is stored about it."""
    workspace = session.get(Workspace, team_id)
    workshops = list(session.scalars(select(Workshop).where(Workshop.team_id == team_id).order_by(Workshop.id)))
    if workspace is None and not workshops:
        raise UnknownWorkspace(team_id)
    return WorkspaceExport(
        team_id=team_id,
        exported_at=now,
        installed_at=workspace.installed_at if workspace else None,
        settings=dict(workspace.settings) if workspace else {},
        workshops=[_workshop(session, workshop) for workshop in workshops],
    )
