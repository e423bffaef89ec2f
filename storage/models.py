"""The database is the source of truth: every workshop, step, contribution and due job is a row here.

Plain SQLAlchemy 2.x declarative models; portable across SQLite (embedded default) and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite would otherwise hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Workspace(Base):
    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The Enterprise Grid organisation it belongs to: where its token is found when the app is installed org-wide.
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    installed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Workshop(Base):
    __tablename__ = "workshops"
    __table_args__ = (
        # One open workshop per channel, enforced by the database so two racing `start`s cannot both win.
        Index(
            "uq_workshops_open_channel",
            "team_id",
            "channel_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("workspaces.team_id"), index=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    facilitator_id: Mapped[str] = mapped_column(String(32))
    objective: Mapped[str] = mapped_column(Text)
    stage_model: Mapped[list[Any]] = mapped_column()  # [{"name", "description"}]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | published | cancelled
    current_step: Mapped[str | None] = mapped_column(String(16))
    kickoff_ts: Mapped[str | None] = mapped_column(String(32))
    engine: Mapped[str | None] = mapped_column(String(64))
    map_owner_id: Mapped[str | None] = mapped_column(String(32))
    cadence_days: Mapped[int] = mapped_column(default=90)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column()
    # A revision workshop continues an earlier map: it points at the version it revises and is one higher.
    version: Mapped[int] = mapped_column(default=1)
    revision_of_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"))
    # Each step closes by itself `step_days` working days after it opens, unless the facilitator advances by hand.
    step_days: Mapped[int] = mapped_column(default=2)
    manual_advance: Mapped[bool] = mapped_column(default=False)
    # "review": the facilitator gets the map as a draft and publishes it; "auto": it goes out when the last step closes.
    publish_mode: Mapped[str] = mapped_column(String(8), default="review")
    drafts_sent: Mapped[int] = mapped_column(default=0)
    next_revision_at: Mapped[datetime | None] = mapped_column()
    last_validated_at: Mapped[datetime | None] = mapped_column()
    # The channel canvas showing this map; a revision edits its predecessor's canvas rather than adding one.
    canvas_id: Mapped[str | None] = mapped_column(String(32))
    # When the retention pass blanked its notes (`JOURNEYBOT_NOTE_RETENTION_DAYS` after publishing); the map stays.
    notes_purged_at: Mapped[datetime | None] = mapped_column()

    steps: Mapped[list[Step]] = relationship(
        back_populates="workshop", order_by="Step.position", cascade="all, delete-orphan"
    )
    action_items: Mapped[list[ActionItemRow]] = relationship(
        back_populates="workshop", order_by="ActionItemRow.id", cascade="all, delete-orphan"
    )


class Step(Base):
    __tablename__ = "steps"
    __table_args__ = (
        UniqueConstraint("workshop_id", "key"),
        UniqueConstraint("channel_id", "message_ts", name="uq_steps_message"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column()
    channel_id: Mapped[str] = mapped_column(String(32))
    # pending -> open -> closing (themes being built after the ack) -> closed
    status: Mapped[str] = mapped_column(String(16), default="pending")
    message_ts: Mapped[str | None] = mapped_column(String(32))
    themes_ts: Mapped[str | None] = mapped_column(String(32))  # the thread message listing its themes
    engine: Mapped[str | None] = mapped_column(String(64))
    engine_note: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime | None] = mapped_column()
    deadline: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    # How often the facilitator went back to it from the draft: each round has its own jobs and messages.
    reopened: Mapped[int] = mapped_column(default=0)

    workshop: Mapped[Workshop] = relationship(back_populates="steps")
    contributions: Mapped[list[ContributionRow]] = relationship(
        back_populates="step", order_by="ContributionRow.id", cascade="all, delete-orphan"
    )
    themes: Mapped[list[ThemeRow]] = relationship(
        back_populates="step", order_by="ThemeRow.position", cascade="all, delete-orphan"
    )


class ContributionRow(Base):
    __tablename__ = "contributions"
    __table_args__ = (UniqueConstraint("step_id", "message_ts", "part"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    message_ts: Mapped[str] = mapped_column(String(32))
    part: Mapped[int] = mapped_column(default=0)  # index of the bullet within its reply
    text: Mapped[str] = mapped_column(Text)  # plain text, Slack markup decoded
    mentions: Mapped[list[Any]] = mapped_column(default=list)  # [[user_id, label], ...] in order
    evidence: Mapped[str] = mapped_column(String(16), default="assumption")
    # The facilitator set it aside in the review ("not a note"): kept on the map's set-aside list, never in a theme.
    aside: Mapped[bool] = mapped_column(default=False)
    # The facilitator marked it as a customer's own words: the map quotes it whatever its wording.
    quote: Mapped[bool] = mapped_column(default=False)
    # In a revision workshop, the previous version's notes are carried into each step so they cluster again.
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    step: Mapped[Step] = relationship(back_populates="contributions")


class ThemeRow(Base):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    # The journey stage of a touchpoint or pain-point theme, when the step's notes were placed on stages.
    stage: Mapped[str | None] = mapped_column(Text)
    # The contribution closest to the theme's centre, shown as its representative quote.
    quote_contribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("contributions.id", ondelete="SET NULL", use_alter=True)
    )
    # The theme's own message in the step's thread, where people rate it or vote on it with reactions.
    message_ts: Mapped[str | None] = mapped_column(String(32), index=True)
    # The channel the facilitator named for a touchpoint (else the map reads it from the notes).
    channel: Mapped[str | None] = mapped_column(String(80))
    # A person edited it (renamed, merged into, moved notes to, placed): grouping the step again keeps it as it is.
    kept: Mapped[bool] = mapped_column(default=False)

    step: Mapped[Step] = relationship(back_populates="themes")
    members: Mapped[list[ThemeMember]] = relationship(
        back_populates="theme", order_by="ThemeMember.contribution_id", cascade="all, delete-orphan"
    )
    reactions: Mapped[list[ThemeReaction]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class ThemeMember(Base):
    __tablename__ = "theme_members"

    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True)
    contribution_id: Mapped[int] = mapped_column(ForeignKey("contributions.id", ondelete="CASCADE"), primary_key=True)

    theme: Mapped[ThemeRow] = relationship(back_populates="members")
    contribution: Mapped[ContributionRow] = relationship()


class ThemeReaction(Base):
    """One person's reaction on a theme's message: an emotion rating or a vote.

    Slack may deliver an add and its removal in either order, so the row keeps the latest event's `event_ts`
    and whether the reaction is on (`active`); an older event never overwrites a newer one.
    """

    __tablename__ = "theme_reactions"

    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    reaction: Mapped[str] = mapped_column(String(64), primary_key=True)  # the emoji's name, skin tone removed
    active: Mapped[bool] = mapped_column()
    event_ts: Mapped[str] = mapped_column(String(32))  # "1700000000.000100": fixed width, so it sorts as text


class ActionItemRow(Base):
    """Shown as A<id>: unique in the installation, so `/journey done A12` works from any channel."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str | None] = mapped_column(String(32), index=True)
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    pain_point_theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    stage: Mapped[str | None] = mapped_column(Text)
    map_version: Mapped[int] = mapped_column(default=1)  # the map version it came from
    source: Mapped[str] = mapped_column(String(16), default="workshop")  # workshop | command | shortcut
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    workshop: Mapped[Workshop] = relationship(back_populates="action_items")
    pain_point: Mapped[ThemeRow | None] = relationship()
    history: Mapped[list[ActionEvent]] = relationship(
        back_populates="action", order_by="ActionEvent.id", cascade="all, delete-orphan"
    )


class ActionEvent(Base):
    """One change to an action item: who changed what, from what to what. Nothing is edited in place silently."""

    __tablename__ = "action_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action_items.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(String(32))  # None: the bot itself
    kind: Mapped[str] = mapped_column(String(16))  # created | status | owner | due | title
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)

    action: Mapped[ActionItemRow] = relationship(back_populates="history")


class ThemeReview(Base):
    """In a revision step, a participant's decision about one of the previous version's themes."""

    __tablename__ = "theme_reviews"
    __table_args__ = (UniqueConstraint("step_id", "previous_theme_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    previous_theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(16))  # keep | retire | rename
    new_title: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(32))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class MapValidation(Base):
    """ "Still accurate": someone confirmed the published map at a revision prompt."""

    __tablename__ = "map_validations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    validated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MapVersion(Base):
    __tablename__ = "map_versions"
    __table_args__ = (UniqueConstraint("workshop_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column()
    map_json: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReplyState(Base):
    """The newest version of a thread reply applied so far, by Slack's own timestamps (the message's `ts`, an edit's
    `edited.ts`), and whether it was deleted. Slack delivers events in any order: an older edit must not overwrite a
    newer one, and nothing brings a deleted reply back (the tombstone)."""

    __tablename__ = "reply_states"

    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), primary_key=True)
    message_ts: Mapped[str] = mapped_column(String(32), primary_key=True)
    version_ts: Mapped[str] = mapped_column(String(32), default="")
    deleted: Mapped[bool] = mapped_column(default=False)


class ThemeEdit(Base):
    """One change a person made to a step's themes (rename, merge, move notes), kept as the step's history."""

    __tablename__ = "theme_edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class SentEffect(Base):
    """A Slack side effect a job has had (a message posted, a file shared, a canvas made), by a key the job gives
    it: a job run again after a failure or a crash finds what it already did and goes on from there."""

    __tablename__ = "sent_effects"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    result: Mapped[str | None] = mapped_column(String(64))  # the message ts, file or canvas id it made
    pending: Mapped[bool] = mapped_column(default=False, server_default=false())  # started, not known to be done
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessedEvent(Base):
    """Slack delivers events at least once; an event id stored here is not processed again."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class Job(Base):
    """Work that must survive a crash: done after Slack's ack or at a due time, claimed by one process."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_due", "status", "run_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128), unique=True)  # one job per reason: never doubled
    # The workspace it works for: its Slack calls use that workspace's token; uninstalling stops its jobs.
    team_id: Mapped[str | None] = mapped_column(String(32), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    run_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | running | done | failed
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)


class LLMCall(Base):
    """One answer from the LLM, or one reuse of a cached answer: the tokens and cost `/journey status` shows.

    A row deleted from the database alone keeps its calls (the workshop id becomes null); `/journey delete` and
    `journeybot forget` delete them with the workshop (`workflows.retention`).
    """

    __tablename__ = "llm_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"), index=True)
    task: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(128))
    prompt_version: Mapped[str] = mapped_column(String(16))
    prompt_tokens: Mapped[int] = mapped_column(default=0)
    completion_tokens: Mapped[int] = mapped_column(default=0)
    cached: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LLMCacheEntry(Base):
    """A validated LLM answer, keyed by the sha256 of its inputs, task, prompt version and model.

    The answer is stored as the model gave it (placeholders and pseudonyms, never the redacted values). It may quote
    notes, so it records the workshop (and workspace) it was made for, outside the key: deleting a workshop,
    forgetting a workspace or purging old notes finds it; another workshop with identical inputs still reuses it.
    """

    __tablename__ = "llm_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    task: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(128))
    prompt_version: Mapped[str] = mapped_column(String(16))
    result: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="SET NULL"), index=True)
    team_id: Mapped[str | None] = mapped_column(String(32), index=True)
