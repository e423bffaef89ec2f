"""Small text helpers shared by the domain."""

from __future__ import annotations

import html
import re

# NUL and other control characters (tab and newline stay), lone UTF-16 surrogates and the bidirectional overrides
# that can make a note read backwards: PostgreSQL refuses NUL, JSON encoders refuse lone surrogates.
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def shorten(text: str, limit: int = 60) -> str:
    """One line of at most `limit` characters, cut at a word boundary with an ellipsis."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] if " " in line[: limit - 1] else line[: limit - 1]
    return cut.rstrip(" ,;:.-") + "…"


def readable(text: str) -> str:
    """The text people can read and every store can keep: control characters and bidi overrides dropped, a lone
    surrogate replaced by U+FFFD, carriage returns made newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SURROGATE.sub("\ufffd", _UNREADABLE.sub("", text))


def ts_order(ts: str) -> tuple[int, int]:
    """Slack timestamps ("1700000000.000100") in time order; compared as text, "9.5" would come after "10.1".
    A text that is no timestamp (a note carried from a previous version) comes first."""
    seconds, _, fraction = ts.partition(".")
    try:
        return int(seconds or 0), int(fraction.ljust(6, "0")[:6] or 0)
    except ValueError:
        return 0, 0


def unquoted(text: str) -> tuple[str, str]:
    """The lines a reply quotes from another ("&gt; needs finance sign-off"), and the reply's own lines after them
    ("i'll take that to finance on weds"); ("", text) when it quotes nothing, or the quotation is what it says
    ("from the branch interviews:\n&gt; I had to ask my granddaughter …")."""
    lines = html.unescape(text).splitlines()
    quoted = [line.lstrip()[1:].strip() for line in lines if line.lstrip().startswith(">")]
    own = "\n".join(line for line in lines if not line.lstrip().startswith(">")).strip()
    if not quoted or not own or re.sub(r":[a-z0-9_+'-]+:", "", own).strip().endswith(":"):  # not an emoji's colon
        return "", text
    return " ".join(quoted), own
