"""Answers that fit the schema and still cannot be used: a task's `check` names what is wrong, the client then asks
once more (the repair turn) and never caches such an answer.

A tiny model answered `{"themes": []}` for 20 notes; reading it made 20 one-note themes labelled as the LLM's,
and the cache would have served it again. The thresholds only catch answers no facilitator would accept:
- **most items left out**: an answer must place at least half of the notes (themes, groups) it was given. Reading
  an answer already puts a forgotten note in a theme of its own, which is fine for a few; when more than half are
  forgotten the "themes" are the input again, not the model's work;
- **everything in one theme**: on a board of at least 10 notes, one theme must not hold more than 90% of them.
  Ten notes written to different prompts by several people that all say one thing is rarer than a model that
  gave up; below ten notes one theme may simply be right;
- **the worked example copied**: two phrases of 30 characters or more, or one of 60, word for word in the
  prompt's example answer and not in the request (every task, `copied_example`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any

from workflows.llm.render import count

MIN_SHARE_PLACED = 0.5
LUMP_MIN_NOTES = 10
LUMP_MAX_SHARE = 0.9
# Copied from a worked example: two phrases of 30 characters or more, or one of 60, word for word in its answer and
# not in the request. One short phrase alone ("Account verification email fails") can be a good model's own title
# for a board about just that.
COPY_MIN_CHARS = 30
COPY_LONG_CHARS = 60


def left_out(noun: str, given: Iterable[str], expected: Collection[str]) -> str | None:
    """Why an answer that mentions `given` ids is unusable when `expected` were asked for, or None."""
    placed = len(set(given) & set(expected))
    if expected and placed == 0:
        return f"it placed none of the {count(len(expected), noun)}"
    if placed < MIN_SHARE_PLACED * len(expected):
        return f"it placed only {placed} of the {count(len(expected), noun)}; every {noun} id must appear once"
    return None


def lumped(theme_sizes: Iterable[int], notes: int) -> str | None:
    """Why themes of these sizes on a board of `notes` notes are no grouping at all, or None."""
    largest = max(theme_sizes, default=0)
    if notes >= LUMP_MIN_NOTES and largest > LUMP_MAX_SHARE * notes:
        return (
            f"it put {largest} of the {count(notes, 'note')} in one theme; group the notes by what they say, "
            "in several themes"
        )
    return None


def copied_example(answer: dict[str, Any], examples: Iterable[dict[str, Any]], given: str) -> str | None:
    """Why an answer that repeats a worked example's answer word for word is unusable, or None. A phrase the
    request itself holds (`given`: a note quoted as it was written) is no copy, whatever the example says.

    A 135M model given the summary prompt answered with the example's own summary ("Dana, a working parent,
    wants a healthy dinner…") for a workshop about invoicing: it fits the schema and says nothing true."""
    seen = {text for example in examples for text in _phrases(example)}
    request = _plain(given)
    copied = [text for text in _phrases(answer) if text in seen and text not in request]
    if len(copied) < 2 and not any(len(text) >= COPY_LONG_CHARS for text in copied):
        return None
    longest = max(copied, key=len)
    return f'it repeated the worked example\'s answer ("{longest[:60]}…"); answer for the notes given, not the example'


def _phrases(value: Any) -> Iterator[str]:
    """Every string in a JSON answer at least `COPY_MIN_CHARS` long, in one case and spacing."""
    if isinstance(value, str):
        text = _plain(value)
        if len(text) >= COPY_MIN_CHARS:
            yield text
    elif isinstance(value, dict):
        for item in value.values():
            yield from _phrases(item)
    elif isinstance(value, list):
        for item in value:
            yield from _phrases(item)


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()
