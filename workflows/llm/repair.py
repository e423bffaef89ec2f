"""The repair step: whether the model's answer can be used, and if not, the turn that tells the model why."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import ValidationError

from workflows.llm.prompts import load_prompt
from workflows.llm.request import A

if TYPE_CHECKING:  # LangChain is imported when a model is asked, not with this module (`workflows.llm.config`)
    from langchain_core.messages import AIMessage, BaseMessage

_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")  # servers without structured outputs may fence their JSON


def validated(answer: type[A], raw: AIMessage) -> tuple[A | None, str]:
    """The answer, or why it cannot be used (error locations and messages only, never the text itself).

    Validated strictly from the raw content: LangChain's own JSON parser closes the brackets of a cut-off answer,
    which would pass a truncated answer off as a complete one.
    """
    content = raw.content if isinstance(raw.content, str) else ""
    try:
        return answer.model_validate_json(_FENCE.sub("", content.strip())), ""
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False, include_context=False)
        if any(error["type"] == "json_invalid" for error in errors):
            return None, "the answer was not valid JSON"
        return None, "; ".join(f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in errors)


def repair_turn(messages: Sequence[BaseMessage], raw: AIMessage, problem: str) -> list[BaseMessage]:
    """The conversation again, with the unusable answer as the model's turn and the repair prompt naming the
    problem: the model fixes its own answer instead of starting over."""
    from langchain_core.messages import AIMessage

    return [*messages, AIMessage(raw.content), *load_prompt("repair").messages(problem=problem)]
