"""A local stand-in for OpenAI's Chat Completions API, so tests drive the real `openai` and LangChain clients.

Start it, point `ChatOpenAI(base_url=fake.base_url, api_key="sk-test")` at it, set `fake.responder` to decide what
the "model" says, and queue faults (rate limits, server errors, hangs, broken JSON) to see how the bot copes.
Nothing here talks to the internet; the wire format follows OpenAI's documented responses.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import secrets
import socket
import string
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urlsplit

Responder = Callable[[dict[str, Any]], dict[str, Any] | str]
"""Given the request body, what the assistant answers: a dict becomes JSON content or tool-call arguments."""

INVALID_JSON = '{"themes": [{"title": "Slow onboard'
"""What `answer_invalid_json` sends: JSON cut off mid-string, as a model that stops early produces."""

REDACTED = "[REDACTED]"
_SECRET_HEADERS = frozenset({"authorization", "api-key", "x-api-key", "proxy-authorization", "cookie"})
_ALNUM = string.ascii_letters + string.digits
_STREAM_PIECE = 16


def _empty_object(body: dict[str, Any]) -> dict[str, Any]:
    """The default answer: `{}` is valid JSON for every request, and carries no opinion."""
    return {}


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received; header names are lower-cased and credentials never stored. `received_at` is
    `time.monotonic()` on arrival, for tests about pacing."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    received_at: float


@dataclass
class _Fault:
    """A queued misbehaviour; `remaining=None` means it never wears off."""

    kind: Literal["status", "hang", "content"]
    remaining: int | None
    status: int = 0
    body: dict[str, Any] | str | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    content: str = ""
    finish_reason: str = "stop"


@dataclass
class _Reply:
    """A whole HTTP answer, built before anything is written so a handler never half-answers."""

    status: int
    payload: bytes
    headers: dict[str, str]


class APIError(Exception):
    """An OpenAI-style error answer raised inside request handling."""

    def __init__(self, status: int, message: str, *, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code


# --- token counting -------------------------------------------------------------------------------------------------


def _tiktoken_cache_dir() -> str:
    """Where tiktoken keeps downloaded BPE files (its own rules: TIKTOKEN_CACHE_DIR, DATA_GYM_CACHE_DIR, tmp)."""
    for variable in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        if variable in os.environ:
            return os.environ[variable]
    return os.path.join(tempfile.gettempdir(), "data-gym-cache")


def _bpe_is_cached(encoding_name: str) -> bool:
    """tiktoken downloads on first use; only use it when that download would not happen (no network here)."""
    cache_dir = _tiktoken_cache_dir()
    if not cache_dir:
        return False
    url = f"https://openaipublic.blob.core.windows.net/encodings/{encoding_name}.tiktoken"
    return os.path.exists(os.path.join(cache_dir, hashlib.sha1(url.encode()).hexdigest()))


@functools.cache
def _encoding(model: str) -> Any | None:
    """The model's tiktoken encoding if it loads offline, else None (callers fall back to ~4 chars a token)."""
    try:
        import tiktoken
    except ImportError:
        return None
    try:
        name = tiktoken.encoding_name_for_model(model)
    except KeyError:
        name = "o200k_base"
    if not _bpe_is_cached(name):
        return None
    try:
        return tiktoken.get_encoding(name)
    except Exception:  # a corrupt cache or a changed tiktoken: counting must never break a test
        return None


def uses_tiktoken(model: str) -> bool:
    """Whether counts for `model` are real tiktoken counts rather than the 4-characters estimate."""
    return _encoding(model) is not None


def count_tokens(text: str, model: str) -> int:
    """Tokens in `text`, by tiktoken when it works offline, else OpenAI's rule of thumb of 4 characters a token."""
    if not text:
        return 0
    encoding = _encoding(model)
    if encoding is not None:
        return len(encoding.encode(text, disallowed_special=()))
    return math.ceil(len(text) / 4)


def _message_text(message: dict[str, Any]) -> str:
    """Every string the model reads from one message: role, name, text parts, earlier tool calls."""
    pieces = [str(message.get("role", "")), str(message.get("name") or ""), str(message.get("tool_call_id") or "")]
    content = message.get("content")
    if isinstance(content, str):
        pieces.append(content)
    elif isinstance(content, list):
        pieces.extend(str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content)
    for call in message.get("tool_calls") or []:
        function = call.get("function") or {}
        pieces += [str(function.get("name", "")), str(function.get("arguments", ""))]
    return "\n".join(piece for piece in pieces if piece)


def prompt_tokens(body: dict[str, Any]) -> int:
    """OpenAI's published per-message accounting (3 framing tokens each, 3 to prime the reply), plus the tool and
    response-format schemas, which the API also bills as prompt (their hidden rendering is approximated as JSON)."""
    model = str(body.get("model", ""))
    total = 3
    for message in body.get("messages") or []:
        if isinstance(message, dict):
            total += 3 + count_tokens(_message_text(message), model) + (1 if message.get("name") else 0)
    for extra in (body.get("tools"), (body.get("response_format") or {}).get("json_schema")):
        if extra:
            total += count_tokens(json.dumps(extra, separators=(",", ":")), model)
    return total


# --- request checks -------------------------------------------------------------------------------------------------


def _strict_schema_problem(schema: Any, context: tuple[str, ...] = ()) -> str | None:
    """The first reason OpenAI's strict mode would reject `schema`: every object must forbid extra keys and require
    all of its properties. Checking here keeps schemas the fake accepts ones the real API accepts too."""
    if isinstance(schema, list):
        for index, item in enumerate(schema):
            if problem := _strict_schema_problem(item, (*context, str(index))):
                return problem
        return None
    if not isinstance(schema, dict):
        return None
    if schema.get("type") == "object" or "properties" in schema:
        if schema.get("additionalProperties") is not False:
            return f"In context={context}, 'additionalProperties' is required to be supplied and to be false."
        missing = [key for key in schema.get("properties", {}) if key not in (schema.get("required") or [])]
        if missing:
            return (
                f"In context={context}, 'required' is required to be supplied and to be an array including every "
                f"key in properties. Missing '{missing[0]}'."
            )
    for key, value in schema.items():
        if problem := _strict_schema_problem(value, (*context, key)):
            return problem
    return None


def _check_chat_body(body: Any) -> None:
    """Reject what OpenAI rejects with a 400, so a malformed request from the bot fails here too."""
    if not isinstance(body, dict):
        raise APIError(400, "We could not parse the JSON body of your request. Expected a JSON object.")
    if not body.get("model"):
        raise APIError(400, "you must provide a model parameter")
    if "messages" not in body:
        raise APIError(
            400, "Missing required parameter: 'messages'.", param="messages", code="missing_required_parameter"
        )
    if not isinstance(body["messages"], list) or not body["messages"]:
        raise APIError(400, "Invalid 'messages': empty array.", param="messages", code="empty_array")
    response_format = body.get("response_format") or {}
    if not isinstance(response_format, dict) or not isinstance(body.get("tools") or [], list):
        raise APIError(400, "Invalid type for 'response_format' or 'tools'.", code="invalid_type")
    if response_format.get("type") == "json_schema":
        _check_json_schema_format(response_format.get("json_schema"))
    for tool in _function_tools(body):
        function = tool.get("function") or {}
        if function.get("strict") and (problem := _strict_schema_problem(function.get("parameters", {}))):
            raise APIError(400, f"Invalid schema for function '{function.get('name')}': {problem}", param="tools")


def _check_json_schema_format(json_schema: Any) -> None:
    """`response_format.json_schema` needs a name, and a strict schema must be one strict mode supports."""
    if not isinstance(json_schema, dict) or not json_schema.get("name"):
        raise APIError(
            400,
            "Missing required parameter: 'response_format.json_schema.name'.",
            param="response_format.json_schema.name",
            code="missing_required_parameter",
        )
    if json_schema.get("strict") and (problem := _strict_schema_problem(json_schema.get("schema", {}))):
        raise APIError(
            400, f"Invalid schema for response_format '{json_schema['name']}': {problem}", param="response_format"
        )


def _function_tools(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Function tools only: the fake answers nothing else (no custom or built-in tools)."""
    return [tool for tool in body.get("tools") or [] if isinstance(tool, dict) and tool.get("type") == "function"]


# --- answers --------------------------------------------------------------------------------------------------------


def _random_id(prefix: str, length: int) -> str:
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(length))


def _tool_to_call(body: dict[str, Any], answer: dict[str, Any] | str) -> tuple[str | None, bool]:
    """Which function to call, if any, and whether the caller named it. A named `tool_choice` or "required" forces a
    call; with "auto" a dict answer becomes a call unless a response_format asks for structured content instead."""
    tools = _function_tools(body)
    choice = body.get("tool_choice", "auto")
    if not tools or choice == "none":
        return None, False
    if isinstance(choice, dict) and choice.get("type") == "function":
        return str((choice.get("function") or {}).get("name")), True
    first = str(tools[0]["function"]["name"])
    if choice == "required":
        return first, False
    wants_content = isinstance(answer, str) or bool(body.get("response_format"))
    return (None, False) if wants_content else (first, False)


def _as_text(answer: dict[str, Any] | str) -> str:
    """Dicts go out as compact JSON, as OpenAI's structured outputs do; strings are sent exactly as given."""
    return answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False, separators=(",", ":"))


def _choice(index: int, body: dict[str, Any], answer: dict[str, Any] | str, finish_reason: str) -> dict[str, Any]:
    """One choice. A forced, named tool call finishes with "stop", as OpenAI really does; auto/required ones with
    "tool_calls"."""
    tool_name, named = _tool_to_call(body, answer)
    message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": None, "annotations": []}
    if tool_name is None:
        message["content"] = _as_text(answer)
    else:
        call = {"id": _random_id("call_", 24), "type": "function"}
        message["tool_calls"] = [{**call, "function": {"name": tool_name, "arguments": _as_text(answer)}}]
        if finish_reason == "stop" and not named:
            finish_reason = "tool_calls"
    return {"index": index, "message": message, "logprobs": None, "finish_reason": finish_reason}


def _completion_tokens(choices: list[dict[str, Any]], model: str) -> int:
    """What the answer itself costs: the content, or the called function's name and arguments."""
    total = 0
    for choice in choices:
        message = choice["message"]
        total += count_tokens(message["content"] or "", model)
        for call in message.get("tool_calls") or []:
            total += count_tokens(call["function"]["name"] + call["function"]["arguments"], model)
    return total


def usage_for(body: dict[str, Any], choices: list[dict[str, Any]]) -> dict[str, Any]:
    """The `usage` object, with the detail blocks OpenAI always sends (nothing cached, no reasoning here)."""
    prompt = prompt_tokens(body)
    completion = _completion_tokens(choices, str(body.get("model", "")))
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def cut_to_tokens(text: str, limit: int, model: str) -> str:
    """The first `limit` tokens of `text` (tiktoken's when it works offline, else 4 characters a token)."""
    encoding = _encoding(model)
    if encoding is not None:
        return str(encoding.decode(encoding.encode(text, disallowed_special=())[:limit]))
    return text[: limit * 4]


def answer_limit(body: dict[str, Any]) -> int | None:
    """The most tokens the request lets the answer have: `max_completion_tokens`, or the older `max_tokens`."""
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    return int(limit) if isinstance(limit, int | float) and limit > 0 else None


def build_completion(
    body: dict[str, Any], answer: dict[str, Any] | str, *, fingerprint: str, finish_reason: str = "stop"
) -> dict[str, Any]:
    """A complete `chat.completion` object for `body`, `n` identical choices of `answer`. An answer longer than
    the request's `max_completion_tokens` (or `max_tokens`) is cut there and finishes with "length", as a real
    server stops a model at its limit."""
    limit, model = answer_limit(body), str(body.get("model", ""))
    if limit is not None and count_tokens(text := _as_text(answer), model) > limit:
        answer, finish_reason = cut_to_tokens(text, limit, model), "length"
    choices = [_choice(index, body, answer, finish_reason) for index in range(int(body.get("n") or 1))]
    return {
        "id": _random_id("chatcmpl-", 29),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body["model"],
        "choices": choices,
        "usage": usage_for(body, choices),
        "service_tier": "default",
        "system_fingerprint": fingerprint,
    }


def _choice_deltas(choice: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The deltas a streamed choice arrives in: role first, then the text or arguments in small pieces."""
    message = choice["message"]
    calls = message.get("tool_calls")
    if calls:
        call = calls[0]
        opening = {**call, "index": 0, "function": {"name": call["function"]["name"], "arguments": ""}}
        yield {"role": "assistant", "content": None, "tool_calls": [opening], "refusal": None}
        text = call["function"]["arguments"]
        for start in range(0, len(text), _STREAM_PIECE):
            yield {"tool_calls": [{"index": 0, "function": {"arguments": text[start : start + _STREAM_PIECE]}}]}
        return
    yield {"role": "assistant", "content": "", "refusal": None}
    text = message["content"] or ""
    for start in range(0, len(text), _STREAM_PIECE):
        yield {"content": text[start : start + _STREAM_PIECE]}


def stream_chunks(completion: dict[str, Any], *, include_usage: bool) -> Iterator[dict[str, Any]]:
    """`chat.completion.chunk` events for a completion; usage comes last, on a chunk with no choices, and only when
    `stream_options.include_usage` asked for it (every other chunk then carries `"usage": null`)."""
    head = {key: completion[key] for key in ("id", "created", "model", "service_tier", "system_fingerprint")}
    head["object"] = "chat.completion.chunk"
    extra = {"usage": None} if include_usage else {}
    for choice in completion["choices"]:
        for delta in _choice_deltas(choice):
            entry = {"index": choice["index"], "delta": delta, "logprobs": None, "finish_reason": None}
            yield {**head, "choices": [entry], **extra}
        final = {"index": choice["index"], "delta": {}, "logprobs": None, "finish_reason": choice["finish_reason"]}
        yield {**head, "choices": [final], **extra}
    if include_usage:
        yield {**head, "choices": [], "usage": completion["usage"]}


# --- errors ---------------------------------------------------------------------------------------------------------

_BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
    "<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n"
)


def error_object(message: str, type_: str, *, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    """OpenAI's error envelope."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def default_error_body(status: int, headers: dict[str, str]) -> dict[str, Any] | str:
    """What OpenAI really sends for `status`: JSON errors, except a 502, which comes from Cloudflare as HTML."""
    if status == 429:
        wait = headers.get("Retry-After") or headers.get("retry-after") or "20"
        message = (
            "Rate limit reached for requests in organization org-fake on requests per min (RPM): Limit 3, Used 3, "
            f"Requested 1. Please try again in {wait}s. Visit https://platform.openai.com/account/rate-limits to "
            "learn more."
        )
        return error_object(message, "requests", code="rate_limit_exceeded")
    if status == 401:
        return error_object("Incorrect API key provided.", "invalid_request_error", code="invalid_api_key")
    if status == 502:
        return _BAD_GATEWAY_HTML
    if status == 503:
        return error_object("The engine is currently overloaded, please try again later.", "server_error")
    if status >= 500:
        message = "The server had an error while processing your request. Sorry about that!"
        return error_object(message, "server_error")
    return error_object(HTTPStatus(status).phrase, "invalid_request_error")


def _encode(body: dict[str, Any] | str | bytes) -> tuple[bytes, str]:
    """Body bytes and their content type: dicts as JSON, text as HTML or plain text."""
    if isinstance(body, dict):
        return json.dumps(body).encode(), "application/json"
    data = body.encode() if isinstance(body, str) else body
    kind = "text/html" if data.lstrip().startswith(b"<") else "text/plain"
    return data, f"{kind}; charset=utf-8"


def _common_headers(content_type: str) -> dict[str, str]:
    """Headers every OpenAI answer carries; the openai client exposes x-request-id as `_request_id`."""
    return {
        "Content-Type": content_type,
        "x-request-id": "req_" + secrets.token_hex(16),
        "openai-version": "2020-10-01",
        "openai-processing-ms": "7",
    }


def _reply(status: int, body: dict[str, Any] | str | bytes, headers: dict[str, str] | None = None) -> _Reply:
    """A reply with the common headers; explicit `headers` win."""
    payload, content_type = _encode(body)
    return _Reply(status, payload, {**_common_headers(content_type), **(headers or {})})


def _error_reply(error: APIError) -> _Reply:
    type_ = "server_error" if error.status >= 500 else "invalid_request_error"
    return _reply(error.status, error_object(error.message, type_, param=error.param, code=error.code))


# --- the server -----------------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    """Keeps track of open connections so stop() can cut idle keep-alives and answers still pending."""

    daemon_threads = True

    def __init__(self, fake: FakeOpenAI) -> None:
        self.fake = fake
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        """Wake every handler blocked on a socket; their clients see the connection drop, as on a real outage."""
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up (timeouts do) is normal here, not worth a traceback on stderr."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Reads one request, asks the FakeOpenAI for the answer, writes it; quiet on stderr."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self.server.fake._serve(self)

    do_POST = do_GET
    do_PUT = do_GET
    do_DELETE = do_GET

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, reply: _Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.payload)))
        self.end_headers()
        self.wfile.write(reply.payload)

    def send_stream(self, events: Iterator[dict[str, Any]]) -> None:
        """Server-sent events over chunked transfer, ending with `data: [DONE]` as OpenAI does."""
        self.send_response(200)
        for name, value in _common_headers("text/event-stream; charset=utf-8").items():
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        lines = [f"data: {json.dumps(event)}\n\n" for event in events] + ["data: [DONE]\n\n"]
        for line in lines:
            data = line.encode()
            self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: `FakeOpenAI.requests` is the record."""


class FakeOpenAI:
    """An OpenAI-compatible Chat Completions server on 127.0.0.1 for tests; see the module docstring."""

    def __init__(self, model: str = "gpt-4o-mini", *, responder: Responder | None = None) -> None:
        self.model = model
        self.responder: Responder = responder or _empty_object
        self.fingerprint = "fp_" + secrets.token_hex(5)
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._errors: list[BaseException] = []
        self._usage: list[dict[str, Any]] = []
        self._faults: list[_Fault] = []
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    def start(self) -> FakeOpenAI:
        """Listen on a free port; returns self so `fake = FakeOpenAI().start()` reads well."""
        if self._server is not None:
            raise RuntimeError("FakeOpenAI is already running")
        self._stopping = threading.Event()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop promptly, even mid-hang: hanging handlers wake up and drop their connection unanswered."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._stopping.set()
        server.shutdown()
        server.cut_connections()
        server.server_close()
        thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/v1`, what `base_url=` expects in openai and LangChain."""
        if self._server is None:
            raise RuntimeError("FakeOpenAI is not running; call start() first")
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    # what happened

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first (a snapshot, safe to read while the server runs)."""
        with self._lock:
            return list(self._requests)

    @property
    def completion_requests(self) -> list[RecordedRequest]:
        """Only the `POST /v1/chat/completions` requests, what most assertions care about."""
        return [r for r in self.requests if r.method == "POST" and r.path == "/v1/chat/completions"]

    @property
    def reported_usage(self) -> list[dict[str, Any]]:
        """The `usage` of every completion answered so far (cut-off ones included), oldest first: what a bill
        would count, to hold the client's own token records against."""
        with self._lock:
            return list(self._usage)

    @property
    def errors(self) -> list[BaseException]:
        """Exceptions raised while answering (mostly responder bugs); each went to the client as a 500, which
        retries could otherwise hide."""
        with self._lock:
            return list(self._errors)

    # faults: each applies to the next `times` chat completions (None: forever), in the order queued

    def fail_with(
        self,
        status: int,
        *,
        body: dict[str, Any] | str | bytes | None = None,
        headers: dict[str, str] | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer with an HTTP error, by default the body OpenAI sends for that status (e.g. 429 + headers
        `{"Retry-After": "1"}`)."""
        headers = dict(headers or {})
        error_body = body if body is not None else default_error_body(status, headers)
        self._queue(_Fault("status", _check_times(times), status=status, body=error_body, headers=headers))

    def always_fail(self, status: int = 500, retry_after_ms: int | None = None) -> None:
        """A server that never answers a completion successfully; with `retry_after_ms` it tells the client when to
        retry (`retry-after-ms`, which the openai client honours), so a test of the fallback need not sit through
        the client's exponential backoff."""
        headers = {"retry-after-ms": str(retry_after_ms)} if retry_after_ms is not None else None
        self.fail_with(status, headers=headers, times=None)

    def hang(self, seconds: float, times: int | None = 1) -> None:
        """Say nothing for `seconds` before answering normally, to push a client past its timeout."""
        self._queue(_Fault("hang", _check_times(times), seconds=seconds))

    def answer_invalid_json(self, times: int | None = 1) -> None:
        """Answer with truncated JSON (as content or as tool-call arguments, whichever the request wants)."""
        self.answer_with(INVALID_JSON, times=times)

    def answer_with(self, content: str, times: int | None = 1, *, finish_reason: str = "stop") -> None:
        """Answer with exactly `content`, bypassing the responder; `finish_reason="length"` mimics a cut-off."""
        self._queue(_Fault("content", _check_times(times), content=content, finish_reason=finish_reason))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _queue(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _next_fault(self) -> _Fault | None:
        """Consume one use of the oldest fault still in force."""
        with self._lock:
            if not self._faults:
                return None
            fault = self._faults[0]
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.pop(0)
            return fault

    # request handling (runs on handler threads)

    def _serve(self, handler: _Handler) -> None:
        raw = handler.read_body()
        body = _parse_json(raw)
        path = urlsplit(handler.path).path.rstrip("/")
        headers = {
            name.lower(): REDACTED if name.lower() in _SECRET_HEADERS else value
            for name, value in handler.headers.items()
        }
        with self._lock:
            self._requests.append(RecordedRequest(handler.command, path, headers, body, time.monotonic()))
        try:
            if not handler.headers.get("Authorization", "").startswith("Bearer "):
                raise APIError(401, "You didn't provide an API key. Pass it as 'Authorization: Bearer YOUR_KEY'.")
            self._route(handler, path, raw, body)
        except APIError as error:
            handler.send(_error_reply(error))
        except OSError:
            raise  # the client hung up; nothing to answer
        except Exception as error:  # a responder's bug (or this fake's): answer 500, keep it for the test
            with self._lock:
                self._errors.append(error)
            handler.send(_error_reply(APIError(500, f"The fake OpenAI server failed: {error!r}")))

    def _route(self, handler: _Handler, path: str, raw: bytes, body: Any) -> None:
        if handler.command == "GET" and path == "/v1/models":
            handler.send(_reply(200, {"object": "list", "data": [self._model_object(self.model)]}))
        elif handler.command == "GET" and path.startswith("/v1/models/"):
            handler.send(_reply(200, self._model_object(path.removeprefix("/v1/models/"))))
        elif handler.command == "POST" and path == "/v1/chat/completions":
            if raw and body is None:
                raise APIError(400, "We could not parse the JSON body of your request.")
            _check_chat_body(body)
            self._complete(handler, body)
        else:
            raise APIError(404, f"Invalid URL ({handler.command} {path})")

    def _model_object(self, model: str) -> dict[str, Any]:
        return {"id": model, "object": "model", "created": 1721172741, "owned_by": "system"}

    def _complete(self, handler: _Handler, body: dict[str, Any]) -> None:
        """Apply the next fault, if any, then answer as JSON or as a stream."""
        fault = self._next_fault()
        if fault is not None and fault.kind == "status":
            handler.send(_reply(fault.status, fault.body if fault.body is not None else b"", fault.headers))
            return
        if fault is not None and fault.kind == "hang" and self._stopping.wait(fault.seconds):
            handler.close_connection = True  # stopped mid-hang: hang up without an answer
            return
        if fault is not None and fault.kind == "content":
            completion = build_completion(
                body, fault.content, fingerprint=self.fingerprint, finish_reason=fault.finish_reason
            )
        else:
            completion = build_completion(body, self._ask_responder(body), fingerprint=self.fingerprint)
        with self._lock:
            self._usage.append(completion["usage"])
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            handler.send_stream(stream_chunks(completion, include_usage=include_usage))
        else:
            handler.send(_reply(200, completion))

    def _ask_responder(self, body: dict[str, Any]) -> dict[str, Any] | str:
        answer = self.responder(body)
        if not isinstance(answer, dict | str):
            raise TypeError(f"responder must return a dict or a str, not {type(answer).__name__}")
        return answer


def _parse_json(raw: bytes) -> Any:
    """The body as JSON, or None when empty or not JSON (recorded either way)."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _check_times(times: int | None) -> int | None:
    if times is not None and times < 1:
        raise ValueError("times must be a positive number, or None for a permanent fault")
    return times
