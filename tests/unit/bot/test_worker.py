"""The background worker: a stop finishes the work stored before it, even work stored while a run was under way."""

from __future__ import annotations

import threading

from bot.worker import Worker


def test_a_stop_during_a_run_runs_once_more_for_the_work_stored_meanwhile() -> None:
    in_run, stored, handled = threading.Event(), [], []
    worker: Worker

    def run_due() -> int:
        if not handled:  # the first run: a stop and more work arrive while it is under way
            handled.append("first")
            in_run.set()
            assert worker._stopped.wait(5), "the stop came"
            return 1
        handled.extend(stored)
        return len(stored)

    worker = Worker(run_due)
    worker.start()
    worker.kick()
    assert in_run.wait(5)
    stored.append("an event acknowledged during the run")
    stopper = threading.Thread(target=worker.stop, kwargs={"timeout": 5})
    stopper.start()
    stopper.join(10)
    assert handled == ["first", "an event acknowledged during the run"]
