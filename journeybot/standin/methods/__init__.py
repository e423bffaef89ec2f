"""The Web API methods the stand-in answers: one dispatch table, one handler per method."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from journeybot.standin.methods import apps, canvases, chat, conversations, files, people, reactions, views
from journeybot.standin.params import Params
from journeybot.standin.workspace import Workspace

Handler = Callable[[Workspace, Params], dict[str, Any]]

METHODS: dict[str, Handler] = {
    "auth.test": people.auth_test,
    "users.info": people.users_info,
    "chat.postMessage": chat.post_message,
    "chat.postEphemeral": chat.post_ephemeral,
    "chat.update": chat.update,
    "chat.delete": chat.delete,
    "chat.getPermalink": chat.get_permalink,
    "conversations.history": conversations.history,
    "conversations.replies": conversations.replies,
    "conversations.info": conversations.info,
    "conversations.members": conversations.members,
    "conversations.open": conversations.open_conversation,
    "reactions.add": reactions.add,
    "reactions.remove": reactions.remove,
    "views.open": views.open_view,
    "views.push": views.push,
    "views.update": views.update,
    "views.publish": views.publish,
    "files.getUploadURLExternal": files.get_upload_url,
    "files.completeUploadExternal": files.complete_upload,
    "canvases.create": canvases.create,
    "canvases.edit": canvases.edit,
    "apps.connections.open": apps.connections_open,
}
# Methods that take the app-level token (xapp-...) and refuse the bot token, as Slack does.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
# Methods authenticated by the app's client id and secret, not by a token.
CLIENT_AUTH_METHODS = frozenset({"oauth.v2.access"})
