"""The fake OpenAI server against the real `openai` client and LangChain's ChatOpenAI, faults included.

These also pin down which exception each failure surfaces as, since the bot's error handling depends on it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import openai
import pydantic
import pytest
from langchain_core.exceptions import OutputParserException
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

from tests.fake_openai import INVALID_JSON, REDACTED, FakeOpenAI, count_tokens

MODEL = "gpt-4o-mini"
ANSWER = {"themes": [{"id": "t1", "title": "Slow onboarding"}, {"id": "t2", "title": "Unclear pricing"}]}


class Theme(BaseModel):
    id: str
    title: str


class Themes(BaseModel):
    themes: list[Theme]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(model=MODEL, responder=lambda body: ANSWER) as server:
        yield server


def client(fake: FakeOpenAI, **options: Any) -> openai.OpenAI:
    return openai.OpenAI(base_url=fake.base_url, api_key="sk-test", **{"max_retries": 0, **options})


def chat(fake: FakeOpenAI, **options: Any) -> ChatOpenAI:
    return ChatOpenAI(base_url=fake.base_url, api_key="sk-test", model=MODEL, **{"max_retries": 0, **options})


def ask(fake: FakeOpenAI, content: str = "Group these sticky notes into themes.", **options: Any) -> Any:
    """One plain chat completion through the openai client (closed afterwards: no sockets left to the GC)."""
    with client(fake, **options) as openai_client:
        return openai_client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": content}])


def post_raw(fake: FakeOpenAI, path: str, body: dict[str, Any], *, key: str | None = "sk-test") -> tuple[int, Any]:
    """A bare HTTP call, to see the exact JSON on the wire rather than the client's model of it."""
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {key}"} if key else {})
    request = urllib.request.Request(fake.base_url + path, json.dumps(body).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# --- the wire format --------------------------------------------------------------------------------------------------


def test_completion_has_openais_documented_shape(fake: FakeOpenAI) -> None:
    status, body = post_raw(
        fake, "/chat/completions", {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
    )
    assert status == 200
    assert set(body) >= {"id", "object", "created", "model", "choices", "usage", "system_fingerprint"}
    assert body["id"].startswith("chatcmpl-") and body["object"] == "chat.completion" and body["model"] == MODEL
    assert body["system_fingerprint"].startswith("fp_") and isinstance(body["created"], int)
    (choice,) = body["choices"]
    assert choice == {
        "index": 0,
        "message": {"role": "assistant", "content": json.dumps(ANSWER, separators=(",", ":")), "refusal": None,
                    "annotations": []},
        "logprobs": None,
        "finish_reason": "stop",
    }  # fmt: skip
    assert body["usage"]["prompt_tokens_details"]["cached_tokens"] == 0
    assert body["usage"]["completion_tokens_details"]["reasoning_tokens"] == 0


def test_usage_is_consistent_and_counts_the_request(fake: FakeOpenAI) -> None:
    fake.responder = lambda body: "Three themes."
    short = ask(fake).usage
    long = ask(fake, "Group these sticky notes into themes. " * 20).usage
    for usage in (short, long):
        assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
        assert usage.completion_tokens == count_tokens("Three themes.", MODEL)
    assert long.prompt_tokens > short.prompt_tokens + 20
    metadata = chat(fake).invoke("hi").usage_metadata
    assert metadata is not None and metadata["total_tokens"] == metadata["input_tokens"] + metadata["output_tokens"]


def test_models_endpoint_lists_the_configured_model(fake: FakeOpenAI) -> None:
    with client(fake) as openai_client:
        assert [model.id for model in openai_client.models.list()] == [MODEL]


def test_unknown_path_missing_key_and_bad_body_get_openai_errors(fake: FakeOpenAI) -> None:
    assert post_raw(fake, "/completions", {})[0] == 404
    status, body = post_raw(fake, "/chat/completions", {"model": MODEL, "messages": []}, key=None)
    assert status == 401 and body["error"]["type"] == "invalid_request_error"
    status, body = post_raw(fake, "/chat/completions", {"model": MODEL})
    assert status == 400 and body["error"]["code"] == "missing_required_parameter"


def test_a_strict_schema_openai_would_reject_is_rejected(fake: FakeOpenAI) -> None:
    loose = {"type": "object", "properties": {"id": {"type": "string"}}}
    response_format = {"type": "json_schema", "json_schema": {"name": "Loose", "strict": True, "schema": loose}}
    with (
        client(fake) as openai_client,
        pytest.raises(openai.BadRequestError, match="schema for response_format 'Loose'"),
    ):
        openai_client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "hi"}], response_format=response_format
        )


def test_authorization_is_never_stored(fake: FakeOpenAI) -> None:
    chat(fake).invoke("hi")
    ask(fake)
    assert len(fake.requests) == 2
    assert all(request.headers["authorization"] == REDACTED for request in fake.requests)
    assert "sk-test" not in repr(fake.requests)


# --- structured output ------------------------------------------------------------------------------------------------


def test_json_schema_method_parses_into_the_model(fake: FakeOpenAI) -> None:
    result = chat(fake).with_structured_output(Themes, method="json_schema").invoke("Group these notes")
    assert result == Themes.model_validate(ANSWER)
    response_format = fake.completion_requests[-1].body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "Themes" and response_format["json_schema"]["strict"] is True


def test_function_calling_method_parses_into_the_model(fake: FakeOpenAI) -> None:
    structured = chat(fake).with_structured_output(Themes, method="function_calling", include_raw=True)
    result = structured.invoke("Group these notes")
    assert result["parsed"] == Themes.model_validate(ANSWER)
    assert result["raw"].response_metadata["finish_reason"] == "stop"  # OpenAI's answer to a forced, named tool
    body = fake.completion_requests[-1].body
    assert body["tool_choice"] == {"type": "function", "function": {"name": "Themes"}}
    assert [tool["function"]["name"] for tool in body["tools"]] == ["Themes"]


def test_streamed_answers_assemble_with_usage(fake: FakeOpenAI) -> None:
    fake.responder = lambda body: "A fairly long answer, so that it arrives in several pieces."
    total = None
    for chunk in chat(fake).stream("hi", stream_usage=True):
        total = chunk if total is None else total + chunk
    assert total is not None and total.content == "A fairly long answer, so that it arrives in several pieces."
    assert total.usage_metadata is not None and total.usage_metadata["output_tokens"] > 0


def test_streamed_tool_call_arguments_assemble(fake: FakeOpenAI) -> None:
    tool = {"type": "function", "function": {"name": "Themes", "parameters": Themes.model_json_schema()}}
    pieces, finish = [], None
    with client(fake) as openai_client:
        stream = openai_client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "hi"}], tools=[tool], tool_choice="required", stream=True
        )
        for chunk in stream:
            for choice in chunk.choices:
                pieces += [call.function.arguments or "" for call in choice.delta.tool_calls or [] if call.function]
                finish = choice.finish_reason or finish
    assert json.loads("".join(pieces)) == ANSWER and finish == "tool_calls"


# --- faults -----------------------------------------------------------------------------------------------------------


def test_rate_limit_is_a_rate_limit_error(fake: FakeOpenAI) -> None:
    fake.fail_with(429, headers={"Retry-After": "1"})
    with pytest.raises(openai.RateLimitError) as caught:
        ask(fake)
    assert caught.value.status_code == 429 and caught.value.response.headers["retry-after"] == "1"
    assert caught.value.code == "rate_limit_exceeded"
    assert ask(fake).choices[0].message.content  # the fault was used up


def test_rate_limit_is_retried_after_retry_after(fake: FakeOpenAI, caplog: pytest.LogCaptureFixture) -> None:
    fake.fail_with(429, headers={"Retry-After": "1"})
    caplog.set_level(logging.INFO, logger="openai._base_client")
    assert ask(fake, max_retries=2).choices[0].message.content
    retry_counts = [request.headers["x-stainless-retry-count"] for request in fake.completion_requests]
    assert retry_counts == ["0", "1"]  # one refusal, one retry, no more
    # The client's own record of its wait: the server's 1 s, not its jittered 0.5 s exponential backoff.
    assert any("Retrying request in 1.000000 seconds" in message for message in caplog.messages)


def test_langchain_surfaces_openais_error_classes(fake: FakeOpenAI) -> None:
    fake.fail_with(429, headers={"Retry-After": "1"})
    with pytest.raises(openai.RateLimitError):
        chat(fake).invoke("hi")
    fake.fail_with(500)
    with pytest.raises(openai.InternalServerError):
        chat(fake).invoke("hi")


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_internal_server_errors(fake: FakeOpenAI, status: int) -> None:
    fake.fail_with(status)
    with pytest.raises(openai.InternalServerError) as caught:
        ask(fake)
    assert caught.value.status_code == status


def test_a_server_that_always_fails_keeps_failing(fake: FakeOpenAI) -> None:
    fake.always_fail()
    for _ in range(3):
        with pytest.raises(openai.InternalServerError):
            ask(fake)
    fake.clear_faults()
    assert ask(fake).choices[0].message.content


def test_faults_apply_in_the_order_queued(fake: FakeOpenAI) -> None:
    fake.fail_with(503, times=2)
    fake.answer_with("not json")
    outcomes = []
    for _ in range(4):
        try:
            outcomes.append(ask(fake).choices[0].message.content)
        except openai.InternalServerError as error:
            outcomes.append(error.status_code)
    assert outcomes == [503, 503, "not json", json.dumps(ANSWER, separators=(",", ":"))]


def test_hang_times_out_without_blocking_other_requests(fake: FakeOpenAI) -> None:
    fake.hang(5)
    with pytest.raises(openai.APITimeoutError):
        ask(fake, timeout=0.5)
    assert ask(fake, timeout=2).choices[0].message.content  # served while the first handler is still asleep


def test_stop_returns_promptly_during_a_hang() -> None:
    server = FakeOpenAI(model=MODEL).start()
    server.hang(30)
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            ask(server, timeout=60)
        except openai.APIError as error:
            outcome.append(error)

    caller = threading.Thread(target=call)
    caller.start()
    while not server.completion_requests:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2  # against a 30 s hang
    caller.join(timeout=5)
    assert [type(error) for error in outcome] == [openai.APIConnectionError]


def test_responder_crashes_are_kept_for_the_test(fake: FakeOpenAI) -> None:
    fake.responder = lambda body: {"themes": body["no such key"]}
    with pytest.raises(openai.InternalServerError):
        ask(fake)
    assert [type(error) for error in fake.errors] == [KeyError]


# --- broken answers: what each LangChain method makes of them ---------------------------------------------------------


def test_invalid_json_with_json_schema_raises_pydantic_validation_error(fake: FakeOpenAI) -> None:
    fake.answer_invalid_json()
    with pytest.raises(pydantic.ValidationError) as caught:
        chat(fake).with_structured_output(Themes, method="json_schema").invoke("hi")
    assert caught.value.errors()[0]["type"] == "json_invalid"


def test_invalid_json_with_function_calling_quietly_gives_none(fake: FakeOpenAI) -> None:
    fake.answer_invalid_json(times=2)
    assert chat(fake).with_structured_output(Themes, method="function_calling").invoke("hi") is None
    raw = chat(fake).with_structured_output(Themes, method="function_calling", include_raw=True).invoke("hi")["raw"]
    assert raw.tool_calls == [] and raw.invalid_tool_calls[0]["args"] == INVALID_JSON


def test_invalid_json_with_json_mode_is_repaired_before_parsing(fake: FakeOpenAI) -> None:
    fake.answer_invalid_json()
    with pytest.raises(OutputParserException):
        chat(fake).with_structured_output(Themes, method="json_mode").invoke("hi")
    fake.answer_with('{"themes": [')  # repaired to {"themes": []}, which validates
    assert chat(fake).with_structured_output(Themes, method="json_mode").invoke("hi") == Themes(themes=[])


@pytest.mark.parametrize("method", ["json_schema", "function_calling"])
def test_json_missing_fields_raises_pydantic_validation_error(fake: FakeOpenAI, method: str) -> None:
    fake.answer_with('{"themes": [{"id": "t1", "title": "Slow onboarding"}, {"title": "Unclear pricing"}]}')
    with pytest.raises(pydantic.ValidationError, match="themes.1.id"):
        chat(fake).with_structured_output(Themes, method=method).invoke("hi")


def test_cut_off_answer_raises_length_finish_reason_error(fake: FakeOpenAI) -> None:
    fake.answer_with(INVALID_JSON, finish_reason="length")
    with pytest.raises(openai.LengthFinishReasonError):
        chat(fake).with_structured_output(Themes, method="json_schema").invoke("hi")


@pytest.mark.parametrize("limit", ["max_completion_tokens", "max_tokens"])
def test_an_answer_longer_than_its_limit_is_cut_there_and_finishes_with_length(fake: FakeOpenAI, limit: str) -> None:
    fake.responder = lambda body: "word " * 1_000

    status, completion = post_raw(
        fake, "/chat/completions", {"model": MODEL, "messages": [{"role": "user", "content": "Go on"}], limit: 10}
    )

    assert status == 200
    assert completion["choices"][0]["finish_reason"] == "length"
    assert completion["usage"]["completion_tokens"] == 10 == fake.reported_usage[-1]["completion_tokens"]
    assert count_tokens(completion["choices"][0]["message"]["content"], MODEL) == 10


def test_an_answer_within_its_limit_is_whole(fake: FakeOpenAI) -> None:
    status, completion = post_raw(
        fake, "/chat/completions", {"model": MODEL, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 500}
    )

    assert (status, completion["choices"][0]["finish_reason"]) == (200, "stop")
    assert json.loads(completion["choices"][0]["message"]["content"]) == ANSWER
