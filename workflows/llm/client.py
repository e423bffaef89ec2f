"""One way to ask the model anything: cache first, then the call, one repair attempt, tokens recorded.

Transport faults (timeouts, 429, 5xx) are retried inside the openai client (`max_retries`, honouring
Retry-After); what survives them, and an answer still invalid after one repair attempt, becomes `LLMUnavailable`
so the caller falls back to the embedded engine. Logs carry task, model, prompt version and token counts only,
never text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.db import Database
from workflows.llm.cache import cache_key, cached_answer, store_answer
from workflows.llm.config import LLMConfig, chat_model
from workflows.llm.prompts import Prompt, load_prompt
from workflows.llm.redaction import Mention, Shield
from workflows.llm.usage import estimate_tokens, record_call

log = logging.getLogger(__name__)

A = TypeVar("A", bound=BaseModel)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")  # servers without structured outputs may fence their JSON


class LLMUnavailable(RuntimeError):
    """No usable answer from the LLM; `reason` says why in words fit for the facilitator (no note text)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LLMClient:
    """The model, the database (cache and usage) and the workshop a task runs for."""

    def __init__(
        self,
        config: LLMConfig,
        db: Database,
        workshop_id: int | None = None,
        people: Sequence[Mention] = (),
        chat: BaseChatModel | None = None,
    ) -> None:
        self.config = config
        self.db = db
        self.workshop_id = workshop_id
        self.people = tuple(people)
        self._chat = chat or chat_model(config)

    def shield(self) -> Shield:
        return Shield(self.people)

    def provenance(self, task: str) -> str:
        """What made a part of the map, e.g. "llm gpt-4o-mini persona@1"."""
        return f"llm {self.config.model} {task}@{load_prompt(task).version}"

    def ask(self, task: str, answer: type[A], variables: Mapping[str, str], inputs: Any) -> A:
        """The validated answer to the task's prompt filled with `variables` (already redacted).

        `inputs` identifies the request for the cache: the caller's note ids and texts, and anything else the
        answer depends on.
        """
        prompt = load_prompt(task)
        messages = prompt.messages(**variables)
        key = cache_key(task, self.config.model, prompt.version, inputs, [str(m.content) for m in messages])
        with self.db.session() as session:
            cached = _cached(session, key, answer)
            if cached is not None:
                self._record(session, prompt, 0, 0, cached=True)
        if cached is not None:
            return cached
        result = self._ask_model(prompt, answer, messages)
        try:
            with self.db.session() as session:
                store_answer(
                    session,
                    key,
                    task=task,
                    model=self.config.model,
                    prompt_version=prompt.version,
                    result=result.model_dump(mode="json"),
                )
        except IntegrityError:
            log.info("llm cache entry for task=%s was stored by another process meanwhile", task)
        return result

    def _ask_model(self, prompt: Prompt, answer: type[A], messages: list[BaseMessage]) -> A:
        structured = self._chat.with_structured_output(
            answer.model_json_schema(), method="json_schema", strict=True, include_raw=True
        )
        problem = ""
        for attempt in (1, 2):
            try:
                output = structured.invoke(messages)
            except openai.OpenAIError as exc:
                log.warning("llm task=%s model=%s failed: %s", prompt.task, self.config.model, type(exc).__name__)
                retries = self.config.max_retries
                raise LLMUnavailable(f"the LLM server failed ({_failure(exc)}, {retries} retries)") from exc
            raw: AIMessage = output["raw"]
            self._record_answer(prompt, messages, raw, attempt)
            parsed, problem = _validated(answer, raw)
            if parsed is not None:
                return parsed
            log.warning("llm task=%s attempt=%d gave an invalid answer: %s", prompt.task, attempt, problem)
            messages = [*messages, AIMessage(raw.content), *load_prompt("repair").messages(problem=problem)]
        raise LLMUnavailable(f"the LLM's answer was invalid twice ({problem})")

    def _record_answer(self, prompt: Prompt, messages: list[BaseMessage], raw: AIMessage, attempt: int) -> None:
        usage = raw.usage_metadata
        if usage:
            prompt_tokens, completion_tokens = usage["input_tokens"], usage["output_tokens"]
        else:
            prompt_tokens = estimate_tokens(str(m.content) for m in messages)
            completion_tokens = estimate_tokens([str(raw.content)])
        log.info(
            "llm call task=%s model=%s prompt=%s attempt=%d prompt_tokens=%d completion_tokens=%d estimated=%s",
            prompt.task,
            self.config.model,
            prompt.version,
            attempt,
            prompt_tokens,
            completion_tokens,
            not usage,
        )
        with self.db.session() as session:
            self._record(session, prompt, prompt_tokens, completion_tokens, cached=False)

    def _record(
        self, session: Session, prompt: Prompt, prompt_tokens: int, completion_tokens: int, cached: bool
    ) -> None:
        record_call(
            session,
            workshop_id=self.workshop_id,
            task=prompt.task,
            model=self.config.model,
            prompt_version=prompt.version,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cached=cached,
        )


def _failure(exc: openai.OpenAIError) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "no connection"
    return type(exc).__name__


def _cached(session: Session, key: str, answer: type[A]) -> A | None:
    """The stored answer; one that no longer validates (its schema changed) counts as none."""
    stored = cached_answer(session, key)
    try:
        return None if stored is None else answer.model_validate(stored)
    except ValidationError:
        return None


def _validated(answer: type[A], raw: AIMessage) -> tuple[A | None, str]:
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
