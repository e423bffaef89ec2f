"""Slack's requests to the bot, grouped by kind (`commands/`, `events/`, `actions/`, `views/`, `shortcuts/`), one
module per interaction, each with `register(app, services)`."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.actions import action_items as action_buttons
from bot.listeners.actions import deletion as delete_button
from bot.listeners.actions import revisions as review_buttons
from bot.listeners.actions import theme_review as theme_buttons
from bot.listeners.commands import journey
from bot.listeners.events import home, mentions, reactions, replies, uninstall
from bot.listeners.shortcuts import message_to_action
from bot.listeners.views import action_items as action_forms
from bot.listeners.views import start
from bot.listeners.views import theme_review as theme_forms
from bot.services import Services

MODULES = (
    journey,
    replies,
    reactions,
    mentions,
    home,
    uninstall,
    action_buttons,
    review_buttons,
    theme_buttons,
    delete_button,
    start,
    action_forms,
    theme_forms,
    message_to_action,
)


def register(app: App, services: Services) -> None:
    for module in MODULES:
        module.register(app, services)
