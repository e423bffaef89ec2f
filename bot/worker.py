"""Runs due jobs in a background thread: right after a kick (work stored before Slack's ack) and every so often."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, run_due: Callable[[], int], interval: float = 60.0) -> None:
        self._run_due = run_due
        self._interval = interval
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._loop, name="journeybot-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Runs what is due one last time and ends, waiting at most `timeout` seconds for that."""
        self._stopped.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def kick(self) -> None:
        self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """True once every kicked job has run (tests and the demo wait on this, never on a sleep)."""
        return self._idle.wait(timeout)

    def _loop(self) -> None:
        while True:
            self._wake.wait(self._interval)
            # Read before the run: a stop that comes during a run gets one more, for the work stored meanwhile
            # (the events of requests answered while this run was under way).
            last = self._stopped.is_set()
            self._wake.clear()
            try:
                self._run_due()
            except Exception:  # the loop must survive a broken database connection and try again
                log.exception("running due jobs failed")
            if not self._wake.is_set():
                self._idle.set()
            if last:
                return
