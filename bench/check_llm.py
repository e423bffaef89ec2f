#!/usr/bin/env python3
"""journeybot's LLM path against a real OpenAI-compatible server (issue 14): `make check-llm` runs it through
deploy/check-llm.sh, which installs and serves a small local model first; pointed at any other server it works
the same way (`--base-url`, `--model`, OPENAI_API_KEY).

It asserts the protocol, not the model's wisdom. Every request goes through a recording proxy on 127.0.0.1, so
the report can show what journeybot itself does not keep: each call's wall time, the server's status and its own
error text, the response format sent, the finish reason and the server's token counts. Then:

1. probes: is a strict `json_schema` response format accepted and honoured (an enum and an integer range),
   `json_object`, `max_tokens`, forced tool calling;
2. `journeybot cluster` with the LLM engine on bench/data/llm_check_notes.jsonl (20 notes): with
   `--engine llm` when the command has it, else through `workflows.llm.engine.LLMEngine` in this process;
3. the synthesis tasks (persona, touchpoints, pain points, actions, summary) through `LLMSynthesis` on the
   recorded tests' meal-kit workshop (tests/llm_fixtures.py), each falling back the way `assemble_map` does;
4. when the server refuses `json_schema` (or with `--prototype always`): the cluster prompt as `json_object`
   (schema in the prompt), as `json_object` with llama.cpp's `schema` extension and as a forced tool call,
   through LangChain directly, to show what a `JOURNEYBOT_LLM_STRUCTURED` switch in journeybot would do.

Checks (exit status 1 when one fails): the server answered every request in time; it accepted journeybot's
requests; every unusable answer was repaired or ended in a fallback that says why (a cut-off answer reported as
cut off); no degenerate answer passed off as the LLM's; the tokens in `llm_calls` match the server's counts;
no e-mail address or card number reached the server; the cluster output has every note exactly once.

Usage: .venv/bin/python bench/check_llm.py --base-url http://127.0.0.1:8080/v1 --model smollm2
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from pydantic import ValidationError  # noqa: E402

from workflows.llm import answers  # noqa: E402
from workflows.llm.prompts import load_prompt  # noqa: E402

NOTES = ROOT / "bench" / "data" / "llm_check_notes.jsonl"
JOURNEYBOT = ROOT / ".venv" / "bin" / "journeybot"
API_KEY = "sk-local-check"  # a local server wants none; the openai client insists on one
TASK_ANSWERS = answers.ANSWERS
LOG_PREFIX = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ ")  # a text log line's timestamp
REPAIR_OPENING = load_prompt("repair").user.split("{", 1)[0].strip()
T = TypeVar("T")


# --- the recording proxy --------------------------------------------------------------------------------------


@dataclass
class Exchange:
    """One request through the proxy and what the server did with it."""

    number: int
    phase: str
    task: str  # the journeybot prompt it carries (found by its system prompt), or the probe's name
    repair: bool  # the repair turn after an unusable answer
    response_format: str  # json_schema (strict) / json_object / tools / none
    max_tokens: int | None
    sent: str  # the request body (kept for the personal-data check, never printed)
    status: int | None = None
    seconds: float = 0.0
    error: str = ""  # the server's own error text, or why the proxy got no answer
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    content: str | None = None
    tool_arguments: str | None = None
    received: str = ""  # the response body, for --dump

    @property
    def answer_problem(self) -> str | None:
        """None when the content is a valid answer of its task; else what is wrong (no text quoted)."""
        expected = TASK_ANSWERS.get(self.task)
        if expected is None or self.content is None:
            return None if expected is None else "no content"
        try:
            expected.model_validate_json(self.content.strip().removeprefix("```json").removesuffix("```"))
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False)
            if any(error["type"] == "json_invalid" for error in errors):
                return "not valid JSON"
            return f"{len(errors)} schema error(s), first: {'.'.join(map(str, errors[0]['loc']))}: {errors[0]['msg']}"
        return None

    @property
    def outcome(self) -> str:
        if self.status is None:
            return f"no answer: {self.error}"
        if self.status != 200:
            return f"rejected: HTTP {self.status}: {self.error}"
        if self.finish_reason == "length":
            return f"cut off at {self.completion_tokens} tokens (finish_reason=length)"
        if self.task not in TASK_ANSWERS:
            return "answered"
        problem = self.answer_problem
        return "valid answer" if problem is None else f"invalid answer: {problem}"


class Recorder:
    def __init__(self, upstream: str, timeout: float) -> None:
        parts = urlsplit(upstream)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self.phase = "start"
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._systems = {load_prompt(task).system.strip(): task for task in TASK_ANSWERS}

    def begin(self, body: bytes) -> Exchange:
        try:
            request = json.loads(body or b"{}")
        except json.JSONDecodeError:
            request = {}
        messages = request.get("messages") or []
        system = next((m.get("content") for m in messages if m.get("role") == "system"), "") or ""
        last = str(messages[-1].get("content", "")) if messages else ""
        response_format = (request.get("response_format") or {}).get("type", "none")
        if response_format == "json_schema" and (request["response_format"].get("json_schema") or {}).get("strict"):
            response_format = "json_schema (strict)"
        if request.get("tools"):
            response_format = "tools"
        with self._lock:
            exchange = Exchange(
                number=len(self.exchanges) + 1,
                phase=self.phase,
                task=self._systems.get(str(system).strip(), "?"),
                repair=last.startswith(REPAIR_OPENING),
                response_format=response_format,
                max_tokens=request.get("max_tokens") or request.get("max_completion_tokens"),
                sent=body.decode("utf-8", "replace"),
            )
            self.exchanges.append(exchange)
        return exchange


def finish(exchange: Exchange, status: int, body: bytes, seconds: float) -> None:
    exchange.status, exchange.seconds = status, seconds
    exchange.received = body.decode("utf-8", "replace")
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        exchange.error = " ".join(body.decode("utf-8", "replace").split())[:500]
        return
    if status != 200:
        error = data.get("error", data) if isinstance(data, dict) else data
        message = error.get("message", error) if isinstance(error, dict) else error
        exchange.error = " ".join((message if isinstance(message, str) else json.dumps(message)).split())[:500]
        return
    usage = data.get("usage") or {}
    exchange.prompt_tokens, exchange.completion_tokens = usage.get("prompt_tokens"), usage.get("completion_tokens")
    choice = (data.get("choices") or [{}])[0]
    exchange.finish_reason = choice.get("finish_reason")
    message = choice.get("message") or {}
    exchange.content = message.get("content")
    calls = message.get("tool_calls") or []
    if calls:
        exchange.tool_arguments = calls[0].get("function", {}).get("arguments")


class ProxyHandler(BaseHTTPRequestHandler):
    server: ProxyServer

    def do_GET(self) -> None:
        self._forward()

    def do_POST(self) -> None:
        self._forward()

    def _forward(self) -> None:
        recorder = self.server.recorder
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        exchange = recorder.begin(body) if self.command == "POST" else None
        start = time.monotonic()
        connection = http.client.HTTPConnection(recorder.host, recorder.port, timeout=recorder.timeout)
        try:
            connection.request(self.command, self.path, body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            status, data = response.status, response.read()
            content_type = response.getheader("Content-Type", "application/json")
        except OSError as exc:  # a timeout included: the client sees a 504 and may retry
            status, content_type = 504, "application/json"
            reason = f"the server did not answer within {recorder.timeout:.0f} s ({type(exc).__name__})"
            data = json.dumps({"error": {"message": f"check proxy: {reason}"}}).encode()
            if exchange is not None:
                exchange.error, exchange.seconds = reason, time.monotonic() - start
                exchange = None
        finally:
            connection.close()
        if exchange is not None:
            finish(exchange, status, data, time.monotonic() - start)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, recorder: Recorder) -> None:
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.recorder = recorder

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


# --- what is run -----------------------------------------------------------------------------------------------


@dataclass
class TaskRun:
    """One journeybot task: the LLM's result used, or a fallback and the reason it gave."""

    task: str
    seconds: float
    used_llm: bool
    reason: str = ""
    detail: str = ""


@dataclass
class Report:
    server: str
    tasks: list[TaskRun] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the run says besides the tables
    cluster_ids: list[list[str]] | None = None
    cluster_titles: list[str] = field(default_factory=list)
    recorded: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # task → (calls, prompt, completion)
    probes: dict[str, str] = field(default_factory=dict)


PROBE_SCHEMA = {
    "type": "object",
    "properties": {
        "colour": {"type": "string", "enum": ["red", "green", "blue"]},
        "sure": {"type": "integer", "minimum": 1, "maximum": 3},
    },
    "required": ["colour", "sure"],
    "additionalProperties": False,
}
PROBE_MESSAGES = [
    {"role": "system", "content": "You answer with JSON only."},
    {
        "role": "user",
        "content": 'What colour is the sky on a clear day, and how sure are you from 1 to 3? Answer as {"colour": '
        '"red" or "green" or "blue", "sure": 1 to 3}.',
    },
]


def probe(base_url: str, model: str, timeout: float, report: Report) -> bool:
    """Each response format once; True when strict `json_schema` was accepted."""
    import httpx

    variants: dict[str, dict[str, Any]] = {
        "json_schema": {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "probe", "strict": True, "schema": PROBE_SCHEMA},
            }
        },
        "json_object": {"response_format": {"type": "json_object"}},
        "tools": {
            "tools": [{"type": "function", "function": {"name": "answer", "parameters": PROBE_SCHEMA}}],
            "tool_choice": {"type": "function", "function": {"name": "answer"}},
        },
    }
    accepted = False
    for name, extra in variants.items():
        body = {"model": model, "messages": PROBE_MESSAGES, "temperature": 0, "max_tokens": 64, **extra}
        exchange = _post(base_url, body, timeout, report, name, httpx)
        if exchange is None:
            continue
        if exchange.status == 200:
            text = exchange.tool_arguments if name == "tools" else exchange.content
            verdict = _probe_verdict(text or "", name != "json_object")
            if name == "tools" and exchange.tool_arguments is None:
                verdict = f"no tool call in the answer (finish_reason={exchange.finish_reason}, text instead)"
            report.probes[name] = f"accepted ({exchange.seconds:.1f} s): {verdict}"
            accepted |= name == "json_schema"
        else:
            report.probes[name] = exchange.outcome
    body = {"model": model, "messages": [{"role": "user", "content": "Count from 1 to 100."}], "max_tokens": 8}
    exchange = _post(base_url, body, timeout, report, "max_tokens", httpx)
    if exchange is not None:
        report.probes["max_tokens=8"] = (
            f"finish_reason={exchange.finish_reason}, {exchange.completion_tokens} completion tokens"
            if exchange.status == 200
            else exchange.outcome
        )
    return accepted


def _post(base_url: str, body: dict[str, Any], timeout: float, report: Report, name: str, httpx: Any) -> Any:
    before = len(RECORDER.exchanges)
    try:
        httpx.post(f"{base_url}/chat/completions", json=body, timeout=timeout, headers={"Authorization": "Bearer x"})
    except httpx.HTTPError as exc:
        report.probes[name] = f"no answer: {type(exc).__name__}"
        return None
    exchange = RECORDER.exchanges[before]
    exchange.task = f"probe {name}"
    return exchange


def _probe_verdict(text: str, constrained: bool) -> str:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return "the answer is not JSON"
    if not constrained:
        return f"JSON {'object' if isinstance(value, dict) else type(value).__name__}"
    ok = (
        isinstance(value, dict)
        and set(value) == {"colour", "sure"}
        and value["colour"] in ("red", "green", "blue")
        and isinstance(value["sure"], int)
        and 1 <= value["sure"] <= 3
    )
    return "schema honoured (enum and integer range)" if ok else f"schema NOT honoured: {text[:80]!r}"


def read_notes() -> list[Any]:
    from workflows.themes.clustering.files import read_notes as read

    return read(NOTES)


def cluster_cli(base_url: str, model: str, workdir: Path, timeout: float, report: Report) -> None:
    """`journeybot cluster --engine llm` in a process of its own, with the server configured by environment."""
    database = f"sqlite:///{workdir / 'cli.db'}"
    env = {
        **os.environ,
        "OPENAI_API_KEY": API_KEY,
        "OPENAI_BASE_URL": base_url,
        "JOURNEYBOT_LLM_MODEL": model,
        "DATABASE_URL": database,
    }
    subprocess.run([str(JOURNEYBOT), "migrate"], env=env, capture_output=True, timeout=120, check=True)
    out = workdir / "themes.json"
    command = [str(JOURNEYBOT), "cluster", "--engine", "llm", "--in", str(NOTES), "--out", str(out)]
    start = time.monotonic()
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, cwd=workdir)
    except subprocess.TimeoutExpired:
        report.tasks.append(TaskRun("cluster (CLI)", time.monotonic() - start, False, f"STALLED past {timeout} s"))
        return
    seconds = time.monotonic() - start
    said = [
        LOG_PREFIX.sub("", line)
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and not any(noise in line for noise in (" alembic.", " httpx"))
    ]
    report.notes.append(f"`journeybot cluster --engine llm` exited {done.returncode}; it said:")
    report.notes += [f"    {line[:200]}" for line in said[-12:]] or ["    (nothing)"]
    if done.returncode != 0 or not out.exists():
        report.tasks.append(TaskRun("cluster (CLI)", seconds, False, f"exit status {done.returncode}"))
        return
    themes = json.loads(out.read_text(encoding="utf-8"))["themes"]
    report.cluster_ids = [theme["ids"] for theme in themes]
    report.cluster_titles = [theme["title"] for theme in themes]
    llm_titles = _valid_cluster_titles()
    used = bool(llm_titles) and set(report.cluster_titles) <= llm_titles
    fallback = "" if used else _said_reason(said)
    report.tasks.append(TaskRun("cluster (CLI)", seconds, used, fallback, f"{len(themes)} themes"))
    report.recorded.update(_recorded(database))


def _valid_cluster_titles() -> set[str]:
    """The titles of the server's valid cluster answers (restored placeholders aside)."""
    titles: set[str] = set()
    for exchange in RECORDER.exchanges:
        if exchange.task == "cluster" and exchange.outcome == "valid answer" and exchange.content:
            titles |= {theme["title"] for theme in json.loads(exchange.content)["themes"]}
    return titles


def _said_reason(lines: Sequence[str]) -> str:
    """What the command said about not using the LLM, if anything."""
    hits = [line for line in lines if "embedded" in line.lower() or "llm" in line.lower()]
    return hits[-1][:300] if hits else "(the output does not say why)"


def in_process(label: str, ask: Callable[[], T], fallback: Callable[[], T], report: Report) -> T:
    """The LLM's result, else the embedded one with the reason, as `workflows.mapping.assembly._with_fallback`."""
    from workflows.llm import LLMUnavailable

    start = time.monotonic()
    try:
        result = ask()
    except LLMUnavailable as failure:
        report.tasks.append(TaskRun(label, time.monotonic() - start, False, failure.reason or "(no reason given)"))
        return fallback()
    report.tasks.append(TaskRun(label, time.monotonic() - start, True))
    return result


def cluster_in_process(config: Any, workdir: Path, report: Report) -> None:
    from storage.db import Database
    from storage.migrate import upgrade
    from workflows.llm import LLMEngine
    from workflows.themes.clustering.embedded import EmbeddedEngine

    database = f"sqlite:///{workdir / 'engine.db'}"
    upgrade(database)
    notes = read_notes()
    engine = LLMEngine(config, Database(database))
    drafts = in_process(
        "cluster (LLMEngine)", lambda: engine.cluster(notes), lambda: EmbeddedEngine().cluster(notes), report
    )
    report.cluster_ids = [draft.ids for draft in drafts]
    report.cluster_titles = [draft.title for draft in drafts]
    report.tasks[-1].detail = f"{len(drafts)} themes"
    report.recorded.update(_recorded(database))


def synthesis(config: Any, workdir: Path, report: Report) -> None:
    """Every synthesis task once, on the recorded tests' workshop; the embedded counterpart where one fails."""
    from storage.db import Database
    from storage.migrate import upgrade
    from tests import llm_fixtures as fx
    from workflows.actions.parsing import parse_action
    from workflows.llm import LLMSynthesis
    from workflows.mapping.persona import build_persona
    from workflows.mapping.synthesis import link_pain_points, place_touchpoints

    database = f"sqlite:///{workdir / 'synthesis.db'}"
    upgrade(database)
    llm = LLMSynthesis(config, Database(database), people=fx.PEOPLE)
    stages = fx.STAGES
    in_process("persona", lambda: llm.persona(fx.PERSONA_THEMES), lambda: build_persona(fx.PERSONA_THEMES), report)
    placed = in_process(
        "touchpoints",
        lambda: llm.touchpoints(fx.TOUCHPOINT_THEMES, stages),
        lambda: place_touchpoints(fx.TOUCHPOINT_THEMES, stages),
        report,
    )
    in_process(
        "pain_points",
        lambda: llm.pain_points(fx.PAIN_THEMES, fx.TOUCHPOINT_THEMES, placed, stages),
        lambda: link_pain_points(fx.PAIN_THEMES, fx.TOUCHPOINT_THEMES, placed, stages),
        report,
    )
    in_process(
        "actions",
        lambda: llm.actions(fx.ACTION_NOTES, fx.PAIN_THEMES, fx.TODAY),
        lambda: [parse_action(note.text, note.mentions, fx.TODAY) for note in fx.ACTION_NOTES],
        report,
    )
    in_process("summary", lambda: llm.summary(fx.journey_map()), lambda: None, report)
    for task, totals in _recorded(database).items():
        report.recorded[task] = totals


def _recorded(database: str) -> dict[str, tuple[int, int, int]]:
    """`llm_calls` per task: answers from the model (not cache hits), prompt and completion tokens."""
    from sqlalchemy import func, select

    from storage.db import Database
    from storage.models import LLMCall

    db = Database(database)
    with db.session() as session:
        rows = session.execute(
            select(LLMCall.task, func.count(), func.sum(LLMCall.prompt_tokens), func.sum(LLMCall.completion_tokens))
            .where(LLMCall.cached.is_(False))
            .group_by(LLMCall.task)
        ).all()
    db.dispose()
    return {task: (calls, int(prompt or 0), int(completion or 0)) for task, calls, prompt, completion in rows}


def prototype_json_object(base_url: str, model: str, timeout: float, report: Report) -> None:
    """What a `JOURNEYBOT_LLM_STRUCTURED` switch would do, through LangChain directly: journeybot's cluster prompt
    with the answer's JSON schema appended to the system message (`json_object` sends no schema of its own) and
    its `max_tokens`, sent as `json_object`; as `json_object` with llama.cpp's `schema` extension (which
    constrains the sampling as `json_schema` does); and as a forced tool call. Each answer is validated the way
    `LLMClient` validates one."""
    from langchain_core.messages import SystemMessage
    from langchain_core.utils.function_calling import convert_to_openai_tool
    from langchain_openai import ChatOpenAI

    from workflows.llm.repair import validated
    from workflows.llm.tasks.cluster import build_cluster, read_cluster

    notes = read_notes()
    request = build_cluster(notes, ())
    messages = load_prompt("cluster").messages(**request.variables)
    schema = answers.ClusterAnswer.model_json_schema()
    schema_text = json.dumps(schema, separators=(",", ":"))
    messages[0] = SystemMessage(
        f"{messages[0].content}\n\nAnswer with one JSON object following this JSON schema:\n{schema_text}"
    )
    chat = ChatOpenAI(
        model=model,
        api_key=API_KEY,
        base_url=base_url,
        timeout=timeout,
        max_retries=0,
        temperature=0,
        use_responses_api=False,
    )
    prompt = load_prompt("cluster")
    limit = prompt.answer_tokens(len(notes)) if hasattr(prompt, "answer_tokens") else 256 + 64 * len(notes)
    tool = convert_to_openai_tool(schema)
    # What `LLMClient._call` would pass to `ChatOpenAI.invoke` instead of its strict json_schema response_format.
    variants: dict[str, tuple[str, dict[str, Any]]] = {
        "json_object": ("schema in the prompt", {"response_format": {"type": "json_object"}}),
        "json_object+schema": (
            "llama.cpp's `schema` extension",
            {"response_format": {"type": "json_object", "schema": schema}},
        ),
        "tools": (
            "a forced tool call",
            {"tools": [tool], "tool_choice": {"type": "function", "function": {"name": tool["function"]["name"]}}},
        ),
    }
    RECORDER.phase = "prototype"
    for name, (how, kwargs) in variants.items():
        label = f"{name} ({how})"
        before = len(RECORDER.exchanges)
        start = time.monotonic()
        try:
            raw = chat.invoke(messages, max_tokens=limit, **kwargs)
        except Exception as exc:  # noqa: BLE001 (a prototype: whatever fails is reported)
            report.tasks.append(TaskRun(f"prototype: {label}", time.monotonic() - start, False, _brief(exc)))
            continue
        finally:
            for exchange in RECORDER.exchanges[before:]:
                exchange.task = f"cluster/{name}"
        if name == "tools":  # the answer is the tool call's arguments, not the content
            calls = getattr(raw, "tool_calls", None) or [{"args": {}}]
            raw = raw.model_copy(update={"content": json.dumps(calls[0]["args"])})
        parsed, problem = validated(answers.ClusterAnswer, raw)
        seconds = time.monotonic() - start
        if parsed is None:
            report.tasks.append(TaskRun(f"prototype: {label}", seconds, False, f"answer unusable: {problem}"))
            continue
        placed = {note for theme in parsed.themes for note in theme.notes if note in request.context}
        drafts = read_cluster(parsed, request)
        detail = (
            f"the model placed {len(placed)} of {len(notes)} notes in {len(parsed.themes)} themes; "
            f"{len(drafts)} themes after journeybot's repair"
        )
        report.tasks.append(TaskRun(f"prototype: {label}", seconds, True, detail=detail))


def _brief(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}"


# --- checks and the report -------------------------------------------------------------------------------------


def checks(report: Report) -> list[tuple[str, bool, str]]:
    journeybot = [e for e in RECORDER.exchanges if e.task in TASK_ANSWERS and not e.phase.startswith("prototype")]
    results: list[tuple[str, bool, str]] = []
    stalled = [e for e in RECORDER.exchanges if e.status is None] + [t for t in report.tasks if "STALLED" in t.reason]
    results.append(("the server answered every request in time", not stalled, f"{len(stalled)} without an answer"))
    rejected = [e for e in journeybot if e.status != 200]
    errors = sorted({e.error for e in rejected})
    results.append(
        (
            "the server accepted journeybot's requests",
            bool(journeybot) and not rejected,
            f"{len(journeybot) - len(rejected)} of {len(journeybot)} accepted, sent as "
            + ", ".join(sorted({e.response_format for e in journeybot}))
            + (f"; server said: {' | '.join(errors)}" if errors else ""),
        )
    )
    silent = [t.task for t in report.tasks if not t.used_llm and not t.reason]
    results.append(("every fallback says why", not silent, ", ".join(silent) or "all do"))
    cut = [e for e in journeybot if e.finish_reason == "length"]
    fell = [t for t in report.tasks if not t.used_llm and not t.task.startswith("prototype")]
    cut_named = any(
        word in t.reason.lower() for t in fell for word in ("cut off", "truncat", "max_tokens", "token limit")
    )
    results.append(
        (
            "a cut-off answer is repaired or reported as cut off",
            not cut or cut_named or all(_repaired_after(e, journeybot) for e in cut),
            f"{len(cut)} cut-off answer(s)" + ("" if not cut else f"; reasons given: {_reasons(fell)}"),
        )
    )
    invalid = [e for e in journeybot if e.status == 200 and e.finish_reason != "length" and e.answer_problem]
    unrepaired = [e for e in invalid if not _repaired_after(e, journeybot)]
    results.append(
        (
            "an invalid answer gets one repair turn",
            not unrepaired,
            f"{len(invalid)} invalid, {len(invalid) - len(unrepaired)} followed by a repair turn",
        )
    )
    results.append(_degenerate_check(report))
    server = _server_tokens(journeybot)
    recorded = {task: totals for task, totals in report.recorded.items() if task in TASK_ANSWERS}
    recorded_total = (sum(t[1] for t in recorded.values()), sum(t[2] for t in recorded.values()))
    results.append(
        (
            "llm_calls records the server's tokens",
            recorded_total == server,
            f"server {server[0]}/{server[1]} prompt/completion, llm_calls {recorded_total[0]}/{recorded_total[1]}",
        )
    )
    from tests.llm_fixtures import SECRETS  # the notes file's and the fixtures' public test values

    leaked = [e.number for e in RECORDER.exchanges if any(secret in e.sent for secret in SECRETS)]
    results.append(
        ("no e-mail address, phone or card number reached the server", not leaked, f"requests {leaked or 'none'}")
    )
    if report.cluster_ids is not None:
        ids = [note_id for theme in report.cluster_ids for note_id in theme]
        expected = [note.id for note in read_notes()]
        results.append(
            (
                "the cluster output has every note exactly once",
                sorted(ids) == sorted(expected),
                f"{len(ids)} placed, {len(set(ids))} distinct, {len(expected)} notes",
            )
        )
    return results


def _repaired_after(exchange: Exchange, exchanges: Sequence[Exchange]) -> bool:
    return any(e.repair and e.task == exchange.task and e.number > exchange.number for e in exchanges)


def _reasons(tasks: Sequence[TaskRun]) -> str:
    return "; ".join(f"{t.task}: {t.reason}" for t in tasks) or "none"


def _degenerate_check(report: Report) -> tuple[str, bool, str]:
    """The cluster answer journeybot kept must not leave most notes out or lump them all together (issue 14, 7)."""
    notes = len(read_notes())
    valid = [e for e in RECORDER.exchanges if e.task == "cluster" and e.outcome == "valid answer" and e.content]
    degenerate = [e for e in valid if _degenerate(json.loads(e.content or "{}"), notes)]
    used = any(t.used_llm for t in report.tasks if t.task.startswith("cluster"))
    passed_off = used and bool(valid) and valid[-1] in degenerate
    detail = f"{len(degenerate)} degenerate cluster answer(s)" + (
        ", the last used as the LLM's themes" if passed_off else ""
    )
    return ("no degenerate answer passed off as the LLM's", not passed_off, detail)


def _degenerate(answer: dict[str, Any], notes: int) -> bool:
    themes = answer.get("themes", [])
    placed = {note for theme in themes for note in theme.get("notes", [])}
    return len(placed) < notes / 2 or (len(themes) == 1 and notes > 3)


def _server_tokens(exchanges: Sequence[Exchange]) -> tuple[int, int]:
    answered = [e for e in exchanges if e.status == 200]
    return sum(e.prompt_tokens or 0 for e in answered), sum(e.completion_tokens or 0 for e in answered)


def print_report(report: Report, results: Sequence[tuple[str, bool, str]]) -> None:
    print(f"\n== probes ({report.server})")
    for name, verdict in report.probes.items():
        print(f"  {name:<13} {verdict}")
    print("\n== every request (wall time through the proxy; tokens as the server counted them)")
    print(
        f"  {'#':>3} {'phase':<22} {'task':<20} {'format':<21} {'max_tok':>7} {'secs':>6} "
        f"{'prompt':>6} {'compl':>6}  outcome"
    )
    for e in RECORDER.exchanges:
        task = e.task + (" (repair)" if e.repair else "")
        print(
            f"  {e.number:>3} {e.phase[:22]:<22} {task[:20]:<20} {e.response_format:<21} {e.max_tokens or '-':>7} "
            f"{e.seconds:>6.1f} {e.prompt_tokens if e.prompt_tokens is not None else '-':>6} "
            f"{e.completion_tokens if e.completion_tokens is not None else '-':>6}  {e.outcome[:160]}"
        )
    journeybot = [e for e in RECORDER.exchanges if e.task in TASK_ANSWERS and e.status == 200]
    if journeybot:
        seconds = sorted(e.seconds for e in journeybot)
        print(
            f"  journeybot's answered calls: {len(seconds)}, median {seconds[len(seconds) // 2]:.1f} s, "
            f"max {seconds[-1]:.1f} s, total {sum(seconds):.1f} s"
        )
    print("\n== journeybot's tasks")
    for t in report.tasks:
        if t.task.startswith("prototype"):  # the protocol's outcome only: the answer's sense is in the detail
            engine = "parsed and validated" if t.used_llm else "failed"
        else:
            engine = "LLM" if t.used_llm else "fell back to embedded"
        why = f": {t.reason}" if t.reason else ""
        print(f"  {t.task:<48} {t.seconds:>6.1f} s  {engine}{why}{'  (' + t.detail + ')' if t.detail else ''}")
    if report.cluster_titles:
        print(f"  cluster titles: {' | '.join(report.cluster_titles)[:300]}")
    print("\n== tokens: llm_calls vs the server, per task (calls, prompt, completion)")
    for task in TASK_ANSWERS:
        served = [
            e for e in RECORDER.exchanges if e.task == task and e.status == 200 and not e.phase.startswith("prototype")
        ]
        recorded = report.recorded.get(task)
        if served or recorded:
            server = (len(served), *_server_tokens(served))
            print(f"  {task:<12} server {server}   llm_calls {recorded or (0, 0, 0)}")
    for note in report.notes:
        print(note)
    print("\n== checks")
    for name, passed, detail in results:
        print(f"  {'PASS' if passed else 'FAIL'}  {name}: {detail}")


def _stalled(deadline: float) -> None:
    """The watchdog: whatever is still running after the deadline, the check ends, and says so."""
    print(f"\nFAIL  the check did not finish within {deadline:.0f} s: it stalled", flush=True)
    os._exit(1)


RECORDER: Recorder  # set in main


def main(argv: Sequence[str] | None = None) -> int:
    global RECORDER
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="the server's OpenAI-compatible base URL, …/v1")
    parser.add_argument("--model", required=True, help="the model name to ask for")
    parser.add_argument("--server", default="server", help="a name for the report")
    parser.add_argument("--server-log", help="the server's log file, named in the report")
    parser.add_argument("--request-timeout", type=float, default=300, help="the proxy's limit per request (s)")
    parser.add_argument("--cli-timeout", type=float, default=900, help="`journeybot cluster`'s limit (s)")
    parser.add_argument("--deadline", type=float, default=2400, help="the whole check's limit (s)")
    parser.add_argument("--engine", choices=("auto", "cli", "python"), default="auto", help="how to run cluster")
    parser.add_argument("--prototype", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--no-synthesis", action="store_true", help="only the probes and cluster")
    parser.add_argument("--dump", type=Path, help="write every request and response to this JSON-lines file")
    args = parser.parse_args(argv)

    watchdog = threading.Timer(args.deadline, _stalled, (args.deadline,))
    watchdog.daemon = True
    watchdog.start()
    RECORDER = Recorder(args.base_url, args.request_timeout)
    proxy = ProxyServer(RECORDER)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    base_url = proxy.base_url
    report = Report(server=args.server)
    os.environ.update({"OPENAI_API_KEY": API_KEY, "OPENAI_BASE_URL": base_url, "JOURNEYBOT_LLM_MODEL": args.model})
    try:
        with tempfile.TemporaryDirectory(prefix="journeybot-check-llm-") as tmp:
            workdir = Path(tmp)
            RECORDER.phase = "probe"
            schema_ok = probe(base_url, args.model, args.request_timeout, report)
            from bot.app import llm_config
            from journeybot.settings import Settings

            config = llm_config(Settings())  # as the bot builds it: JOURNEYBOT_LLM_* settings included
            assert config is not None
            report.notes.append(
                f"journeybot's LLM settings: timeout {config.timeout} s, max_retries {config.max_retries}"
                + "".join(
                    f", {k} {v}"
                    for k, v in config.model_dump(exclude={"api_key", "base_url", "model"}).items()
                    if k not in ("timeout", "max_retries")
                )
            )
            help_text = subprocess.run(
                [str(JOURNEYBOT), "cluster", "--help"], capture_output=True, text=True, timeout=60
            ).stdout
            cli = args.engine == "cli" or (args.engine == "auto" and "--engine" in help_text)
            RECORDER.phase = "journeybot cluster" if cli else "LLMEngine.cluster"
            if cli:
                cluster_cli(base_url, args.model, workdir, args.cli_timeout, report)
            else:
                why = (
                    "as asked (--engine python)" if args.engine == "python" else "`journeybot cluster` has no --engine"
                )
                report.notes.append(f"cluster ran through workflows.llm.engine.LLMEngine in this process: {why}")
                cluster_in_process(config, workdir, report)
            if not args.no_synthesis:
                RECORDER.phase = "LLMSynthesis"
                synthesis(config, workdir, report)
            if args.prototype == "always" or (args.prototype == "auto" and not schema_ok):
                prototype_json_object(base_url, args.model, args.request_timeout, report)
    finally:
        proxy.shutdown()
    if args.server_log:
        report.notes.append(f"server log: {args.server_log}")
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as dump:
            for e in RECORDER.exchanges:
                record = {"number": e.number, "phase": e.phase, "task": e.task, "status": e.status}
                dump.write(
                    json.dumps({**record, "seconds": round(e.seconds, 2), "sent": e.sent, "received": e.received})
                )
                dump.write("\n")
        report.notes.append(f"requests and responses: {args.dump}")
    results = checks(report)
    print_report(report, results)
    failed = [name for name, passed, _ in results if not passed]
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
