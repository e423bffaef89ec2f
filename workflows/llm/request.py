"""A task's question to the model as a plain value, so building it, asking it and reading the answer are three
steps that can each be read and tested alone: `build_*` (pure) → `LLMClient.ask` (I/O) → `read_*` (pure)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from workflows.llm.redaction import Shield

A = TypeVar("A", bound=BaseModel)
C = TypeVar("C")


@dataclass(frozen=True)
class Request(Generic[A, C]):
    """Everything the client needs to ask (and cache), and everything the task needs to read the answer back."""

    task: str  # the prompt, prompts/<task>.yaml
    answer: type[A]  # the strict schema the answer must validate against
    variables: Mapping[str, str]  # the prompt's fill-ins, already redacted by `shield`
    inputs: Any  # what identifies the request in the cache: the caller's own ids and texts, and what else counts
    shield: Shield  # the one that redacted `variables`, so placeholders in the answer restore to what they hid
    context: C  # what reading the answer needs: the short ids mapped back to the caller's items, and the like
    size: int = 0  # how many items (notes, themes, groups) the answer must cover: sizes its `max_tokens`
    # Why a schema-valid answer is still unusable (it leaves most items out, lumps everything together), or None:
    # such an answer gets the repair turn and is never cached.
    check: Callable[[A], str | None] | None = None
