"""Slack text in and out: decode what Slack sends, escape whatever user text we post back."""

from __future__ import annotations

import re
from collections.abc import Callable

# <@U123>, <@U123|name>, <!channel>, <!here>, <!subteam^S123|@team>, <#C123|general>, <http://x|label>
_TOKEN = re.compile(r"<([^<>]+)>")


def escape(text: str) -> str:
    """Only &, < and > are control characters in Slack text; escaped, no user text can ping anyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def decode(raw: str, user_name: Callable[[str], str]) -> tuple[str, list[tuple[str, str]]]:
    """Slack's encoded text to plain text, and the user mentions in it as (user id, label) in order.

    Mentions become `@label`, special mentions `@channel`/`@here` as plain words, links their label or URL.
    """
    mentions: list[tuple[str, str]] = []

    def replace(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):
            user_id = target[1:]
            name = label or user_name(user_id)
            mentions.append((user_id, name))
            return f"@{name}"
        if target.startswith("!subteam^"):
            return label or "@team"
        if target.startswith("!"):
            return "@" + target[1:].split("^")[0]
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        return label or target.removeprefix("mailto:")

    return _unescape(_TOKEN.sub(replace, raw)), mentions


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words with "…" (mid-word only when one word fills half)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" \n,;:-") + "…"


def fit(text: str, limit: int) -> str:
    """Escaped user text of at most `limit` characters, never cutting an `&amp;`-style entity in half."""
    plain = text
    while len(escaped := escape(plain)) > limit:
        plain = truncate(plain, max(1, len(plain) - (len(escaped) - limit)))
        if len(plain) <= 1:
            return escape(plain)[:limit]
    return escaped
