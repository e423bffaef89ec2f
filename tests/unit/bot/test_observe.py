"""`bot.observe` on its own: how a request is labelled, what counts as acknowledged, and a Web API call that got no
answer at all (the end-to-end counts are in tests/slack/test_metrics.py)."""

from __future__ import annotations

import contextvars
import socket
from collections.abc import Callable
from unittest.mock import MagicMock
from urllib.parse import urlencode

import pytest
from prometheus_client import REGISTRY
from slack_sdk import WebClient

from bot.observe import REQUEST_KEY, SlackApiMeter, arrived, observed
from workflows.logs import current_ids, log_scope


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_requests_are_labelled_by_kind_and_type_and_name_their_workspace() -> None:
    contextvars.Context().run(label_requests)  # as a request thread would, with no ids yet


def label_requests() -> None:
    with log_scope():
        event = {"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event": {"type": "reaction_added"}}
        assert arrived(event, b"", "application/json") == ("event", "reaction_added")
        assert current_ids() == {"team_id": "T1", "event_id": "Ev1"}
    with log_scope():
        action = {"type": "block_actions", "team": {"id": "T2"}}
        assert arrived(action, b"payload=...", "application/x-www-form-urlencoded") == ("interaction", "block_actions")
        assert current_ids() == {"team_id": "T2"}
    with log_scope():
        form = urlencode({"command": "/journey", "team_id": "T3", "text": "start"}).encode()
        assert arrived({}, form, "application/x-www-form-urlencoded") == ("command", "slash_command")
        assert current_ids() == {"team_id": "T3"}
    with log_scope():
        odd = {"type": "event_callback", "event": {"type": "<b>not a type</b>"}}
        assert arrived(odd, b"", "application/json") == ("event", "other")


def answering(status: str) -> Callable:
    """A stand-in for the bot's WSGI app: reads the request as the real one does, then answers `status`."""

    def app(environ: dict, start_response: Callable) -> list[bytes]:
        environ[REQUEST_KEY] = ("interaction", "view_submission")
        start_response(status, [("Content-Type", "text/plain")])
        return [b""]

    return app


@pytest.mark.parametrize(("status", "acknowledged"), [("200 OK", 1), ("500 Internal Server Error", 0)])
def test_only_a_2xx_answer_counts_as_acknowledged_and_is_timed(status: str, acknowledged: int) -> None:
    labels = {"kind": "interaction", "type": "view_submission"}
    before = sample("journeybot_slack_events_acknowledged_total", **labels)
    timed = sample("journeybot_slack_ack_seconds_count", kind="interaction")
    app = observed(answering(status), MagicMock())

    app({"PATH_INFO": "/slack/events", "REQUEST_METHOD": "POST"}, lambda *_args: None)

    assert sample("journeybot_slack_events_acknowledged_total", **labels) - before == acknowledged
    assert sample("journeybot_slack_ack_seconds_count", kind="interaction") - timed == acknowledged


def test_a_call_that_gets_no_answer_is_an_error_of_its_method() -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = WebClient(token="xoxb-test", base_url=f"http://127.0.0.1:{port}/api/", retry_handlers=[SlackApiMeter()])
    calls = sample("journeybot_slack_api_calls_total", method="conversations.open")
    errors = sample("journeybot_slack_api_errors_total", method="conversations.open", error="URLError")

    with pytest.raises(OSError):
        client.conversations_open(users="U1")

    assert sample("journeybot_slack_api_calls_total", method="conversations.open") - calls == 1
    assert sample("journeybot_slack_api_errors_total", method="conversations.open", error="URLError") - errors == 1
