"""SlackStandIn: a local stand-in for the Slack Web API that the bot's real WebClient talks to over HTTP."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterable
from email.message import Message
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeybot.standin.echo import EventEcho, EventSink
from journeybot.standin.faults import Fault, Faults, Matching
from journeybot.standin.ids import Identity
from journeybot.standin.installs import Installs
from journeybot.standin.methods import APP_TOKEN_METHODS, CLIENT_AUTH_METHODS, METHODS
from journeybot.standin.methods.people import auth_test_of
from journeybot.standin.models import Call, Delivery
from journeybot.standin.params import ApiError, Params
from journeybot.standin.recorder import Recorder
from journeybot.standin.routes import make_handler, read_params
from journeybot.standin.workspace import Workspace

if TYPE_CHECKING:
    from journeybot.standin.socket_mode import SocketModeServer


class SlackStandIn(Workspace):
    """A workspace (see Workspace for seeding and inspection) served over HTTP on 127.0.0.1.

    Point slack_sdk at it with WebClient(token=standin.bot_token, base_url=standin.api_url).
    """

    def __init__(
        self,
        bot_token: str = "xoxb-standin",
        *,
        identity: Identity | None = None,
        port: int = 0,
        clock: Callable[[], float] = time.time,
        trigger_ttl: float = 3.0,
    ) -> None:
        super().__init__(identity or Identity(), clock=clock, trigger_ttl=trigger_ttl)
        self.bot_token = bot_token
        self._port = port
        self._recorder = Recorder()
        self._recorder.redact(bot_token)
        self._faults = Faults()
        self._echo = EventEcho()
        self.emit = self._echo.push
        self._server: ThreadingHTTPServer | None = None
        # Set by a linked SocketModeServer: apps.connections.open then answers the app-level token.
        self.app_token: str | None = None
        self.socket_mode: SocketModeServer | None = None
        # Other workspaces that install the app through OAuth (`installs.authorize`), and their tokens.
        self.installs = Installs("1111.2222", "standin-client-secret", clock, secret=self._recorder.redact)
        self._recorder.redact(self.installs.client_secret)
        self._thread: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        server = ThreadingHTTPServer(("127.0.0.1", self._port), make_handler(self))
        server.daemon_threads = True
        self._server = server
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="slack-standin", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._echo.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        """The WebClient base_url, e.g. "http://127.0.0.1:PORT/api/"."""
        return f"{self.base_url}/api/"

    @property
    def team_id(self) -> str:
        return self.identity.team_id

    @property
    def bot_user_id(self) -> str:
        return self.identity.bot_user_id

    @property
    def bot_id(self) -> str:
        return self.identity.bot_id

    @property
    def app_id(self) -> str:
        return self.identity.app_id

    # --- the Web API ---------------------------------------------------------------------------------------

    def call_api(
        self, method: str, headers: Message, query: str, body: bytes
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Slack's order: injected fault, unknown method, authentication, then the method itself."""
        status, extra = 200, {}
        values: dict[str, Any] = {}
        team: str | None = None  # the workspace whose token made the call
        try:
            values, token = read_params(headers, query, body)
            handler = METHODS.get(method)
            self._faults.wait_if_held(method)
            fault = self._faults.take(method)
            if fault is not None:
                status, extra, answer = fault.answer()
            elif method in CLIENT_AUTH_METHODS:  # answered by the installs, not by the workspace
                answer = {"ok": True, **self.installs.exchange(values, headers.get("Authorization", ""))}
            elif handler is None:
                raise ApiError("unknown_method")
            elif token is None:
                raise ApiError("not_authed")
            elif method in APP_TOKEN_METHODS and token == self.bot_token:
                raise ApiError("not_allowed_token_type")
            elif method in APP_TOKEN_METHODS:
                if token != self.app_token:
                    raise ApiError("invalid_auth")
                with self.lock:
                    answer = {"ok": True, **handler(self, Params(values))}
            else:
                caller = self.identity if token == self.bot_token else self.installs.identity_for(token)
                if caller is None:
                    raise ApiError("invalid_auth")
                team = caller.team_id
                with self.lock:
                    answer = {
                        "ok": True,
                        **(auth_test_of(caller) if method == "auth.test" else handler(self, Params(values))),
                    }
        except ApiError as error:
            answer = error.body()
        # deep copies: answers may share objects with state that later edits change
        record = copy.deepcopy({"params": values, "response": answer})
        self._recorder.add(Call(method=method, status=status, at=time.monotonic(), team_id=team, **record))
        self._faults.wait_if_answer_held(method, values)
        return status, extra, answer

    def hold(self, method: str) -> threading.Event:
        """From now on calls to `method` wait until the returned event is set: Slack being slow."""
        return self._faults.hold(method)

    def hold_answer(self, method: str, matching: Matching) -> threading.Event:
        """The next call to `method` whose parameters match is done, and its answer waits for the returned event."""
        return self._faults.hold_answer(method, matching)

    def held_call_arrived(self, method: str) -> threading.Event:
        """Set once a call to the held `method` (or a held answer to it) waits."""
        return self._faults.arrived(method)

    def fail_next(
        self,
        method: str,
        *,
        error: str = "ratelimited",
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        after: int = 0,
    ) -> None:
        """The next `times` calls to `method` (after `after` more that succeed) fail: 429 with Retry-After by
        default; status=200 gives an ok=false answer with `error`, status=500 a server error."""
        fault = Fault(error=error, status=status, retry_after=retry_after, remaining=times, after=after)
        self._faults.add(method, fault)

    # --- recording -----------------------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """A snapshot of every Web API call so far, in order."""
        return self._recorder.snapshot()

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self._recorder.snapshot() if call.method == method]

    def redact(self, secret: str) -> None:
        """Keep another secret (e.g. the signing secret) out of transcripts."""
        self._recorder.redact(secret)

    def write_transcript(self, path: str | Path) -> Path:
        """JSON lines, one per call; the bot token and registered secrets are redacted."""
        return self._recorder.write(path)

    # --- event echo ----------------------------------------------------------------------------------------

    def deliver_events_to(self, sender: EventSink | None, *, subscriptions: Iterable[str] | None = None) -> None:
        """From now on, what the bot does comes back to it as events through `sender` (None stops it).
        subscriptions: the app's bot events as in its manifest (e.g. "message.channels", "reaction_added");
        as in Slack, only those are delivered. None delivers every kind."""
        self._echo.target(sender, None if subscriptions is None else frozenset(subscriptions))

    @property
    def deliveries(self) -> list[Delivery]:
        return self._echo.deliveries

    def wait_idle(self, timeout: float = 5.0, quiet: float = 0.0) -> bool:
        """Waits until every pending event is delivered and, with quiet > 0, no API call came for that long
        (the bot works after its ack). False on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            if not self._echo.wait_idle(max(deadline - time.monotonic(), 0)):
                return False
            silent_for = time.monotonic() - self._recorder.last_at
            if silent_for >= quiet and self._echo.wait_idle(0):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(max(quiet - silent_for, 0.01), max(deadline - time.monotonic(), 0)))
