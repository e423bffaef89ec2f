"""The Home tab, built fresh each time its user opens it."""

from __future__ import annotations

from slack_bolt import App

from bot.services import Services


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict) -> None:
        """The Home tab is built fresh each time its user opens it (the Messages tab needs nothing)."""
        if event.get("tab", "home") == "home":
            services.notifier.refresh_home([event["user"]])
