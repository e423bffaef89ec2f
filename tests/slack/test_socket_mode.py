"""Socket Mode through a server that speaks it as Slack does (journeybot/standin/socket_mode.py): commands and
events reach the bot and are acknowledged within Slack's 3 s, also while Slack refreshes the connection; a cut
connection is replaced within 10 s; stopping, or SIGTERM, closes the socket with a close frame."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.server import RunningSocket, start_socket_in_background
from journeybot.demo.driver import SUBSCRIPTIONS, SlackDriver
from journeybot.settings import Settings
from journeybot.standin import SlackStandIn
from journeybot.standin.interactions import slash_command
from journeybot.standin.payloads import event_envelope
from journeybot.standin.socket_mode import Envelope, SocketModeSender, SocketModeServer
from storage.models import ContributionRow
from tests.conftest import ANA, BEN, CHANNEL, CHO, FACILITATOR
from workflows.mapping.models import StepKey
from workflows.metrics import EVENTS_ACKNOWLEDGED, EVENTS_RECEIVED

REPO = Path(__file__).resolve().parents[2]
BACK_WITHIN = 10.0  # seconds a cut connection may take to come back (issue 13)


@dataclass
class SocketSlack:
    driver: SlackDriver
    socket_mode: SocketModeServer
    bot: RunningSocket


def _workspace(standin: SlackStandIn) -> None:
    for user_id, name in ((FACILITATOR, "fay"), (ANA, "ana"), (BEN, "ben"), (CHO, "cho")):
        standin.add_user(user_id, name, name.title(), tz="Europe/Berlin", display_name=name.title())
    standin.add_channel(CHANNEL, "journey-lab", members=[FACILITATOR, ANA, BEN, CHO])


@pytest.fixture
def socket_slack(database_url: str) -> Iterator[SocketSlack]:
    """The bot in Socket Mode against the stand-in, and a driver that plays Slack over the socket."""
    with SlackStandIn() as standin, SocketModeServer(standin, refresh_grace=2.0) as socket_mode:
        _workspace(standin)
        settings = Settings(
            slack_bot_token=standin.bot_token,
            slack_app_token=socket_mode.app_token,
            slack_api_url=standin.api_url,
            database_url=database_url,
            _env_file=None,
        )
        bot = start_socket_in_background(settings, today=lambda: date(2026, 11, 23))
        sender = SocketModeSender(socket_mode, standin)
        standin.deliver_events_to(sender, subscriptions=SUBSCRIPTIONS)
        try:
            yield SocketSlack(SlackDriver(standin, bot, sender, CHANNEL), socket_mode, bot)  # type: ignore[arg-type]
        finally:
            bot.stop()


def _notes(slack: SocketSlack) -> int:
    with slack.bot.services.db.session() as session:
        return session.scalar(select(func.count(ContributionRow.id))) or 0


def _reply(
    slack: SocketSlack, thread_ts: str, user: str, text: str, event_id: str | None = None, connection: int | None = None
) -> Envelope:
    """A person replies in the thread; the event goes out at once (on `connection`, or where Slack would send it),
    its ack is the caller's to wait for."""
    standin = slack.driver.standin
    event = standin.post_user_message(CHANNEL, user, text, thread_ts)
    callback = event_envelope(
        event, standin.identity, event_id=event_id or f"Ev{secrets.token_hex(6).upper()}", event_time=int(time.time())
    )
    slack.driver.deliveries += 1
    return slack.socket_mode.send("events_api", callback, connection=connection)


def _command(slack: SocketSlack, text: str) -> Envelope:
    standin = slack.driver.standin
    fields = slash_command(
        standin.identity,
        command="/journey",
        text=text,
        user_id=FACILITATOR,
        user_name="fay",
        channel_id=CHANNEL,
        channel_name="journey-lab",
        response_url=standin.issue_response_url(CHANNEL, FACILITATOR),
        trigger_id=standin.issue_trigger_id(FACILITATOR),
    )
    return slack.socket_mode.send("slash_commands", fields)


def _on_time(envelope: Envelope) -> bool:
    """Acknowledged, and within Slack's 3 s."""
    return SocketModeServer.wait_ack(envelope, timeout=10) and envelope.on_time


def _started(slack: SocketSlack) -> str:
    """A workshop opened by command; every envelope so far was acknowledged within 3 s. The first step's ts."""
    slack.driver.command("start Faster invoicing for freelancers", FACILITATOR)
    assert all(envelope.on_time for envelope in slack.socket_mode.envelopes)
    return slack.driver.step_ts(StepKey.objective)  # the command did its work: the first step is posted


def test_a_command_and_an_event_reach_the_bot_and_are_acknowledged(socket_slack: SocketSlack) -> None:
    slack = socket_slack
    step = _started(slack)
    assert _on_time(_reply(slack, step, ANA, "Why: freelancers wait weeks to be paid"))
    slack.driver.settle()
    assert _notes(slack) == 1
    assert all(envelope.on_time for envelope in slack.socket_mode.envelopes)
    assert slack.socket_mode.stray_acks == []


def test_a_command_right_after_a_burst_and_a_retried_event(socket_slack: SocketSlack) -> None:
    """Events are stored before their ack, so a burst is acknowledged fast and a command behind it is not kept
    waiting; Slack's retry of an event (same event_id, retry_attempt 1) is acknowledged and stored once."""
    slack = socket_slack
    step = _started(slack)
    burst = [
        _reply(slack, step, (ANA, BEN, CHO)[n % 3], f"Note {n}: slow to pay", f"EvBURST{n:05d}") for n in range(40)
    ]
    command = _command(slack, "status")
    assert all(_on_time(envelope) for envelope in [*burst, command])

    retried = slack.socket_mode.redeliver(burst[0])
    assert (retried.retry_attempt, retried.payload["event_id"]) == (1, "EvBURST00000")
    assert _on_time(retried)
    slack.driver.settle()
    assert _notes(slack) == len(burst)


def test_an_envelope_sent_during_a_refresh_is_acknowledged_in_time(socket_slack: SocketSlack) -> None:
    """Slack's `disconnect` (refresh_requested): the bot opens a second connection before it lets the first go,
    and keeps acknowledging throughout."""
    slack = socket_slack
    step = _started(slack)
    old = slack.socket_mode.latest
    assert old is not None

    assert slack.socket_mode.refresh() == [old.id]
    # Sent at once: Slack may still send on the connection it asked to refresh, until it is closed.
    during = [_reply(slack, step, BEN, "Why: reminders feel rude", connection=old.id), _command(slack, "status")]
    assert all(_on_time(envelope) for envelope in during)
    new = slack.socket_mode.wait_new_connection(old.id)
    assert new is not None and old.id in new.opened_alongside, "the new connection opens before the old closes"
    assert _on_time(_command(slack, "status"))

    assert slack.socket_mode.wait_closed(old.id)
    assert old.closed_by == "client", "the bot closes the replaced connection itself, with a close frame"
    assert slack.socket_mode.open_connections == 1
    slack.driver.settle()
    assert _notes(slack) == 1


@pytest.mark.parametrize("how", ["reset", "drop", "silent"])
def test_a_cut_connection_is_back_within_10_s(socket_slack: SocketSlack, how: str) -> None:
    """reset: a TCP RST; drop: a bare TCP close; silent: the socket stays open but nothing answers, not even pongs.
    None of them sends a close frame."""
    slack = socket_slack
    step = _started(slack)
    cut = slack.socket_mode.latest
    assert cut is not None

    start = time.monotonic()
    assert slack.socket_mode.cut(how=how) == [cut.id]
    assert slack.socket_mode.wait_new_connection(cut.id, timeout=BACK_WITHIN) is not None
    assert time.monotonic() - start < BACK_WITHIN

    assert _on_time(_reply(slack, step, CHO, "Why: invoices get lost in email"))
    slack.driver.settle()
    assert _notes(slack) == 1
    assert slack.socket_mode.open_connections == 1


def test_stop_closes_the_socket_with_a_close_frame(socket_slack: SocketSlack) -> None:
    slack = socket_slack
    connection = slack.socket_mode.wait_new_connection()
    assert connection is not None

    slack.bot.stop(drain_seconds=1)
    assert slack.socket_mode.wait_closed(connection.id, timeout=5)
    assert (connection.closed_by, connection.client_close_code) == ("client", 1000)


def test_sigterm_closes_the_socket_cleanly(database_url: str, tmp_path: Path) -> None:
    """`journeybot serve --socket` as an operator runs it: SIGTERM closes the connection with a close frame, then
    the process exits."""
    with SlackStandIn() as standin, SocketModeServer(standin) as socket_mode:
        env = os.environ | {
            "SLACK_BOT_TOKEN": standin.bot_token,
            "SLACK_APP_TOKEN": socket_mode.app_token,
            "SLACK_API_URL": standin.api_url,
            "DATABASE_URL": database_url,
        }
        log = tmp_path / "bot.log"
        with log.open("ab") as output:
            bot = subprocess.Popen(
                [sys.executable, "-m", "journeybot.cli", "serve", "--socket"],
                cwd=REPO,
                env=env,
                stdout=output,
                stderr=output,
            )
        try:
            connection = socket_mode.wait_new_connection(timeout=60)
            assert connection is not None, log.read_text()
            bot.send_signal(signal.SIGTERM)
            assert bot.wait(timeout=30) == 0, log.read_text()
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait()
        assert socket_mode.wait_closed(connection.id, timeout=5)
        assert (connection.closed_by, connection.client_close_code) == ("client", 1000)


def test_envelopes_are_counted_in_the_metrics_like_http_requests(socket_slack: SocketSlack) -> None:
    def count(metric, *labels: str) -> float:
        return metric.labels(*labels)._value.get()

    before = count(EVENTS_ACKNOWLEDGED, "command", "slash_command"), count(EVENTS_RECEIVED, "event", "message")
    step = _started(socket_slack)
    assert _on_time(_reply(socket_slack, step, ANA, "Why: freelancers wait weeks to be paid"))
    assert count(EVENTS_ACKNOWLEDGED, "command", "slash_command") == before[0] + 1
    assert count(EVENTS_RECEIVED, "event", "message") >= before[1] + 1
