"""Tokens and estimated cost per workshop, for `/journey status`: one `LLMCall` row per answer or cache hit."""

from __future__ import annotations

import math
from collections.abc import Iterable

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import LLMCall
from workflows.metrics import LLM_CALLS, LLM_COMPLETION_TOKENS, LLM_COST, LLM_PROMPT_TOKENS, label

# USD per million tokens (input, output): OpenAI's standard-tier list prices at the time of writing.
# A dated snapshot ("gpt-4o-mini-2024-07-18") is priced as its family; any other model has no estimate.
PRICES_PER_MILLION_TOKENS: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
}
CHARS_PER_TOKEN = 4  # OpenAI's rule of thumb, used only when a server reports no usage


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    calls: int  # answers from the model; cache hits are counted in `cached`, at no cost
    estimated_cost_usd: float | None  # None when a model without a known price was used
    cached: int = 0


def price_of(model: str) -> tuple[float, float] | None:
    """The exact model's price, else the longest priced family its name starts with."""
    if model in PRICES_PER_MILLION_TOKENS:
        return PRICES_PER_MILLION_TOKENS[model]
    families = [name for name in PRICES_PER_MILLION_TOKENS if model.startswith(f"{name}-")]
    return PRICES_PER_MILLION_TOKENS[max(families, key=len)] if families else None


def estimate_tokens(texts: Iterable[str]) -> int:
    """A rough count for servers that report no usage (tiktoken would download its tables at run time)."""
    return sum(math.ceil(len(text) / CHARS_PER_TOKEN) for text in texts)


def record_call(
    session: Session,
    *,
    workshop_id: int | None,
    task: str,
    model: str,
    prompt_version: str,
    prompt_tokens: int = 0,
    completion_tokens: int = 0,
    cached: bool = False,
) -> None:
    """Stores the call for the workshop's totals and counts it in the process's metrics (`workflows.metrics`)."""
    _count(task, model, prompt_tokens, completion_tokens, cached)
    session.add(
        LLMCall(
            workshop_id=workshop_id,
            task=task,
            model=model,
            prompt_version=prompt_version,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cached=cached,
        )
    )


def _count(task: str, model: str, prompt_tokens: int, completion_tokens: int, cached: bool) -> None:
    model_label = label(model)
    LLM_CALLS.labels(label(task), model_label, "true" if cached else "false").inc()
    if prompt_tokens or completion_tokens:
        LLM_PROMPT_TOKENS.labels(model_label).inc(prompt_tokens)
        LLM_COMPLETION_TOKENS.labels(model_label).inc(completion_tokens)
        if (price := price_of(model)) is not None:
            LLM_COST.labels(model_label).inc((prompt_tokens * price[0] + completion_tokens * price[1]) / 1e6)


def workshop_usage(session: Session, workshop_id: int | None) -> Usage:
    """A workshop's totals; None totals the calls made outside any workshop (`journeybot cluster`, benchmarks)."""
    rows = session.execute(
        select(
            LLMCall.model,
            LLMCall.cached,
            func.count(),
            func.coalesce(func.sum(LLMCall.prompt_tokens), 0),
            func.coalesce(func.sum(LLMCall.completion_tokens), 0),
        )
        .where(LLMCall.workshop_id.is_(None) if workshop_id is None else LLMCall.workshop_id == workshop_id)
        .group_by(LLMCall.model, LLMCall.cached)
    ).all()
    billed = [(price_of(model), prompt, completion) for model, _, _, prompt, completion in rows if prompt or completion]
    unpriced = any(price is None for price, _, _ in billed)
    return Usage(
        prompt_tokens=sum(row[3] for row in rows),
        completion_tokens=sum(row[4] for row in rows),
        calls=sum(row[2] for row in rows if not row[1]),
        cached=sum(row[2] for row in rows if row[1]),
        estimated_cost_usd=None
        if unpriced
        else sum((prompt * price[0] + completion * price[1]) / 1e6 for price, prompt, completion in billed),
    )
