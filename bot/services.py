"""What the listeners need, built once per app."""

from __future__ import annotations

from dataclasses import dataclass

from bot.installs import InstallationStore
from bot.notifier import SlackNotifier
from bot.users import UserDirectory
from bot.worker import Worker
from workflows.setup import Database
from workflows.workshop.flows import Flows


@dataclass
class Services:
    db: Database
    users: UserDirectory
    notifier: SlackNotifier
    flows: Flows
    worker: Worker  # the workshop's jobs
    intake: Worker  # Slack's stored events
    installations: InstallationStore | None = None  # installed through OAuth: each workspace's tokens
