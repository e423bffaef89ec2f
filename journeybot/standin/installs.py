"""Other workspaces installing the app through OAuth: the codes Slack's authorize page hands out, the tokens
`oauth.v2.access` exchanges them for (rotating ones too), and which workspace each token speaks for.

The stand-in keeps one store of channels and messages; what tells the workspaces apart is the token each Web API
call carries, so a test can check that the bot never speaks to one workspace with another's token.
"""

from __future__ import annotations

import base64
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from journeybot.standin.ids import Identity
from journeybot.standin.params import ApiError

BOT_SCOPES = "app_mentions:read,channels:history,chat:write,commands,reactions:read,reactions:write"


@dataclass
class Installation:
    identity: Identity
    enterprise_id: str | None
    installer: str
    rotating: bool
    expires_in: int
    org_wide: bool = False
    bot_token: str = ""
    refresh_token: str | None = None
    expires_at: float | None = None
    revoked: bool = False


class Installs:
    def __init__(
        self,
        client_id: str,
        client_secret: str,
        clock: Callable[[], float] = time.time,
        secret: Callable[[str], None] = lambda _token: None,
    ) -> None:
        self.client_id = client_id
        self._secret = secret  # each token issued is kept out of transcripts
        self.client_secret = client_secret
        self._clock = clock
        self._codes: dict[str, Installation] = {}
        self._by_token: dict[str, Installation] = {}
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def authorize(
        self,
        team_id: str,
        team_name: str = "Second Workspace",
        *,
        enterprise_id: str | None = None,
        installer: str = "U0INSTALLR",
        rotating: bool = False,
        expires_in: int = 43_200,
        org_wide: bool = False,
    ) -> str:
        """A person approves the app on Slack's authorize page: returns the code Slack adds to the redirect.
        `org_wide`: an Enterprise Grid admin installs it for the whole organisation `enterprise_id` (the token
        then speaks for the organisation, `team_id` being the organisation's id)."""
        n = next(self._counter)
        identity = Identity(
            team_id=team_id,
            team_name=team_name,
            team_domain=team_id.lower(),
            bot_user_id=f"U0BOT{n:05d}",
            bot_id=f"B0BOT{n:05d}",
        )
        code = f"code-{team_id}-{n}"
        with self._lock:
            self._codes[code] = Installation(identity, enterprise_id, installer, rotating, expires_in, org_wide)
        return code

    def exchange(self, values: dict[str, Any], authorization: str) -> dict[str, Any]:
        """oauth.v2.access: a code (once) or, with token rotation, a refresh token, for a bot token."""
        self._check_client(values, authorization)
        with self._lock:
            if values.get("grant_type") == "refresh_token":
                found = self._by_token.get(str(values.get("refresh_token")))
                if found is None or found.revoked:
                    raise ApiError("invalid_refresh_token")
                return self._issue(found)
            installation = self._codes.pop(str(values.get("code")), None)
            if installation is None:
                raise ApiError("invalid_code")
            answer = self._issue(installation)
        identity = installation.identity
        enterprise = {"id": installation.enterprise_id, "name": "Org"} if installation.enterprise_id else None
        return answer | {
            "scope": BOT_SCOPES,
            "bot_user_id": identity.bot_user_id,
            "app_id": identity.app_id,
            "team": None if installation.org_wide else {"id": identity.team_id, "name": identity.team_name},
            "enterprise": enterprise,
            "is_enterprise_install": installation.org_wide,
            "authed_user": {"id": installation.installer},
        }

    def _issue(self, installation: Installation) -> dict[str, Any]:
        n = next(self._counter)
        team = installation.identity.team_id
        for old in (installation.bot_token, installation.refresh_token):
            self._by_token.pop(old or "", None)
        installation.bot_token = f"xoxe.xoxb-{team}-{n}" if installation.rotating else f"xoxb-{team}-{n}"
        self._by_token[installation.bot_token] = installation
        self._secret(installation.bot_token)
        answer: dict[str, Any] = {"access_token": installation.bot_token, "token_type": "bot"}
        if installation.rotating:
            installation.refresh_token = f"xoxe-1-{team}-{n}"
            expires_in, installation.expires_in = installation.expires_in, 43_200  # Slack's 12 h after the first
            installation.expires_at = self._clock() + expires_in
            self._by_token[installation.refresh_token] = installation
            self._secret(installation.refresh_token)
            answer |= {"refresh_token": installation.refresh_token, "expires_in": expires_in}
        return answer

    def _check_client(self, values: dict[str, Any], authorization: str) -> None:
        client_id, client_secret = values.get("client_id"), values.get("client_secret")
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
            client_id, _, client_secret = decoded.partition(":")
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            raise ApiError("invalid_client_id" if client_id != self.client_id else "bad_client_secret")

    def identity_for(self, token: str) -> Identity | None:
        """The workspace a bot token speaks for; None for an unknown, revoked or expired one."""
        with self._lock:
            found = self._by_token.get(token)
        if found is None or found.revoked or token != found.bot_token:
            return None
        if found.expires_at is not None and self._clock() >= found.expires_at:
            return None
        return replace(found.identity)

    def revoke(self, team_id: str) -> None:
        """The workspace uninstalled the app: its tokens stop working."""
        with self._lock:
            for installation in self._by_token.values():
                if installation.identity.team_id == team_id:
                    installation.revoked = True
