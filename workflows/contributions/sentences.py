"""Sentence-level helpers for text written by people, shared by the parsers of contributions."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def split_sentences(text: str) -> list[str]:
    """Sentences and lines, stripped; good enough for notes, which rarely contain "e.g." mid-sentence."""
    return [sentence.strip() for sentence in _SENTENCE_END.split(text) if sentence.strip()]


def capitalised(text: str) -> str:
    """The first letter upper-cased ("fix login" to "Fix login"), except in words like "iOS" and "eBay"."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].upper() + text[1:]
