"""Slack-shaped identifiers and message timestamps."""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    """Who the stand-in workspace and its app are; auth.test, events and payloads must all agree on it."""

    team_id: str = "T0STANDIN1"
    team_name: str = "Stand-in Workspace"
    team_domain: str = "standin"
    bot_user_id: str = "U0BOTUSER1"
    bot_id: str = "B0BOTID001"
    app_id: str = "A0APPID001"
    bot_name: str = "journeybot"

    @property
    def workspace_url(self) -> str:
        return f"https://{self.team_domain}.slack.com/"


class IdFactory:
    """Ids keep Slack's prefixes (C, D, F, V, Ev...) because code and people read meaning into them."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new(self, prefix: str) -> str:
        return f"{prefix}0{next(self._counter):08X}"


def ts_to_micros(ts: str) -> int:
    """Slack ts strings sort as numbers, not as text; compare them through this."""
    seconds, _, fraction = ts.partition(".")
    return int(seconds) * 1_000_000 + int(fraction.ljust(6, "0")[:6] or 0)


def micros_to_ts(micros: int) -> str:
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def is_ts(value: str) -> bool:
    seconds, dot, fraction = value.partition(".")
    return bool(dot) and seconds.isdigit() and fraction.isdigit()


def new_trigger_id() -> str:
    """Shaped like Slack's ("<seconds>.<number>.<hex>"); code sometimes logs or splits them."""
    return f"{int(time.time())}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"


class TsClock:
    """Wall-clock based like Slack's ts, but strictly increasing, since a ts is also the message's id."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            self._last = max(int(self._clock() * 1_000_000), self._last + 1)
            return micros_to_ts(self._last)

    def seconds(self) -> int:
        return int(self._clock())
