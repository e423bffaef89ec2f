"""Jobs that resume, not restart: Slack failing halfway through a step's close or the map's publishing never
makes the bot post anything twice; the facilitator's `/journey next` starts a stopped job again; a job's lease
keeps a live worker's job its own, and a dead worker's job is taken over within about a minute; a job that
must wait runs again shortly, however long it waits."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.models import Job, utcnow
from tests.conftest import ANA, FACILITATOR
from tests.workshop_play import run_workshop
from workflows.jobs import queue as jobs
from workflows.mapping.models import StepKey

SLACK_DOWN = {"status": 500, "error": "internal_error", "times": 3}  # the first try and both of the client's retries


def _posted(slack) -> Counter[str]:
    """Messages Slack accepted, by their text: a repeat is a message posted twice."""
    return Counter(
        call.params.get("text", "") for call in slack.standin.calls_to("chat.postMessage") if call.response.get("ok")
    )


def _stopped_then_restarted(slack) -> None:
    """The job has stopped on Slack's errors; the facilitator asks again and it goes on from where it stopped."""
    response = slack.command("next", FACILITATOR)
    assert "started it again" in response.body


def test_a_step_close_that_fails_halfway_posts_each_theme_once(slack):
    run_workshop(slack, until=StepKey.persona)
    thread = slack.step_ts(StepKey.touchpoints)
    for user, text in (
        ("U0ANA0001", "Finds us through a Google search for invoice templates"),
        ("U0BEN0001", "Signs up on the website and gets a welcome email"),
        ("U0CHO0001", "Calls support by phone when the payment link fails"),
        ("U0ANA0001", "Creates a first invoice in the mobile app"),
    ):
        slack.reply(thread, user, text)
    slack.settle()
    slack.standin.fail_next("chat.postMessage", after=2, **SLACK_DOWN)  # the intro and one theme get through
    assert "Closing" in slack.command("next", FACILITATOR).body
    assert len(slack.theme_messages(StepKey.touchpoints)) == 1  # one theme got through before Slack failed

    _stopped_then_restarted(slack)

    themes = slack.theme_messages(StepKey.touchpoints)
    assert len(themes) >= 2
    posted = _posted(slack)
    repeated = {text: n for text, n in posted.items() if n > 1 and not text.startswith("Step:")}
    assert repeated == {}
    assert posted["Touchpoints closed"] == 1


def test_publishing_that_fails_halfway_shares_the_map_once(slack):
    run_workshop(slack, until=StepKey.pain_points, review=True)
    slack.reply(slack.step_ts(StepKey.action_plan), ANA, "Fix the mobile payment link by Friday")
    slack.settle()
    slack.command("next", FACILITATOR)  # the facilitator gets the draft, then publishes it
    slack.standin.fail_next("files.completeUploadExternal", **SLACK_DOWN)  # the summary is posted, the files not
    assert "Publishing" in slack.command("publish", FACILITATOR).body
    assert [text for text in _posted(slack) if text.startswith("Journey map:")]
    assert [f.name for f in slack.standin.files] == ["draft-journey-map.png"]

    _stopped_then_restarted(slack)

    summaries = [n for text, n in _posted(slack).items() if text.startswith("Journey map:")]
    assert summaries == [1]
    names = Counter(f.name for f in slack.standin.files)
    assert names["journey-map.png"] == 1 and names["journey-map.json"] == 1
    assert len(slack.standin.canvases) == 1


@pytest.fixture
def quick_lease(monkeypatch):
    monkeypatch.setattr(jobs, "RENEW_EVERY", timedelta(milliseconds=20))


def test_a_running_job_keeps_its_lease_and_a_dead_workers_job_is_taken_over(db, quick_lease):
    long_ago = utcnow() - 2 * jobs.STALE_AFTER
    with db.session() as session:
        jobs.enqueue(session, "slow", "slow:1", {}, run_at=long_ago, team_id=None)
    started, release, runs = threading.Event(), threading.Event(), []

    def slow(payload: dict, now) -> None:
        runs.append(now)
        started.set()
        release.wait(10)

    # Claimed with a clock two leases behind: only the renewals keep the job from looking abandoned.
    worker = threading.Thread(target=jobs.run_due_jobs, args=(db, {"slow": slow}, long_ago))
    worker.start()
    assert started.wait(10)
    renewed = threading.Event()

    def watch() -> None:
        while not renewed.is_set():
            with db.session() as session:
                job = session.scalar(select(Job).where(Job.key == "slow:1"))
                if job.claimed_at > long_ago + jobs.STALE_AFTER:
                    renewed.set()
            renewed.wait(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    assert renewed.wait(10)
    assert jobs.claim_due(db, utcnow(), ["slow"]) == []  # alive: nobody else takes it
    release.set()
    worker.join(10)
    assert len(runs) == 1

    with db.session() as session:  # a worker that died mid-job: its claim is not renewed any more
        jobs.enqueue(session, "slow", "slow:2", {}, team_id=None)
    claimed = jobs.claim_due(db, utcnow(), ["slow"])
    assert [job.key for job in claimed] == ["slow:2"]
    assert jobs.claim_due(db, utcnow() + jobs.STALE_AFTER / 2, ["slow"]) == []
    taken = jobs.claim_due(db, utcnow() + jobs.STALE_AFTER + timedelta(seconds=1), ["slow"])
    assert [(job.key, job.attempts) for job in taken] == [("slow:2", 2)]


def test_a_job_that_must_wait_runs_again_shortly_and_never_runs_out_of_attempts(db):
    with db.session() as session:
        jobs.enqueue(session, "wait", "wait:1", {}, team_id=None)
    ready = threading.Event()

    def handler(payload: dict, now) -> None:
        if not ready.is_set():
            raise jobs.Postpone("what it needs is still being made", timedelta(seconds=2))

    start = utcnow()
    for n in range(jobs.MAX_ATTEMPTS + 2):  # more waits than a failing job's attempts
        now = start + timedelta(seconds=3 * n)
        assert jobs.run_due_jobs(db, {"wait": handler}, now) == 1
        assert jobs.run_due_jobs(db, {"wait": handler}, now + timedelta(seconds=1)) == 0, "not before its delay"
    with db.session() as session:
        job = session.scalar(select(Job).where(Job.key == "wait:1"))
        assert (job.status, job.attempts, job.last_error) == ("pending", 0, None)
    ready.set()
    assert jobs.run_due_jobs(db, {"wait": handler}, now + timedelta(seconds=2)) == 1
    with db.session() as session:
        assert session.scalar(select(Job.status).where(Job.key == "wait:1")) == "done"
