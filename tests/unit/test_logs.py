"""`workflows.logs`: JSON lines with the ids of the work at hand, nothing else of a record (no `extra` text, no
exception message), scopes that never lend one request's ids to the next, and plain text by default."""

from __future__ import annotations

import contextvars
import io
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from journeybot.settings import Settings
from workflows.logs import bind, current_ids, log_handler, log_scope

ROOT = Path(__file__).resolve().parents[2]
NOTE = "Our zebra-striped pricing page confuses trial users"


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger of the test's own writing JSON lines to a buffer, as `JOURNEYBOT_LOG_FORMAT=json` does."""
    stream = io.StringIO()
    logger = logging.getLogger(f"journeybot.test.{id(stream)}")
    logger.propagate, logger.level = False, logging.INFO
    handler = log_handler("json", stream)
    logger.addHandler(handler)
    yield logger, stream
    logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def in_fresh_context(run: Callable[[], None]) -> None:
    """Runs as a new thread would, with no ids: what other tests bound outside a scope stays out."""
    contextvars.Context().run(run)


def test_a_line_is_one_json_object_with_the_scopes_ids(logged) -> None:
    logger, stream = logged

    def log_two_lines() -> None:
        with log_scope(team_id="T0TEAM001", event_id="Ev0001", job_id=None):
            bind(workshop_id=7)
            logger.info("reply in %s: %s", "C0WORKSHP1", "recorded")
        logger.warning("outside")

    in_fresh_context(log_two_lines)

    inside, outside = lines(stream)
    assert set(inside) == {"time", "level", "logger", "message", "team_id", "workshop_id", "event_id"}
    assert inside["message"] == "reply in C0WORKSHP1: recorded" and inside["level"] == "INFO"
    assert inside["workshop_id"] == 7 and inside["logger"] == logger.name
    assert inside["time"].endswith("+00:00")
    assert set(outside) == {"time", "level", "logger", "message"}


def test_extra_ids_are_kept_and_any_other_extra_is_not(logged) -> None:
    logger, stream = logged
    logger.info("recorded a note", extra={"workshop_id": 3, "step_id": 12, "text": NOTE, "note": NOTE})
    (line,) = lines(stream)
    assert (line["workshop_id"], line["step_id"]) == (3, 12)
    assert NOTE not in stream.getvalue()


def test_an_exception_is_logged_as_its_type_and_stack_without_its_message(logged) -> None:
    logger, stream = logged
    try:
        raise ValueError(f"could not read {NOTE!r}")
    except ValueError:
        logger.exception("job 4 (close_step) failed on attempt 1")
    (line,) = lines(stream)
    assert line["exception"] == "ValueError" and any("test_logs.py" in frame for frame in line["stack"])
    assert "zebra" not in stream.getvalue()


def test_a_scope_gives_back_the_ids_it_found_and_threads_start_without_any() -> None:
    def scopes() -> None:
        with log_scope(team_id="T1"):
            with log_scope(event_id="Ev1"):
                bind(workshop_id=2)
                assert current_ids() == {"team_id": "T1", "event_id": "Ev1", "workshop_id": 2}
            assert current_ids() == {"team_id": "T1"}
            seen: list[dict] = []
            worker = threading.Thread(target=lambda: seen.append(current_ids()))
            worker.start()
            worker.join()
            assert seen == [{}]
        assert current_ids() == {}

    in_fresh_context(scopes)


def test_plain_text_stays_the_default() -> None:
    assert Settings(_env_file=None).journeybot_log_format == "text"
    stream = io.StringIO()
    logger = logging.getLogger("journeybot.test.text")
    logger.propagate = False
    handler = log_handler("text", stream)
    logger.addHandler(handler)
    try:
        logger.warning("plain %s", "words")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().rstrip().endswith("WARNING journeybot.test.text: plain words")


def test_the_setting_takes_json_and_refuses_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOURNEYBOT_LOG_FORMAT", "json")
    assert Settings(_env_file=None).journeybot_log_format == "json"
    monkeypatch.setenv("JOURNEYBOT_LOG_FORMAT", "xml")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_the_command_line_writes_json_lines_when_asked(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "JOURNEYBOT_"))}
    env |= {"JOURNEYBOT_LOG_FORMAT": "json", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "journeybot.cli", "serve", "--http"],
        cwd=tmp_path,  # no .env here
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    written = [json.loads(text) for text in done.stderr.splitlines()]  # every line, libraries' too
    (line,) = [line for line in written if line["level"] == "ERROR"]
    assert line["logger"] == "journeybot"
    assert "SLACK_BOT_TOKEN" in line["message"]
