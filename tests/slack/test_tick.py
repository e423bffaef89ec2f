"""`journeybot tick` as separate processes: concurrent ticks run each due job once; a killed job is taken over.

The ticks are real `journeybot tick --now …` processes against the test's database and the Slack stand-in. On
SQLite the claim is the compare-and-set alone (no `SKIP LOCKED`); on PostgreSQL row locks decide as well.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from journeybot.standin import SlackStandIn
from storage.db import Database
from storage.models import Job
from tests.conftest import ANA, BEN, CHANNEL, CHO, FACILITATOR
from tests.reminder_play import MONDAY, at, seed_map
from workflows.jobs.queue import STALE_AFTER

OWNERS = (FACILITATOR, ANA, BEN, CHO)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as workspace:
        for user_id in OWNERS:
            workspace.add_user(user_id, user_id.lower(), tz="Europe/Berlin")
        workspace.add_channel(CHANNEL, "journey-lab", members=list(OWNERS))
        yield workspace


def ticks(database_url: str, standin: SlackStandIn, now: str, processes: int) -> None:
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": standin.bot_token,
        "SLACK_API_URL": standin.api_url,
    }
    cli = [sys.executable, "-m", "journeybot.cli", "tick", "--now", now]
    running = [subprocess.Popen(cli, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(processes)]
    for process in running:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()


def dm_count(standin: SlackStandIn, user_id: str) -> int:
    dm = standin.open_dm(user_id).id
    return sum(1 for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == dm)


def test_concurrent_ticks_send_each_reminder_and_digest_exactly_once(db: Database, database_url: str, standin):
    # Overdue actions, three per owner, and the map's weekly digest: all due at 09:30 on a Monday in Berlin.
    seed_map(db, standin.team_id, [(owner, MONDAY - timedelta(days=7)) for owner in OWNERS for _ in range(3)])
    ticks(database_url, standin, at(MONDAY, 9, 30).isoformat(), processes=3)

    assert [dm_count(standin, owner) for owner in OWNERS] == [1, 1, 1, 1], "one DM per owner, listing all three"
    digests = [m for m in standin.messages(CHANNEL) if m.get("text") == "Weekly digest of the journey map"]
    assert len(digests) == 1
    with db.session() as session:
        jobs = session.scalars(select(Job)).all()
    assert len(jobs) == 5 and all(j.status == "done" and j.attempts == 1 for j in jobs)


def test_a_job_left_running_by_a_killed_process_is_taken_over_once_stale(db: Database, database_url: str, standin):
    ana_action, ben_action = seed_map(db, standin.team_id, [(ANA, MONDAY), (BEN, MONDAY)])
    tuesday = date(2031, 3, 4)
    now = at(tuesday, 10)
    with db.session() as session:
        for action_id, owner, claimed in (
            (ana_action, ANA, now - STALE_AFTER - timedelta(minutes=1)),
            (ben_action, BEN, now - timedelta(minutes=1)),
        ):
            session.add(
                Job(
                    kind="remind_owner",
                    key=f"remind:{owner}:{tuesday.isoformat()}",
                    payload={
                        "owner_id": owner,
                        "day": tuesday.isoformat(),
                        "tz": "Europe/Berlin",
                        "actions": [{"action_id": action_id, "reason": "overdue", "due": MONDAY.isoformat()}],
                    },
                    run_at=at(tuesday, 9),
                    status="running",  # claimed by a process that was killed (Ana's) or is still at it (Ben's)
                    attempts=1,
                    claimed_at=claimed,
                )
            )
    ticks(database_url, standin, now.isoformat(), processes=2)

    assert dm_count(standin, ANA) == 1, "the stale job ran again, once"
    assert dm_count(standin, BEN) == 0, "a freshly claimed job is not doubled"
    with db.session() as session:
        status = {j.payload["owner_id"]: (j.status, j.attempts) for j in session.scalars(select(Job))}
    assert status == {ANA: ("done", 2), BEN: ("running", 1)}
