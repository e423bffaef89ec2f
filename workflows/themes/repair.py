"""Any engine's answer made whole: every note in exactly one theme, whatever the engine (or the LLM) returned."""

from __future__ import annotations

from collections.abc import Sequence

from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.themes.clustering.cleaning import clean
from workflows.themes.clustering.titles import note_title


def repair(drafts: Sequence[ThemeDraft], notes: Sequence[Note]) -> list[ThemeDraft]:
    """Every note in exactly one theme: unknown ids dropped, repeats kept once, forgotten notes alone."""
    known = {n.id: n for n in notes}
    seen: set[str] = set()
    repaired: list[ThemeDraft] = []
    for draft in drafts:
        ids = [i for i in dict.fromkeys(draft.ids) if i in known and i not in seen]
        seen.update(ids)
        if ids:
            repaired.append(draft.model_copy(update={"ids": ids}))
    repaired += [ThemeDraft(title=note_title(clean(n.text)), ids=[n.id]) for n in notes if n.id not in seen]
    return repaired
