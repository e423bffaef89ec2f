"""Log lines an operator can search: plain text by default, JSON lines with `JOURNEYBOT_LOG_FORMAT=json`.

Each line says which workspace, workshop and event it is about. Those ids are put in a context variable where
work starts (a request, a stored event, a job: `log_scope`) and added to by what finds out more (`bind`), so
code deep below logs them without passing them around; `extra=` on one call does the same for one line. A JSON
line carries only the fields listed here, never arbitrary `extra` values, and an exception only as its type and
stack (its message may quote data): a note's text never reaches the log through them.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Literal, TextIO

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# The ids a line may carry, in the order they are written.
IDS = ("team_id", "workshop_id", "step_id", "event_id", "job_id", "job_kind")

_EMPTY: Mapping[str, object] = MappingProxyType({})
_ids: ContextVar[Mapping[str, object]] = ContextVar("journeybot_log_ids", default=_EMPTY)


def _known(ids: Mapping[str, object]) -> dict[str, object]:
    return {key: value for key, value in ids.items() if key in IDS and value not in (None, "")}


@contextmanager
def log_scope(**ids: object) -> Iterator[None]:
    """Lines logged inside carry these ids (and any bound inside); on leaving, the ids before it come back, so a
    thread that serves many requests or jobs never lends one's ids to the next."""
    token = _ids.set(MappingProxyType({**_ids.get(), **_known(ids)}))
    try:
        yield
    finally:
        _ids.reset(token)


def bind(**ids: object) -> None:
    """Adds ids learnt midway (the workshop a reply belongs to) to the current scope; None values are skipped."""
    if known := _known(ids):
        _ids.set(MappingProxyType({**_ids.get(), **known}))


def current_ids() -> dict[str, object]:
    return dict(_ids.get())


class ContextIds(logging.Filter):
    """Copies the scope's ids onto each record at the handler, unless the call gave its own with `extra=`."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in _ids.get().items():
            if getattr(record, key, None) is None:
                setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the known ids; nothing else of the record."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in IDS:
            value = getattr(record, key, None)
            if value not in (None, ""):
                line[key] = value if isinstance(value, int | float | bool) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = record.exc_info[0].__name__
            line["stack"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(record.exc_info[2])
            ]
        return json.dumps(line, ensure_ascii=False)


def log_handler(log_format: LogFormat, stream: TextIO | None = None) -> logging.Handler:
    """A handler to standard error (or `stream`) in the chosen format, the scope's ids attached."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextIds())
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    return handler


def configure_logging(log_format: LogFormat = "text", level: int = logging.INFO) -> None:
    """The root logger's setup for the command line; a no-op when logging was configured already (as before)."""
    logging.basicConfig(level=level, handlers=[log_handler(log_format)])
