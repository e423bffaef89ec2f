"""A customer quote that the clusterer left alone, and that no title can name, joins the closest theme on its stage.

Teams post an interview line as evidence ("[interview] "He was lovely but it was over before I'd taken my coat
off""). Its words are the customer's, not the team's, so it often lands in a theme of its own, and the only noun
it holds makes a title that says nothing ("Coat"). On a stage it is better shown as a quote in the theme nearest
in meaning: that is what it was posted for. A quote whose words do make a title ("Appointment letter") stays.
"""

from __future__ import annotations

from collections.abc import Sequence

from workflows.mapping.quotes import is_quotation
from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.themes.clustering.naming import centre
from workflows.themes.stage_placement import TextEmbedder


def unnamed_quotes_join(
    drafts: Sequence[ThemeDraft], notes: Sequence[Note], embedder: TextEmbedder
) -> list[ThemeDraft]:
    """Each theme of quotations only, titled with a single word, merged into the closest other theme on its stage
    (kept when its stage has none)."""
    texts = {note.id: note.text for note in notes}
    lone = [
        n
        for n, draft in enumerate(drafts)
        if len(draft.title.split()) == 1 and all(is_quotation(texts[i]) for i in draft.ids)
    ]
    if not lone:
        return list(drafts)
    centres = [centre(embedder.encode([texts[i] for i in draft.ids])) for draft in drafts]
    members = [list(draft.ids) for draft in drafts]
    for n in lone:
        hosts = [m for m, draft in enumerate(drafts) if m not in lone and draft.stage == drafts[n].stage]
        if hosts:
            host = max(hosts, key=lambda m: float(centres[m] @ centres[n]))
            members[host] += members[n]
            members[n] = []
    return [draft.model_copy(update={"ids": ids}) for draft, ids in zip(drafts, members, strict=True) if ids]
