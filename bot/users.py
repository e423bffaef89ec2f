"""Display names from `users.info`, cached: mentions become readable text without a call per message."""

from __future__ import annotations

import logging
import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)


class UserDirectory:
    def __init__(self, client: WebClient) -> None:
        self._client = client
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()

    def name(self, user_id: str) -> str:
        with self._lock:
            if user_id in self._names:
                return self._names[user_id]
        try:
            user = self._client.users_info(user=user_id)["user"]
            profile = user.get("profile", {})
            name = profile.get("display_name") or user.get("real_name") or user.get("name") or user_id
        except SlackApiError as exc:
            log.warning("users.info failed for a user: %s", exc.response.get("error"))
            name = user_id
        with self._lock:
            self._names[user_id] = name
        return name

    def names(self, user_ids: set[str]) -> dict[str, str]:
        return {u: self.name(u) for u in sorted(user_ids)}
