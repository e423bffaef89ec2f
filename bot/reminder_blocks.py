"""Block Kit for timed messages: step nudges and deadline notes, action reminders, the weekly digest."""

from __future__ import annotations

from datetime import date, datetime

from bot.action_blocks import action_card
from bot.blocks import Block, context, divider, header, section, slack_time
from bot.text import fit, mention
from workflows.mapping.models import ActionItem
from workflows.ports import ReminderReason, WeeklyDigest, WorkshopView
from workflows.workshop.steps import StepInfo


def step_nudge_thread(step: StepInfo, deadline: datetime, waiting: int) -> list[Block]:
    """In the step's thread: nobody is named, the quiet ones get a DM instead of a public ping."""
    quiet = f" {waiting} of you have not added a note yet." if waiting else ""
    return [
        section(
            f":alarm_clock: *{step.title}* closes {slack_time(deadline)}, in about a day.{quiet}\n"
            "Reply in this thread to add yours: one idea per line."
        )
    ]


def step_nudge_dm(workshop: WorkshopView, step: StepInfo, deadline: datetime) -> list[Block]:
    return [
        section(
            f":wave: The *{step.title}* step of journey mapping workshop #{workshop.id} in <#{workshop.channel_id}> "
            f"closes {slack_time(deadline)}, and we have not heard from you yet.\n"
            "Reply in the step's thread there: a note or two is plenty."
        ),
        context(f"*Objective:* {fit(workshop.objective, 300)}"),
    ]


def step_reopened(step: StepInfo, deadline: datetime | None) -> list[Block]:
    """In the channel and the step's thread: the step takes notes again, until when."""
    until = f"until {slack_time(deadline)} (or `/journey next`)" if deadline else "until `/journey next`"
    return [
        section(
            f":leftwards_arrow_with_hook: *Back to {step.title}*: the facilitator reopened this step before publishing "
            f"the map. Add what is missing in its thread, {until}; themes you already reviewed stay as they are."
        )
    ]


def step_closed_note(step: StepInfo) -> list[Block]:
    return [section(f":hourglass: *{step.title}* reached its deadline and closed; its themes are on their way.")]


REMINDER_LEADS = {
    ReminderReason.due_soon: ":calendar: Due on the next working day:",
    ReminderReason.overdue: ":rotating_light: This action of yours is overdue:",
}


MAX_CARDS = 10  # each card is a few blocks; more than this is a list nobody reads in a DM


def reminder(due: list[tuple[ActionItem, ReminderReason]], today: date) -> list[Block]:
    """An owner's actions that need them today, each with its buttons, in one message."""
    cards: list[Block] = []
    for action, reason in due[:MAX_CARDS]:
        cards += ([divider()] if cards else []) + action_card(action, today, lead=REMINDER_LEADS[reason])
    if len(due) > MAX_CARDS:
        cards.append(section(f"…and {len(due) - MAX_CARDS} more: `/journey actions` lists them all."))
    return cards


def _action_lines(actions: list[ActionItem], with_owner: bool) -> str:
    lines = [
        f"• `{a.id}` {fit(a.title, 150)}"
        + (f" · {mention(a.owner) if a.owner else 'no owner'}" if with_owner else "")
        + (f" · due {a.due:%a %d %b}" if with_owner and a.due else "")
        for a in actions[:20]
    ]
    if len(actions) > 20:
        lines.append(f"…and {len(actions) - 20} more: `/journey actions all` lists them.")
    return "\n".join(lines)


def digest(d: WeeklyDigest) -> list[Block]:
    progress = "\n".join(f"• {fit(p.stage, 80)}: {p.done}/{p.total} done" for p in d.progress)
    blocks = [
        header(f"Weekly digest: {d.workshop.objective}"),
        context(f"Journey map of workshop #{d.workshop.id} · week of {d.week_of:%d %b %Y}"),
        section(
            f"*Done this week ({len(d.done_this_week)})*\n{_action_lines(d.done_this_week, with_owner=False)}"
            if d.done_this_week
            else "*Done this week:* nothing yet."
        ),
        section(
            f"*Overdue ({len(d.overdue)})*\n{_action_lines(d.overdue, with_owner=True)}"
            if d.overdue
            else "*Overdue:* nothing, well done."
        ),
    ]
    if progress:
        blocks.append(section(f"*Progress per stage*\n{progress}"))
    return blocks
