"""What the bot was doing survives the process: `journeybot serve` killed with -9, or stopped with SIGTERM (a
redeploy), while replies are in flight or the map is being published; the restarted bot handles every reply that
Slack saw acknowledged, and finishes publishing without posting anything twice."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.blocks import post_key
from journeybot.demo.driver import wait_for
from journeybot.standin import SlackSender, SlackStandIn
from storage.db import Database
from storage.models import ContributionRow, Job, utcnow
from tests.conftest import ANA, BEN, CHANNEL, CHO, FACILITATOR, SIGNING_SECRET
from workflows.jobs.queue import STALE_AFTER, JobKind

REPO = Path(__file__).resolve().parents[2]
BURST = 100


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Bot:
    """`journeybot serve --http` as a process of its own, as an operator runs it."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.port = port
        self.log = log
        with log.open("ab") as output:  # a file, not a pipe: a full pipe would block the bot's logging
            self.process = subprocess.Popen(
                [sys.executable, "-m", "journeybot.cli", "serve", "--http", "--port", str(port)],
                cwd=REPO,
                env=env,
                stdout=output,
                stderr=output,
            )
        wait_for(self._healthy, "the bot to answer /healthz")

    def _healthy(self) -> bool:
        assert self.process.poll() is None, self.log.read_text()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1) as answer:
                return answer.status == 200
        except OSError:
            return False

    def signal(self, signum: int) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=60)


@pytest.fixture
def start_bot(tmp_path: Path) -> Iterator[Callable[[dict[str, str], int], Bot]]:
    """Starts bot processes for a test; whatever is still running at its end is killed, pass or fail."""
    started: list[Bot] = []

    def start(env: dict[str, str], port: int) -> Bot:
        started.append(Bot(env, port, tmp_path / "bot.log"))
        return started[-1]

    yield start
    for bot in started:
        if bot.process.poll() is None:
            bot.process.kill()
            bot.process.wait(timeout=30)


@pytest.fixture
def workshop(database_url: str) -> Iterator[tuple[SlackStandIn, dict[str, str], str]]:
    """A stand-in workspace and the environment `journeybot serve` reads; a bot process opens a workshop's
    first step, then stops, so each test starts its own processes."""
    with SlackStandIn() as standin:
        for user_id, name in ((FACILITATOR, "fay"), (ANA, "ana"), (BEN, "ben"), (CHO, "cho")):
            standin.add_user(user_id, name, name.title())
        standin.add_channel(CHANNEL, "journey-lab", members=[FACILITATOR, ANA, BEN, CHO])
        env = os.environ | {
            "SLACK_BOT_TOKEN": standin.bot_token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": standin.api_url,
            "DATABASE_URL": database_url,
        }
        yield standin, env, database_url


def _send_replies(sender: SlackSender, standin: SlackStandIn, thread_ts: str, count: int) -> list[str]:
    """People reply at once from several clients; every reply must be acknowledged (HTTP 200)."""

    def reply(n: int) -> str:
        user = (ANA, BEN, CHO)[n % 3]
        event = standin.post_user_message(
            CHANNEL, user, f"Reply {n}: the {secrets.token_hex(3)} step was slow", thread_ts
        )
        response = sender.event(event, event_id=f"Ev{secrets.token_hex(6).upper()}")
        assert response.status == 200
        return event["ts"]

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(reply, range(count)))


def _step_thread(standin: SlackStandIn) -> str | None:
    """The first step's message, recognised by its metadata as any integration would."""
    for message in standin.messages(CHANNEL):
        if (message.get("metadata") or {}).get("event_payload", {}).get("step") == "objective":
            return message["ts"]
    return None


def _stored_notes(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(ContributionRow.id))) or 0


def _unhandled_events(db: Database) -> int:
    with db.session() as session:
        return (
            session.scalar(select(func.count(Job.id)).where(Job.kind == JobKind.slack_event, Job.status != "done")) or 0
        )


def test_every_acknowledged_reply_is_stored_after_kill_and_after_sigterm(workshop, start_bot) -> None:
    standin, env, database_url = workshop
    port = _free_port()
    bot = start_bot(env, port)
    sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, standin=standin)
    assert sender.command("start Map onboarding --manual", FACILITATOR, CHANNEL).status == 200
    wait_for(lambda: _step_thread(standin), "the first step's message")
    thread_ts = _step_thread(standin)
    db = Database(database_url)
    try:
        _send_replies(sender, standin, thread_ts, BURST)
        bot.signal(signal.SIGKILL)
        bot = start_bot(env, port)
        # The dead process's last batch may hold a reply whose note it stored but whose event it never marked done:
        # the new process takes that batch over once its lease runs out, and handles it again without a second note.
        wait_for(
            lambda: _stored_notes(db) == BURST and _unhandled_events(db) == 0,
            f"{BURST} notes and every event handled after the kill",
            timeout=120,
        )

        _send_replies(sender, standin, thread_ts, BURST)
        assert bot.signal(signal.SIGTERM) == 0  # a redeploy: stop taking requests, drain, exit cleanly
        assert _stored_notes(db) == 2 * BURST and _unhandled_events(db) == 0, "the drain handled every stored event"
    finally:
        db.dispose()


def _step_message(standin: SlackStandIn, step: str) -> str | None:
    for message in standin.messages(CHANNEL):
        if (message.get("metadata") or {}).get("event_payload", {}).get("step") == step:
            return message["ts"]
    return None


def _map_summaries(standin: SlackStandIn) -> int:
    return sum(1 for m in standin.messages(CHANNEL) if m.get("text", "").startswith("Journey map:"))


def test_a_bot_killed_while_publishing_publishes_once_after_restart(workshop, start_bot) -> None:
    standin, env, database_url = workshop
    port = _free_port()
    bot = start_bot(env, port)
    sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, standin=standin)
    sender.command("start Map onboarding --manual --publish auto", FACILITATOR, CHANNEL)
    steps = ["objective", "persona", "touchpoints", "pain_points", "action_plan"]
    for step in steps:
        # generous: on a loaded CI machine closing a step (grouping its notes in the bot's own process) took over 60 s
        wait_for(lambda step=step: _step_message(standin, step), f"the {step} step's message", timeout=180)
        for n, user in enumerate((ANA, BEN, CHO)):
            event = standin.post_user_message(CHANNEL, user, f"Note {n} on {step}", _step_message(standin, step))
            assert sender.event(event).status == 200
        if step == steps[-1]:  # Slack takes the map's summary, and its answer is slow to come back
            answer = standin.hold_answer("chat.postMessage", lambda p: p.get("text", "").startswith("Journey map:"))
        assert sender.command("next", FACILITATOR, CHANNEL).status == 200
    assert standin.held_call_arrived("chat.postMessage").wait(60), "the map's summary was never posted"
    db = Database(database_url)
    try:
        bot.signal(signal.SIGKILL)  # the summary is in the channel, the bot never heard so
        answer.set()
        with db.session() as session:  # the dead worker's lease runs out (a minute, here at once)
            session.execute(update(Job).where(Job.status == "running").values(claimed_at=utcnow() - STALE_AFTER * 2))
        bot = start_bot(env, port)
        wait_for(lambda: any(f.name == "journey-map.png" for f in standin.files), "the map's files", timeout=120)
        wait_for(lambda: standin.canvases, "the map's canvas")
        assert _map_summaries(standin) == 1
        assert [f.name for f in standin.files].count("journey-map.json") == 1
        posts = [post_key(m) for m in standin.messages(CHANNEL) if post_key(m)]
        assert len(posts) == len(set(posts)), "every message the bot posted is in the channel once"
        assert bot.signal(signal.SIGTERM) == 0
    finally:
        db.dispose()
