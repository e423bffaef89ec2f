"""Identical inputs reuse the stored answer (Parabol's cache): no second call, no second bill."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import LLMCacheEntry, Workshop
from workflows.llm.request import A


def cache_key(task: str, model: str, prompt_version: str, inputs: Any, sent: list[str]) -> str:
    """sha256 of the task, model, prompt version, the caller's inputs (note ids and texts) and what would be sent.

    `sent` (the redacted messages) makes a changed prompt text or a changed pseudonym assignment a new key, so a
    cached answer is never restored with the wrong placeholders.
    """
    material = {"task": task, "model": model, "prompt_version": prompt_version, "inputs": inputs, "sent": sent}
    canonical = json.dumps(material, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def cached_answer(session: Session, key: str, answer: type[A]) -> A | None:
    """The stored answer; one that no longer validates (its schema changed) counts as none."""
    entry = session.get(LLMCacheEntry, key)
    try:
        return None if entry is None else answer.model_validate(entry.result)
    except ValidationError:
        return None


def store_answer(
    session: Session,
    key: str,
    *,
    task: str,
    model: str,
    prompt_version: str,
    result: dict[str, Any],
    workshop_id: int | None = None,
) -> None:
    """Insert or replace (a stored answer that no longer validates is replaced by the fresh one).

    The answer may quote notes, so it records the workshop it was made for and that workshop's workspace (not part
    of the key): deleting the workshop, forgetting the workspace or purging old notes removes it too.
    """
    team_id = session.scalar(select(Workshop.team_id).where(Workshop.id == workshop_id)) if workshop_id else None
    session.merge(
        LLMCacheEntry(
            key=key,
            task=task,
            model=model,
            prompt_version=prompt_version,
            result=result,
            workshop_id=workshop_id if team_id else None,
            team_id=team_id,
        )
    )
