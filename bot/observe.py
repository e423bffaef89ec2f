"""The Slack side of what an operator sees: requests to /slack/events counted and timed, Web API calls counted by
method, `GET /metrics`, and the workspace and event ids on the log lines of each request."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs, urlsplit

from prometheus_client import make_wsgi_app
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState

from workflows.logs import bind, log_scope
from workflows.metrics import (
    ACK_SECONDS,
    EVENTS_ACKNOWLEDGED,
    EVENTS_RECEIVED,
    SLACK_API_CALLS,
    SLACK_API_ERRORS,
    SLACK_API_RATE_LIMITED,
    label,
    scrape_registry,
)
from workflows.setup import Database

Wsgi = Callable[[dict, Callable], Iterable[bytes]]
SLACK_PATH = "/slack/events"
REQUEST_KEY = "journeybot.request"  # the WSGI environ's (kind, type) of a request, once read and verified


class SlackApiMeter(RetryHandler):
    """Counts every HTTP request to the Web API, its errors and its 429s, by method; never retries anything.

    slack_sdk asks each retry handler about every response, a 200 included, and Bolt copies the app client's
    handlers into the client it builds for each request: first in the list, this one sees every call the bot
    makes, from the notifier or from a listener, without touching slack_sdk.
    """

    def __init__(self) -> None:
        super().__init__(max_retry_count=0)

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        method = label(urlsplit(request.url).path.rsplit("/", 1)[-1])
        SLACK_API_CALLS.labels(method).inc()
        if response is None:  # no answer: refused connection, timeout
            SLACK_API_ERRORS.labels(method, label(type(error).__name__ if error else "no_response")).inc()
        elif response.status_code == 429:
            SLACK_API_RATE_LIMITED.labels(method).inc()
            SLACK_API_ERRORS.labels(method, "ratelimited").inc()
        elif response.status_code >= 400:
            SLACK_API_ERRORS.labels(method, f"http_{response.status_code}").inc()
        elif isinstance(response.body, dict) and response.body.get("ok") is False:
            SLACK_API_ERRORS.labels(method, label(response.body.get("error"))).inc()
        return False

    def _can_retry(self, **_kwargs: object) -> bool:
        return False


def arrived(payload: dict, body: bytes, content_type: str) -> tuple[str, str]:
    """Counts a verified request by kind and type and puts its workspace and event on this request's log lines;
    returns the (kind, type) its answer is counted under."""
    if content_type.startswith("application/json"):  # the Events API: an event, or Slack checking the URL
        event = payload.get("event") if isinstance(payload.get("event"), dict) else {}
        kind, type_, team = "event", event.get("type") or payload.get("type"), payload.get("team_id")
    elif payload:  # an interaction: a button, a menu, a form, a shortcut
        team_field = payload.get("team")
        team = team_field.get("id") if isinstance(team_field, dict) else None
        kind, type_ = "interaction", payload.get("type")
    else:  # a slash command: plain form fields
        team = (parse_qs(body.decode(errors="replace")).get("team_id") or [None])[0]
        kind, type_ = "command", "slash_command"
    bind(team_id=team, event_id=payload.get("event_id"))
    labels = (kind, label(type_))
    EVENTS_RECEIVED.labels(*labels).inc()
    return labels


ENVELOPE_KINDS = {"events_api": "event", "slash_commands": "command", "interactive": "interaction"}


def envelope_arrived(envelope_type: str, payload: dict) -> tuple[str, str]:
    """Socket Mode's `arrived`: counts an envelope by kind and type; returns the labels its ack is counted under."""
    kind = ENVELOPE_KINDS.get(envelope_type, "other")
    if kind == "event":
        type_ = (payload.get("event") or {}).get("type") or payload.get("type")
    elif kind == "command":
        type_ = "slash_command"
    else:
        type_ = payload.get("type")
    labels = (kind, label(type_))
    EVENTS_RECEIVED.labels(*labels).inc()
    return labels


def acknowledged(labels: tuple[str, str], seconds: float) -> None:
    EVENTS_ACKNOWLEDGED.labels(*labels).inc()
    ACK_SECONDS.labels(labels[0]).observe(seconds)


def observed(app: Wsgi, db: Database) -> Wsgi:
    """The bot's WSGI app with `GET /metrics`, and each request to /slack/events timed from its arrival to its
    answer and counted as acknowledged when that answer is a 2xx (its log lines in a scope of their own)."""
    metrics = make_wsgi_app(scrape_registry(db))

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == "/metrics":
            return metrics(environ, start_response)
        if path != SLACK_PATH:
            return app(environ, start_response)
        started = time.perf_counter()
        statuses: list[str] = []

        def answering(status: str, headers: list, *exc_info: object) -> Callable:
            statuses.append(status)
            return start_response(status, headers, *exc_info)

        with log_scope():
            answer = app(environ, answering)
        labels = environ.get(REQUEST_KEY)
        if labels is not None and statuses and statuses[-1].startswith("2"):
            acknowledged(labels, time.perf_counter() - started)
        return answer

    return application
