"""One way to ask the model anything: cache lookup, the call, one repair turn, cache store, tokens recorded.

Every request of one step (a task's ask: its retries, their waits and the repair turn) fits in the step's budget
(`LLMConfig.step_budget`): each request may take `timeout` seconds but never longer than what is left, and
transport faults (timeouts, lost connections, 408/409/429/5xx) are retried here, `max_retries` times, honouring
Retry-After. What survives that, a budget that runs out, and an answer still unusable after one repair turn (not
JSON, not the schema, cut off at its `max_tokens`, or degenerate by the task's `check`) become `LLMUnavailable`
so the caller falls back to the embedded engine. Logs carry task, model, prompt version, token counts and the
server's own error message, never note text.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.db import Database
from workflows.llm.cache import cache_key, cached_answer, store_answer
from workflows.llm.checks import copied_example
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

RETRY_STATUSES = frozenset({408, 409, 429})  # and every 5xx: what the openai client itself retries
MAX_RETRY_AFTER = 60.0  # a server asking for a longer wait will not answer in time for the facilitator
SHAPE_WORDS = ("response_format", "tool_choice")  # in a refusal: the server refuses how the shape was asked for
ERROR_CHARS = 300  # how much of a server's error message the facilitator's note and the log keep
_MIN_ECHO = 12  # a line of what was sent at least this long is cut out of an error message that repeats it


class LLMUnavailable(RuntimeError):
    """No usable answer from the LLM; `reason` says why in words fit for the facilitator (no note text)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Budget:
    """The time one step's LLM work may take, and the requests it made so far."""

    seconds: float
    clock: Callable[[], float] = time.monotonic
    requests: int = 0

    def __post_init__(self) -> None:
        self.deadline = self.clock() + self.seconds

    def left(self) -> float:
        return self.deadline - self.clock()

    def spent(self, last: str) -> LLMUnavailable:
        """The failure of a step whose budget ran out; `last` is what the server did with the last request."""
        return LLMUnavailable(
            f"the LLM could not answer within the {self.seconds:g} s allowed for one step: {self.after()}the server "
            f"{last}"
        )

    def after(self) -> str:
        return f"after {self.requests} requests, " if self.requests > 1 else ""


@dataclass(frozen=True)
class _Reply:
    raw: AIMessage
    cut_off: bool  # finish_reason "length": the answer stopped at its max_tokens


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
        if self.config.structured == "json_object":  # the schema is part of what is sent, and of the cache key
            messages = with_schema_in_prompt(messages, request.answer)
        sent = [str(message.content) for message in messages]
        key = cache_key(request.task, self.config.model, prompt.version, request.inputs, sent)
        cached = self._lookup(prompt, key, request, sent[-1])
        if cached is not None:
            return cached
        result = self._answer(prompt, request, messages)
        self._store(prompt, key, result)
        return result

    def _lookup(self, prompt: Prompt, key: str, request: Request[A, Any], given: str) -> A | None:
        """The stored answer, if any and still usable; a hit is counted in the workshop's usage, at no cost.

        A degenerate answer stored before the checks existed is passed over, so it is never served again."""
        with self.db.session() as session:
            cached = cached_answer(session, key, request.answer)
            if cached is not None and (problem := _answer_problem(prompt, request, cached, given)):
                log.info("llm cache entry for task=%s is unusable (%s): asking again", prompt.task, problem)
                return None
            if cached is not None:
                self._record(session, prompt, 0, 0, cached=True)
        return cached

    def _answer(self, prompt: Prompt, request: Request[A, Any], messages: list[BaseMessage]) -> A:
        """The model's answer; an unusable one gets one repair turn, a second unusable one `LLMUnavailable`."""
        budget = Budget(self.config.step_budget)
        limit = prompt.answer_tokens(request.size)
        given = str(messages[-1].content)  # the request itself: what the answer may quote
        kinds: list[str] = []
        problem = ""
        for attempt in (1, 2):
            reply = self._call(prompt, request.answer, messages, limit, attempt, budget)
            if reply.cut_off:
                kinds.append("cut off")
                problem = (
                    f"it was cut off at {limit} tokens, the most this answer may have; answer again, shorter: "
                    "brief titles and summaries, nothing repeated"
                )
            else:
                parsed, problem = validated(request.answer, reply.raw)
                if parsed is not None:
                    problem = _answer_problem(prompt, request, parsed, given)
                if parsed is not None and not problem:
                    return parsed
                kinds.append("unusable" if parsed is not None else "invalid")
            log.warning("llm task=%s attempt=%d gave an unusable answer: %s", prompt.task, attempt, problem)
            messages = repair_turn(messages, reply.raw, problem)
        raise LLMUnavailable(_unusable(kinds, problem, limit))

    def _call(
        self, prompt: Prompt, answer: type[A], messages: list[BaseMessage], limit: int, attempt: int, budget: Budget
    ) -> _Reply:
        """One answer to `messages` in the answer's strict JSON schema, at most `limit` tokens long, tokens recorded
        (a cut-off one's too). Transport faults are retried within the budget; what is left is `LLMUnavailable`."""
        import openai
        from langchain_core.messages import AIMessage

        shape = answer_shape(self.config.structured, answer)
        sent = [str(message.content) for message in messages]
        retries = 0
        while True:
            timeout = min(self.config.timeout, budget.left())
            if timeout <= 0:
                raise budget.spent("had no time left to answer")
            budget.requests += 1
            try:
                raw = from_tool_call(self._chat.invoke(messages, max_tokens=limit, timeout=timeout, **shape))
            except openai.LengthFinishReasonError as cut:  # a complete response, only cut short: not retried
                choice = cut.completion.choices[0] if cut.completion.choices else None
                content = (choice.message.content if choice else None) or ""
                usage = cut.completion.usage
                tokens = (usage.prompt_tokens, usage.completion_tokens) if usage else None
                self._record_tokens(prompt, sent, content, tokens, attempt, cut_off=True)
                return _Reply(AIMessage(content), cut_off=True)
            except openai.OpenAIError as exc:
                failure = _short(_without(sent, _failure(exc, timeout)))
                log.warning(
                    "llm task=%s model=%s request %d failed: the server %s",
                    prompt.task,
                    self.config.model,
                    budget.requests,
                    failure,
                )
                wait = _retry_wait(exc, retries)
                if wait is None or retries >= self.config.max_retries:
                    if budget.left() <= 0:
                        raise budget.spent(failure) from exc
                    raise LLMUnavailable(f"{budget.after()}the LLM server {failure}") from exc
                if wait >= budget.left():
                    raise budget.spent(failure) from exc
                time.sleep(wait)
                retries += 1
                continue
            cut_off = raw.response_metadata.get("finish_reason") == "length"  # without `response_format`: not raised
            self._record_answer(prompt, sent, raw, attempt, cut_off=cut_off)
            return _Reply(raw, cut_off=cut_off)

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

    def _record_answer(self, prompt: Prompt, sent: list[str], raw: AIMessage, attempt: int, cut_off: bool) -> None:
        usage = raw.usage_metadata
        tokens = (usage["input_tokens"], usage["output_tokens"]) if usage else None
        self._record_tokens(prompt, sent, str(raw.content), tokens, attempt, cut_off=cut_off)

    def _record_tokens(
        self,
        prompt: Prompt,
        sent: list[str],
        content: str,
        tokens: tuple[int, int] | None,
        attempt: int,
        cut_off: bool,
    ) -> None:
        """The tokens the server reported for one answer (estimated when it reports none), whole or cut off."""
        prompt_tokens, completion_tokens = tokens or (estimate_tokens(sent), estimate_tokens([content]))
        log.info(
            "llm call task=%s model=%s prompt=%s attempt=%d prompt_tokens=%d completion_tokens=%d estimated=%s "
            "cut_off=%s",
            prompt.task,
            self.config.model,
            prompt.version,
            attempt,
            prompt_tokens,
            completion_tokens,
            tokens is None,
            cut_off,
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


def _answer_problem(prompt: Prompt, request: Request[A, Any], parsed: A, given: str) -> str:
    """Why an answer that fits the schema still cannot be used ("" when it can): a copy of the worked example,
    or what the task's own check finds."""
    examples = (example.assistant for example in prompt.examples)
    copied = copied_example(parsed.model_dump(mode="json"), examples, given)
    return copied or (request.check(parsed) if request.check is not None else None) or ""


def _unusable(kinds: list[str], problem: str, limit: int) -> str:
    """Why both answers were of no use, e.g. "the LLM's answer was cut off twice at its 1152-token limit"."""
    twice = " twice" if len(set(kinds)) == 1 else ""
    cut_off = kinds[-1] == "cut off"
    what = f"cut off{twice} at its {limit}-token limit" if cut_off else f"{kinds[-1]}{twice} ({problem})"
    return f"the LLM's answer was {what}" + ("" if twice else ", also after one repair attempt")


def _response_format(answer: type[BaseModel]) -> dict[str, Any]:
    """The answer's strict JSON schema as `response_format`, exactly as LangChain's `with_structured_output`
    (method "json_schema") sends it, with the schema's docstrings and field descriptions for the model."""
    from langchain_core.utils.function_calling import convert_to_openai_function

    function = convert_to_openai_function(answer.model_json_schema(), strict=True)
    function["schema"] = function.pop("parameters")
    return {"type": "json_schema", "json_schema": function}


def answer_shape(structured: str, answer: type[BaseModel]) -> dict[str, Any]:
    """How the request asks for the answer's shape: a strict JSON schema as `response_format`, any JSON object
    (the schema then goes in the system prompt), or one forced call of a function whose parameters are the schema,
    for servers that only do tool calling."""
    if structured == "json_object":
        return {"response_format": {"type": "json_object"}}
    wanted = _response_format(answer)["json_schema"]
    if structured == "tools":
        function = {
            "name": wanted["name"],
            "description": wanted.get("description", ""),
            "parameters": wanted["schema"],
        }
        choice = {"type": "function", "function": {"name": wanted["name"]}}
        return {"tools": [{"type": "function", "function": function}], "tool_choice": choice}
    return {"response_format": {"type": "json_schema", "json_schema": wanted}}


def from_tool_call(raw: AIMessage) -> AIMessage:
    """A forced tool call's arguments as the answer's content, so reading, repairing and recording it is the same
    as for an answer in `response_format`. Anything else is returned as it came."""
    from langchain_core.messages import AIMessage

    if raw.tool_calls:
        arguments = json.dumps(raw.tool_calls[0]["args"])
    elif raw.invalid_tool_calls:  # arguments that are not JSON (cut off, say), as the server sent them
        arguments = raw.invalid_tool_calls[0].get("args")
    else:
        return raw
    if not isinstance(arguments, str):
        return raw
    return AIMessage(arguments, usage_metadata=raw.usage_metadata, response_metadata=raw.response_metadata)


def with_schema_in_prompt(messages: list[BaseMessage], answer: type[BaseModel]) -> list[BaseMessage]:
    """For `structured="json_object"`: the server only promises JSON, so the system prompt says which shape."""
    from langchain_core.messages import SystemMessage

    wanted = _response_format(answer)["json_schema"]
    schema = json.dumps(wanted["schema"], separators=(",", ":"))
    shape = f"Answer with one JSON object ({wanted['name']}) that follows this JSON schema, and nothing else:\n{schema}"
    if messages and isinstance(messages[0], SystemMessage):
        return [SystemMessage(f"{messages[0].content}\n\n{shape}"), *messages[1:]]
    return [SystemMessage(shape), *messages]


def _retry_wait(exc: openai.OpenAIError, retries: int) -> float | None:
    """Seconds to wait before trying again, or None when trying again would not help (a 4xx, say, or a server
    that refuses how the answer's shape was asked for: the same request would be refused again)."""
    import openai

    if isinstance(exc, openai.APIConnectionError):  # timeouts too
        return _backoff(retries)
    refused = str(exc.body or exc.message) if isinstance(exc, openai.APIStatusError) else ""
    if not isinstance(exc, openai.APIStatusError) or any(word in refused for word in SHAPE_WORDS):
        return None
    headers = exc.response.headers
    after = _retry_after(headers)
    if after is not None and after > MAX_RETRY_AFTER:
        return None
    told = headers.get("x-should-retry")
    if told == "false" or (told != "true" and exc.status_code not in RETRY_STATUSES and exc.status_code < 500):
        return None
    return after if after is not None and after > 0 else _backoff(retries)


def _backoff(retries: int) -> float:
    """The openai client's own: 0.5 s doubling up to 8 s, less up to a quarter at random."""
    return min(0.5 * 2**retries, 8.0) * (1 - 0.25 * random.random())


def _retry_after(headers: Any) -> float | None:
    """`retry-after-ms`, else `Retry-After` in seconds or as an HTTP date; None when absent or unreadable."""
    if (milliseconds := headers.get("retry-after-ms")) is not None:
        try:
            return float(milliseconds) / 1000
        except ValueError:
            return None
    if (value := headers.get("retry-after")) is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError, IndexError):
        return None


def _failure(exc: openai.OpenAIError, timeout: float) -> str:
    """What the server did, with its own message when it sent one ("answered HTTP 500: Input should be …")."""
    import openai

    if isinstance(exc, openai.APIStatusError):
        message = server_message(exc.body, exc.response.text if exc.body is None else "")
        return f"answered HTTP {exc.status_code}: {message}" if message else f"answered HTTP {exc.status_code}"
    if isinstance(exc, openai.APITimeoutError):
        return f"gave no answer within {timeout:.3g} s"
    if isinstance(exc, openai.APIConnectionError):
        return "could not be reached"
    if isinstance(exc, openai.ContentFilterFinishReasonError):
        return "withheld the answer (its content filter)"
    return f"failed ({type(exc).__name__})"


def server_message(body: object, text: str = "") -> str:
    """A server's error message from its error body, whatever its dialect: OpenAI's and llama.cpp's
    `{"error": {"message"}}` (the openai client hands over the inner object), FastAPI's `{"detail": [...]}` (only
    each problem's location and message: its `input` may hold the request), a plain string, an HTML page's title."""
    if isinstance(body, dict):
        for key in ("message", "detail", "error", "msg"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return _plain(value)
            if isinstance(value, dict) and (inner := server_message(value)):
                return inner
            if isinstance(value, list) and value:
                return _plain("; ".join(_problem(item) for item in value))
        return ""
    if isinstance(body, str):
        text = body
    if match := re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL):
        return _plain(match.group(1))
    return _plain(re.sub(r"<[^>]+>", " ", text))


def _problem(item: object) -> str:
    if not isinstance(item, dict):
        return str(item)
    where = ".".join(str(part) for part in item.get("loc") or () if part != "body")
    message = str(item.get("msg") or item.get("message") or "")
    return f"{where}: {message}" if where else message


def _plain(text: str) -> str:
    """On one line, without a closing full stop: it reads inside the facilitator's note."""
    text = " ".join(text.split())
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def _short(text: str) -> str:
    return text if len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1].rstrip() + "…"


def _without(sent: Sequence[str], message: str) -> str:
    """The message with every line of what was sent cut out (a note's line also without its short id): a server
    that repeats the request in its error puts no note in the facilitator's note or the log."""
    for content in sent:
        for line in content.splitlines():
            line = _plain(line)
            for piece in (line, line.split(": ", 1)[-1]):
                if len(piece) >= _MIN_ECHO and piece in message:
                    message = message.replace(piece, "[…]")
    return message
