"""The stop-word list shipped with the clustering is scikit-learn's, word for word: titles and `is_note` read the
same words as when they imported it (they no longer do, to keep scikit-learn out of an idle bot's memory)."""

from __future__ import annotations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as SKLEARN_STOP_WORDS

from workflows.themes.clustering.stop_words import ENGLISH_STOP_WORDS


def test_the_list_is_scikit_learns() -> None:
    assert ENGLISH_STOP_WORDS == SKLEARN_STOP_WORDS
