"""Slack's events, handled from the store: one module per kind of event."""
