"""What stops the demo."""

from __future__ import annotations


class DemoError(RuntimeError):
    """The demo could not finish; the message says where it stopped."""
