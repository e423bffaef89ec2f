"""Prompts live as files in `prompts/` (see prompts/README.md): reviewed like code, versioned, few-shot included."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:  # LangChain is imported when a model is asked, not with this module (`workflows.llm.config`)
    from langchain_core.messages import BaseMessage


class Example(BaseModel):
    """A worked example: what the user says, and the answer (a mapping, sent as compact JSON like a real one)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    user: str
    assistant: dict[str, Any]


class Prompt(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    task: str
    version: str
    system: str = ""  # empty for a follow-up turn (the repair prompt)
    examples: tuple[Example, ...] = ()
    user: str  # a str.format template; every {name} must be given to `messages`

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
