"""The start form's submission: a workshop with the objective, stages and pace it names."""

from __future__ import annotations

from slack_bolt import Ack, App

from bot.modals import AUTO_PUBLISH, MANUAL, START_CALLBACK
from bot.services import Services
from workflows.workshop import service as workshop_service
from workflows.workshop.errors import WorkshopError
from workflows.workshop.models import PublishMode
from workflows.workshop.stages import StageModelError
from workflows.workshop.workdays import DEFAULT_STEP_DAYS, InvalidStepDays


def register(app: App, services: Services) -> None:
    @app.view(START_CALLBACK)
    def start_submitted(ack: Ack, body: dict, view: dict) -> None:
        values = view["state"]["values"]
        objective = values["objective"]["value"]["value"] or ""
        custom = (values.get("custom", {}).get("value", {}).get("value") or "").strip()
        preset = values["preset"]["value"]["selected_option"]["value"]
        days = (values.get("days", {}).get("value", {}).get("value") or str(DEFAULT_STEP_DAYS)).strip()
        checked = values.get("manual", {}).get("value", {}).get("selected_options") or []
        chosen = {option.get("value") for option in checked}
        if not days.isdigit():
            ack(response_action="errors", errors={"days": str(InvalidStepDays())})
            return
        try:
            with services.db.session() as session:
                workshop_service.start(
                    session,
                    body["team"]["id"],
                    view["private_metadata"],
                    body["user"]["id"],
                    objective,
                    custom or preset,
                    step_days=int(days),
                    manual_advance=MANUAL in chosen,
                    publish_mode=PublishMode.auto if AUTO_PUBLISH in chosen else PublishMode.review,
                )
        except InvalidStepDays as error:
            ack(response_action="errors", errors={"days": str(error)})
            return
        except StageModelError as error:
            ack(response_action="errors", errors={"custom": str(error)})
            return
        except WorkshopError as error:
            ack(response_action="errors", errors={"objective": str(error)})
            return
        services.worker.kick()
        ack()
