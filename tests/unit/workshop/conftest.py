"""Fixtures for the workshop's unit tests: the recording notifier the domain flows talk to instead of Slack."""

from __future__ import annotations

import pytest

from tests.recording_notifier import RecordingNotifier


@pytest.fixture
def notifier() -> RecordingNotifier:
    """A fresh recording fake per test; a test that needs channel members or a canvas refusal sets them."""
    return RecordingNotifier()
