"""HTTP plumbing: the paths the stand-in serves and how it reads Slack-style request bodies."""

from __future__ import annotations

import json
from email.message import Message
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from journeybot.standin import response_urls
from journeybot.standin.methods import files
from journeybot.standin.params import ApiError

if TYPE_CHECKING:
    from journeybot.standin.server import SlackStandIn


def read_params(headers: Message, query: str, body: bytes) -> tuple[dict[str, Any], str | None]:
    """Form or JSON body plus query string; the token from the Authorization header or, as Slack allows, a
    token field (JSON bodies must use the header)."""
    values: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    content_type = headers.get_content_type()
    if content_type == "application/json":
        try:
            decoded = json.loads(body or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ApiError("invalid_json") from None
        if not isinstance(decoded, dict):
            raise ApiError("invalid_json")
        decoded.pop("token", None)
        values.update(decoded)
    elif content_type == "application/x-www-form-urlencoded":
        values.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    elif body:
        raise ApiError("invalid_form_data")
    field_token = values.pop("token", None)
    authorization = headers.get("Authorization", "")
    token = authorization.removeprefix("Bearer ").strip() if authorization.startswith("Bearer ") else field_token
    return values, token or None


def make_handler(standin: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """Routes /api/<method>, the upload URL, response URLs and private file downloads."""

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            section, _, rest = url.path.lstrip("/").partition("/")
            if section == "api":
                status, extra, answer = standin.call_api(rest, self.headers, url.query, body)
                self._send(status, json.dumps(answer).encode(), "application/json; charset=utf-8", extra)
            elif section == "upload" and rest.startswith("v1/"):
                status, text = files.receive_upload(standin, rest.removeprefix("v1/"), body)
                self._send(status, text.encode(), "text/plain; charset=utf-8")
            elif section == "response_url":
                status, answer = response_urls.post(standin, rest, body)
                self._send(status, json.dumps(answer).encode(), "application/json; charset=utf-8")
            elif section == "files-pri":
                self._download(unquote(rest))
            else:
                self._send(404, b"Not Found", "text/plain")

        do_GET = do_POST

        def _download(self, rest: str) -> None:
            """url_private(_download) needs the bot token, as Slack's private file URLs do."""
            file_id = rest.partition("/")[0].partition("-")[2]
            if self.headers.get("Authorization", "") != f"Bearer {standin.bot_token}":
                self._send(403, b"Forbidden", "text/plain")
                return
            file = files.download(standin, file_id)
            if file is None:
                self._send(404, b"Not Found", "text/plain")
            else:
                self._send(200, file.content, "application/octet-stream")

        def _send(self, status: int, payload: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the call log is the record, not stderr."""

    return Handler
