"""The call log: every Web API call with its answer, for assertions and the demo's transcript."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from journeybot.standin.models import Call


class Recorder:
    """Thread-safe, since HTTP handler threads append while the test thread reads."""

    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._secrets: set[str] = set()
        self._lock = threading.Lock()
        self.last_at = time.monotonic()

    def add(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)
            self.last_at = call.at

    def snapshot(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def redact(self, secret: str) -> None:
        """Never let this string reach a transcript, whatever the bot put it into."""
        if secret:
            with self._lock:
                self._secrets.add(secret)

    def write(self, path: str | Path) -> Path:
        """JSON lines, one per call, in call order."""
        with self._lock:
            lines = [call.model_dump_json() for call in self._calls]
            secrets = sorted(self._secrets, key=len, reverse=True)
        text = "".join(line + "\n" for line in lines)
        for secret in secrets:
            text = text.replace(secret, "[redacted]").replace(json.dumps(secret)[1:-1], "[redacted]")
        target = Path(path)
        target.write_text(text, encoding="utf-8")
        return target
