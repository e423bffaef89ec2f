"""Prompts live as files in `prompts/` (see prompts/README.md): reviewed like code, versioned, few-shot included."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # LangChain is imported when a model is asked, not with this module (`workflows.llm.config`)
    from langchain_core.messages import BaseMessage


class Example(BaseModel):
    """A worked example: what the user says, and the answer (a mapping, sent as compact JSON like a real one)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user: str
    assistant: dict[str, Any]


class TokenLimit(BaseModel):
    """An answer's `max_tokens`: `base` plus `per_item` for each item (note, theme, group) it must cover.

    Sized from the input so that a sound answer always fits and a model that loops stops early instead of
    writing until its context is full (one did for 7,428 tokens and 306 s)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base: int = Field(ge=1)
    per_item: int = Field(default=0, ge=0)

    def tokens(self, items: int) -> int:
        return min(self.base + self.per_item * max(items, 0), MAX_ANSWER_TOKENS)


# The most any answer may have: what gpt-4o and gpt-4o-mini can write at most (a larger value is a 400 there).
MAX_ANSWER_TOKENS = 16_384

# Each task's limit, unless its prompt file sets `max_tokens`. Measured on compact JSON answers: a theme with its
# title, one-sentence summary and ids is about 45 tokens, a placed touchpoint or linked pain point about 30, an
# action about 50; the limits leave twice that (other tokenizers, other languages), plus room for the rest.
DEFAULT_LIMITS: dict[str, TokenLimit] = {
    "cluster": TokenLimit(base=256, per_item=64),  # per note: in the worst case each note is a theme of its own
    "name_groups": TokenLimit(base=256, per_item=64),  # per group
    "persona": TokenLimit(base=1_536),  # at most 5 goals, needs, frustrations and quotes, whatever the input
    "touchpoints": TokenLimit(base=128, per_item=64),  # per touchpoint theme
    "pain_points": TokenLimit(base=128, per_item=64),  # per pain-point theme
    "actions": TokenLimit(base=128, per_item=96),  # per action-plan note
    "summary": TokenLimit(base=1_024),  # 3 to 5 sentences and at most 5 opportunities
}
FALLBACK_LIMIT = TokenLimit(base=1_024, per_item=64)


class Prompt(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    task: str
    version: str
    system: str = ""  # empty for a follow-up turn (the repair prompt)
    examples: tuple[Example, ...] = ()
    user: str  # a str.format template; every {name} must be given to `messages`
    max_tokens: TokenLimit | None = None  # the task's own `DEFAULT_LIMITS` entry when the file sets none

    def answer_tokens(self, items: int) -> int:
        """The `max_tokens` of an answer covering `items` notes, themes or groups."""
        return (self.max_tokens or DEFAULT_LIMITS.get(self.task, FALLBACK_LIMIT)).tokens(items)

    def messages(self, **variables: str) -> list[BaseMessage]:
        """System prompt, the examples as earlier turns, then the filled-in user template."""
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        messages: list[BaseMessage] = [SystemMessage(self.system)] if self.system else []
        for example in self.examples:
            answer = json.dumps(example.assistant, ensure_ascii=False, separators=(",", ":"))
            messages += [HumanMessage(example.user), AIMessage(answer)]
        return [*messages, HumanMessage(self.user.format(**variables))]


@cache
def load_prompt(task: str) -> Prompt:
    """`prompts/<task>.yaml`, read once per process."""
    text = (files("prompts") / f"{task}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Prompt(task=task, version=str(data.pop("version")), **data)
