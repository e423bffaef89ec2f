"""The domain's `Notifier`, over Slack's Web API: posts steps, themes and the published map."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks, reminder_blocks, revision_blocks
from bot.action_blocks import action_card
from bot.home import home_view
from bot.text import mention
from bot.users import UserDirectory
from workflows.journey_map import STEP_ORDER, ActionItem, JourneyMap, Theme
from workflows.map_files import map_files, people_in
from workflows.ports import ActionEntry, HomeData, ReminderReason, WeeklyDigest, WorkshopView
from workflows.revisions import MapChanges, PreviousTheme, ReviewPrompt
from workflows.steps import STEPS, StepInfo

log = logging.getLogger(__name__)


class SlackNotifier:
    def __init__(
        self,
        client: WebClient,
        users: UserDirectory,
        homes: Callable[[str], HomeData],
        today: Callable[[], date] = date.today,
    ) -> None:
        self.client = client
        self.users = users
        self.homes = homes  # what a user's Home tab shows, read from the database
        self.today = today

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

    # --- revisions ---
    def post_review_prompt(self, prompt: ReviewPrompt) -> None:
        self.post(prompt.workshop.channel_id, "Time to review this journey map", revision_blocks.review_prompt(prompt))

    def post_previous_themes(
        self, workshop: WorkshopView, step: StepInfo, step_ts: str, themes: list[PreviousTheme]
    ) -> None:
        text = f"{step.title}: the previous version's themes"
        self.post(workshop.channel_id, text, revision_blocks.previous_themes(step, themes), thread_ts=step_ts)

    def post_changes(self, changes: MapChanges) -> None:
        titles = {key.value: info.title for key, info in STEPS.items()}
        text = f"What changed since version {changes.previous_version}"
        self.post(changes.workshop.channel_id, text, revision_blocks.map_changes(changes, titles))

    # --- deadlines, reminders, digests ---
    def direct_message(self, user_id: str, text: str, block_list: list[dict]) -> None:
        channel = self.client.conversations_open(users=user_id)["channel"]["id"]
        self.post(channel, text, block_list)

    def timezone_of(self, user_id: str) -> str:
        return self.users.timezone(user_id)

    def channel_members(self, channel_id: str) -> list[str]:
        members: list[str] = []
        cursor = None
        while True:
            page = self.client.conversations_members(channel=channel_id, cursor=cursor, limit=200)
            members += page["members"]
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return [m for m in members if self.users.is_human(m)]

    def nudge_step(
        self, workshop: WorkshopView, step: StepInfo, step_ts: str, deadline: datetime, waiting_on: list[str]
    ) -> None:
        text = f"{step.title} closes in about a day"
        self.post(
            workshop.channel_id,
            text,
            reminder_blocks.step_nudge_thread(step, deadline, len(waiting_on)),
            thread_ts=step_ts or None,
        )
        for user_id in waiting_on:
            self.direct_message(user_id, text, reminder_blocks.step_nudge_dm(workshop, step, deadline))

    def step_closed_at_deadline(self, workshop: WorkshopView, step: StepInfo) -> None:
        self.post(workshop.channel_id, f"{step.title} closed at its deadline", reminder_blocks.step_closed_note(step))

    def remind_action(self, action: ActionItem, reason: ReminderReason, today: date) -> None:
        if action.owner:
            text = f"Reminder: {action.id} is {'overdue' if reason is ReminderReason.overdue else 'due soon'}"
            self.direct_message(action.owner, text, reminder_blocks.reminder(action, reason, today))

    def post_digest(self, digest: WeeklyDigest) -> None:
        self.post(digest.workshop.channel_id, "Weekly digest of the journey map", reminder_blocks.digest(digest))

    def action_assigned(self, entry: ActionEntry) -> None:
        action = entry.action
        if action.owner:
            lead = f"You own this action from the journey map in <#{entry.channel_id}>:"
            text = f"You own action {action.id}: {blocks.fit(action.title, 200)}"
            self.direct_message(action.owner, text, action_card(action, self.today(), lead=lead))

    def refresh_home(self, user_ids: Iterable[str]) -> None:
        """One failed publish is logged, not raised: the tab is rebuilt anyway whenever its user opens it."""
        for user_id in sorted(set(user_ids)):
            try:
                self.client.views_publish(user_id=user_id, view=home_view(self.homes(user_id), self.today()))
            except SlackApiError as failure:
                log.warning("views.publish failed for a user: %s", failure.response.get("error"))
