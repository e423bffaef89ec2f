"""Reviewing a closed step's themes: "Review themes" opens the editor, each theme's menu opens its form; and the
draft's "Publish" button. Anyone may look; only the facilitator or the map's owner may change or publish."""

from __future__ import annotations

import json

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.listeners.actions.action_items import refuse
from bot.services import Services
from bot.theme_editor_blocks import (
    BACK_TO_STEP,
    EDIT_THEMES,
    EDITOR_PAGE,
    PUBLISH_DRAFT,
    REGROUP,
    THEME_MENU,
    channel_form,
    editor_view,
    merge_form,
    move_form,
    on_page,
    quote_form,
    regroup_form,
    rename_form,
    retire_form,
    split_form,
    stage_form,
)
from workflows.mapping.models import StepKey
from workflows.themes import editing
from workflows.workshop import service as workshop_service
from workflows.workshop.errors import WorkshopError
from workflows.workshop.steps import STEPS

FORMS = {
    "rename": rename_form,
    "merge": merge_form,
    "split": split_form,
    "move": move_form,
    "retire": retire_form,
    "quote": quote_form,
    "stage": stage_form,
    "channel": channel_form,
}


def register(app: App, services: Services) -> None:
    @app.action(EDIT_THEMES)
    def review_clicked(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        try:
            with services.db.session() as session:
                state = editing.step_themes(session, body["team"]["id"], int(action["value"]), body["user"]["id"])
        except WorkshopError as refusal:
            refuse(body, client, respond, str(refusal))
            return
        client.views_open(trigger_id=body["trigger_id"], view=editor_view(state))

    def editor_state(body: dict) -> tuple[editing.StepThemes, int]:
        """The step's themes as they stand now, for the editor this click came from, and the page it showed."""
        where = json.loads(body["view"]["private_metadata"])
        with services.db.session() as session:
            state = editing.step_themes(session, body["team"]["id"], where["step_id"], body["user"]["id"])
        return state, where.get("page", 0)

    @app.action(THEME_MENU)
    def theme_menu(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        operation, _, theme_id = action["selected_option"]["value"].partition(":")
        state, page = editor_state(body)
        theme = next((t for t in state.themes if t.id == int(theme_id)), None)
        if theme is None or not state.may_edit or operation not in FORMS:
            client.views_update(view_id=body["view"]["id"], view=editor_view(state, page))
            return
        client.views_push(trigger_id=body["trigger_id"], view=on_page(FORMS[operation](state, theme), page))

    @app.action(REGROUP)
    def regroup_clicked(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        state, page = editor_state(body)
        if not state.may_edit:
            client.views_update(view_id=body["view"]["id"], view=editor_view(state, page))
            return
        client.views_push(trigger_id=body["trigger_id"], view=on_page(regroup_form(state), page))

    @app.action(EDITOR_PAGE)
    def turn_page(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        state, _ = editor_state(body)
        client.views_update(view_id=body["view"]["id"], view=editor_view(state, int(action["value"])))

    @app.action(PUBLISH_DRAFT)
    def publish_clicked(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        try:
            with services.db.session() as session:
                team, user = body["team"]["id"], body["user"]["id"]
                view = workshop_service.publish_draft(session, team, user, workshop_id=int(action["value"]))
        except WorkshopError as refusal:
            refuse(body, client, respond, str(refusal))
            return
        services.worker.kick()
        respond(text=f"Publishing workshop #{view.id}'s map in <#{view.channel_id}>.", replace_original=False)

    @app.action(BACK_TO_STEP)
    def back_to_step(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        team, user = body["team"]["id"], body["user"]["id"]
        tz = services.notifier.timezone_of(user)
        try:
            with services.db.session() as session:
                view, step = workshop_service.reopen_step(
                    session, team, user, int(action["selected_option"]["value"]), tz=tz
                )
                info, step_ts, deadline = STEPS[StepKey(step.key)], step.message_ts or "", step.deadline
                manual = step.workshop.manual_advance
        except WorkshopError as refusal:
            refuse(body, client, respond, str(refusal))
            return
        services.notifier.step_reopened(view, info, step_ts, None if manual else deadline)
        respond(
            text=f"{info.title} is open again in <#{view.channel_id}>; a new draft follows when it closes.",
            replace_original=False,
        )
