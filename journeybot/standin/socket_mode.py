"""Slack's side of Socket Mode: a WebSocket server that speaks the protocol as Slack does, for tests and benches.

The app asks `apps.connections.open` (with its app-level token) for a single-use URL, connects, gets `hello`,
and is sent envelopes (`events_api`, `slash_commands`, `interactive`) that it must acknowledge with
`{"envelope_id": ...}` within 3 s. Every few hours Slack sends `{"type": "disconnect", "reason":
"refresh_requested"}` on a connection and closes it a little later: the app should open a second connection
first and keep acknowledging. Networks also cut connections with no close frame at all: a reset, a bare TCP close,
or silence. Each of these can be played here, and every envelope records how long its ack took.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.protocol import State

from journeybot.standin.ids import Identity
from journeybot.standin.sender import Response as SentResponse
from journeybot.standin.sender import SlackSender

if TYPE_CHECKING:
    from journeybot.standin.server import SlackStandIn

APP_TOKEN = "xapp-1-A0APPID001-standin"
ACK_LIMIT = 3.0  # seconds: Slack's deadline for an envelope's ack
TICKET_TTL = 30.0  # seconds a URL from apps.connections.open stays good ("temporary", Slack says)
CUTS = ("reset", "drop", "silent")
T = TypeVar("T")


@dataclass
class Envelope:
    """One envelope Slack sent, and its ack. Times are time.monotonic(); latency counts from the moment the test
    asked to send, so time spent waiting for a connection counts too (the person waits all the same)."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    accepts_response_payload: bool = False
    retry_attempt: int = 0
    retry_reason: str = ""
    created_at: float = field(default_factory=time.monotonic)
    sent_at: float | None = None
    connection: int | None = None  # the connection it went out on
    acked_at: float | None = None
    ack_connection: int | None = None
    ack_payload: dict[str, Any] | None = None
    acked: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    @property
    def latency(self) -> float | None:
        return None if self.acked_at is None else self.acked_at - self.created_at

    @property
    def on_time(self) -> bool:
        return self.latency is not None and self.latency <= ACK_LIMIT

    def wire(self) -> dict[str, Any]:
        frame: dict[str, Any] = {
            "envelope_id": self.envelope_id,
            "payload": self.payload,
            "type": self.type,
            "accepts_response_payload": self.accepts_response_payload,
        }
        if self.type == "events_api":
            frame.update(retry_attempt=self.retry_attempt, retry_reason=self.retry_reason)
        return frame


@dataclass
class SocketConnection:
    """One WebSocket connection as Slack's side saw it. state: open (hello sent), refreshing (told to
    reconnect), closed, or cut (dropped by `cut`)."""

    id: int
    opened_at: float
    state: str = "connecting"
    closed_at: float | None = None
    client_close_code: int | None = None  # the code of the app's close frame; None when none came
    closed_by: str | None = None  # "client" (its close frame first), "server", "dropped" (no frame) or "cut"
    opened_alongside: tuple[int, ...] = ()  # connections still fully open (no close frame) at this one's hello
    ws: ServerConnection | None = field(default=None, repr=False, compare=False)

    @property
    def is_open(self) -> bool:
        return self.state in ("open", "refreshing")

    @property
    def sendable(self) -> bool:
        """Open, and no close frame either way yet."""
        return self.is_open and self.ws is not None and self.ws.protocol.state is State.OPEN


class SocketModeServer:
    """A Socket Mode endpoint on 127.0.0.1 (asyncio, in a thread of its own); the test hooks are thread-safe.

    Linked to a SlackStandIn, it answers that stand-in's `apps.connections.open` (app-level token only)."""

    def __init__(
        self,
        standin: SlackStandIn | None = None,
        *,
        app_token: str = APP_TOKEN,
        identity: Identity | None = None,
        refresh_grace: float = 10.0,
        ticket_ttl: float = TICKET_TTL,
    ) -> None:
        self.standin = standin
        self.app_token = app_token
        self.identity = identity or (standin.identity if standin else Identity())
        self.refresh_grace = refresh_grace
        self.ticket_ttl = ticket_ttl
        self._state = threading.Condition()
        self._connections: dict[int, SocketConnection] = {}
        self._envelopes: dict[str, Envelope] = {}
        self._pending: list[Envelope] = []
        self._tickets: dict[str, float] = {}  # ticket -> when it expires (time.monotonic())
        self._ids = itertools.count(1)
        self.stray_acks: list[dict[str, Any]] = []  # acks for no envelope, or a second ack for one
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- lifecycle -----------------------------------------------------------------------------------------

    def start(self) -> SocketModeServer:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._listen())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="standin-socket-mode", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the Socket Mode stand-in did not start")
        if self.standin is not None:
            self.standin.app_token = self.app_token
            self.standin.socket_mode = self
            self.standin.redact(self.app_token)
        return self

    async def _listen(self) -> None:
        # No server pings: Slack's own are rare, and a silent cut must stay silent.
        self._server = await serve(
            self._serve, "127.0.0.1", 0, process_request=self._check_ticket, ping_interval=None, close_timeout=2
        )
        self.port = self._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        if self.standin is not None and self.standin.socket_mode is self:
            self.standin.socket_mode = None
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
        self._loop = self._thread = None

    async def _shutdown(self) -> None:
        for connection in self.connections:
            if connection.ws is not None and connection.ws.transport is not None:
                connection.ws.transport.abort()  # Slack gone: nothing is said, not even to a silenced connection
        if self._server is not None:
            self._server.close(close_connections=False)
            await self._server.wait_closed()

    def __enter__(self) -> SocketModeServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _call(self, coroutine: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
        """Runs a coroutine on the server's loop from a test thread and waits for it."""
        assert self._loop is not None, "start() the server first"
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    # --- apps.connections.open and the handshake -----------------------------------------------------------

    def issue_url(self) -> str:
        """What `apps.connections.open` answers: a URL whose ticket is good for `ticket_ttl` seconds."""
        ticket = str(uuid.uuid4())
        with self._state:
            self._tickets[ticket] = time.monotonic() + self.ticket_ttl
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.identity.app_id}"

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        url = urlsplit(request.path)
        ticket = parse_qs(url.query).get("ticket", [""])[0]
        with self._state:
            known = url.path.rstrip("/") == "/link" and self._tickets.get(ticket, 0.0) > time.monotonic()
        return None if known else connection.respond(HTTPStatus.UNAUTHORIZED, "invalid or expired ticket\n")

    async def _serve(self, ws: ServerConnection) -> None:
        with self._state:
            alongside = tuple(known.id for known in self._connections.values() if known.sendable)
            connection = SocketConnection(
                id=next(self._ids), opened_at=time.monotonic(), ws=ws, opened_alongside=alongside
            )
            self._connections[connection.id] = connection
            count = sum(1 for known in self._connections.values() if known.is_open) + 1
        hello = {
            "type": "hello",
            "num_connections": count,
            "debug_info": {"host": "applink-standin", "build_number": 1, "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.identity.app_id},
        }
        try:
            await ws.send(json.dumps(hello))
            self._set_state(connection, "open")
            await self._flush_pending()
            async for raw in ws:
                self._take_ack(connection, raw)
        except ConnectionClosed:
            pass
        finally:
            self._ended(connection, ws)

    def _ended(self, connection: SocketConnection, ws: ServerConnection) -> None:
        received, sent = ws.protocol.close_rcvd, ws.protocol.close_sent
        with self._state:
            if connection.state != "cut":
                connection.client_close_code = received.code if received else None
                if received is None:
                    connection.closed_by = "dropped"
                elif sent is None or ws.protocol.close_rcvd_then_sent:
                    connection.closed_by = "client"
                else:
                    connection.closed_by = "server"
                connection.state = "closed"
                connection.closed_at = time.monotonic()
            self._state.notify_all()

    def _set_state(self, connection: SocketConnection, state: str) -> None:
        with self._state:
            if connection.state not in ("closed", "cut"):
                connection.state = state
            self._state.notify_all()

    # --- envelopes and acks --------------------------------------------------------------------------------

    def send(
        self,
        type: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
        connection: int | None = None,
    ) -> Envelope:
        """Sends an envelope on `connection`, or as Slack does on the newest connection not being refreshed;
        with none open, it waits for the next one. Returns at once: wait_ack() waits for the ack."""
        if accepts_response_payload is None:
            accepts_response_payload = type == "slash_commands" or (
                type == "interactive" and payload.get("type") in ("view_submission", "block_suggestion")
            )
        envelope = Envelope(
            envelope_id=str(uuid.uuid4()),
            type=type,
            payload=payload,
            accepts_response_payload=accepts_response_payload,
            retry_attempt=retry_attempt,
            retry_reason=retry_reason,
        )
        with self._state:
            self._envelopes[envelope.envelope_id] = envelope
        self._call(self._deliver(envelope, connection))
        return envelope

    def redeliver(self, envelope: Envelope, reason: str = "timeout") -> Envelope:
        """Slack's retry of an event: the same payload in a new envelope, retry_attempt one higher."""
        return self.send(envelope.type, envelope.payload, retry_attempt=envelope.retry_attempt + 1, retry_reason=reason)

    def send_and_wait(self, type: str, payload: dict[str, Any], timeout: float = 10.0, **options: Any) -> Envelope:
        envelope = self.send(type, payload, **options)
        self.wait_ack(envelope, timeout)
        return envelope

    @staticmethod
    def wait_ack(envelope: Envelope, timeout: float = 10.0) -> bool:
        return envelope.acked.wait(timeout)

    async def _deliver(self, envelope: Envelope, connection_id: int | None) -> None:
        """On the connection asked for; if that one is closing (the app's close frame came first), on the newest
        open one, as Slack does; with none, it waits for the next connection."""
        for wanted in dict.fromkeys((connection_id, None)):
            target = self._target(wanted)
            if target is None or target.ws is None:
                continue
            try:
                envelope.sent_at, envelope.connection = time.monotonic(), target.id
                await target.ws.send(json.dumps(envelope.wire()))
                return
            except ConnectionClosed:
                continue
        with self._state:
            self._pending.append(envelope)

    def _target(self, connection_id: int | None) -> SocketConnection | None:
        with self._state:
            if connection_id is not None:
                chosen = self._connections.get(connection_id)
                return chosen if chosen is not None and chosen.is_open else None
            for state in ("open", "refreshing"):
                candidates = [known for known in self._connections.values() if known.state == state and known.sendable]
                if candidates:
                    return max(candidates, key=lambda known: known.id)
        return None

    async def _flush_pending(self) -> None:
        with self._state:
            waiting, self._pending = self._pending, []
        for envelope in waiting:
            await self._deliver(envelope, None)

    def _take_ack(self, connection: SocketConnection, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            return
        if not isinstance(message, dict) or "envelope_id" not in message:
            return
        with self._state:
            envelope = self._envelopes.get(str(message["envelope_id"]))
            if envelope is None or envelope.acked_at is not None:
                self.stray_acks.append(message)
            else:
                envelope.acked_at, envelope.ack_connection = time.monotonic(), connection.id
                envelope.ack_payload = message.get("payload") or None
                envelope.acked.set()
            self._state.notify_all()  # `wait_until` is woken by a stray ack too

    @property
    def envelopes(self) -> list[Envelope]:
        with self._state:
            return list(self._envelopes.values())

    # --- refreshes and cuts --------------------------------------------------------------------------------

    def refresh(self, reason: str = "refresh_requested", grace: float | None = None) -> list[int]:
        """Tells every open connection to reconnect, as Slack does every few hours, and closes each (with a close
        frame) `grace` seconds later unless the app did first. Returns the connections told."""
        return self._call(self._refresh(reason, self.refresh_grace if grace is None else grace))

    async def _refresh(self, reason: str, grace: float) -> list[int]:
        told = [known for known in self.connections if known.state == "open" and known.ws is not None]
        for connection in told:
            self._set_state(connection, "refreshing")
            frame = {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-standin"}}
            try:
                await connection.ws.send(json.dumps(frame))  # type: ignore[union-attr]
            except ConnectionClosed:
                continue
            asyncio.get_running_loop().call_later(grace, self._close_later, connection)
        return [connection.id for connection in told]

    def _close_later(self, connection: SocketConnection) -> None:
        if connection.is_open and connection.ws is not None:
            asyncio.ensure_future(connection.ws.close(1000, "refreshed"))

    def cut(self, connection: int | None = None, *, how: str = "reset") -> list[int]:
        """Drops open connections (or one) with no close frame. how: "reset" (a TCP RST, as when a load balancer
        forgets the connection), "drop" (a bare TCP close, as when Slack's process dies) or "silent" (the socket
        stays open but nothing comes back, not even pongs, as when the network in between goes dark). Returns the
        connections cut."""
        if how not in CUTS:
            raise ValueError(f"how must be one of {CUTS}")
        return self._call(self._cut(connection, how))

    async def _cut(self, connection_id: int | None, how: str) -> list[int]:
        cut = [
            known
            for known in self.connections
            if known.is_open and known.ws is not None and connection_id in (None, known.id)
        ]
        for connection in cut:
            with self._state:
                connection.state, connection.closed_by, connection.closed_at = "cut", "cut", time.monotonic()
                self._state.notify_all()
            transport = connection.ws.transport  # type: ignore[union-attr]
            if how == "silent":
                transport.pause_reading()
                continue
            sock = transport.get_extra_info("socket")
            if how == "reset" and sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()  # no close frame; with SO_LINGER 0 the kernel sends a RST, else a FIN
        return [connection.id for connection in cut]

    # --- inspection ----------------------------------------------------------------------------------------

    @property
    def connections(self) -> list[SocketConnection]:
        with self._state:
            return list(self._connections.values())

    @property
    def open_connections(self) -> int:
        """Connections Slack could send on: open, or told to refresh and not closed yet."""
        with self._state:
            return sum(1 for known in self._connections.values() if known.is_open)

    def connection(self, connection_id: int) -> SocketConnection:
        with self._state:
            return self._connections[connection_id]

    def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Waits, woken by every connection change and ack, until `condition()` holds. False on timeout."""
        with self._state:
            return self._state.wait_for(condition, timeout)

    def wait_connected(self, count: int = 1, timeout: float = 10.0) -> bool:
        """Until at least `count` connections have had their hello."""
        return self.wait_until(lambda: self.open_connections >= count, timeout)

    def wait_new_connection(self, after: int = 0, timeout: float = 10.0) -> SocketConnection | None:
        """The first connection with an id above `after` once it has had its hello; None on timeout."""

        def opened() -> SocketConnection | None:
            for known in self._connections.values():
                if known.id > after and known.state in ("open", "refreshing"):
                    return known
            return None

        with self._state:
            return opened() if self._state.wait_for(lambda: opened() is not None, timeout) else None

    def wait_closed(self, connection_id: int, timeout: float = 10.0) -> bool:
        return self.wait_until(lambda: not self._connections[connection_id].is_open, timeout)

    @property
    def latest(self) -> SocketConnection | None:
        with self._state:
            return max(self._connections.values(), key=lambda known: known.id, default=None)


class SocketModeSender(SlackSender):
    """SlackSender's people, commands, events and interactions, delivered over Socket Mode instead of HTTP: each
    call sends an envelope and waits for its ack (answered as status 200 with the ack's payload as the body, or
    504 when no ack came in time). `last_envelope` has the envelope with its ack latency."""

    def __init__(self, socket_mode: SocketModeServer, standin: SlackStandIn | None = None, *, timeout: float = 10.0):
        # No signing in Socket Mode; the parent wants a secret to redact, so it gets one nobody else has.
        super().__init__("", secrets.token_hex(16), standin=standin, timeout=timeout)
        self.socket_mode = socket_mode
        self.last_envelope: Envelope | None = None

    def post_raw(self, body: bytes, headers: dict[str, str]) -> SentResponse:
        """Turns what SlackSender would POST into the envelope Slack sends for it."""
        if headers.get("Content-Type", "").startswith("application/json"):
            payload = json.loads(body)
            if payload.get("type") != "event_callback":
                raise ValueError(f"Socket Mode has no {payload.get('type')} requests")
            retry = int(headers.get("X-Slack-Retry-Num", 0))
            reason = headers.get("X-Slack-Retry-Reason", "") if retry else ""
            envelope = self.socket_mode.send("events_api", payload, retry_attempt=retry, retry_reason=reason)
        else:
            fields = {name: values[0] for name, values in parse_qs(body.decode(), keep_blank_values=True).items()}
            if "payload" in fields:
                envelope = self.socket_mode.send("interactive", json.loads(fields["payload"]))
            else:
                envelope = self.socket_mode.send("slash_commands", fields)
        self.last_envelope = envelope
        if not self.socket_mode.wait_ack(envelope, self.timeout):
            response = SentResponse(504, "no ack")
        else:
            response = SentResponse(200, json.dumps(envelope.ack_payload) if envelope.ack_payload else "")
        self.last_response = response
        return response
