"""The forms behind a theme's menu in the editor (rename, merge, split, move notes, quotes, stage, channel) and
behind "Group again". Each change is applied, the step's messages follow it in place, and the editor underneath
shows the themes as they now stand."""

from __future__ import annotations

import json
from collections.abc import Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.services import Services
from bot.theme_editor_blocks import (
    ASIDE,
    CHANNEL_FORM,
    MERGE_FORM,
    MOVE_FORM,
    NEW_THEME,
    QUOTE_FORM,
    REGROUP_FORM,
    RENAME_FORM,
    RETIRE_FORM,
    SPLIT_FORM,
    STAGE_FORM,
    editor_view,
    refused,
)
from workflows.themes import editing
from workflows.workshop.errors import WorkshopError
from workflows.workshop.steps import STEPS

Edit = Callable[[Session, str, int, int | None, dict, str], editing.Edited]


def _value(view: dict, block: str) -> dict:
    return view["state"]["values"][block]["value"]


def _rename(session: Session, team: str, step_id: int, theme_id: int, view: dict, user: str) -> editing.Edited:
    return editing.rename(session, team, step_id, theme_id, _value(view, "title").get("value") or "", user)


def _merge(session: Session, team: str, step_id: int, theme_id: int, view: dict, user: str) -> editing.Edited:
    into = int(_value(view, "into")["selected_option"]["value"])
    return editing.merge(session, team, step_id, theme_id, into, user)


def _move(session: Session, team: str, step_id: int, theme_id: int, view: dict, user: str) -> editing.Edited:
    notes = _chosen_notes(view)
    target = _value(view, "to")["selected_option"]["value"]
    if target == ASIDE:
        return editing.set_aside_notes(session, team, step_id, theme_id, notes, user)
    title = _value(view, "title").get("value")
    to_id = None if target == NEW_THEME else int(target)
    return editing.move_notes(session, team, step_id, theme_id, notes, to_id, user, title)


def _chosen_notes(view: dict) -> list[int]:
    return [int(option["value"]) for option in _value(view, "notes").get("selected_options") or []]


def _split(session: Session, team: str, step_id: int, theme_id: int, view: dict, user: str) -> editing.Edited:
    title = _value(view, "title").get("value")
    return editing.move_notes(session, team, step_id, theme_id, _chosen_notes(view), None, user, title, kind="split")


def _retire(session: Session, team: str, step_id: int, theme_id: int, view: dict, user: str) -> editing.Edited:
    return editing.retire(session, team, step_id, theme_id, user)


def _quotes(session: Session, team: str, step_id: int, theme_id: int, view: dict, user: str) -> editing.Edited:
    return editing.mark_quotes(session, team, step_id, theme_id, _chosen_notes(view), user)


def _channel(session: Session, team: str, step_id: int, theme_id: int, view: dict, user: str) -> editing.Edited:
    return editing.set_channel(session, team, step_id, theme_id, _value(view, "channel").get("value") or "", user)


def _regroup(session: Session, team: str, step_id: int, _theme: int | None, view: dict, user: str) -> editing.Edited:
    count = _value(view, "count").get("value")
    return editing.regroup(session, team, step_id, int(count) if count else None, user)


def _stage(session: Session, team: str, step_id: int, theme_id: int, view: dict, user: str) -> editing.Edited:
    stage = _value(view, "stage")["selected_option"]["value"]
    return editing.set_stage(session, team, step_id, theme_id, stage, user)


# form -> (the edit it makes, the field a refusal is shown under)
FORMS: dict[str, tuple[Edit, str | None]] = {
    RENAME_FORM: (_rename, "title"),
    MERGE_FORM: (_merge, "into"),
    MOVE_FORM: (_move, "notes"),
    SPLIT_FORM: (_split, "notes"),
    RETIRE_FORM: (_retire, None),  # no field to show a refusal under: the form says it instead
    QUOTE_FORM: (_quotes, "notes"),
    STAGE_FORM: (_stage, "stage"),
    CHANNEL_FORM: (_channel, "channel"),
    REGROUP_FORM: (_regroup, "count"),
}


def register(app: App, services: Services) -> None:
    def submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        edit, field = FORMS[view["callback_id"]]
        where = json.loads(view["private_metadata"])
        team, user = body["team"]["id"], body["user"]["id"]
        try:
            with services.db.session() as session:
                edited = edit(session, team, where["step_id"], where["theme_id"], view, user)
                changes = editing.changes(session, edited)
        except WorkshopError as refusal:
            if field is None:
                ack(response_action="update", view=refused(view, str(refusal)))
            else:
                ack(response_action="errors", errors={field: str(refusal)})
            return
        ack()  # back to the editor, which is brought up to date below
        posted = services.notifier.show_themes(changes)
        with services.db.session() as session:
            for theme_id, ts in posted.items():
                editing.set_message(session, theme_id, ts)
            state = editing.step_themes(session, team, where["step_id"], user)
        services.notifier.prompt_reactions(changes.workshop, STEPS[changes.step], list(posted.values()))
        if editor := view.get("previous_view_id"):
            client.views_update(view_id=editor, view=editor_view(state, where.get("page", 0)))

    for callback_id in FORMS:
        app.view(callback_id)(submitted)
