"""What a note says, without Slack's leftovers: the text that is embedded and titled (the note itself is kept).

Mentions, links and emoji codes would otherwise pull notes together for who or what they cite rather than what they
say ("@Dana Lee" in five notes is not a theme), and entities such as `&amp;` would end up in titles.
"""

from __future__ import annotations

import html
import re

from workflows.contributions import take_evidence_tag

MAX_CHARS = 2_000  # the model reads 128 tokens; a 40,000-character note needs no more than its opening

_LABELLED_LINK = re.compile(r"<(?:https?|mailto):[^|>]*\|([^>]*)>")
_SLACK_TOKEN = re.compile(r"<(?:[@#!]|https?:|mailto:)[^>]*>")
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)\S+")
# "@Dana Lee": a capitalised word after a capitalised handle is taken for a surname.
_MENTION = re.compile(r"(?<!\w)@(?:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)?|[\w.-]+)")
_SHORTCODE = re.compile(r"(?<!\w):[a-z0-9_+-]+:(?!\w)")
_MARKUP = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)")


def clean(text: str) -> str:
    """One line of plain words: links reduced to their label, mentions and emoji codes gone, entities decoded."""
    text = _SLACK_TOKEN.sub(" ", _LABELLED_LINK.sub(r" \1 ", text[: 4 * MAX_CHARS]))
    text = html.unescape(text)
    for pattern in (_URL, _MENTION, _SHORTCODE, _MARKUP):
        text = pattern.sub(" ", text)
    text = take_evidence_tag(text)[1]
    return " ".join(text.split())[:MAX_CHARS].strip()
