"""Server entry points: HTTP mode (waitress, `POST /slack/events`, `GET /healthz`) and Socket Mode."""

from __future__ import annotations

import io
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from prometheus_client import start_http_server
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from waitress import wasyncore
from waitress.server import create_server

from bot.app import create_app
from bot.observe import REQUEST_KEY, arrived, observed
from bot.services import Services
from journeybot.settings import Settings
from workflows.contributions.service import first_delivery
from workflows.jobs.intake import store_event
from workflows.metrics import scrape_registry
from workflows.setup import open_database
from workflows.themes.clustering.embeddings import get_embedder

if TYPE_CHECKING:
    from bot.socket_mode import DurableSocketModeHandler

log = logging.getLogger(__name__)

Wsgi = Callable[[dict, Callable], Iterable[bytes]]
# Slack's requests are a few hundred KB at most (a modal's submission, 100 blocks and their values, is the
# largest); anything larger is refused before it is read (waitress stops reading at this size too).
MAX_BODY_BYTES = 512 * 1024
# How long a stopping bot keeps finishing stored work (within the usual 30 s grace before a SIGKILL).
DRAIN_SECONDS = 20
# How long a stopping server waits for the requests it is answering: Slack gives up on an answer after 3 s.
IN_FLIGHT_SECONDS = 5
GIL_SWITCH_SECONDS = 0.001


def parsed(body: bytes, content_type: str) -> dict | None:
    """The request's payload, or None when Bolt could not parse it (it would raise, an HTTP 500, before anything)."""
    try:
        if content_type.startswith("application/json"):
            payload = json.loads(body)
        elif form := parse_qs(body.decode()).get("payload"):
            payload = json.loads(form[0])
        else:
            return {}  # a slash command: plain form fields
    except ValueError:  # UnicodeDecodeError and JSONDecodeError included
        return None
    return payload if isinstance(payload, dict) else None


def wsgi_app(app: App, services: Services, signing_secret: str | None = None) -> Wsgi:
    """Slack's requests, with the cheap checks first: size before reading, signature before parsing.

    An event is stored before it is acknowledged and handled from the store (`workflows.jobs.intake`), so a stop loses
    none. A command or interaction is handed to Bolt at once, which answers when its listener has done its work.
    A replay of the same signed command or interaction (same body, same timestamp) is answered and does nothing
    a second time; events carry their own `event_id`, which the store keys on.
    """
    slack = SlackRequestHandler(app, path="/slack/events")
    flow = app.oauth_flow
    oauth_paths = {flow.install_path, flow.redirect_uri_path} if flow else set()
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        def answer(status: str, text: bytes = b"") -> list[bytes]:
            start_response(status, [("Content-Type", "text/plain")])
            return [text]

        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"ok": true}']
        if environ.get("REQUEST_METHOD") == "GET" and environ.get("PATH_INFO") in oauth_paths:
            return slack(environ, start_response)  # "Add to Slack" and Slack's redirect back: Bolt's OAuth flow
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY_BYTES:
            log.warning("refused a request of %d bytes", length)
            return answer("413 Payload Too Large", b"request too large")
        body = environ["wsgi.input"].read(length)
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if verifier is not None and not (timestamp.isdigit() and verifier.is_valid(body, timestamp, signature)):
            return answer("401 Unauthorized", b"invalid request")
        payload = parsed(body, environ.get("CONTENT_TYPE", ""))
        if payload is None:
            log.warning("skipped a malformed request of %d bytes", len(body))
            return answer("400 Bad Request", b"malformed request")
        environ[REQUEST_KEY] = arrived(payload, body, environ.get("CONTENT_TYPE", ""))
        if payload.get("type") == "event_callback":
            take_event(services, body.decode(), payload)
            return answer("200 OK")
        form = environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded")
        if form and signature and not _first_request(services, signature):
            log.info("skipped a replayed request")
            return answer("200 OK")
        environ["wsgi.input"] = io.BytesIO(body)
        return slack(environ, start_response)

    return observed(application, services.db)


def boot(settings: Settings, today: Callable[[], date] = date.today) -> tuple[App, Services]:
    """Migrates the database, builds the app and starts the workers, which first pick up what was left undone."""
    get_embedder()  # fails now, naming the missing file and how to get it, rather than at the first `next`
    # A request thread waiting for the GIL behind the workers' Python code waits up to this long each time; the
    # default 5 ms, met several times per request, tripled the time Slack waits for an ack.
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    app, services = create_app(settings, open_database(settings.database_url), today)
    for worker in (services.intake, services.worker):
        worker.start()
        worker.kick()
    return app, services


def drain(services: Services, seconds: float = DRAIN_SECONDS) -> None:
    """Finishes the stored events and running jobs for at most `seconds`; what is left waits in the database for
    the next start (a job whose run was cut short is taken over once its lease runs out)."""
    deadline = time.monotonic() + seconds
    for worker in (services.intake, services.worker):
        worker.stop(timeout=max(deadline - time.monotonic(), 0.1))
    services.db.dispose()


@dataclass
class RunningServer:
    """An HTTP server in a background thread: what `serve`, `demo` and the tests run."""

    app: App
    services: Services
    port: int
    _server: object
    _thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def stop(self, drain_seconds: float = DRAIN_SECONDS) -> None:
        """Stops taking connections, answers the requests under way (a proxy sends new ones to another replica),
        then closes the rest and drains. Sockets are closed from the server's own loop thread: closed from
        another thread, a socket the loop is waiting on in select() makes it fail (EBADF)."""
        if not self._thread.is_alive():
            return  # stopped already
        # The listening socket only: the server's own close() would also close the trigger needed below.
        if self._in_loop(partial(wasyncore.dispatcher.close, self._server)):
            deadline = time.monotonic() + IN_FLIGHT_SECONDS
            while self._requests_under_way() and time.monotonic() < deadline:
                time.sleep(0.02)  # a bounded wait at shutdown, for requests a listener is still answering
            self._in_loop(self._close_all)
        self._thread.join(timeout=10)
        drain(self.services, drain_seconds)

    def accepting(self) -> bool:
        """Whether it still takes new connections (until `stop` closes its listening socket)."""
        return bool(self._server.accepting)

    def _in_loop(self, thunk: Callable[[], object]) -> bool:
        """Runs `thunk` in the server's loop thread; False when the loop has closed its trigger (it is ending)."""
        try:
            self._server.trigger.pull_trigger(thunk)
        except OSError:
            log.warning("the HTTP server's loop ended before it was stopped")
            return False
        return True

    def _requests_under_way(self) -> bool:
        return any(
            getattr(channel, "requests", None) or getattr(channel, "total_outbufs_len", 0)
            for channel in list(self._server._map.values())
        )

    def _close_all(self) -> None:
        for dispatcher in list(self._server._map.values()):
            dispatcher.close()


def start_http_in_background(
    settings: Settings, port: int = 0, today: Callable[[], date] = date.today, host: str = "127.0.0.1"
) -> RunningServer:
    app, services = boot(settings, today)
    server = create_server(
        wsgi_app(app, services, _secret(settings)),
        host=host,
        port=port,
        threads=8,
        max_request_body_size=MAX_BODY_BYTES,
    )
    thread = threading.Thread(target=server.run, name="journeybot-http", daemon=True)
    thread.start()
    return RunningServer(app, services, server.effective_port, server, thread)


def serve_http(settings: Settings, port: int) -> None:
    server = start_http_in_background(settings, port, host="0.0.0.0")
    log.info("journeybot listening on port %s: POST /slack/events, GET /healthz, GET /metrics", server.port)
    _wait_for_stop_signal()
    log.info("stopping: no new requests; finishing stored work for up to %d s", DRAIN_SECONDS)
    server.stop()


def take_event(services: Services, body: str, payload: dict) -> None:
    """Stores an event (`body`, already read as `payload`) before Slack hears back (HTTP or Socket Mode) and wakes
    the intake; a re-delivery is a no-op."""
    if store_event(services.db, body, payload.get("event_id"), payload.get("team_id")):
        services.intake.kick()


def _first_request(services: Services, signature: str) -> bool:
    """Records a signed request by its signature; False when the same one came before."""
    with services.db.session() as session:
        return first_delivery(session, f"req:{signature[3:63]}")


def _secret(settings: Settings) -> str | None:
    return settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None


@dataclass
class RunningSocket:
    """A bot connected in Socket Mode (bot/socket_mode.py): what `serve --socket` and the tests run."""

    app: App
    services: Services
    handler: DurableSocketModeHandler
    stopped: bool = False

    def stop(self, drain_seconds: float = DRAIN_SECONDS) -> None:
        """Closes the socket with a close frame once the envelopes in hand are acknowledged, then drains."""
        if self.stopped:
            return
        self.stopped = True
        self.handler.close()
        drain(self.services, drain_seconds)


def start_socket_in_background(settings: Settings, today: Callable[[], date] = date.today) -> RunningSocket:
    # Imported here: Socket Mode's client libraries (websockets, aiohttp) cost HTTP mode 16 MB and half a second.
    from bot.socket_mode import DurableSocketModeHandler

    app, services = boot(settings, today)
    handler = DurableSocketModeHandler(app, services, settings.slack_app_token.get_secret_value())
    try:
        handler.connect()
    except BaseException:
        drain(services, 1)  # the workers boot() started must not outlive a bot that never connected
        raise
    return RunningSocket(app, services, handler)


def serve_socket(settings: Settings) -> None:
    stopping = _stop_signal()  # before connecting: a SIGTERM while connecting still closes the socket cleanly
    running = start_socket_in_background(settings)
    # Socket Mode takes no HTTP requests from Slack; its metrics are served on PORT all the same.
    start_http_server(settings.port, registry=scrape_registry(running.services.db))
    log.info("journeybot connected in Socket Mode; metrics at GET :%s/metrics", settings.port)
    _wait_for_stop_signal(stopping)
    log.info("stopping: closing the socket; finishing stored work for up to %d s", DRAIN_SECONDS)
    running.stop()


def _stop_signal() -> threading.Event:
    """An event that SIGTERM (a redeploy) or SIGINT (Ctrl-C) sets, from now on."""
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    return stopping


def _wait_for_stop_signal(stopping: threading.Event | None = None) -> None:
    """Blocks until SIGTERM or SIGINT."""
    stopping = stopping or _stop_signal()
    while not stopping.wait(1.0):
        pass
