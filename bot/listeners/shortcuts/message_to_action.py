"""The message shortcut: any message becomes an action on the channel's map."""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.action_blocks import SHORTCUT_CALLBACK, add_action_modal, no_map_modal
from bot.services import Services
from bot.text import decode
from workflows.actions import service as action_service
from workflows.actions.parsing import parse_action


def register(app: App, services: Services) -> None:
    @app.shortcut(SHORTCUT_CALLBACK)
    def add_from_message(ack: Ack, shortcut: dict, client: WebClient) -> None:
        ack()
        channel = shortcut["channel"]["id"]
        # Plain text, not Slack markup: `<!channel>` becomes the word "@channel" and pings nobody when shown.
        text, mentions = decode(shortcut.get("message", {}).get("text") or "", services.users.name)
        with services.db.session() as session:
            has_map = action_service.has_published_map(session, shortcut["team"]["id"], channel)
        if not has_map:
            view = no_map_modal(str(action_service.NoPublishedMap()), text)
        else:
            # The whole message is the title; a mentioned person and a date in it prefill the owner and due date.
            draft = parse_action(text, mentions, services.flows.today())
            view = add_action_modal(channel, text.strip(), draft.owner, draft.due)
        client.views_open(trigger_id=shortcut["trigger_id"], view=view)
