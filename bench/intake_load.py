"""How fast journeybot acknowledges Slack while it stores every event first (issue 11's load bar).

Plays Slack towards the bot's real HTTP endpoint (signed requests, the local stand-in for the Web API):
1. replies at a steady rate (default 50/s for 10 s, sent on schedule whatever the answers' pace), timing each
   acknowledgement, and the same load on a bare Bolt app (one empty listener) for comparison;
2. a burst of 600 replies sent at once with a `/journey status` command behind them: the command's ack time;
3. how long until every acknowledged reply is stored.

    python bench/intake_load.py [--rate 50] [--seconds 10] [--database-url URL]
"""

from __future__ import annotations

import argparse
import logging
import secrets
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from sqlalchemy import func, select
from waitress.server import create_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.server import GIL_SWITCH_SECONDS, start_http_in_background  # noqa: E402
from journeybot.demo.driver import SUBSCRIPTIONS  # noqa: E402
from journeybot.settings import Settings  # noqa: E402
from journeybot.standin import SlackSender, SlackStandIn  # noqa: E402
from storage.models import ContributionRow  # noqa: E402

SECRET = "bench-signing-secret"
CHANNEL, FACILITATOR, PEOPLE = "C0BENCH001", "U0FACIL01", ["U0ANA0001", "U0BEN0001", "U0CHO0001"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def steady_load(send: callable, rate: float, seconds: float) -> list[float]:
    """Sends `rate` requests a second on schedule (open loop); returns each ack's latency in ms."""
    latencies: list[float] = []
    lock = threading.Lock()
    total = int(rate * seconds)

    def one(n: int, due: float) -> None:
        time.sleep(max(due - time.monotonic(), 0))
        started = time.perf_counter()
        assert send(n) == 200
        with lock:
            latencies.append((time.perf_counter() - started) * 1000)

    start = time.monotonic() + 0.2
    with ThreadPoolExecutor(32) as pool:
        for done in [pool.submit(one, n, start + n / rate) for n in range(total)]:
            done.result()
    return latencies


def bare_bolt_latencies(standin: SlackStandIn, rate: float, seconds: float) -> list[float]:
    """The same load on a Bolt app that does nothing: the floor any Bolt bot starts from."""
    client = WebClient(token=standin.bot_token, base_url=standin.api_url)
    app = App(client=client, signing_secret=SECRET)
    app.event("message")(lambda: None)
    handler = SlackRequestHandler(app, path="/slack/events")
    server = create_server(handler, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    sender = SlackSender(f"http://127.0.0.1:{server.effective_port}/slack/events", SECRET, standin=standin)
    try:
        root = standin.post_user_message(CHANNEL, FACILITATOR, "A thread to reply in")["ts"]
        return steady_load(lambda n: _reply(sender, standin, root, n), rate, seconds)
    finally:
        server.close()


def _reply(sender: SlackSender, standin: SlackStandIn, thread_ts: str, n: int) -> int:
    event = standin.post_user_message(CHANNEL, PEOPLE[n % 3], f"Note {n}: {secrets.token_hex(4)}", thread_ts)
    return sender.event(event, event_id=f"Ev{secrets.token_hex(6).upper()}").status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--burst", type=int, default=600)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth": the burst, on purpose
    sys.setswitchinterval(GIL_SWITCH_SECONDS)  # as `serve` sets it, for both apps (and this client) alike
    with tempfile.TemporaryDirectory() as tmp, SlackStandIn() as standin:
        for user in (FACILITATOR, *PEOPLE):
            standin.add_user(user, user.lower(), user.title())
        standin.add_channel(CHANNEL, "bench", members=[FACILITATOR, *PEOPLE])
        settings = Settings(
            slack_bot_token=standin.bot_token,
            slack_signing_secret=SECRET,
            slack_api_url=standin.api_url,
            database_url=args.database_url or f"sqlite:///{tmp}/bench.db",
            _env_file=None,
        )
        bare = bare_bolt_latencies(standin, args.rate, args.seconds)
        server = start_http_in_background(settings)
        sender = SlackSender(server.url, SECRET, standin=standin)
        standin.deliver_events_to(sender, subscriptions=SUBSCRIPTIONS)
        try:
            sender.command("start Bench the intake --manual", FACILITATOR, CHANNEL)
            server.services.worker.wait_idle(60)
            thread_ts = next(
                m["ts"] for m in standin.messages(CHANNEL) if (m.get("metadata") or {}).get("event_payload")
            )
            ours = steady_load(lambda n: _reply(sender, standin, thread_ts, n), args.rate, args.seconds)
            command_ms = burst_with_command(sender, standin, thread_ts, args.burst)
            sent = len(ours) + args.burst
            started = time.monotonic()
            while stored(server) < sent and time.monotonic() - started < 300:
                time.sleep(0.1)
            drained = time.monotonic() - started
            total_stored = stored(server)
        finally:
            server.stop()
    print(f"steady load: {args.rate:.0f} replies/s for {args.seconds:.0f} s")
    for name, values in (("bare Bolt app", bare), ("journeybot (stored first)", ours)):
        print(
            f"  {name:<26} ack p50 {statistics.median(values):6.1f} ms   p99 {percentile(values, 0.99):6.1f} ms"
            f"   max {max(values):6.1f} ms"
        )
    print(f"  p99 ratio: {percentile(ours, 0.99) / percentile(bare, 0.99):.1f}x the bare app")
    print(f"burst of {args.burst} replies with /journey status behind them: command acked in {command_ms:.0f} ms")
    print(f"stored {total_stored} of {sent} acknowledged replies; the last {drained:.1f} s after the burst ended")


def burst_with_command(sender: SlackSender, standin: SlackStandIn, thread_ts: str, count: int) -> float:
    """Fires `count` replies at once and, once half are on their way, a command; returns the command's ack ms."""
    half_sent = threading.Event()

    def one(n: int) -> None:
        if n == count // 2:
            half_sent.set()
        _reply(sender, standin, thread_ts, 10_000 + n)

    with ThreadPoolExecutor(16) as pool:
        for n in range(count):
            pool.submit(one, n)
        half_sent.wait()
        started = time.perf_counter()
        assert sender.command("status", FACILITATOR, CHANNEL).status == 200
        return (time.perf_counter() - started) * 1000


def stored(server) -> int:
    with server.services.db.session() as session:
        return session.scalar(select(func.count(ContributionRow.id))) or 0


if __name__ == "__main__":
    main()
