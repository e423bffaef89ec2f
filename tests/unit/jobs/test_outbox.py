"""A job's Slack side effects happen once, even when a crash falls between Slack's answer and the record."""

from __future__ import annotations

import pytest

from storage.models import SentEffect
from workflows.jobs.outbox import Outbox


def test_an_effect_recorded_as_done_is_not_done_again(db) -> None:
    outbox, calls = Outbox(db), []
    assert outbox.once("k", lambda: calls.append(1) or "ts-1") == "ts-1"
    assert outbox.once("k", lambda: calls.append(1) or "ts-2", find=lambda since: "ts-found") == "ts-1"
    assert calls == [1]


def test_an_effect_a_crash_left_unrecorded_is_found_not_repeated(db) -> None:
    with db.session() as session:  # started, then the process died before hearing back
        session.add(SentEffect(key="k", pending=True))
    outbox, calls, asked = Outbox(db), [], []
    found = outbox.once("k", lambda: calls.append(1) or "ts-2", find=lambda since: asked.append(since) or "ts-1")
    assert (found, calls, len(asked)) == ("ts-1", [], 1)
    assert outbox.once("k", lambda: "ts-3") == "ts-1"  # and now it is recorded


def test_an_effect_started_but_not_found_is_done_again(db) -> None:
    with db.session() as session:
        session.add(SentEffect(key="k", pending=True))
    outbox = Outbox(db)
    assert outbox.once("k", lambda: "ts-2", find=lambda since: None) == "ts-2"
    assert outbox.once("k", lambda: "ts-2", find=None) == "ts-2"


def test_a_failed_call_is_tried_again(db) -> None:
    outbox = Outbox(db)

    def refused() -> str:
        raise RuntimeError("Slack said no")

    with pytest.raises(RuntimeError):
        outbox.once("k", refused)
    assert outbox.once("k", lambda: "ts-1") == "ts-1"
