"""`journeybot demo`: a whole workshop, offline, through the bot's real HTTP endpoint.

The local Slack stand-in plays Slack: it answers the bot's Web API calls and records them, and scripted
participants send signed commands and events the way Slack would. Nothing leaves the machine.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from bot.server import RunningServer, start_http_in_background
from journeybot.demo.errors import DemoError
from journeybot.demo.months import play_months
from journeybot.demo.review import review_and_publish
from journeybot.demo.script import DEMO_SCRIPT, DemoScript, ScriptedReply, ScriptedStep
from journeybot.settings import Settings
from journeybot.standin import Response, SlackSender, SlackStandIn
from storage.models import ContributionRow, ProcessedEvent, ThemeMember, ThemeRow
from workflows.actions.service import theme_key
from workflows.mapping.models import JourneyMap, StepKey
from workflows.render import render

if TYPE_CHECKING:
    from workflows.llm.config import LLMConfig

log = logging.getLogger(__name__)

SUBSCRIPTIONS = ["message.channels", "message.groups", "app_mention", "reaction_added", "reaction_removed"]

# Seconds the demo waits for the bot to settle when only the embedded engine works: ample for clustering a step
# or publishing on this machine (a few seconds each).
BASE_WAIT = 60.0
# With the LLM on, one wait for the worker may cover a step's themes and then the map's draft or publication: the
# step's clustering and the map's five LLM parts (touchpoints, pain points, actions, persona, summary), each of
# which may take up to its step budget before the embedded engine takes over.
LLM_STEPS_PER_WAIT = 6


def wait_for(condition: Callable[[], bool], what: str, timeout: float = BASE_WAIT) -> None:
    """Polls `condition` until it holds; a DemoError naming `what` after `timeout` seconds. It looks again soon at
    first, then less often: most waits are a few milliseconds (a reply stored), a few are seconds (a step grouped)."""
    deadline = time.monotonic() + timeout
    pause = 0.001
    while not condition():
        if time.monotonic() > deadline:
            raise DemoError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def worker_wait(config: LLMConfig | None) -> float:
    """How long the bot's worker may take to settle: `BASE_WAIT`, plus with the LLM on the budget of every LLM
    step one wait may cover, so a slow LLM server (a CPU one takes minutes) is waited for, not cut short."""
    return BASE_WAIT + (config.step_budget * LLM_STEPS_PER_WAIT if config is not None else 0.0)


class SlackDriver:
    """Plays Slack's side towards a running bot: signed commands and replies, then waits for the bot to settle."""

    def __init__(self, standin: SlackStandIn, server: RunningServer, sender: SlackSender, channel_id: str) -> None:
        self.standin = standin
        self.server = server
        self.sender = sender
        self.channel_id = channel_id
        self.deliveries = 0  # people's events the bot must have stored before anyone moves on

    def settle(self) -> None:
        """Waits until the bot has stored every event, run every job and made every call it was asked to."""
        wait_for(lambda: self._processed() >= self.deliveries, "the bot to store the replies")
        services = self.server.services
        config = services.flows.engines.config
        worker = "the bot's worker" + (
            f" (the LLM engine is on: each of its steps may take up to {config.step_budget:g} s, "
            "JOURNEYBOT_LLM_STEP_BUDGET)"
            if config is not None
            else ""
        )
        for _ in range(10):  # a listener may kick the worker, and a job's post may echo back to a listener
            wait_for(lambda: services.intake.wait_idle(0.1), "the bot to handle its stored events")
            wait_for(lambda: services.worker.wait_idle(0.1), worker, worker_wait(config))
            self.standin.wait_idle(timeout=30)
            if services.intake.wait_idle(0) and services.worker.wait_idle(0):
                break

    def _processed(self) -> int:
        with self.server.services.db.session() as session:
            return session.scalar(select(func.count(ProcessedEvent.event_id))) or 0

    def command(self, text: str, user_id: str) -> Response:
        response = self.sender.command(text, user_id, self.channel_id)
        if response.status != 200:
            raise DemoError(f"/journey {text} answered HTTP {response.status}")
        self.settle()
        return response

    def theme_messages(self, key: StepKey) -> dict[str, str]:
        """The step's themes that have a message of their own (to rate or vote on): theme id -> message ts."""
        found: dict[str, str] = {}
        for message in self.standin.thread(self.channel_id, self.step_ts(key)):
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == "journeybot_theme":
                found[metadata["event_payload"]["theme"]] = message["ts"]
        return found

    def theme_of(self, reply_ts: str) -> str | None:
        """The id of the theme a reply's note ended up in, as the people reading the thread would find it."""
        with self.server.services.db.session() as session:
            row = session.scalar(
                select(ThemeRow)
                .join(ThemeMember, ThemeMember.theme_id == ThemeRow.id)
                .join(ContributionRow, ContributionRow.id == ThemeMember.contribution_id)
                .where(ContributionRow.message_ts == reply_ts)
            )
            return theme_key(row) if row else None

    def react(self, ts: str, user_id: str, name: str, removed: bool = False) -> None:
        """A person adds (or removes) a reaction on a message; Slack tells the bot with a reaction event."""
        if removed:
            self.sender.reaction_removed(self.channel_id, ts, user_id, name)
        else:
            self.sender.reaction_added(self.channel_id, ts, user_id, name)
        self.deliveries += 1

    def step_ts(self, key: StepKey) -> str:
        """The step's message, recognised by its message metadata as any integration would."""
        for message in reversed(self.standin.messages(self.channel_id)):
            payload = (message.get("metadata") or {}).get("event_payload", {})
            if payload.get("step") == key.value:
                return message["ts"]
        raise DemoError(f"the bot never posted the {key.value} step")

    def reply(self, thread_ts: str, user_id: str, text: str, redeliver: bool = False) -> str:
        """A person replies in a thread; with `redeliver`, Slack delivers the same event twice (a retry)."""
        event = self.standin.post_user_message(self.channel_id, user_id, text, thread_ts)
        event_id = f"Ev{secrets.token_hex(6).upper()}"
        self.sender.event(event, event_id=event_id)
        if redeliver:
            self.sender.event(event, event_id=event_id, retry_num=1)
        self.deliveries += 1
        return event["ts"]

    def edit(self, ts: str, user_id: str, text: str, thread_ts: str) -> None:
        self.sender.message_changed(self.channel_id, ts, text, user=user_id, thread_ts=thread_ts)
        self.deliveries += 1

    def delete(self, ts: str, user_id: str, thread_ts: str) -> None:
        self.sender.message_deleted(self.channel_id, ts, user=user_id, thread_ts=thread_ts)
        self.deliveries += 1

    def not_a_person(self, thread_ts: str, text: str, subtype: str | None, bot_id: str | None, user: str) -> None:
        """A bot message or a channel join in the thread: Slack delivers it, the bot must ignore it."""
        event = {"type": "message", "channel": self.channel_id, "text": text, "ts": f"{time.time():.6f}"}
        event |= {"thread_ts": thread_ts} | ({"subtype": subtype} if subtype else {})
        event |= {"bot_id": bot_id} if bot_id else {"user": user}
        self.sender.event(event)


def play_step(driver: SlackDriver, step: ScriptedStep) -> list[tuple[ScriptedReply, str]]:
    """Posts the step's replies, then the edits and deletions, as people would over a few days; returns the
    replies posted, with their ts."""
    thread_ts = driver.step_ts(step.step)
    posted: list[tuple[ScriptedReply, str]] = []
    for reply in step.replies:
        if reply.is_contribution:
            posted.append((reply, driver.reply(thread_ts, reply.user, reply.text, reply.redeliver)))
        else:
            driver.not_a_person(thread_ts, reply.text, reply.subtype, reply.bot_id, reply.user)
    driver.settle()
    for reply, ts in posted:
        if reply.edit_to is not None:
            driver.edit(ts, reply.user, reply.edit_to, thread_ts)
        if reply.delete:
            driver.delete(ts, reply.user, thread_ts)
    driver.settle()
    return posted


def rate_themes(driver: SlackDriver, step: ScriptedStep, posted: list[tuple[ScriptedReply, str]]) -> None:
    """Once the step's themes are posted, people rate (touchpoints) or vote on (pain points) the theme that holds
    their note, each reaction once, some taken back."""
    messages = driver.theme_messages(step.step)
    given: set[tuple[str, str, str]] = set()
    for reply, ts in posted:
        theme = driver.theme_of(ts)
        for reaction in reply.reactions:
            if theme not in messages or (theme, reaction.user, reaction.name) in given:
                continue
            given.add((theme, reaction.user, reaction.name))
            driver.react(messages[theme], reaction.user, reaction.name)
            if reaction.remove:
                driver.react(messages[theme], reaction.user, reaction.name, removed=True)
    driver.settle()


def _seed(standin: SlackStandIn, script: DemoScript) -> None:
    for user in script.users:
        standin.add_user(user.id, user.name, user.real_name, tz=user.tz, is_bot=user.is_bot, title=user.title)
    members = [u.id for u in (script.facilitator, *script.participants)]
    standin.add_channel(script.channel_id, script.channel_name, members=members, is_private=script.is_private)


def _render_time(map_json: bytes) -> float:
    """Milliseconds to draw the published map's picture again (the bot drew it once while publishing)."""
    journey_map = JourneyMap.model_validate_json(map_json)
    started = time.perf_counter()
    render(journey_map, "png")
    return (time.perf_counter() - started) * 1000


def run_demo(out: Path, script: DemoScript = DEMO_SCRIPT, months: int = 0) -> Path:
    """Plays the script; writes map.json, map.md and transcript.jsonl to `out`, returns the map.md path.

    With `months`, the clock then jumps through that many months of reminders, digests and a revision.
    """
    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    database = out / "journeybot.db"
    for stale in out.glob("journeybot.db*"):
        stale.unlink()
    secret = secrets.token_hex(16)
    action_day = script.started_at.date() + timedelta(days=script.step(StepKey.action_plan).day)
    with SlackStandIn() as standin:
        _seed(standin, script)
        settings = Settings(
            slack_bot_token=standin.bot_token,
            slack_signing_secret=secret,
            slack_api_url=standin.api_url,
            database_url=f"sqlite:///{database}",
            _env_file=None,
        )
        server = start_http_in_background(settings, today=lambda: action_day)
        try:
            sender = SlackSender(server.url, secret, standin=standin)
            standin.deliver_events_to(sender, subscriptions=SUBSCRIPTIONS)
            driver = SlackDriver(standin, server, sender, script.channel_id)
            driver.command(f"start {script.objective}", script.facilitator.id)
            for step in script.steps:
                posted = play_step(driver, step)
                driver.command("next", script.facilitator.id)
                rate_themes(driver, step, posted)
            print(f"Draft reviewed: {review_and_publish(driver, script.facilitator.id, script.review)}; published.")
            if months:
                print(play_months(driver, months, script.facilitator.id))
        finally:
            server.stop()
        standin.write_transcript(out / "transcript.jsonl")
        uploads = {f.name: f.content for f in standin.files}  # a revision's files replace the first version's
        canvases = [c.markdown for c in standin.canvases.values()]
    if "journey-map.json" not in uploads or not canvases:
        raise DemoError("the bot did not upload the map and create its canvas")
    for name, content in uploads.items():
        (out / name).write_bytes(content)
    (out / "map.json").write_bytes(uploads["journey-map.json"])
    (out / "map.md").write_bytes(uploads["journey-map.md"])
    (out / "canvas.md").write_text(canvases[-1], encoding="utf-8")
    print(uploads["journey-map.md"].decode())
    calls = sum(1 for _ in (out / "transcript.jsonl").open())
    print(f"Demo finished in {time.monotonic() - started:.1f} s: {calls} Web API calls, files in {out}/")
    print(f"The map image is {out / 'journey-map.png'}: {_render_time(uploads['journey-map.json']):.0f} ms to render")
    return out / "map.md"
