"""Modal submissions."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot.modals import START_CALLBACK
from bot.services import Services
from workflows import workshop as workshop_service
from workflows.errors import WorkshopError
from workflows.stages import StageModelError


def register(app: App, services: Services) -> None:
    @app.view(START_CALLBACK)
    def start_submitted(ack: Ack, body: dict, view: dict) -> None:
        values = view["state"]["values"]
        objective = values["objective"]["value"]["value"] or ""
        custom = (values.get("custom", {}).get("value", {}).get("value") or "").strip()
        preset = values["preset"]["value"]["selected_option"]["value"]
        try:
            with services.db.session() as session:
                workshop_service.start(
                    session,
                    body["team"]["id"],
                    view["private_metadata"],
                    body["user"]["id"],
                    objective,
                    custom or preset,
                )
        except StageModelError as error:
            ack(response_action="errors", errors={"custom": str(error)})
            return
        except WorkshopError as error:
            ack(response_action="errors", errors={"objective": str(error)})
            return
        services.worker.kick()
        ack()
