"""Server entry points: HTTP mode (waitress, `POST /slack/events`, `GET /healthz`) and Socket Mode."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs

import waitress
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from waitress.server import create_server

from bot.app import create_app
from bot.services import Services
from journeybot.settings import Settings
from storage.db import Database
from storage.migrate import upgrade
from workflows.clustering.embeddings import get_embedder
from workflows.recording import first_delivery

log = logging.getLogger(__name__)

Wsgi = Callable[[dict, Callable], Iterable[bytes]]
# Slack's requests are a few hundred KB at most; anything larger is refused before it is read (waitress stops
# reading at this size too).
MAX_BODY_BYTES = 1 << 20


def well_formed(body: bytes, content_type: str) -> bool:
    """Whether Bolt can parse the body; it would raise on broken JSON (an HTTP 500) before checking anything."""
    try:
        if content_type.startswith("application/json"):
            json.loads(body)
        elif payload := parse_qs(body.decode()).get("payload"):
            json.loads(payload[0])
    except ValueError:  # UnicodeDecodeError and JSONDecodeError included
        return False
    return True


def wsgi_app(app: App, signing_secret: str | None = None, first_time: Callable[[str], bool] | None = None) -> Wsgi:
    """Slack's requests to Bolt, with the cheap checks first: size before reading, signature before parsing.

    `first_time(key)` records a signed command or interaction and says whether it is new: a replay of the same
    signed request (same body, same timestamp) is answered and does nothing a second time. Events carry their own
    `event_id`, checked where they are recorded.
    """
    slack = SlackRequestHandler(app, path="/slack/events")
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"ok": true}']
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY_BYTES:
            log.warning("refused a request of %d bytes", length)
            start_response("413 Payload Too Large", [("Content-Type", "text/plain")])
            return [b"request too large"]
        body = environ["wsgi.input"].read(length)
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        signed = verifier is None or (timestamp.isdigit() and verifier.is_valid(body, timestamp, signature))
        if not signed:
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"invalid request"]
        form = environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded")
        if first_time is not None and form and signature and not first_time(f"req:{signature[3:63]}"):
            log.info("skipped a replayed request")
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b""]
        if not well_formed(body, environ.get("CONTENT_TYPE", "")):
            log.warning("skipped a malformed request of %d bytes", len(body))
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"malformed request"]
        environ["wsgi.input"] = io.BytesIO(body)
        return slack(environ, start_response)

    return application


def boot(settings: Settings, today: Callable[[], date] = date.today) -> tuple[App, Services]:
    """Migrates the database, builds the app and starts the worker, which first picks up unfinished jobs."""
    get_embedder()  # fails now, naming the missing file and how to get it, rather than at the first `next`
    upgrade(settings.database_url)
    app, services = create_app(settings, Database(settings.database_url), today)
    services.worker.start()
    services.worker.kick()
    return app, services


@dataclass
class RunningServer:
    """An HTTP server in a background thread: what `demo` and the tests talk to."""

    app: App
    services: Services
    port: int
    _server: object
    _thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def stop(self) -> None:
        """Closes every socket from the server's own loop thread: closed from another thread, a socket the loop is
        waiting on in select() makes it fail (EBADF). With nothing left to watch, the loop ends."""
        self._server.trigger.pull_trigger(self._close_all)
        self._thread.join(timeout=10)

    def _close_all(self) -> None:
        for dispatcher in list(self._server._map.values()):
            dispatcher.close()
        self.services.worker.stop()
        self.services.db.dispose()


def start_http_in_background(
    settings: Settings, port: int = 0, today: Callable[[], date] = date.today
) -> RunningServer:
    app, services = boot(settings, today)
    server = create_server(
        wsgi_app(app, _secret(settings), _first_request(services)),
        host="127.0.0.1",
        port=port,
        threads=8,
        max_request_body_size=MAX_BODY_BYTES,
    )
    thread = threading.Thread(target=server.run, name="journeybot-http", daemon=True)
    thread.start()
    return RunningServer(app, services, server.effective_port, server, thread)


def serve_http(settings: Settings, port: int) -> None:
    app, services = boot(settings)
    log.info("journeybot listening on port %d: POST /slack/events, GET /healthz", port)
    waitress.serve(
        wsgi_app(app, _secret(settings), _first_request(services)),
        host="0.0.0.0",
        port=port,
        threads=8,
        max_request_body_size=MAX_BODY_BYTES,
    )


def _first_request(services: Services) -> Callable[[str], bool]:
    def first_time(key: str) -> bool:
        with services.db.session() as session:
            return first_delivery(session, key)

    return first_time


def _secret(settings: Settings) -> str | None:
    return settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None


def serve_socket(settings: Settings) -> None:
    app, _services = boot(settings)
    SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
