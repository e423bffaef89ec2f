"""A grouping from elsewhere (the LLM's) that groups notes no closer in meaning than chance is flagged for review."""

from __future__ import annotations

from workflows.themes.clustering.agreement import grouping_doubt
from workflows.themes.clustering.base import ThemeDraft

SUBJECTS = {
    "refunds": [
        "The refund took three weeks to reach my card",
        "Refunds are slow and nobody says when the money comes back",
        "I asked for my money back twice before the refund arrived",
        "Waiting on a refund with no date is infuriating",
    ],
    "login": [
        "The password reset email never arrives",
        "Two-factor codes expire before I can type them in",
        "Locked out of my account after one wrong password",
        "Signing in on a new phone asks for a code I cannot get",
    ],
    "delivery": [
        "The parcel was left outside in the rain",
        "Courier tracking said delivered but nothing came",
        "Delivery slot was missed with no call from the driver",
        "The box arrived crushed and the contents broken",
    ],
}
TEXTS = {f"{subject}-{n}": text for subject, notes in SUBJECTS.items() for n, text in enumerate(notes)}


def drafts(groups: list[list[str]]) -> list[ThemeDraft]:
    return [ThemeDraft(title=f"Theme {n}", ids=ids) for n, ids in enumerate(groups)]


def test_themes_that_follow_the_notes_subjects_raise_no_doubt() -> None:
    by_subject = [[f"{subject}-{n}" for n in range(4)] for subject in SUBJECTS]
    assert grouping_doubt(TEXTS, drafts(by_subject)) is None


def test_themes_that_mix_every_subject_are_flagged_for_review() -> None:
    mixed = [[f"{subject}-{n}" for subject in SUBJECTS] for n in range(4)]  # one note of each subject per theme
    doubt = grouping_doubt(TEXTS, drafts(mixed))
    assert doubt is not None and "review them" in doubt


def test_too_few_notes_sharing_a_theme_say_nothing_either_way() -> None:
    singles = [[note_id] for note_id in TEXTS][:-2] + [list(TEXTS)[-2:]]  # one pair only
    assert grouping_doubt(TEXTS, drafts(singles)) is None
