"""A workspace removes the app (`app_uninstalled`) or revokes its bot token (`tokens_revoked`): its work stops
and, when it was installed through OAuth, its tokens are deleted. Its workshops' data stays until `journeybot
forget --team …` (or until it installs the app again and carries on)."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext

from bot.listeners.events.context import workspace_of
from bot.services import Services
from workflows.workspaces import service as workspaces

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    def stop(body: dict, context: BoltContext) -> None:
        team_id = workspace_of(body, context)
        if services.installations is not None:
            services.installations.forget(team_id)
        with services.db.session() as session:
            stopped = workspaces.stop_workspace(session, team_id)
        log.info("workspace %s removed the app: its tokens deleted, %d jobs given up", team_id, stopped)

    @app.event("app_uninstalled")
    def uninstalled(body: dict, context: BoltContext) -> None:
        stop(body, context)

    @app.event("tokens_revoked")
    def revoked(body: dict, event: dict, context: BoltContext) -> None:
        if event.get("tokens", {}).get("bot"):  # a user token alone is not the bot's
            stop(body, context)
