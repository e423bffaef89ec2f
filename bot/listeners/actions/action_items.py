"""The buttons on an action's card: done, in progress, snooze, reassign."""

from __future__ import annotations

import re
from datetime import date

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.action_blocks import DONE, IN_PROGRESS, REASSIGN, SNOOZE, action_card, reassign_modal
from bot.services import Services
from bot.text import fit, mention
from workflows.actions import service as action_service
from workflows.ports import ActionEntry
from workflows.workshop.errors import WorkshopError

UPDATES = re.compile(f"^(?:{DONE}|{IN_PROGRESS}|{SNOOZE})$")


def refuse(body: dict, client: WebClient, respond: Respond, reason: str) -> None:
    """Only the clicker sees it: ephemeral on a message, a DM from a Home tab (which has no response_url)."""
    if body.get("response_url"):
        respond(text=reason, response_type="ephemeral", replace_original=False)
    else:
        client.chat_postMessage(channel=body["user"]["id"], text=reason)


def origin_of(body: dict) -> dict[str, str]:
    """The clicked message's channel and ts, or nothing for a click on a Home tab."""
    container = body.get("container", {})
    if container.get("type") != "message":
        return {}
    return {"channel": container["channel_id"], "ts": container["message_ts"]}


def show(
    client: WebClient, origin: dict[str, str], entry: ActionEntry, today: date, lead: str, buttons: bool = True
) -> None:
    """Rewrites the clicked message with the action as it now stands."""
    if origin:
        action = entry.action
        client.chat_update(
            channel=origin["channel"],
            ts=origin["ts"],
            text=f"{action.id}: {fit(action.title, 200)} ({action.status.value.replace('_', ' ')})",
            blocks=action_card(action, today, lead=lead, buttons=buttons),
        )


def _apply(services: Services, session: Session, body: dict, clicked: str, action_id: str) -> tuple[ActionEntry, str]:
    team, user = body["team"]["id"], body["user"]["id"]
    if clicked == DONE:
        return action_service.set_status(session, team, action_id, "done", user), "marked it done"
    if clicked == IN_PROGRESS:
        return action_service.set_status(session, team, action_id, "in_progress", user), "set it in progress"
    entry = action_service.snooze(session, team, action_id, user, services.flows.today())
    return entry, f"snoozed it to {entry.action.due:%a %d %b}"


def register(app: App, services: Services) -> None:
    @app.action(UPDATES)
    def update_clicked(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        try:
            with services.db.session() as session:
                entry, done = _apply(services, session, body, action["action_id"], action.get("value", ""))
        except WorkshopError as refusal:
            refuse(body, client, respond, str(refusal))
            return
        services.worker.kick()
        lead = f":white_check_mark: {mention(body['user']['id'])} {done}."
        show(client, origin_of(body), entry, services.flows.today(), lead)

    @app.action(REASSIGN)
    def reassign_clicked(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        try:
            with services.db.session() as session:
                entry = action_service.editable(
                    session, body["team"]["id"], action.get("value", ""), body["user"]["id"]
                )
        except WorkshopError as refusal:
            refuse(body, client, respond, str(refusal))
            return
        client.views_open(trigger_id=body["trigger_id"], view=reassign_modal(entry.action, origin_of(body)))
