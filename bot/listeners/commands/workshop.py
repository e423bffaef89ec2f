"""`/journey start`, `next`, `status`, `map` and `cancel`: the workshop's own subcommands."""

from __future__ import annotations

import re

from slack_bolt import Ack
from slack_sdk import WebClient

from bot import blocks
from bot.modals import start_modal
from bot.services import Services
from bot.text import decode
from workflows.actions import service as action_service
from workflows.workshop import service as workshop_service
from workflows.workshop.errors import WorkshopError
from workflows.workshop.models import PublishMode
from workflows.workshop.steps import STEPS
from workflows.workshop.workdays import DEFAULT_STEP_DAYS, InvalidStepDays

_STAGES_OPTION = re.compile(r"\s--stages[ =](?P<stages>.+)$", re.S)
_DAYS_OPTION = re.compile(r"\s--days[ =]\s*(?P<days>\S+)")
_MANUAL_OPTION = re.compile(r"\s--manual\b")
_PUBLISH_OPTION = re.compile(r"\s--publish[ =]\s*(?P<mode>\S+)")


def _start(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    if not text:
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=start_modal(command["channel_id"]))
        return
    text, step_days, manual = _step_options(" " + text)
    text, publish_mode = _publish_option(text)
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
            publish_mode=publish_mode,
        )
    services.worker.kick()
    pace = "you advance each step with `/journey next`" if manual else f"each step runs {step_days} working days"
    ending = (
        "the map goes out when the last step closes"
        if publish_mode == PublishMode.auto
        else "you review the map as a draft before it goes out"
    )
    ack(
        text=f"Starting workshop #{view.id} ({pace}; {ending}): the kick-off and the first step are on their way.",
        response_type="ephemeral",
    )


def _publish_option(text: str) -> tuple[str, PublishMode]:
    """Takes `--publish auto|review` out of the start text: (the rest, the mode; a draft to review by default)."""
    found = _PUBLISH_OPTION.search(text)
    if found is None:
        return text, PublishMode.review
    if found["mode"].lower() not in set(PublishMode):
        raise WorkshopError("`--publish` takes `review` (a draft for you first, the default) or `auto`.")
    return _PUBLISH_OPTION.sub("", text), PublishMode(found["mode"].lower())


def _publish(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        view = workshop_service.publish_draft(
            session, command["team_id"], command["user_id"], channel_id=command["channel_id"]
        )
    services.worker.kick()
    ack(text=f"Publishing workshop #{view.id}'s map here.", response_type="ephemeral")


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


def _cancel(services: Services, command: dict, text: str, ack: Ack, client: WebClient) -> None:
    with services.db.session() as session:
        view = workshop_service.cancel(session, command["team_id"], command["channel_id"], command["user_id"])
    ack(text=f"Workshop #{view.id} cancelled.", response_type="ephemeral")
    services.notifier.workshop_cancelled(view, command["user_id"])


SUBCOMMANDS = {
    "start": _start,
    "next": _next,
    "status": _status,
    "map": _map,
    "cancel": _cancel,
    "publish": _publish,
}
