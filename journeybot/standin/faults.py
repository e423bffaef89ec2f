"""Injected failures, answered exactly as Slack answers them (429 + Retry-After, ok=false, 5xx)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Matching = Callable[[dict[str, Any]], bool]  # which calls (by their parameters) a held answer applies to


@dataclass
class Fault:
    error: str
    status: int
    retry_after: int
    remaining: int
    after: int = 0  # calls that succeed before this fault starts

    def answer(self) -> tuple[int, dict[str, str], dict[str, Any]]:
        headers = {"Retry-After": str(self.retry_after)} if self.status == 429 else {}
        return self.status, headers, {"ok": False, "error": self.error}


class Faults:
    """Per-method queues of failures; each call to the method consumes one. A held method's calls wait until
    released: Slack being slow, while a test does something to the bot meanwhile (kills it, say)."""

    def __init__(self) -> None:
        self._queued: dict[str, list[Fault]] = {}
        self._held: dict[str, threading.Event] = {}
        self._arrived: dict[str, threading.Event] = {}
        self._held_answers: dict[str, tuple[threading.Event, Matching]] = {}
        self._lock = threading.Lock()

    def hold(self, method: str) -> threading.Event:
        """Calls to `method` wait from now on until the returned event is set (at most a minute)."""
        with self._lock:
            return self._held.setdefault(method, threading.Event())

    def arrived(self, method: str) -> threading.Event:
        """Set once a call to the held `method` is waiting: the bot is in the middle of that request."""
        with self._lock:
            return self._arrived.setdefault(method, threading.Event())

    def wait_if_held(self, method: str) -> None:
        with self._lock:
            held = self._held.get(method)
        if held is not None:
            self.arrived(method).set()
        if held is not None and held.wait(60):
            with self._lock:
                self._held.pop(method, None)

    def hold_answer(self, method: str, matching: Matching) -> threading.Event:
        """The next matching call to `method` is carried out, then its answer waits until the returned event is set
        (at most a minute): the bot's request did its work in Slack and the bot has not heard back yet."""
        with self._lock:
            released = threading.Event()
            self._held_answers[method] = (released, matching)
            self._arrived.pop(method, None)
            return released

    def wait_if_answer_held(self, method: str, params: dict[str, Any]) -> None:
        with self._lock:
            held = self._held_answers.get(method)
            if held is None or not held[1](params):
                return
            del self._held_answers[method]
        self.arrived(method).set()
        held[0].wait(60)

    def add(self, method: str, fault: Fault) -> None:
        with self._lock:
            self._queued.setdefault(method, []).append(fault)

    def take(self, method: str) -> Fault | None:
        with self._lock:
            queue = self._queued.get(method)
            if not queue:
                return None
            fault = queue[0]
            if fault.after > 0:
                fault.after -= 1
                return None
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.pop(0)
            return fault
