"""How inputs are shown to the model: short stable ids (n1, t1, …) and one line per note, redacted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from workflows.llm.redaction import Shield
from workflows.mapping.models import Contribution, Theme
from workflows.workshop.stages import StageDef

T = TypeVar("T")

# A theme shows at most this many of its notes (the first is its representative quote): enough to name and
# judge it, and token use then grows with the number of themes, not with the number of notes.
NOTES_PER_THEME = 6


def short_ids(prefix: str, items: Sequence[T]) -> dict[str, T]:
    """n1, n2, …: cheaper than the caller's ids, and the same on every run, so recorded requests match."""
    return {f"{prefix}{number}": item for number, item in enumerate(items, start=1)}


def theme_listing(
    themes: dict[str, Theme], shield: Shield, note_prefix: str | None = None
) -> tuple[str, dict[str, Contribution]]:
    """Each theme as its id, title and note count, then its first notes; with `note_prefix` the notes get ids too
    (returned, so a quote can be traced to its author)."""
    lines: list[str] = []
    shown: dict[str, Contribution] = {}
    for theme_id, theme in themes.items():
        lines.append(f"{theme_id}: {shield.send(theme.title)} ({count(len(theme.contributions), 'note')})")
        for contribution in theme.contributions[:NOTES_PER_THEME]:
            if note_prefix is None:
                lines.append(f"  - {shield.send(contribution.text)}")
            else:
                note_id = f"{note_prefix}{len(shown) + 1}"
                shown[note_id] = contribution
                lines.append(f"  - {note_id}: {shield.send(contribution.text)}")
    return "\n".join(lines), shown


def count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def stage_listing(stages: Sequence[StageDef]) -> str:
    return "\n".join(
        f"- {stage.name}" if stage.description == stage.name else f"- {stage.name}: {stage.description}"
        for stage in stages
    )


def theme_inputs(themes: Sequence[Theme]) -> list[dict[str, Any]]:
    """What a synthesis answer depends on, for the cache key."""
    return [theme.model_dump(mode="json") for theme in themes]
