"""Event echo: Slack tells the app about what the app itself did, after the API call has returned."""

from __future__ import annotations

import queue
import threading
from typing import Any, Protocol

from journeybot.standin.models import Delivery


class EventSink(Protocol):
    def event(self, event: dict[str, Any]) -> Any: ...


def subscription_name(event: dict[str, Any]) -> str:
    """The Events API subscription an event belongs to: message.channels/groups/im/mpim, else its type."""
    if event.get("type") == "message":
        kind = {"channel": "channels", "group": "groups"}.get(event.get("channel_type", ""), event.get("channel_type"))
        return f"message.{kind}"
    return str(event.get("type"))


class EventEcho:
    """Delivers from one worker thread, never inside a request handler, in the order the events happened."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[EventSink, dict[str, Any]] | None] = queue.Queue()
        self._sink: EventSink | None = None
        self._subscriptions: frozenset[str] | None = None
        self._pending = 0
        self._idle = threading.Condition()
        self._deliveries: list[Delivery] = []
        self._thread: threading.Thread | None = None

    def target(self, sink: EventSink | None, subscriptions: frozenset[str] | None) -> None:
        self._sink, self._subscriptions = sink, subscriptions
        if sink is not None and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="standin-event-echo", daemon=True)
            self._thread.start()

    def push(self, event: dict[str, Any]) -> None:
        sink = self._sink
        if sink is None or (self._subscriptions is not None and subscription_name(event) not in self._subscriptions):
            return
        with self._idle:
            self._pending += 1
        self._queue.put((sink, event))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            sink, event = item
            delivery = Delivery(event=event)
            try:
                response = sink.event(event)
                delivery.status, delivery.body = response.status, response.body
            except Exception as error:  # the bot being down must not kill the worker
                delivery.error = repr(error)
            with self._idle:
                self._deliveries.append(delivery)
                self._pending -= 1
                self._idle.notify_all()

    @property
    def deliveries(self) -> list[Delivery]:
        with self._idle:
            return list(self._deliveries)

    def wait_idle(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=5)
            self._thread = None
