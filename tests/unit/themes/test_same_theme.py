"""A step's same-theme judge: notes that say the same uncommon words, answer each other or build on each other go
together, however differently a sentence model reads them."""

from __future__ import annotations

import numpy as np
import pytest

from workflows.contributions.parsing import take_evidence_tag
from workflows.mapping.models import StepKey
from workflows.themes.clustering.base import Note
from workflows.themes.clustering.cleaning import content_words
from workflows.themes.clustering.embedded import EmbeddedEngine
from workflows.themes.clustering.same_theme import FEATURES, Judge, judge_for, pair_features
from workflows.themes.service import StepPlan, cluster_notes
from workflows.themes.subjects import key_phrase_of
from workflows.workshop.stages import resolve_stage_model

LIBRARY = resolve_stage_model("Discover, Borrow, Renew, Return")
# A step says many things: a word two of its notes share is uncommon only against the rest.
GYM = [
    "the price checker hides the joining fee",
    "price checker is the top exit page on mobile",
    "the tour is a sales pitch",
    "advisors earn commission on the contract",
    "the induction is one session and then nothing",
    "classes at 6pm are always full",
    "cancelling needs a letter by recorded delivery",
    "the app crashes on login",
]


def _features(notes: list[Note], texts: list[str], replies: list[int]) -> dict[str, np.ndarray]:
    vectors = np.eye(len(notes))  # unlike in meaning: only the other features can join them
    said = [content_words(text) for text in texts]
    return dict(pair_features(notes, vectors, said, said, replies))


def _judge(**weights: float) -> Judge:
    return Judge(weights=dict.fromkeys(FEATURES, 0.0) | weights, intercept=-5.0, floor=0.5)


@pytest.mark.parametrize("step", [StepKey.persona, StepKey.touchpoints, StepKey.pain_points])
def test_the_steps_with_many_small_themes_have_a_fitted_judge(step: StepKey) -> None:
    judge = judge_for(step)
    assert judge is not None
    assert set(judge.weights) <= set(FEATURES)
    assert 0 < judge.floor < 1


@pytest.mark.parametrize("step", [StepKey.persona, StepKey.touchpoints, StepKey.pain_points])
def test_every_judge_finds_notes_nearer_in_meaning_likelier_to_share_a_theme(step: StepKey) -> None:
    vectors = np.random.default_rng(7).normal(size=(len(GYM), 32))
    vectors[1] = vectors[0] + 0.6 * vectors[1]  # near the first note, and nothing else changes
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [f"note {word}" for word in ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")]
    notes = [Note(id=str(n), text=text) for n, text in enumerate(texts)]
    words = [content_words(text) for text in texts]
    chances = judge_for(step).chances(pair_features(notes, vectors, words, words, list(range(len(notes)))))
    assert chances[0, 1] > 2 * chances[0, 2:].max()


@pytest.mark.parametrize("step", [StepKey.touchpoints, StepKey.pain_points])
def test_the_judges_of_touchpoints_and_pain_points_find_notes_sharing_an_uncommon_word_likelier_to_share_one(
    step: StepKey,
) -> None:
    """Not the persona's: its notes share words across its parts ("she", the product)."""
    notes = [Note(id=str(n), text=text) for n, text in enumerate(GYM)]
    chances = judge_for(step).chances(iter(_features(notes, GYM, [0, 2, 4, 6, 8, 10, 12, 14]).items()))
    assert chances[0, 1] > 2 * chances[0, 2:].max()


def test_two_notes_each_others_nearest_stand_out_among_their_neighbours() -> None:
    """Most touchpoints are a theme of one or two notes: how a pair stands among each note's neighbours says more
    than its cosine."""
    vectors = np.array(
        [
            [1.0, 0.0, 0.0, 0.0],  # far from all but the next: a cosine of 0.6 says much
            [0.6, 0.8, 0.0, 0.0],
            [0.0, 0.8, 0.6, 0.0],  # near the one before and the next
            [0.0, 0.6, 0.8, 0.0],
            [0.0, 0.0, 0.0, 1.0],
        ]
    )
    texts = ["drop box", "drop box full", "self checkout", "checkout kiosk", "renewal cap"]
    notes = [Note(id=str(n), text=text) for n, text in enumerate(texts)]
    words = [content_words(text) for text in texts]
    features = dict(pair_features(notes, vectors, words, words, list(range(len(notes)))))
    assert features["nearest_meaning"][0, 1] == features["nearest_meaning"][2, 3] == 1.0
    assert features["nearest_meaning"][0, 2] < 1.0
    assert features["meaning_standing"][0, 1] > features["meaning_standing"][0, 2]
    assert features["nearest_words"][0, 1] == 1.0, "they share 'drop box'"
    assert features["nearest_words"][0, 4] == 0.0, "no word shared is no neighbour in words"


def test_notes_near_the_same_others_share_neighbours() -> None:
    """Two groups of six, far apart: each note's five nearest are the rest of its group."""
    vectors = np.random.default_rng(3).normal(size=(12, 32))
    vectors[:6] = vectors[0] + 0.3 * vectors[:6]
    vectors[6:] = vectors[6] + 0.3 * vectors[6:]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [f"note {n}" for n in range(len(vectors))]
    notes = [Note(id=str(n), text=text) for n, text in enumerate(texts)]
    words = [content_words(text) for text in texts]
    shared = dict(pair_features(notes, vectors, words, words, list(range(len(notes)))))["shared_neighbours"]
    assert shared[1, 2] == shared[7, 8] == pytest.approx(0.8), "four of their five nearest"
    assert shared[:6, 6:].max() == 0.0


def test_the_objective_and_the_action_plan_have_none() -> None:
    assert judge_for(StepKey.objective) is None
    assert judge_for(StepKey.action_plan) is None


def test_notes_that_share_an_uncommon_word_are_alike_in_words_and_a_word_every_note_says_counts_for_nothing() -> None:
    notes = [Note(id=str(n), text=text) for n, text in enumerate(GYM)]
    words = _features(notes, GYM, list(range(len(GYM))))["words"]
    assert words[0, 1] > 0.2
    assert words[0, 2:].max() == 0.0
    every_note = [f"gym {text}" for text in GYM]
    assert _features(notes, every_note, list(range(len(GYM))))["words"][0, 2:].max() == 0.0


def test_a_note_that_says_another_notes_key_phrase_names_it() -> None:
    """ "NPS promoters see the referral link" is about the referral link, though it opens on NPS promoters."""
    texts = [
        "Advocacy: referral link in the app footer, give £100 get £100",
        "NPS promoters see the referral link on the survey thank-you page",
        "Trustpilot review request email after the third pay run",
    ]
    stages = resolve_stage_model("b2b")
    notes = [Note(id=str(n), text=text, key_phrase=key_phrase_of(text, stages)) for n, text in enumerate(texts)]
    assert notes[0].key_phrase == "Referral link"
    named = _features(notes, texts, [0, 1, 2])["names_other"]
    assert named[0, 1] == named[1, 0] == 1.0
    assert named[0, 2] == named[1, 2] == 0.0


def test_the_thread_says_which_notes_answer_each_other() -> None:
    notes = [
        Note(id="a", text="Renew: you can only renew twice", stage="Renew"),
        Note(id="b", text="31% of overdue fines hit the renewal cap", stage="Renew", builds_on="a"),
        Note(id="c", text="the drop box is full by noon", stage=None),
        Note(id="d", text="the drop box jams", stage=None),
    ]
    features = _features(notes, [note.text for note in notes], [0, 1, 2, 2])
    assert features["next_reply"][0, 1] == features["next_reply"][1, 0] == 1.0
    assert features["next_reply"][0, 2] == 0.0
    assert features["same_reply"][2, 3] == 1.0 and features["same_reply"][1, 2] == 0.0
    assert features["builds_on"][0, 1] == features["builds_on"][1, 0] == 1.0
    assert features["same_stage"][0, 1] == 1.0
    assert features["same_stage"][2, 3] == 0.0, "no stage known is no stage shared"


def test_notes_labelled_differently_say_different_things() -> None:
    notes = [
        Note(id="a", text="Context: invoices in short bursts between jobs", label="context"),
        Note(id="b", text="Expectation: set up in one sitting", label="expectation"),
        Note(id="c", text="Expectation: money in the bank in 1-2 days", label="expectation"),
        Note(id="d", text="57% of trial sessions are on mobile web"),
    ]
    other = _features(notes, [note.text for note in notes], [0, 0, 0, 1])["other_label"]
    assert other[0, 1] == other[0, 2] == 1.0
    assert other[1, 2] == 0.0, "the same label"
    assert other[0, 3] == 0.0, "no label says nothing"


def test_a_judge_groups_the_pairs_its_weights_say_are_likely_and_no_others() -> None:
    notes = [Note(id=str(n), text=text) for n, text in enumerate(GYM)]
    features = _features(notes, GYM, list(range(len(GYM))))
    by_words = _judge(words=30.0).group(iter(features.items()))
    assert by_words[0] == by_words[1]
    assert len(set(by_words)) == len(GYM) - 1, "every other note on its own"
    replies = [0, 1, 5, 6, 10, 11, 15, 16]  # four notes, each with an answer right after it
    by_replies = _judge(next_reply=10.0).group(iter(_features(notes, GYM, replies).items()))
    assert [list(by_replies).count(label) for label in by_replies] == [2] * len(GYM)
    assert all(by_replies[n] == by_replies[n + 1] for n in range(0, len(GYM), 2))


def test_pain_points_are_grouped_by_what_they_are_about_and_evidence_joins_the_pain_it_backs() -> None:
    texts = [
        "Discover: the catalogue search can't find a title if you make one typo",
        "catalogue search results list the e-book and the paperback as two separate items",
        "Borrow: self-checkout kiosks reject library cards with a worn barcode",
        "Renew: you can only renew twice, then the book has to come back in person",
        "[analytics] 31% of overdue fines are on loans that hit the renewal cap",
        "Return: the drop box at Central is full by Saturday noon",
        '[interview] "I had to carry six books home again because the drop box was jammed"',
    ]
    # as the bot records them: the evidence tag taken off the text and kept with the note
    tags = [take_evidence_tag(text) for text in texts]
    notes = [Note(id=str(n), text=text, reply=str(n), tagged=tag is not None) for n, (tag, text) in enumerate(tags)]
    drafts = cluster_notes(EmbeddedEngine(), notes, StepPlan(LIBRARY, judge=judge_for(StepKey.pain_points)))
    groups = sorted(draft.ids for draft in drafts)
    assert groups == [["0", "1"], ["2"], ["3", "4"], ["5", "6"]]
    assert {draft.stage for draft in drafts if draft.ids == ["5", "6"]} == {"Return"}


def test_what_kind_of_note_each_is_a_source_a_figure_or_a_strong_feeling() -> None:
    """Such notes are said about a touchpoint or a pain someone has named: the judge weighs how many of a pair are
    of each kind."""
    notes = [
        Note(id="plain", text="the drop box by the main doors"),
        Note(id="tagged", text="they queue for the drop box at opening", tagged=True),  # "[observation] …"
        Note(id="quoted", text='"I had to carry six books home again"'),
        Note(id="figure", text="31% of returns come in through the drop box"),
        Note(id="felt", text="people hate the drop box :rage:"),
        Note(id="mild", text="the drop box is a bit slow"),
    ]
    features = _features(notes, [note.text for note in notes], list(range(len(notes))))
    assert features["one_sourced"][0, 1] == features["one_sourced"][0, 2] == 1.0
    assert features["both_sourced"][1, 2] == 1.0 and features["one_sourced"][1, 2] == 0.0
    assert features["one_counted"][0, 3] == 1.0 and features["one_counted"][0, 1] == 0.0
    assert features["one_felt"][0, 4] == 1.0
    assert features["one_felt"][0, 5] == 0.0, "a mild complaint is no strong feeling"
    assert features["both_felt"][4, 4] == 1.0 and features["both_felt"][0, 4] == 0.0
