"""What an operator sees of a running bot: `GET /metrics` over the real HTTP server, its counters moving as signed
requests are answered and Web API calls are made (a 429 and an ok=false among them), and JSON log lines that name
the workspace, workshop and event of each reply without its text."""

from __future__ import annotations

import io
import json
import logging
import urllib.request
from collections import Counter
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from storage.models import Workshop
from tests.conftest import ANA, CHANNEL, FACILITATOR
from workflows.logs import log_handler
from workflows.mapping.models import StepKey

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(slack) -> tuple[str, Samples]:
    """The bot's /metrics, parsed as Prometheus parses it: (content type, value by sample name and labels)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{slack.server.port}/metrics", timeout=10) as answer:
        assert answer.status == 200
        content_type, text = answer.headers["Content-Type"], answer.read().decode()
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    return content_type, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


@pytest.fixture
def quiet_slack(slack):
    """The bot without the stand-in's echo of its own posts: each test sends exactly the events it counts."""
    slack.standin.deliver_events_to(None)
    return slack


def test_metrics_answer_in_prometheus_format_with_the_database_gauges(quiet_slack) -> None:
    content_type, samples = scrape(quiet_slack)
    assert content_type.startswith("text/plain") and "version=" in content_type
    assert value(samples, "journeybot_intake_backlog") == 0
    assert {labels for name, labels in samples if name == "journeybot_job_lag_seconds"} == {
        (("lane", "intake"),),
        (("lane", "jobs"),),
    }
    assert ("process_resident_memory_bytes", ()) in samples  # prometheus_client's own process collector


def test_signed_requests_are_counted_received_and_acknowledged_by_type_and_timed(quiet_slack) -> None:
    slack = quiet_slack
    _, before = scrape(slack)
    slack.command("start Why do trials stall before the first paid invoice?", FACILITATOR)
    slack.reply(slack.step_ts(StepKey.objective), ANA, "Trial users never see the invoice preview")
    slack.settle()
    _, after = scrape(slack)

    command = {"kind": "command", "type": "slash_command"}
    event = {"kind": "event", "type": "message"}
    for labels in (command, event):
        assert moved(before, after, "journeybot_slack_events_received_total", **labels) == 1
        assert moved(before, after, "journeybot_slack_events_acknowledged_total", **labels) == 1
    assert moved(before, after, "journeybot_slack_ack_seconds_count", kind="event") == 1
    assert moved(before, after, "journeybot_slack_ack_seconds_bucket", kind="event", le="+Inf") == 1
    assert moved(before, after, "journeybot_slack_ack_seconds_sum", kind="event") > 0
    assert value(after, "journeybot_intake_backlog") == 0  # the reply was stored, then handled


def test_every_web_api_call_is_counted_by_method_from_jobs_and_from_listeners(quiet_slack) -> None:
    slack = quiet_slack
    _, before = scrape(slack)
    earlier = Counter(call.method for call in slack.standin.calls)  # Bolt's auth.test at start, say
    slack.command("start", FACILITATOR)  # the start form: views.open from Bolt's client for this request
    slack.command("start Why do trials stall before the first paid invoice?", FACILITATOR)  # posts from the job
    _, after = scrape(slack)

    seen = Counter(call.method for call in slack.standin.calls) - earlier
    assert seen["views.open"] == 1 and seen["chat.postMessage"] >= 2
    counted = {method: moved(before, after, "journeybot_slack_api_calls_total", method=method) for method in seen}
    assert counted == {method: float(count) for method, count in seen.items()}


def test_a_429_and_an_ok_false_answer_are_counted_as_errors_of_their_method(quiet_slack) -> None:
    slack = quiet_slack
    client = slack.server.app.client  # the bot's own client, its retry handlers as configured
    _, before = scrape(slack)
    slack.standin.fail_next("chat.postMessage", retry_after=0)
    client.chat_postMessage(channel=CHANNEL, text="after a 429, the retry goes through")
    slack.standin.fail_next("chat.update", error="message_not_found", status=200)
    with pytest.raises(SlackApiError):
        client.chat_update(channel=CHANNEL, ts="1.000001", text="gone")
    _, after = scrape(slack)

    post = {"method": "chat.postMessage"}
    assert moved(before, after, "journeybot_slack_api_calls_total", **post) == 2  # the 429, then the retry
    assert moved(before, after, "journeybot_slack_api_rate_limited_total", **post) == 1
    assert moved(before, after, "journeybot_slack_api_errors_total", error="ratelimited", **post) == 1
    update = {"method": "chat.update"}
    assert moved(before, after, "journeybot_slack_api_calls_total", **update) == 1
    assert moved(before, after, "journeybot_slack_api_errors_total", error="message_not_found", **update) == 1
    assert moved(before, after, "journeybot_slack_api_rate_limited_total", **update) == 0


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The root logger's lines at INFO as `JOURNEYBOT_LOG_FORMAT=json` writes them, for the test to read."""
    stream = io.StringIO()
    handler, root = log_handler("json", stream), logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_json_log_lines_name_the_workspace_workshop_and_event_and_never_the_note(quiet_slack, json_log) -> None:
    slack = quiet_slack
    slack.command("start Why do trials stall before the first paid invoice?", FACILITATOR)
    note = "Trial users never find the zebra-striped invoice preview"
    reply_ts = slack.reply(slack.step_ts(StepKey.objective), ANA, note)
    slack.settle()
    with slack.server.services.db.session() as session:
        workshop_id = session.scalar(select(Workshop.id))

    output = json_log.getvalue()
    lines = [json.loads(line) for line in output.splitlines()]  # every line is one JSON object
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    replies = [line for line in lines if line["message"].startswith("reply in ")]
    assert len(replies) == 1, lines
    (reply,) = replies
    assert reply["team_id"] == slack.standin.team_id
    assert reply["workshop_id"] == workshop_id
    assert reply["event_id"].startswith("Ev") and reply["job_kind"] == "slack_event"
    assert note not in output and "zebra" not in output and reply_ts
