"""A workspace's token is looked up once a minute, not on every Web API call, unless it is due for a refresh."""

from __future__ import annotations

import time

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Bot

from bot.installs import InstallationStore, WorkspaceTokens
from journeybot.settings import Settings

TEAM = "T0CACHED01"


class CountingStore(InstallationStore):
    def __init__(self, settings: Settings, db) -> None:
        super().__init__(settings, db)
        self.lookups = 0

    def find_bot(self, **kwargs) -> Bot | None:
        self.lookups += 1
        return super().find_bot(**kwargs)


def _tokens(db) -> tuple[CountingStore, WorkspaceTokens]:
    settings = Settings(slack_client_id="1.2", slack_client_secret="secret", _env_file=None)
    store = CountingStore(settings, db)
    return store, WorkspaceTokens(settings, store, db, WebClient(base_url="http://127.0.0.1:9/api/"))


def _bot(token: str, **expiry: int) -> Bot:
    return Bot(
        app_id="A1", team_id=TEAM, bot_token=token, bot_id="B1", bot_user_id="U1", installed_at=time.time(), **expiry
    )


def test_a_token_is_looked_up_once_for_many_calls(db):
    store, tokens = _tokens(db)
    store.save_bot(_bot("xoxb-1"))
    assert [tokens.token_for(TEAM) for _ in range(20)] == ["xoxb-1"] * 20
    assert store.lookups == 1


def test_a_token_due_for_its_refresh_is_looked_up_each_time(db):
    store, tokens = _tokens(db)
    store.save_bot(_bot("xoxe.xoxb-1", bot_token_expires_in=60))  # no refresh token: it cannot rotate here
    tokens.token_for(TEAM)
    tokens.token_for(TEAM)
    assert store.lookups == 2, "a token about to expire is never served from memory"
