"""The domain's `Notifier`, over Slack's Web API: posts steps, themes and the published map."""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot import blocks
from bot.text import mention
from bot.users import UserDirectory
from workflows.journey_map import STEP_ORDER, JourneyMap, Theme
from workflows.map_files import map_files, people_in
from workflows.ports import WorkshopView
from workflows.steps import STEPS, StepInfo

log = logging.getLogger(__name__)


class SlackNotifier:
    def __init__(self, client: WebClient, users: UserDirectory) -> None:
        self.client = client
        self.users = users

    def post(self, channel: str, text: str, block_list: list[dict], thread_ts: str | None = None) -> str:
        """Posts blocks, split over as many messages as Slack's limits need; returns the first message's ts."""
        first = ""
        for chunk in blocks.chunk_blocks(block_list):
            response = self.client.chat_postMessage(channel=channel, text=text, blocks=chunk, thread_ts=thread_ts)
            first = first or response["ts"]
        return first

    def post_kickoff(self, workshop: WorkshopView) -> None:
        self.post(
            workshop.channel_id,
            f"Journey mapping workshop #{workshop.id} is starting",
            blocks.kickoff(workshop),
        )

    def post_step(self, workshop: WorkshopView, step: StepInfo) -> str:
        response = self.client.chat_postMessage(
            channel=workshop.channel_id,
            text=f"Step: {step.title}. {step.question} Reply in the thread.",
            blocks=blocks.step_message(workshop, step),
            metadata=blocks.step_metadata(workshop, step),
        )
        return response["ts"]

    def post_themes(
        self,
        workshop: WorkshopView,
        step: StepInfo,
        step_ts: str,
        themes: list[Theme],
        engine_note: str | None,
    ) -> None:
        self.post(
            workshop.channel_id,
            f"{step.title}: {len(themes)} themes",
            blocks.themes_thread(step, themes, engine_note),
            thread_ts=step_ts or None,
        )
        if engine_note:  # the facilitator should know which engine made these themes, and why
            self.client.chat_postEphemeral(
                channel=workshop.channel_id, user=workshop.facilitator_id, text=f"{step.title}: {engine_note}"
            )
        position = STEP_ORDER.index(step.key)
        following = STEPS[STEP_ORDER[position + 1]] if position + 1 < len(STEP_ORDER) else None
        self.post(workshop.channel_id, f"{step.title} closed", blocks.step_summary(step, themes, following))

    def publish(self, workshop: WorkshopView, journey_map: JourneyMap) -> None:
        ts = self.post(workshop.channel_id, f"Journey map: {journey_map.objective}", blocks.map_summary(journey_map))
        # Display names, not user ids, in the files: they are read outside Slack.
        files = map_files(journey_map, self.users.names(people_in(journey_map)))
        self.client.files_upload_v2(
            channel=workshop.channel_id,
            thread_ts=ts,
            initial_comment="The full journey map, to read (`journey-map.md`) and for tools (`journey-map.json`).",
            file_uploads=[{"content": content, "filename": name, "title": name} for name, content in files.items()],
        )

    def workshop_cancelled(self, workshop: WorkshopView, by_user: str) -> None:
        self.post(
            workshop.channel_id,
            "Workshop cancelled",
            [blocks.section(f"Workshop #{workshop.id} was cancelled by {mention(by_user)}. Nothing was published.")],
        )
