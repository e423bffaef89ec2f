"""People from `users.info`, cached: display names for mentions, time zones for reminders, bots told apart.

One call per person per process; a profile that changes (a move to another time zone) is seen after a restart.
"""

from __future__ import annotations

import logging
import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


class UserDirectory:
    def __init__(self, client: WebClient) -> None:
        self._client = client
        self._users: dict[str, dict] = {}
        self._lock = threading.Lock()

    def info(self, user_id: str) -> dict:
        """The `users.info` user; empty when Slack does not know them (the caller falls back to defaults)."""
        with self._lock:
            if user_id in self._users:
                return self._users[user_id]
        try:
            user = self._client.users_info(user=user_id)["user"]
        except SlackApiError as exc:
            log.warning("users.info failed for a user: %s", exc.response.get("error"))
            user = {}
        with self._lock:
            self._users[user_id] = user
        return user

    def name(self, user_id: str) -> str:
        user = self.info(user_id)
        return user.get("profile", {}).get("display_name") or user.get("real_name") or user.get("name") or user_id

    def timezone(self, user_id: str) -> str:
        return self.info(user_id).get("tz") or "UTC"

    def is_human(self, user_id: str) -> bool:
        """Neither a bot (the app included) nor a deactivated account; Slackbot is a bot too."""
        user = self.info(user_id)
        return bool(user) and not user.get("is_bot") and not user.get("deleted") and user_id != "USLACKBOT"

    def names(self, user_ids: set[str]) -> dict[str, str]:
        return {u: self.name(u) for u in sorted(user_ids)}
