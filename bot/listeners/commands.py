"""`/journey` and its subcommands. Each answers within Slack's 3 seconds; slow work goes to the worker."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import blocks, revision_blocks
from bot.action_blocks import action_list
from bot.blocks import action_line
from bot.modals import start_modal
from bot.services import Services
from bot.text import decode
from workflows.actions import service as action_service
from workflows.revisions import service as revisions
from workflows.workshop import service as workshop_service
from workflows.workshop.errors import WorkshopError
from workflows.workshop.stages import StageModelError
from workflows.workshop.steps import STEPS
from workflows.workshop.workdays import DEFAULT_STEP_DAYS, InvalidStepDays

log = logging.getLogger(__name__)

_STAGES_OPTION = re.compile(r"\s--stages[ =](?P<stages>.+)$", re.S)
_DAYS_OPTION = re.compile(r"\s--days[ =]\s*(?P<days>\S+)")
_MANUAL_OPTION = re.compile(r"\s--manual\b")
_USER = re.compile(r"<@(?P<id>[UW][A-Z0-9]+)(?:\|[^>]*)?>")
# `"title" @owner by DATE`: straight or typographic quotes around the title
_QUOTED = re.compile(r'^\s*["“”](?P<title>[^"“”]+)["“”](?P<rest>.*)$', re.S)

Handler = Callable[[Services, dict, str, Ack, WebClient], None]


def register(app: App, services: Services) -> None:
    @app.command("/journey")
    def journey(ack: Ack, command: dict, client: WebClient) -> None:
        name, _, rest = command.get("text", "").strip().partition(" ")
        handler = SUBCOMMANDS.get(name.lower())
        if handler is None:
            prefix = f"I don't know `{blocks.escape(name)}`." if name and name.lower() != "help" else None
            ack(text="journeybot help", blocks=blocks.help_blocks(prefix), response_type="ephemeral")
            return
        try:
            handler(services, command, rest.strip(), ack, client)
        except (WorkshopError, StageModelError) as refusal:
            ack(text=str(refusal), response_type="ephemeral")


def _start(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    if not text:
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=start_modal(command["channel_id"]))
        return
    text, step_days, manual = _step_options(" " + text)
    match = _STAGES_OPTION.search(text)
    objective, _mentions = decode(text[: match.start()] if match else text, services.users.name)
    with services.db.session() as session:
        view = workshop_service.start(
            session,
            command["team_id"],
            command["channel_id"],
            command["user_id"],
            objective.strip(),
            match["stages"].strip() if match else None,
            step_days=step_days,
            manual_advance=manual,
        )
    services.worker.kick()
    pace = "you advance each step with `/journey next`" if manual else f"each step runs {step_days} working days"
    ack(
        text=f"Starting workshop #{view.id} ({pace}): the kick-off and the first step are on their way.",
        response_type="ephemeral",
    )


def _step_options(text: str) -> tuple[str, int, bool]:
    """Takes `--days N` and `--manual` out of the start text (anywhere in it): (the rest, days, manual)."""
    days = _DAYS_OPTION.search(text)
    if days and not days["days"].isdigit():
        raise InvalidStepDays()
    manual = _MANUAL_OPTION.search(text) is not None
    return _MANUAL_OPTION.sub("", _DAYS_OPTION.sub("", text)), int(days["days"]) if days else DEFAULT_STEP_DAYS, manual


def _next(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        _view, closing = workshop_service.advance(
            session, command["team_id"], command["channel_id"], command["user_id"]
        )
    services.worker.kick()
    title = STEPS[closing.step].title
    if closing.restarted:
        text = f"*{title}* had stopped on an error, so I've started it again: watch its thread."
    elif closing.already:
        text = f"Still working on *{title}*: its themes (or the map) will appear in a moment."
    else:
        text = f"Closing *{title}*: its themes will appear in its thread in a moment."
    ack(text=text, response_type="ephemeral")


def _status(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        status = workshop_service.status(session, command["team_id"], command["channel_id"])
    ack(text=f"Workshop #{status.workshop.id}", blocks=blocks.status_blocks(status), response_type="ephemeral")


def _map(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        journey_map = action_service.latest_map(session, command["team_id"], command["channel_id"])
    ack(
        text="Journey map",
        blocks=blocks.chunk_blocks(blocks.map_summary(journey_map))[0],
        response_type="ephemeral",
    )


def _actions(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    everyone = text.lower() == "all"
    with services.db.session() as session:
        entries = action_service.list_actions(
            session, command["team_id"], command["channel_id"], None if everyone else command["user_id"]
        )
    title = "All actions of this channel's journey map" if everyone else "Your open actions"
    ack(text=title, blocks=action_list(title, entries, services.flows.today()), response_type="ephemeral")


def _action(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    verb, _, rest = text.partition(" ")
    if verb.lower() != "add" or not rest.strip():
        ack(
            text='Usage: `/journey action add "title" @owner by DATE` (owner and date optional)',
            response_type="ephemeral",
        )
        return
    quoted = _QUOTED.match(rest)
    title = decode(quoted["title"], services.users.name)[0] if quoted else None
    details, mentions = decode(quoted["rest"] if quoted else rest, services.users.name)
    draft = action_service.command_draft(title, details, mentions, services.flows.today())
    with services.db.session() as session:
        entry = action_service.add(
            session, command["team_id"], command["channel_id"], command["user_id"], draft, "command"
        )
    services.worker.kick()
    ack(
        text=f"Added to this channel's journey map: {action_line(entry.action, {})}",
        response_type="ephemeral",
    )


def _done(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        entry = action_service.set_status(session, command["team_id"], text.split(" ")[0], "done", command["user_id"])
    services.worker.kick()
    ack(
        text=f"`{entry.action.id}` is done: {blocks.fit(entry.action.title, 200)}. Thank you!",
        response_type="ephemeral",
    )


def _assign(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    action_id, _, who = text.partition(" ")
    user = _USER.search(who)
    if not action_id or user is None:
        ack(text="Usage: `/journey assign ACTION_ID @someone`", response_type="ephemeral")
        return
    with services.db.session() as session:
        entry = action_service.assign(session, command["team_id"], action_id, user["id"], command["user_id"])
    services.worker.kick()
    ack(text=f"`{entry.action.id}` now belongs to {blocks.mention(user['id'])}.", response_type="ephemeral")


def _cancel(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        view = workshop_service.cancel(session, command["team_id"], command["channel_id"], command["user_id"])
    ack(text=f"Workshop #{view.id} cancelled.", response_type="ephemeral")
    services.notifier.workshop_cancelled(view, command["user_id"])


def _revise(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        view = revisions.start_revision(session, command["team_id"], command["channel_id"], command["user_id"])
    services.worker.kick()
    ack(
        text=f"Starting revision workshop #{view.id}: each step's thread will show the previous version's themes.",
        response_type="ephemeral",
    )


_DAYS = re.compile(r"^(?P<days>\d{1,3})\s*(?:d|days?)?$", re.I)


def _cadence(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    match = _DAYS.match(text.strip())
    if match is None:
        ack(
            text="Usage: `/journey cadence 60d` (how many days between reviews of this channel's map)",
            response_type="ephemeral",
        )
        return
    with services.db.session() as session:
        workshop = revisions.set_cadence(
            session, command["team_id"], command["channel_id"], command["user_id"], int(match["days"])
        )
        days, due = workshop.cadence_days, workshop.next_revision_at
    ack(text=f"This map is now reviewed every {days} days; next review {due:%d %b %Y}.", response_type="ephemeral")


def _history(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        versions = revisions.history(session, command["team_id"], command["channel_id"])
    ack(text="Map versions", blocks=revision_blocks.history(versions), response_type="ephemeral")


def _settings(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    setting, _, value = text.lower().partition(" ")
    if setting != "llm" or value.strip() not in ("on", "off"):
        ack(text="Usage: `/journey settings llm on` or `/journey settings llm off`", response_type="ephemeral")
        return
    user = client.users_info(user=command["user_id"])["user"]
    with services.db.session() as session:
        workshop_service.set_llm(
            session,
            command["team_id"],
            command["channel_id"],
            command["user_id"],
            enabled=value.strip() == "on",
            is_admin=bool(user.get("is_admin") or user.get("is_owner")),
        )
    engine = (
        "may use the LLM engine" if value.strip() == "on" else "stays on the embedded engine: no text goes to an LLM"
    )
    ack(text=f"This workspace {engine}.", response_type="ephemeral")


SUBCOMMANDS: dict[str, Handler] = {
    "start": _start,
    "next": _next,
    "status": _status,
    "map": _map,
    "action": _action,
    "actions": _actions,
    "done": _done,
    "assign": _assign,
    "cancel": _cancel,
    "revise": _revise,
    "cadence": _cadence,
    "history": _history,
    "settings": _settings,
}
