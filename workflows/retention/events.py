"""Slack's raw events as the intake stored them (`workflows.jobs.intake`): which workspace and which threads each
one is about, so the ones of a deleted workshop, a forgotten workspace or purged notes can go.

A stored event is a job row whose payload is the request body Slack sent, note text included. Nothing else keeps
an index of it, so it is read back here: the body names its workspace (`team_id`), its channel and the messages
it concerns (a reply's thread, an edit's or a deletion's message, a reaction's item).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, cast

from pydantic import BaseModel
from sqlalchemy import CursorResult, Delete, delete, select
from sqlalchemy.orm import Session

from storage.models import ContributionRow, Job, ProcessedEvent, Step, ThemeRow, Workshop
from workflows.jobs.queue import JobKind

BATCH = 500  # stored events read at a time: the table keeps every event ever received


class StoredEvent(BaseModel):
    """What a stored event is about: enough to tell whose it is, never its text."""

    job_id: int
    event_id: str | None
    team_id: str | None
    channels: set[str]
    stamps: set[str]  # the message timestamps it names


def _about(body: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The channels and message timestamps an Events API body names, whatever the event's type."""
    event = body.get("event") or {}
    parts = [event, event.get("message") or {}, event.get("previous_message") or {}, event.get("item") or {}]
    channels = {part["channel"] for part in parts if isinstance(part.get("channel"), str)}
    stamps = {
        part[field] for part in parts for field in ("ts", "thread_ts", "deleted_ts") if isinstance(part.get(field), str)
    }
    return channels, stamps


def read(job_id: int, raw: str) -> StoredEvent | None:
    """The stored body as a `StoredEvent`; None for one that is not JSON (nothing can be said about it)."""
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    channels, stamps = _about(body)
    return StoredEvent(
        job_id=job_id,
        event_id=body.get("event_id"),
        team_id=body.get("team_id") or event.get("team"),
        channels=channels,
        stamps=stamps,
    )


def stored_events(session: Session, team_id: str) -> Iterator[StoredEvent]:
    """Every stored event of one workspace, whatever its state; the team id is looked for in the raw text first, so
    other workspaces' bodies are not even parsed."""
    rows = session.execute(
        select(Job.id, Job.payload).where(Job.kind == JobKind.slack_event).execution_options(yield_per=BATCH)
    )
    for job_id, payload in rows:
        raw = (payload or {}).get("body") or ""
        if team_id not in raw:
            continue
        found = read(job_id, raw)
        if found is not None and found.team_id == team_id:
            yield found


def workshop_messages(session: Session, workshop_ids: list[int]) -> dict[int, tuple[str, set[str]]]:
    """Each workshop's channel and every message of it the bot knows: the kick-off, the step messages (whose
    threads hold the replies), the theme listings and messages (which carry the reactions), and the replies."""
    found: dict[int, tuple[str, set[str]]] = {
        workshop_id: (channel_id, {kickoff} if kickoff else set())
        for workshop_id, channel_id, kickoff in session.execute(
            select(Workshop.id, Workshop.channel_id, Workshop.kickoff_ts).where(Workshop.id.in_(workshop_ids))
        )
    }
    queries = [
        select(Step.workshop_id, Step.message_ts),
        select(Step.workshop_id, Step.themes_ts),
        select(Step.workshop_id, ThemeRow.message_ts).join(ThemeRow, ThemeRow.step_id == Step.id),
        select(Step.workshop_id, ContributionRow.message_ts).join(ContributionRow, ContributionRow.step_id == Step.id),
    ]
    for query in queries:
        for workshop_id, ts in session.execute(query.where(Step.workshop_id.in_(workshop_ids))):
            if ts:
                found[workshop_id][1].add(ts)
    return found


def of_workshops(session: Session, workshop_ids: list[int]) -> Callable[[StoredEvent], bool]:
    """A test for "this stored event is about one of these workshops": in its channel, naming one of its messages."""
    messages = workshop_messages(session, workshop_ids)

    def about(event: StoredEvent) -> bool:
        return any(channel in event.channels and event.stamps & stamps for channel, stamps in messages.values())

    return about


def delete_events(
    session: Session, team_id: str, about: Callable[[StoredEvent], bool] | None = None, *, processed: bool
) -> dict[str, int]:
    """Deletes the workspace's stored events (those `about` picks, else all of them); with `processed`, their ids
    in `processed_events` too. Returns the rows deleted per table."""
    chosen = [event for event in stored_events(session, team_id) if about is None or about(event)]
    counts = {"jobs": 0, "processed_events": 0}
    for start in range(0, len(chosen), BATCH):
        batch = chosen[start : start + BATCH]
        counts["jobs"] += _deleted(session, delete(Job).where(Job.id.in_([event.job_id for event in batch])))
        ids = [event.event_id for event in batch if event.event_id]
        if processed and ids:
            counts["processed_events"] += _deleted(
                session, delete(ProcessedEvent).where(ProcessedEvent.event_id.in_(ids))
            )
    return counts


def _deleted(session: Session, statement: Delete) -> int:
    result = session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount or 0
