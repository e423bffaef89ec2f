"""auth.test and users.info: who the app is, and who the people are."""

from __future__ import annotations

from typing import Any

from journeybot.standin.ids import Identity
from journeybot.standin.params import Params
from journeybot.standin.workspace import Workspace


def auth_test(ws: Workspace, params: Params) -> dict[str, Any]:
    """Bolt calls this at start-up and builds its AuthorizeResult (bot_id, bot_user_id) from it."""
    return auth_test_of(ws.identity)


def auth_test_of(identity: Identity) -> dict[str, Any]:
    """Who a token speaks for: the stand-in's own workspace, or one that installed the app through OAuth."""
    return {
        "url": identity.workspace_url,
        "team": identity.team_name,
        "user": identity.bot_name,
        "team_id": identity.team_id,
        "user_id": identity.bot_user_id,
        "bot_id": identity.bot_id,
        "is_enterprise_install": False,
    }


def users_info(ws: Workspace, params: Params) -> dict[str, Any]:
    user = ws.user(params.text("user", missing="user_not_found")).to_slack(ws.identity.team_id)
    if params.flag("include_locale"):
        user["locale"] = "en-US"
    return {"user": user}
