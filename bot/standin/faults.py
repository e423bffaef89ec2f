"""Injected failures, answered exactly as Slack answers them (429 + Retry-After, ok=false, 5xx)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any


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
    """Per-method queues of failures; each call to the method consumes one."""

    def __init__(self) -> None:
        self._queued: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()

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
