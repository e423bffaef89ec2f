"""Bolt's listener threads, counted, so the demo and the tests can wait until every listener has finished."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class ListenerPool(ThreadPoolExecutor):
    """Bolt acknowledges, then runs the rest of a listener here; `wait_idle` returns once none is running."""

    def __init__(self, max_workers: int = 5) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="journeybot-listener")
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
        with self._idle:
            self._pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)
