"""The domain's `Notifier`, over Slack's Web API: posts steps, themes and the published map."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import blocks, reminder_blocks, revision_blocks
from bot.action_blocks import action_card
from bot.blocks import button
from bot.canvas import canvas_markdown, canvas_title
from bot.home import home_view
from bot.text import escape, fit, mention
from bot.theme_editor_blocks import EDIT_THEMES, draft_buttons
from bot.users import UserDirectory
from workflows.jobs.outbox import Outbox
from workflows.logs import current_ids
from workflows.mapping.models import STEP_ORDER, ActionItem, JourneyMap, Theme
from workflows.ports import (
    ActionEntry,
    CanvasResult,
    HomeData,
    ReminderReason,
    ThemeChanges,
    ThemePosts,
    WeeklyDigest,
    WorkshopView,
)
from workflows.render import file_name, map_files, render
from workflows.revisions.service import MapChanges, PreviousTheme, ReviewPrompt
from workflows.themes import reactions
from workflows.workshop.steps import STEPS, StepInfo

log = logging.getLogger(__name__)
CANVAS_GONE = {"canvas_not_found", "canvas_deleted"}  # someone deleted the map's canvas: make a new one
CLOCK_SKEW_S = 60  # a lost post is looked for from this long before its call was written down


def _file_id(response: dict) -> str | None:
    shared = response.get("files") or [response.get("file") or {}]
    return shared[0].get("id")


class SlackNotifier:
    def __init__(
        self,
        client: WebClient,
        users: UserDirectory,
        homes: Callable[[str, str | None], HomeData],
        outbox: Outbox,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.client = client
        self.outbox = outbox  # a job's posts are keyed (`key=`), so the job run again never repeats one
        self.users = users
        self.homes = homes  # what a user's Home tab shows, read from the database
        self.today = today

    def post(
        self, channel: str, text: str, block_list: list[dict], thread_ts: str | None = None, key: str | None = None
    ) -> str:
        """Posts blocks, split over as many messages as Slack's limits need; returns the first message's ts.

        With a `key`, each message is posted once whatever happens: a job run again finds it posted."""
        first = ""
        for part, chunk in enumerate(blocks.chunk_blocks(block_list)):
            if key:
                ts = self.post_once(f"{key}:{part}", channel, text, chunk, thread_ts=thread_ts)
            else:
                ts = self.client.chat_postMessage(channel=channel, text=text, blocks=chunk, thread_ts=thread_ts)["ts"]
            first = first or ts or ""
        return first

    def post_once(
        self,
        key: str,
        channel: str,
        text: str,
        block_list: list[dict],
        thread_ts: str | None = None,
        metadata: dict | None = None,
    ) -> str:
        """Posts a message once whatever happens: it carries its key, so one whose record a crash lost is found in
        the channel instead of posted again."""
        metadata = blocks.keyed_metadata(metadata, key)
        return self.outbox.once(
            key,
            lambda: self.client.chat_postMessage(
                channel=channel, text=text, blocks=block_list, thread_ts=thread_ts, metadata=metadata
            )["ts"],
            find=lambda since: self._find_post(key, channel, thread_ts, since),
        )

    def _find_post(self, key: str, channel: str, thread_ts: str | None, since: datetime) -> str | None:
        oldest = f"{since.timestamp() - CLOCK_SKEW_S:.6f}"
        window = {"channel": channel, "oldest": oldest, "include_all_metadata": True, "limit": 200}
        try:
            if thread_ts:
                pages = self.client.conversations_replies(ts=thread_ts, **window)
            else:
                pages = self.client.conversations_history(**window)
            for page in pages:
                for message in page.get("messages") or []:
                    if blocks.post_key(message) == key:
                        return message["ts"]
        except SlackApiError as failure:  # e.g. no history scope for a DM: post again rather than not at all
            log.info("could not look for an earlier post %s: %s", key, failure.response.get("error"))
        return None

    def post_kickoff(self, workshop: WorkshopView) -> None:
        self.post(
            workshop.channel_id,
            f"Journey mapping workshop #{workshop.id} is starting",
            blocks.kickoff(workshop),
            key=f"w{workshop.id}:kickoff",
        )

    def post_step(self, workshop: WorkshopView, step: StepInfo) -> str:
        return self.post_once(
            f"w{workshop.id}:{step.key.value}:question",
            workshop.channel_id,
            f"Step: {step.title}. {step.question} Reply in the thread.",
            blocks.step_message(workshop, step),
            metadata=blocks.step_metadata(workshop, step),
        )

    def post_themes(
        self,
        workshop: WorkshopView,
        step: StepInfo,
        step_ts: str,
        themes: list[Theme],
        engine_note: str | None,
        step_id: int,
        reopened: int = 0,
    ) -> ThemePosts:
        text, thread = f"{step.title}: {len(themes)} themes", step_ts or None
        key = f"w{workshop.id}:{step.key.value}" + (f":r{reopened}" if reopened else "")
        if step.key in reactions.PROMPTS and themes:
            # One message per theme: a reaction on it rates or votes for that theme and no other.
            intro = blocks.themes_intro(step, themes, engine_note)
            thread_ts = self.post(workshop.channel_id, text, intro, thread_ts=thread, key=f"{key}:themes")
            message_ts: list[str | None] = [
                self.post_theme(workshop, step, thread, t, key=f"{key}:theme:{number}")
                for number, t in enumerate(themes)
            ]
        else:
            thread_blocks = blocks.themes_thread(step, themes, engine_note)
            thread_ts = self.post(workshop.channel_id, text, thread_blocks, thread_ts=thread, key=f"{key}:themes")
            message_ts = [None] * len(themes)
        if engine_note:  # the facilitator should know which engine made these themes, and why
            self.outbox.once(
                f"{key}:engine-note",
                lambda: self.client.chat_postEphemeral(
                    channel=workshop.channel_id, user=workshop.facilitator_id, text=f"{step.title}: {engine_note}"
                ).get("message_ts"),
            )
        position = STEP_ORDER.index(step.key)
        following = STEPS[STEP_ORDER[position + 1]] if position + 1 < len(STEP_ORDER) else None
        review = button(EDIT_THEMES, "Review themes", str(step_id))
        summary = blocks.step_summary(step, themes, following, edit=review)
        self.post(workshop.channel_id, f"{step.title} closed", summary, key=f"{key}:closed")
        return ThemePosts(thread_ts=thread_ts or None, theme_ts=message_ts)

    def post_theme(self, workshop: WorkshopView, step: StepInfo, thread_ts: str | None, theme: Theme, key: str) -> str:
        """A theme's own message in its step's thread, where people rate it or vote on it."""
        metadata = blocks.theme_metadata(workshop, step, theme)
        block_list = [blocks.theme_block(theme)]
        return self.post_once(key, workshop.channel_id, fit(theme.title, 200), block_list, thread_ts, metadata)

    def show_themes(self, changes: ThemeChanges) -> dict[int, str]:
        """Brings a reviewed step's messages up to date in place: each changed theme's own message, a merged
        theme's message (now pointing to where its notes went), the thread's list; new themes get a message of
        their own. Returns the new messages' ts by theme row id."""
        channel, step = changes.workshop.channel_id, STEPS[changes.step]
        for theme_ts, theme in changes.changed:
            self._update(channel, theme_ts, fit(theme.title, 200), [blocks.theme_block(theme)])
        for theme_ts, title, into in changes.removed:
            if into:
                note = f"~{fit(title, 150)}~ was merged into *{fit(into, 150)}* by the facilitator: rate or vote there."
                self._update(channel, theme_ts, f"Merged into {fit(into, 150)}", [blocks.section(note)])
            else:
                note = f"~{fit(title, 150)}~ was set aside by the facilitator: not part of the map."
                self._update(channel, theme_ts, "Set aside", [blocks.section(note)])
        for theme_ts, title in changes.regrouped:
            note = f"~{fit(title, 150)}~: the facilitator grouped this step's notes again; see the themes below."
            self._update(channel, theme_ts, "Grouped again", [blocks.section(note)])
        if changes.themes_ts and step.key not in reactions.PROMPTS:
            listing = blocks.chunk_blocks(blocks.themes_thread(step, changes.themes, None))[0]
            self._update(channel, changes.themes_ts, f"{step.title}: {len(changes.themes)} themes", listing)
        key = f"w{changes.workshop.id}:{step.key.value}:theme-row"
        return {
            row_id: self.post_theme(changes.workshop, step, changes.thread_ts, theme, key=f"{key}:{row_id}")
            for row_id, theme in changes.added
        }

    def _update(self, channel: str, ts: str, text: str, block_list: list[dict]) -> None:
        self.client.chat_update(channel=channel, ts=ts, text=text, blocks=block_list)

    def show_progress(self, workshop: WorkshopView, text: str, key: str) -> None:
        self.outbox.once(
            key,
            lambda: self.client.chat_postEphemeral(
                channel=workshop.channel_id, user=workshop.facilitator_id, text=f":hourglass_flowing_sand: {text}"
            ).get("message_ts"),
        )

    def send_draft(
        self, workshop: WorkshopView, journey_map: JourneyMap, steps: list[tuple[str, int]], number: int
    ) -> None:
        dm = self.client.conversations_open(users=workshop.facilitator_id)["channel"]["id"]
        key = f"w{workshop.id}:draft{number}"
        lead = blocks.section(
            ":memo: *Your journey map is ready for review.* Only you can see this draft: nothing goes to the channel "
            "until you press *Publish*. If a theme is off, review its step first: the map is made again from your "
            "changes when you publish."
        )
        summary = [lead, *blocks.map_summary(journey_map), *draft_buttons(workshop.id, steps)]
        self.post(dm, f"Draft journey map: {fit(journey_map.objective, 200)}", summary, key=key)
        picture = render(journey_map, "png")  # the picture only: the draft needs none of the other files
        self._share(f"{key}:picture", dm, "The draft map as a picture.", {f"draft-{file_name('png')}": picture})

    def prompt_reactions(self, workshop: WorkshopView, step: StepInfo, message_ts: list[str | None]) -> None:
        """One-click prompts: the bot's own reactions on each theme's message (its own are never counted)."""
        for ts in [ts for ts in message_ts if ts][: reactions.MAX_PROMPTED_THEMES]:
            for name in reactions.PROMPTS.get(step.key, ()):
                try:
                    self.client.reactions_add(channel=workshop.channel_id, timestamp=ts, name=name)
                except SlackApiError as failure:  # a missing prompt costs one click; the theme is still rateable
                    log.warning("reactions.add %s failed: %s", name, failure.response.get("error"))

    def publish(self, workshop: WorkshopView, journey_map: JourneyMap) -> None:
        key = f"w{workshop.id}:map"
        title = f"Journey map: {fit(journey_map.objective, 200)}"
        ts = self.post(workshop.channel_id, title, blocks.map_summary(journey_map), key=key)
        files = map_files(journey_map)
        image = file_name("png")
        comment = f"The journey map, version {journey_map.version}, as a picture for slides and walls."
        self._share(f"{key}:picture", workshop.channel_id, comment, {image: files.pop(image)})
        comment = "The full map: a printable page, the actions as a spreadsheet, Markdown and JSON."
        self._share(f"{key}:files", workshop.channel_id, comment, files, thread_ts=ts)

    def _share(
        self, key: str, channel: str, comment: str, files: dict[str, bytes], thread_ts: str | None = None
    ) -> None:
        """Uploads files to a channel (or a thread) once, whatever happens: keyed like a post."""
        uploads = [{"content": data, "filename": name, "title": name} for name, data in files.items()]
        self.outbox.once(
            key,
            lambda: _file_id(
                self.client.files_upload_v2(
                    channel=channel, thread_ts=thread_ts, initial_comment=comment, file_uploads=uploads
                )
            ),
        )

    def display_names(self, user_ids: set[str]) -> dict[str, str]:
        return self.users.names(user_ids)

    def put_canvas(self, workshop: WorkshopView, journey_map: JourneyMap, canvas_id: str | None) -> CanvasResult:
        content = {"type": "markdown", "markdown": canvas_markdown(journey_map)}
        if canvas_id:
            try:
                self.client.canvases_edit(
                    canvas_id=canvas_id, changes=[{"operation": "replace", "document_content": content}]
                )
                return CanvasResult(canvas_id=canvas_id)
            except SlackApiError as failure:
                error = failure.response.get("error") or "unknown_error"
                if error not in CANVAS_GONE:
                    log.warning("canvases.edit refused: %s", error)
                    return CanvasResult(canvas_id=canvas_id, refused=error)
                log.info("the map's canvas is gone (%s): creating a new one", error)
        try:
            made = self.outbox.once(
                f"w{workshop.id}:canvas",
                lambda: self.client.canvases_create(
                    title=canvas_title(journey_map), document_content=content, channel_id=workshop.channel_id
                )["canvas_id"],
            )
        except SlackApiError as failure:
            error = failure.response.get("error") or "unknown_error"
            log.warning("canvases.create refused: %s", error)
            return CanvasResult(refused=error)
        return CanvasResult(canvas_id=made)

    def canvas_refused(self, workshop: WorkshopView, reason: str) -> None:
        self.post(
            workshop.channel_id,
            "No canvas for the journey map in this workspace",
            [
                blocks.section(
                    f":information_source: Slack refused to let journeybot create or update a canvas here "
                    f"(`{escape(reason)}`), so the journey map lives in the picture and files above. A workspace "
                    "admin can allow canvases for apps; journeybot tries again with the next version and will not "
                    "repeat this note."
                )
            ],
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
        themes_blocks = revision_blocks.previous_themes(step, themes)
        key = f"w{workshop.id}:{step.key.value}:previous"
        self.post(workshop.channel_id, text, themes_blocks, thread_ts=step_ts, key=key)

    def post_changes(self, changes: MapChanges) -> None:
        titles = {key.value: info.title for key, info in STEPS.items()}
        text = f"What changed since version {changes.previous_version}"
        key = f"w{changes.workshop.id}:changes"
        self.post(changes.workshop.channel_id, text, revision_blocks.map_changes(changes, titles), key=key)

    # --- deadlines, reminders, digests ---
    def direct_message(self, user_id: str, text: str, block_list: list[dict], key: str | None = None) -> None:
        channel = self.client.conversations_open(users=user_id)["channel"]["id"]
        self.post(channel, text, block_list, key=key)

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

    def step_reopened(self, workshop: WorkshopView, step: StepInfo, step_ts: str, deadline: datetime | None) -> None:
        note = reminder_blocks.step_reopened(step, deadline)
        self.post(workshop.channel_id, f"Back to {step.title}", note)
        self.post(workshop.channel_id, f"Back to {step.title}", note, thread_ts=step_ts or None)

    def step_closed_at_deadline(self, workshop: WorkshopView, step: StepInfo) -> None:
        self.post(workshop.channel_id, f"{step.title} closed at its deadline", reminder_blocks.step_closed_note(step))

    def remind_owner(self, owner_id: str, due: list[tuple[ActionItem, ReminderReason]], today: date) -> None:
        if len(due) == 1:
            action, reason = due[0]
            text = f"Reminder: {action.id} is {'overdue' if reason is ReminderReason.overdue else 'due soon'}"
        else:
            text = f"Reminder: {len(due)} of your actions are due soon or overdue"
        key = f"remind:{owner_id}:{today.isoformat()}"
        self.direct_message(owner_id, text, reminder_blocks.reminder(due, today), key=key)

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
        team_id = current_ids().get("team_id")  # the workspace whose Home tabs these are
        for user_id in sorted(set(user_ids)):
            try:
                home = self.homes(user_id, str(team_id) if team_id else None)
                self.client.views_publish(user_id=user_id, view=home_view(home, self.today()))
            except SlackApiError as failure:
                log.warning("views.publish failed for a user: %s", failure.response.get("error"))
