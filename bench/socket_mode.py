"""Which Socket Mode client holds up (issue 13): each of Bolt's adapters, and journeybot's, against the stand-in.

For each client, a Bolt app (one command and one event listener, nothing else) runs in a process of its own
against the Socket Mode stand-in (journeybot/standin/socket_mode.py), and the bench plays Slack:
1. refresh: Slack's `disconnect` (refresh_requested) on the connection, then 20 envelopes over the next second
   (commands and events): the slowest ack (Slack's limit is 3 s), envelopes never acked, and whether the client
   opened its new connection before the old one closed;
2. cuts: the TCP connection reset with no close frame (a load balancer forgetting it): seconds until the client
   has a new connection (hello received), the client process's CPU seconds in that time, and whether a command
   sent then is acked within 3 s;
   the same for a bare TCP close (FIN, no close frame), and for a connection left open but dark (no data, no
   pongs), as when the network in between goes away;
3. SIGTERM: whether the client closed its connection with a close frame before exiting.

    python bench/socket_mode.py [--clients builtin,websocket_client,aiohttp,websockets,journeybot] [--cap 70]

`websocket_client` needs `pip install websocket-client`, `aiohttp` and `websockets` need `pip install aiohttp
websockets`; a client whose package is missing is skipped and says so.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from journeybot.standin import SlackStandIn  # noqa: E402
from journeybot.standin.socket_mode import ACK_LIMIT, CUTS, SocketModeServer  # noqa: E402

CLIENTS = ("builtin", "websocket_client", "aiohttp", "websockets", "journeybot")
NEEDS = {"websocket_client": ("websocket",), "aiohttp": ("aiohttp",), "websockets": ("aiohttp", "websockets")}
REFRESH_ENVELOPES = 20
REFRESH_GRACE = 5.0  # seconds between Slack's disconnect message and its closing the old connection
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- the app side: one process per client --------------------------------------------------------------------


def _bolt_app(api_url: str, bot_token: str) -> Any:
    from slack_bolt import App
    from slack_sdk import WebClient

    app = App(client=WebClient(token=bot_token, base_url=api_url))

    @app.command("/journey")
    def command(ack: Callable[..., None]) -> None:
        ack()

    @app.event("message")
    def message() -> None:
        pass

    return app


def _run_client(name: str, api_url: str, bot_token: str, app_token: str) -> None:
    """Connects with the named client, then waits for SIGTERM and closes it as `journeybot serve` would."""
    logging.basicConfig(level=logging.ERROR)
    app = _bolt_app(api_url, bot_token)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if name in ("aiohttp", "websockets"):
        asyncio.run(_run_async_client(name, app, api_url, app_token))
        return
    if name == "journeybot":
        from bot.socket_mode import SocketModeRunner

        runner = SocketModeRunner(app, app_token)
        runner.connect()
        stop.wait()
        runner.close()
        return
    if name == "builtin":
        from slack_bolt.adapter.socket_mode import SocketModeHandler
    else:
        from slack_bolt.adapter.socket_mode.websocket_client import SocketModeHandler  # type: ignore[assignment]
    handler = SocketModeHandler(app, app_token)
    handler.connect()
    stop.wait()
    handler.close()


async def _run_async_client(name: str, app: Any, api_url: str, app_token: str) -> None:
    from slack_sdk.web.async_client import AsyncWebClient

    if name == "aiohttp":
        from slack_bolt.adapter.socket_mode.aiohttp import SocketModeHandler
    else:
        from slack_bolt.adapter.socket_mode.websockets import SocketModeHandler  # type: ignore[assignment]
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    handler = SocketModeHandler(app, app_token, web_client=AsyncWebClient(base_url=api_url))
    await handler.connect_async()
    await stop.wait()
    await handler.close_async()


# --- Slack's side: the measurements --------------------------------------------------------------------------


@dataclass
class Cut:
    back: float | None = None  # seconds until a new connection had its hello; None: not within the cap
    cpu: float = 0.0  # the client process's CPU seconds in that time
    acked: bool = False  # a command sent once it was back was acked within 3 s


@dataclass
class Result:
    client: str
    refresh_max_ack: float | None = None
    refresh_lost: int = 0
    new_first: bool = False
    cuts: dict[str, Cut] = field(default_factory=dict)
    clean_close: bool = False
    note: str = ""


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime, all threads


class Bench:
    def __init__(self, standin: SlackStandIn, socket_mode: SocketModeServer, cap: float) -> None:
        self.standin = standin
        self.sm = socket_mode
        self.cap = cap

    def command(self) -> dict[str, str]:
        identity = self.standin.identity
        return {
            "command": "/journey",
            "text": "status",
            "user_id": "U0BENCH001",
            "channel_id": "C0BENCH001",
            "team_id": identity.team_id,
            "api_app_id": identity.app_id,
            "trigger_id": "1.2.bench",
            "response_url": "",
        }

    def event(self, n: int) -> dict[str, Any]:
        identity = self.standin.identity
        event = {"type": "message", "user": "U0BENCH001", "text": f"note {n}", "ts": f"{time.time():.6f}"}
        event |= {"channel": "C0BENCH001", "channel_type": "channel"}
        return {
            "type": "event_callback",
            "team_id": identity.team_id,
            "api_app_id": identity.app_id,
            "event": event,
            "event_id": f"EvBENCH{n:06d}",
            "event_time": int(time.time()),
        }

    def run(self, name: str) -> Result:
        result = Result(name)
        env = os.environ | {"PYTHONPATH": str(ROOT)}
        before = self.sm.latest.id if self.sm.latest else 0
        process = subprocess.Popen(
            [sys.executable, __file__, "--run-client", name, self.standin.api_url, self.standin.bot_token],
            env=env | {"BENCH_APP_TOKEN": self.sm.app_token},
        )
        try:
            if self.sm.wait_new_connection(before, timeout=60) is None:
                result.note = "never connected"
                return result
            for _ in range(3):  # warm-up: imports, first dispatch
                self.sm.send_and_wait("slash_commands", self.command())
            self._refresh(result)
            for how in CUTS:
                result.cuts[how] = self._cut(process.pid, how)
            self._sigterm(result, process)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        return result

    def _settled(self) -> None:
        """Until exactly one connection is open: the last step's leftovers gone."""
        self.sm.wait_until(lambda: self.sm.open_connections == 1, timeout=REFRESH_GRACE + 15)

    def _refresh(self, result: Result) -> None:
        self._settled()
        old = self.sm.latest
        assert old is not None
        self.sm.refresh(grace=REFRESH_GRACE)
        sent = []
        for n in range(REFRESH_ENVELOPES):
            if n % 2:
                sent.append(self.sm.send("events_api", self.event(n)))
            else:
                sent.append(self.sm.send("slash_commands", self.command()))
            time.sleep(1.0 / REFRESH_ENVELOPES)  # a steady trickle over the second after the refresh
        for envelope in sent:
            self.sm.wait_ack(envelope, timeout=10)
        latencies = [envelope.latency for envelope in sent if envelope.latency is not None]
        result.refresh_max_ack = max(latencies) if latencies else None
        result.refresh_lost = sum(1 for envelope in sent if envelope.latency is None)
        self.sm.wait_closed(old.id, timeout=REFRESH_GRACE + 5)
        newer = [known for known in self.sm.connections if known.id > old.id]
        result.new_first = bool(newer) and old.id in newer[0].opened_alongside

    def _cut(self, pid: int, how: str) -> Cut:
        self._settled()
        latest = self.sm.latest
        assert latest is not None
        cpu, start = _cpu_seconds(pid), time.monotonic()
        self.sm.cut(how=how)
        back = self.sm.wait_new_connection(latest.id, timeout=self.cap)
        result = Cut(back=time.monotonic() - start if back is not None else None, cpu=_cpu_seconds(pid) - cpu)
        result.acked = back is not None and self.sm.send_and_wait("slash_commands", self.command(), timeout=5).on_time
        return result

    def _sigterm(self, result: Result, process: subprocess.Popen[bytes]) -> None:
        self._settled()
        latest = self.sm.latest
        assert latest is not None
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            result.note = "still running 15 s after SIGTERM"
        self.sm.wait_closed(latest.id, timeout=5)
        result.clean_close = latest.closed_by == "client" and latest.client_close_code is not None


def _table(results: list[Result], cap: float) -> str:
    columns = ["client", "refresh: max ack s", "lost", "new conn first"]
    columns += [f"{how} cut: back in s (CPU s)" for how in CUTS] + ["acked after cuts", "SIGTERM close frame", "note"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    yes = {True: "yes", False: "no"}
    for r in results:
        refresh = "none acked" if r.refresh_max_ack is None else f"{r.refresh_max_ack:.2f}"
        cells = [r.client, refresh, f"{r.refresh_lost}/{REFRESH_ENVELOPES}", yes[r.new_first]]
        for how in CUTS:
            cut = r.cuts.get(how)
            back = "-" if cut is None else f"> {cap:.0f}" if cut.back is None else f"{cut.back:.2f}"
            cells.append(back if cut is None else f"{back} ({cut.cpu:.1f})")
        acked = sum(1 for cut in r.cuts.values() if cut.acked)
        cells += [f"{acked}/{len(CUTS)}", yes[r.clean_close], r.note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--run-client":
        _run_client(sys.argv[2], sys.argv[3], sys.argv[4], os.environ["BENCH_APP_TOKEN"])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default=",".join(CLIENTS), help="comma-separated, from: " + ", ".join(CLIENTS))
    parser.add_argument("--cap", type=float, default=70.0, help="seconds to wait for a reconnection")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    results = []
    with SlackStandIn() as standin, SocketModeServer(standin) as socket_mode:
        bench = Bench(standin, socket_mode, args.cap)
        for name in args.clients.split(","):
            missing = [module for module in NEEDS.get(name, ()) if importlib.util.find_spec(module) is None]
            if missing:
                results.append(Result(name, note=f"skipped: {', '.join(missing)} not installed"))
                continue
            print(f"measuring {name} ...", file=sys.stderr, flush=True)
            results.append(bench.run(name))
    print(f"Slack's ack limit: {ACK_LIMIT:.0f} s; refresh: {REFRESH_ENVELOPES} envelopes in the second after it")
    print(_table(results, args.cap))
    return 0


if __name__ == "__main__":
    sys.exit(main())
