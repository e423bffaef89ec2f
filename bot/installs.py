"""Installing journeybot in any number of workspaces: Bolt's OAuth flow ("Add to Slack" at `/slack/install`, the
redirect at `/slack/oauth_redirect`) with slack_sdk's SQLAlchemy installation and state stores in the bot's own
database, and a Web API client that speaks to each workspace with that workspace's bot token.

Listeners get a client with the right token from Bolt. Everything else (the worker's jobs, the stored events'
follow-ups) calls Slack through `WorkspaceClient`, which takes the token of the workspace the current work is for:
the `team_id` of the log scope that the job runner and the request handling open (`workflows.logs`).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator

from journeybot.settings import Settings
from workflows.logs import current_ids
from workflows.setup import Database
from workflows.workspaces import service as workspaces

log = logging.getLogger(__name__)

STATE_SECONDS = 600  # an install started must be finished within this time
ROTATE_BEFORE_MINUTES = 120  # a rotating token is refreshed when it has less than this left (Bolt's default)
KEEP_SECONDS = 60  # a workspace's token is looked up again after this: a token deleted on uninstall stops soon


class InstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store, in its own tables (`slack_installations`, `slack_bots`) beside the bot's, created on first
    use (the migrations leave them to slack_sdk: storage/migrations/env.py); each install is also recorded as a
    workspace, with its Enterprise Grid organisation."""

    def __init__(self, settings: Settings, db: Database) -> None:
        super().__init__(client_id=settings.slack_client_id or "", engine=db.engine)
        self.metadata.create_all(db.engine)
        self._db = db

    def save(self, installation: Installation) -> None:
        super().save(installation)
        if installation.team_id:
            with self._db.session() as session:
                workspaces.record_install(session, installation.team_id, installation.enterprise_id)

    def forget(self, team_id: str) -> None:
        """Deletes the workspace's tokens (uninstalled, revoked, or `journeybot forget`)."""
        with self._db.session() as session:
            enterprise_id = workspaces.enterprise_of(session, team_id)
        self.delete_all(enterprise_id=enterprise_id, team_id=team_id)


def oauth_settings(settings: Settings, store: InstallationStore, db: Database) -> OAuthSettings:
    state_store = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=db.engine)
    state_store.metadata.create_all(db.engine)
    secret = settings.slack_client_secret.get_secret_value() if settings.slack_client_secret else None
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=secret,
        scopes=settings.slack_scopes.split(","),
        redirect_uri=settings.slack_redirect_uri,
        authorization_url=settings.slack_authorize_url,
        installation_store=store,
        installation_store_bot_only=True,
        state_store=state_store,
        token_rotation_expiration_minutes=ROTATE_BEFORE_MINUTES,
    )


class WorkspaceTokens:
    """The bot token of each installed workspace, refreshed shortly before it expires when tokens rotate."""

    def __init__(self, settings: Settings, store: InstallationStore, db: Database, client: WebClient) -> None:
        self.store = store
        self._db = db
        secret = settings.slack_client_secret.get_secret_value() if settings.slack_client_secret else ""
        self._rotator = TokenRotator(client_id=settings.slack_client_id or "", client_secret=secret, client=client)
        self._lock = threading.Lock()  # one refresh at a time: a refresh token is spent by its first use
        self._known: dict[str, tuple[float, Bot]] = {}  # team -> (when looked up, its bot)

    def token_for(self, team_id: str) -> str | None:
        """Looked up at most once a minute per workspace, not on every Web API call (a step close makes dozens)."""
        known = self._known.get(team_id)
        if known is not None and time.monotonic() - known[0] < KEEP_SECONDS and not _expiring(known[1]):
            return known[1].bot_token
        with self._db.session() as session:
            enterprise_id = workspaces.enterprise_of(session, team_id)
        with self._lock:
            bot = self._find(team_id, enterprise_id)
            if bot is None:
                return None
            if bot.bot_refresh_token:
                rotated = self._rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=ROTATE_BEFORE_MINUTES
                )
                if rotated is not None:
                    self.store.save_bot(rotated)
                    bot = rotated
            self._known[team_id] = (time.monotonic(), bot)
            return bot.bot_token

    def _find(self, team_id: str, enterprise_id: str | None) -> Bot | None:
        """The workspace's own install, else its organisation's org-wide one (Enterprise Grid)."""
        bot = self.store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
        if bot is None and enterprise_id:
            bot = self.store.find_bot(enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True)
        return bot


def _expiring(bot: Bot) -> bool:
    """A rotating token due for its refresh (slack_sdk stores the expiry as epoch seconds)."""
    expires_at = bot.bot_token_expires_at
    return expires_at is not None and expires_at - time.time() < ROTATE_BEFORE_MINUTES * 60


class WorkspaceClient(WebClient):
    """A WebClient whose token is the bot token of the workspace the current work is for."""

    def __init__(self, tokens: WorkspaceTokens | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tokens = tokens  # set once the store exists; None: no workspace is installed yet

    @property
    def token(self) -> str | None:  # type: ignore[override]
        team_id = current_ids().get("team_id")
        if self.tokens is None or not team_id:
            return None
        return self.tokens.token_for(str(team_id))

    @token.setter
    def token(self, value: str | None) -> None:
        """WebClient's constructor sets a token; each call reads the workspace's own instead."""
