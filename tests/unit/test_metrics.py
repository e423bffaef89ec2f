"""`workflows.metrics`: the database gauges read at scrape time, the job failure counters, and label values kept
to a bounded set."""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import REGISTRY, generate_latest

from storage.db import Database
from storage.models import Job, utcnow
from workflows.jobs.queue import MAX_ATTEMPTS, JobKind, run_due_jobs
from workflows.metrics import label, scrape_registry


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def add_job(db: Database, kind: JobKind, key: str, run_at_offset: float, status: str = "pending", **extra) -> None:
    with db.session() as session:
        session.add(
            Job(
                kind=kind,
                key=key,
                payload={},
                run_at=utcnow() + timedelta(seconds=run_at_offset),
                status=status,
                **extra,
            )
        )


def test_the_backlog_and_the_lag_come_from_the_jobs_table_at_scrape_time(db: Database) -> None:
    registry = scrape_registry(db)
    assert registry.get_sample_value("journeybot_intake_backlog") == 0
    assert registry.get_sample_value("journeybot_job_lag_seconds", {"lane": "jobs"}) == 0

    add_job(db, JobKind.slack_event, "event:a", -30)  # stored 30 s ago, not handled yet
    add_job(db, JobKind.slack_event, "event:b", -1, status="running")  # being handled
    add_job(db, JobKind.slack_event, "event:c", -90, status="done")  # handled
    add_job(db, JobKind.open_step, "open:1", -10)  # due 10 s ago
    add_job(db, JobKind.step_deadline, "deadline:1", 3600)  # scheduled: not late
    add_job(db, JobKind.publish, "publish:1", -600, status="failed")  # given up: no longer waiting

    assert registry.get_sample_value("journeybot_intake_backlog") == 2
    intake_lag = registry.get_sample_value("journeybot_job_lag_seconds", {"lane": "intake"})
    jobs_lag = registry.get_sample_value("journeybot_job_lag_seconds", {"lane": "jobs"})
    assert 29 <= intake_lag < 60 and 9 <= jobs_lag < 60


def test_only_scheduled_jobs_mean_no_lag(db: Database) -> None:
    add_job(db, JobKind.step_nudge, "nudge:1", 60)
    assert scrape_registry(db).get_sample_value("journeybot_job_lag_seconds", {"lane": "jobs"}) == 0


def test_a_scrape_without_the_database_still_serves_the_counters(tmp_path) -> None:
    unreachable = Database(f"sqlite:///{tmp_path / 'missing' / 'journeybot.db'}")
    text = generate_latest(scrape_registry(unreachable)).decode()
    assert "# TYPE journeybot_slack_api_calls_total counter" in text
    assert "journeybot_intake_backlog" not in text


def test_a_failing_job_is_counted_by_kind_and_once_more_when_given_up(db: Database) -> None:
    def broken(_payload: dict, _now: object) -> None:
        raise RuntimeError("boom")

    failures, given_up = (
        sample("journeybot_job_failures_total", kind="publish"),
        sample("journeybot_jobs_given_up_total", kind="publish"),
    )
    add_job(db, JobKind.publish, "publish:a", -1)
    add_job(db, JobKind.publish, "publish:b", -1, attempts=MAX_ATTEMPTS - 1)  # this run is its last attempt

    assert run_due_jobs(db, {JobKind.publish: broken}) == 2
    assert sample("journeybot_job_failures_total", kind="publish") - failures == 2
    assert sample("journeybot_jobs_given_up_total", kind="publish") - given_up == 1


def test_label_values_are_kept_to_names() -> None:
    assert label("chat.postMessage") == "chat.postMessage"
    assert label("app_home_opened") == "app_home_opened"
    assert label("gpt-4o-mini") == "gpt-4o-mini" and label("llama3.1:8b") == "llama3.1:8b"
    for odd in (None, "", "<script>", "x" * 101, "a b", "-rf", 'a"b'):
        assert label(odd) == "other"
