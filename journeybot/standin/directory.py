"""Users and conversations of the stand-in, in the shapes users.info and conversations.* return."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

_AVATAR_SIZES = (24, 32, 48, 72, 192, 512)


class User(BaseModel):
    id: str
    name: str
    real_name: str
    display_name: str = ""
    tz: str = "Europe/Berlin"
    is_bot: bool = False
    email: str | None = None
    title: str = ""
    deleted: bool = False
    is_admin: bool = False
    bot_id: str | None = None
    app_id: str | None = None

    def to_slack(self, team_id: str) -> dict[str, Any]:
        """The users.info shape (slack-samples/api.users.info.json); bots carry bot_id in their profile."""
        now = datetime.now(ZoneInfo(self.tz))
        offset = now.utcoffset()
        first, _, last = self.real_name.partition(" ")
        profile: dict[str, Any] = {
            "title": self.title,
            "phone": "",
            "skype": "",
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.display_name,
            "display_name_normalized": self.display_name,
            "first_name": first,
            "last_name": last,
            "status_text": "",
            "status_emoji": "",
            "status_expiration": 0,
            "avatar_hash": "g" + self.id.lower(),
            "team": team_id,
            **{f"image_{size}": f"https://avatars.standin.invalid/{self.id}-{size}.png" for size in _AVATAR_SIZES},
        }
        if self.email:
            profile["email"] = self.email
        if self.is_bot:
            profile.update({"bot_id": self.bot_id, "api_app_id": self.app_id or "", "always_active": True})
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": self.real_name,
            "tz": self.tz,
            "tz_label": now.tzname() or self.tz,
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "profile": profile,
            "is_admin": self.is_admin,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": int(now.timestamp()),
            "is_email_confirmed": self.email is not None,
            "who_can_share_contact_card": "EVERYONE",
        }


class Channel(BaseModel):
    id: str
    name: str = ""
    members: list[str] = Field(default_factory=list)
    is_private: bool = False
    is_im: bool = False
    is_mpim: bool = False
    user: str | None = None  # the other party of a DM
    created: int = 0
    creator: str = ""
    topic: str = ""
    purpose: str = ""

    @property
    def channel_type(self) -> str:
        """The channel_type events carry; listeners filter on it (e.g. DMs vs channels)."""
        if self.is_im:
            return "im"
        if self.is_mpim:
            return "mpim"
        return "group" if self.is_private else "channel"

    def to_slack(self, bot_user_id: str, *, include_num_members: bool = False) -> dict[str, Any]:
        if self.is_im:
            return {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "user": self.user,
                "is_user_deleted": False,
                "priority": 0,
                "is_open": True,
            }
        body: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": not self.is_mpim,
            "is_group": False,
            "is_im": False,
            "is_mpim": self.is_mpim,
            "is_private": self.is_private or self.is_mpim,
            "created": self.created,
            "creator": self.creator,
            "is_archived": False,
            "is_general": self.name == "general",
            "unlinked": 0,
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "is_pending_ext_shared": False,
            "is_member": bot_user_id in self.members,
            "topic": {"value": self.topic, "creator": self.creator, "last_set": self.created},
            "purpose": {"value": self.purpose, "creator": self.creator, "last_set": self.created},
            "previous_names": [],
        }
        if include_num_members:
            body["num_members"] = len(self.members)
        return body
