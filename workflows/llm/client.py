"""One way to ask the model anything: cache lookup, the call, one repair turn, cache store, tokens recorded.

Transport faults (timeouts, 429, 5xx) are retried inside the openai client (`max_retries`, honouring
Retry-After); what survives them, and an answer still invalid after one repair attempt, becomes `LLMUnavailable`
so the caller falls back to the embedded engine. Logs carry task, model, prompt version and token counts only,
never text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.db import Database
from workflows.llm.cache import cache_key, cached_answer, store_answer
from workflows.llm.config import LLMConfig, chat_model
from workflows.llm.prompts import Prompt, load_prompt
from workflows.llm.redaction import Mention
from workflows.llm.repair import repair_turn, validated
from workflows.llm.request import A, Request
from workflows.llm.usage import estimate_tokens, record_call

if TYPE_CHECKING:  # imported when a model is asked (see `chat_model`), not with this module
    import openai
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage, BaseMessage

log = logging.getLogger(__name__)


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
        self.people = tuple(people)  # the workshop's participants, pseudonymised by every task's Shield
        self._chat = chat or chat_model(config)

    def provenance(self, task: str) -> str:
        """What made a part of the map, e.g. "llm gpt-4o-mini persona@1"."""
        return f"llm {self.config.model} {task}@{load_prompt(task).version}"

    def ask(self, request: Request[A, Any]) -> A:
        """The validated answer to the request's prompt: from the cache when the same inputs and messages were
        answered before, else from the model (repaired once if need be), then stored for next time."""
        prompt = load_prompt(request.task)
        messages = prompt.messages(**request.variables)
        sent = [str(message.content) for message in messages]
        key = cache_key(request.task, self.config.model, prompt.version, request.inputs, sent)
        cached = self._lookup(prompt, key, request.answer)
        if cached is not None:
            return cached
        result = self._answer(prompt, request.answer, messages)
        self._store(prompt, key, result)
        return result

    def _lookup(self, prompt: Prompt, key: str, answer: type[A]) -> A | None:
        """The stored answer, if any; a hit is counted in the workshop's usage, at no cost."""
        with self.db.session() as session:
            cached = cached_answer(session, key, answer)
            if cached is not None:
                self._record(session, prompt, 0, 0, cached=True)
        return cached

    def _answer(self, prompt: Prompt, answer: type[A], messages: list[BaseMessage]) -> A:
        """The model's answer; an unusable one gets one repair turn, a second unusable one `LLMUnavailable`."""
        problem = ""
        for attempt in (1, 2):
            raw = self._call(prompt, answer, messages, attempt)
            parsed, problem = validated(answer, raw)
            if parsed is not None:
                return parsed
            log.warning("llm task=%s attempt=%d gave an invalid answer: %s", prompt.task, attempt, problem)
            messages = repair_turn(messages, raw, problem)
        raise LLMUnavailable(f"the LLM's answer was invalid twice ({problem})")

    def _call(self, prompt: Prompt, answer: type[A], messages: list[BaseMessage], attempt: int) -> AIMessage:
        """One request with the answer's strict JSON schema; its raw reply (validated by the caller), tokens recorded.

        A transport fault the openai client's own retries did not overcome is `LLMUnavailable`.
        """
        import openai

        structured = self._chat.with_structured_output(
            answer.model_json_schema(), method="json_schema", strict=True, include_raw=True
        )
        try:
            output = structured.invoke(messages)
        except openai.OpenAIError as exc:
            log.warning("llm task=%s model=%s failed: %s", prompt.task, self.config.model, type(exc).__name__)
            retries = self.config.max_retries
            raise LLMUnavailable(f"the LLM server failed ({_failure(exc)}, {retries} retries)") from exc
        raw: AIMessage = output["raw"]
        self._record_answer(prompt, messages, raw, attempt)
        return raw

    def _store(self, prompt: Prompt, key: str, result: BaseModel) -> None:
        """Kept for identical inputs; another process storing the same answer first is no error."""
        try:
            with self.db.session() as session:
                store_answer(
                    session,
                    key,
                    task=prompt.task,
                    model=self.config.model,
                    prompt_version=prompt.version,
                    result=result.model_dump(mode="json"),
                    workshop_id=self.workshop_id,
                )
        except IntegrityError:
            log.info("llm cache entry for task=%s was stored by another process meanwhile", prompt.task)

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
    import openai

    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "no connection"
    return type(exc).__name__
