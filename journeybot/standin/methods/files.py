"""The upload flow of files_upload_v2: get an upload URL, POST the bytes there, complete and share."""

from __future__ import annotations

import mimetypes
import secrets
from pathlib import PurePath
from typing import Any

from journeybot.standin.models import StoredFile
from journeybot.standin.params import ApiError, Params
from journeybot.standin.workspace import Workspace


def get_upload_url(ws: Workspace, params: Params) -> dict[str, Any]:
    filename = params.text("filename")
    length = params.integer("length", -1)
    if length < 0:
        raise ApiError("invalid_arguments", "[ERROR] missing required field: length")
    file = StoredFile(
        id=ws.ids.new("F"),
        name=filename,
        title=filename,
        length=length,
        alt_txt=params.optional("alt_txt"),
        snippet_type=params.optional("snippet_type"),
        user=ws.identity.bot_user_id,
        created=ws.clock.seconds(),
    )
    key = secrets.token_urlsafe(16)  # the URL itself is the credential, like Slack's pre-signed upload URL
    ws.uploads[file.id] = file
    ws.upload_keys[key] = file.id
    return {"upload_url": f"{ws.base_url}/upload/v1/{key}", "file_id": file.id}


def receive_upload(ws: Workspace, key: str, data: bytes) -> tuple[int, str]:
    """The upload URL's answer: Slack says "OK - <bytes>"; an unknown URL is a 404."""
    with ws.lock:
        file_id = ws.upload_keys.get(key)
        if file_id is None:
            return 404, "Not Found"
        ws.uploads[file_id].content = data
        ws.uploads[file_id].uploaded = True
    return 200, f"OK - {len(data)}"


def download(ws: Workspace, file_id: str) -> StoredFile | None:
    with ws.lock:
        file = ws.uploads.get(file_id)
        return file if file and file.completed else None


def file_object(ws: Workspace, file: StoredFile, shares: dict[str, Any]) -> dict[str, Any]:
    """The file shape of slack-samples/api.files.completeUploadExternal.json."""
    mimetype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    filetype = PurePath(file.name).suffix.lstrip(".") or "binary"
    private = f"{ws.base_url}/files-pri/{ws.identity.team_id}-{file.id}/{file.name}"
    return {
        "id": file.id,
        "created": file.created,
        "timestamp": file.created,
        "name": file.name,
        "title": file.title,
        "mimetype": mimetype,
        "filetype": filetype,
        "pretty_type": filetype.upper(),
        "user": file.user,
        "user_team": ws.identity.team_id,
        "editable": False,
        "size": len(file.content),
        "mode": "hosted",
        "is_external": False,
        "external_type": "",
        "is_public": bool(shares.get("public")),
        "public_url_shared": False,
        "display_as_bot": False,
        "username": "",
        "url_private": private,
        "url_private_download": f"{private}?download=1",
        "permalink": f"{ws.identity.workspace_url}files/{file.user}/{file.id}/{file.name}",
        "permalink_public": f"https://slack-files.com/{ws.identity.team_id}-{file.id}-standin",
        "comments_count": 0,
        "is_starred": False,
        "shares": shares,
        "channels": [c for c in file.channels if c.startswith("C")],
        "groups": [c for c in file.channels if c.startswith("G")],
        "ims": [c for c in file.channels if c.startswith("D")],
        "has_more_shares": False,
        "has_rich_preview": False,
        "file_access": "visible",
        **({"alt_txt": file.alt_txt} if file.alt_txt else {}),
    }


def complete_upload(ws: Workspace, params: Params) -> dict[str, Any]:
    """Shares the files in one file_share message per channel, carrying initial_comment as its text."""
    entries = params.decoded("files")
    if not isinstance(entries, list) or not entries:
        raise ApiError("invalid_arguments", "[ERROR] files must be a non-empty JSON array")
    files: list[StoredFile] = []
    for entry in entries:
        file = ws.uploads.get(entry.get("id", "")) if isinstance(entry, dict) else None
        if file is None or not file.uploaded:
            raise ApiError("file_not_found")
        file.title = entry.get("title") or file.name
        files.append(file)
    refs = [params.optional("channel_id"), *(params.optional("channels") or "").split(",")]
    channels = [ws.channel(ref) for ref in dict.fromkeys(r.strip() for r in refs if r and r.strip())]
    thread_ts = params.optional("thread_ts")
    comment = str(params.values.get("initial_comment") or "")
    for channel in channels:
        ws.require_bot_member(channel)
        if thread_ts:
            ws.thread_root(channel.id, thread_ts)
    shares: dict[str, Any] = {}
    for file in files:
        file.completed = True
        file.thread_ts, file.initial_comment = thread_ts, comment or None
        file.channels = [channel.id for channel in channels]
    for channel in channels:
        message = ws.new_bot_message({"text": comment}, subtype="file_share", upload=True, display_as_bot=False)
        message["files"] = [file_object(ws, file, {}) for file in files]
        ws.emit(ws.add_message(channel, message, thread_ts))
        visibility = "public" if channel.channel_type == "channel" else "private"
        share = {"ts": message["ts"], "channel_name": channel.name, "team_id": ws.identity.team_id}
        if thread_ts:
            share["thread_ts"] = message["thread_ts"]
        shares.setdefault(visibility, {})[channel.id] = [{**share, "share_user_id": ws.identity.bot_user_id}]
    return {"files": [file_object(ws, file, shares) for file in files]}
