"""Socket Mode that holds: Bolt's `websockets` adapter, tuned, for the bot's sync Bolt app.

Chosen by measuring each of Bolt's adapters against a Socket Mode server that behaves as Slack's does
(`bench/socket_mode.py`; the figures are in the README). With its defaults no adapter met the bar (no envelope
waits on a connection refresh, a cut connection back within 10 s without burning CPU); `websockets` came closest
and is the one that opens the new connection before it closes the old. What is changed, and why:

- a lost connection is replaced as soon as it closes, not at the next check (every 10 s by default), and while
  Slack cannot be reached the retries back off instead of polling;
- pings every 2 s, and a ping unanswered for 3 s fails the connection (defaults: 10 s and 20 s): a connection
  that went dark is found and replaced within about 6 s, not 30-50;
- the connection a refresh replaces is read to its end while it closes: what Slack sent on it before it saw the
  close is still handled and acknowledged, not dropped with the cancelled reader;
- each envelope is handled on a worker thread: the app is sync, and a listener run on the event loop (Bolt's
  adapter does that for a sync app) would hold up the reading, the pings and every other ack behind it;
- closing stops reading, lets the envelopes in hand finish and be acknowledged, then sends a close frame.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from time import time
from typing import Any, TypeVar

from slack_bolt import App
from slack_bolt.adapter.socket_mode.async_base_handler import AsyncBaseSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import send_async_response
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_bolt.response import BoltResponse
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.websockets import SocketModeClient
from slack_sdk.web.async_client import AsyncWebClient
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from bot.observe import acknowledged, envelope_arrived
from bot.server import take_event
from bot.services import Services

log = logging.getLogger(__name__)

PING_SECONDS = 2.0  # keepalive ping interval; also how often the client checks its connection is still there
PONG_TIMEOUT_SECONDS = 3.0  # a ping unanswered this long means the connection is dead
CLOSE_TIMEOUT_SECONDS = 1.0  # how long a closing connection waits for Slack's close frame
MAX_RETRY_SECONDS = 60.0  # the longest pause between reconnection attempts while Slack cannot be reached
ACK_LIMIT_SECONDS = 3.0  # Slack's deadline for an ack: how long a closing bot lets envelopes in hand finish
WORKERS = 10  # envelopes handled at once (the builtin adapter's default)
T = TypeVar("T")


class HoldingSocketModeClient(SocketModeClient):
    """slack_sdk's `websockets` client with a keepalive that notices a dark connection within seconds, and a
    refresh that reads the replaced connection to its end (see the module's docstring)."""

    def __init__(self, app_token: str, logger: logging.Logger, web_client: AsyncWebClient) -> None:
        super().__init__(app_token, logger=logger, web_client=web_client, ping_interval=PING_SECONDS)
        self._retiring: set[asyncio.Future[None]] = set()

    async def connect(self) -> None:
        """Opens the new connection first, then retires the old one (if any)."""
        if self.wss_uri is None:
            self.wss_uri = await self.issue_new_wss_url()
        old, old_receiver, old_monitor = self.current_session, self.message_receiver, self.current_session_monitor
        self.current_session = await connect(
            self.wss_uri,
            ping_interval=PING_SECONDS,
            ping_timeout=PONG_TIMEOUT_SECONDS,
            close_timeout=CLOSE_TIMEOUT_SECONDS,
            max_size=None,  # Slack's envelopes are Slack's to size
        )
        self.auto_reconnect_enabled = self.default_auto_reconnect_enabled
        self.logger.info(f"A new Socket Mode connection ({await self.session_id()}) is open")
        self.current_session_monitor = asyncio.ensure_future(self.monitor_current_session())
        self.message_receiver = asyncio.ensure_future(self.receive_messages())
        if old_monitor is not None and old_monitor is not asyncio.current_task():
            old_monitor.cancel()  # a monitor that is reconnecting stops by itself: its session is no longer current
        if old_receiver is not None:
            old_receiver.cancel()  # recv() is cancellation-safe: _retire reads on where it stopped
        if old is not None:
            retiring = asyncio.ensure_future(self._retire(old))
            self._retiring.add(retiring)
            retiring.add_done_callback(self._retiring.discard)

    async def is_connected(self) -> bool:
        """Open, not merely not closed yet: a connection whose keepalive failed is closing and no use."""
        return not self.closed and self.current_session is not None and self.current_session.state is State.OPEN

    async def monitor_current_session(self) -> None:
        """Waits for the current connection to close (a cut, a failed keepalive, Slack closing it), then replaces it
        at once; if Slack cannot be reached, tries again after 2, 4, 8 ... 60 s."""
        session = self.current_session
        if session is None:
            return
        await session.wait_closed()
        pause = PING_SECONDS
        while not self.closed and self.auto_reconnect_enabled and session is self.current_session:
            self.logger.info(f"The Socket Mode connection ({self.build_session_id(session)}) is gone; reconnecting")
            try:
                await self.connect_to_new_endpoint()
            except Exception as error:
                self.logger.error(f"Reconnecting failed ({type(error).__name__}: {error}); next try in {pause:.0f} s")
                await asyncio.sleep(pause)
                pause = min(pause * 2, MAX_RETRY_SECONDS)

    async def _retire(self, session: ClientConnection) -> None:
        """Closes a replaced connection, still handling what Slack sent on it before it saw the close frame."""
        closing = asyncio.ensure_future(session.close())
        try:
            async for message in session:
                await self.enqueue_message(message if isinstance(message, str) else message.decode("utf-8"))
        except ConnectionClosed:
            pass
        await closing

    async def close(self) -> None:
        await super().close()
        for retiring in list(self._retiring):
            retiring.cancel()


class SocketModeRunner(AsyncBaseSocketModeHandler):
    """Bolt's `websockets` adapter for a sync App, on an event loop of its own thread, so that `serve`, the tests
    and the bench use it as they would the builtin adapter: connect() returns once connected, close() says goodbye
    with a close frame. Envelopes are handled on worker threads (`dispatch`)."""

    app: App
    client: HoldingSocketModeClient

    def __init__(self, app: App, app_token: str, *, workers: int = WORKERS) -> None:
        self.app = app
        self.app_token = app_token
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._in_hand: set[asyncio.Task[Any]] = set()

    def dispatch(self, req: SocketModeRequest) -> BoltResponse:
        """Runs on a worker thread: the envelope through the Bolt app, whose answer becomes the ack."""
        return run_bolt_app(self.app, req)

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        """On the loop: the envelope goes to a worker thread; its ack is sent when that thread is done."""
        task = asyncio.current_task()
        if task is not None:
            self._in_hand.add(task)
            task.add_done_callback(self._in_hand.discard)
        start, labels = time(), envelope_arrived(req.type, req.payload)
        response = await asyncio.get_running_loop().run_in_executor(self._pool, self.dispatch, req)
        await send_async_response(client, req, response, start)
        if response.status < 300:
            acknowledged(labels, time() - start)

    def connect(self, timeout: float = 30.0) -> None:
        """Starts the loop's thread and opens the first connection (raises if Slack refuses the app token)."""
        self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="socket-mode")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="socket-mode-loop", daemon=True)
        self._thread.start()
        try:
            self._run(self._open(), timeout)
        except BaseException:
            self._stop_loop()
            raise

    async def _open(self) -> None:
        client = self.app.client
        web_client = AsyncWebClient(
            base_url=client.base_url, timeout=client.timeout, ssl=client.ssl, proxy=client.proxy, logger=client.logger
        )
        # Made on the loop: the client's constructor starts its message processor there.
        self.client = HoldingSocketModeClient(self.app_token, self.app.logger, web_client)
        self.client.socket_mode_request_listeners.append(self.handle)  # type: ignore[arg-type]
        await self.client.connect()

    def is_connected(self) -> bool:
        return self._loop is not None and bool(self._run(self.client.is_connected(), 5))

    def close(self, timeout: float = ACK_LIMIT_SECONDS + CLOSE_TIMEOUT_SECONDS + 1) -> None:
        """Stops reading, lets the envelopes in hand finish and be acknowledged, then closes with a close frame."""
        if self._loop is None:
            return
        try:
            self._run(self._close(), timeout)
        except Exception:  # a close that failed must not keep the process from stopping
            log.exception("closing the Socket Mode connection failed")
        self._stop_loop()

    async def _close(self) -> None:
        self.client.auto_reconnect_enabled = False
        if self.client.message_receiver is not None:
            self.client.message_receiver.cancel()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ACK_LIMIT_SECONDS
        while loop.time() < deadline and (not self.client.message_queue.empty() or self._in_hand):
            if self._in_hand:
                await asyncio.wait(list(self._in_hand), timeout=deadline - loop.time())
            else:
                await asyncio.sleep(0.01)  # envelopes read but not yet handed out: the processor is one step away
        await self.client.close()
        rest = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in rest:
            task.cancel()
        await asyncio.gather(*rest, return_exceptions=True)

    def _stop_loop(self) -> None:
        assert self._loop is not None and self._thread is not None and self._pool is not None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if not self._loop.is_running():
            self._loop.close()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._loop = self._thread = None

    def _run(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)


class DurableSocketModeHandler(SocketModeRunner):
    """Socket Mode with the same intake as HTTP: an event envelope is stored, then acknowledged; commands and
    interactions go through Bolt, whose answer is the ack."""

    def __init__(self, app: App, services: Services, app_token: str) -> None:
        super().__init__(app, app_token)
        self.services = services

    def dispatch(self, req: SocketModeRequest) -> BoltResponse:
        if req.type != "events_api":
            return super().dispatch(req)
        take_event(self.services, json.dumps(req.payload), req.payload)
        return BoltResponse(status=200, body="")
