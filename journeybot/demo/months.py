"""`journeybot demo --months N`: the months after publishing, fast-forwarded.

The clock jumps day by day, ticking three times a day (as the server's every-minute tick would): owners get
their reminders and press the buttons on them, the channel gets its weekly digest, and when the review comes
due the facilitator presses "Revise" and the team runs the revision workshop to version 2.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from bot.action_blocks import DONE, IN_PROGRESS, SNOOZE
from bot.revision_blocks import REVISE
from journeybot.demo.review import review_and_publish
from storage.models import Workshop
from workflows.mapping.models import StepKey

if TYPE_CHECKING:  # the driver imports this module
    from journeybot.demo.driver import SlackDriver

TICK_HOURS = (8, 13, 19)  # UTC: within 09:00-17:00 somewhere between Los Angeles and Berlin every day
REVISION_NOTES = {
    StepKey.pain_points: "[ticket] Since the new plans, freelancers ask support how to downgrade",
    StepKey.action_plan: "Add a downgrade path to the billing page",
}


def _published(driver: SlackDriver) -> Workshop:
    with driver.server.services.db.session() as session:
        query = select(Workshop).where(Workshop.status == "published").order_by(Workshop.version.desc())
        return session.scalars(query).first()


def _owner_answers(driver: SlackDriver, answered: dict[str, str]) -> None:
    """Each reminded owner presses a button: first "In progress", then "Done" (or once "Snooze a week")."""
    for channel in list(driver.standin.channels.values()):
        if channel.channel_type != "im":
            continue
        for message in driver.standin.messages(channel.id):
            buttons = [e for b in message.get("blocks", []) if b.get("type") == "actions" for e in b["elements"]]
            action_id = next((e["value"] for e in buttons if e["action_id"] == DONE), None)
            if action_id is None or answered.get(message["ts"]) is not None:
                continue
            seen = sum(1 for answered_id in answered.values() if answered_id == action_id)
            choice = IN_PROGRESS if seen == 0 else (SNOOZE if int(action_id[1:]) % 3 == 0 and seen == 1 else DONE)
            owner = next(m for m in channel.members if m != driver.standin.bot_user_id)
            driver.sender.block_action(owner, choice, value=action_id, channel_id=channel.id, message_ts=message["ts"])
            answered[message["ts"]] = action_id
    driver.settle()


def _revise(driver: SlackDriver, facilitator: str, now: datetime) -> bool:
    prompts = [m for m in driver.standin.messages(driver.channel_id) if m.get("text", "").startswith("Time to review")]
    if not prompts:
        return False
    workshop = _published(driver)
    driver.sender.block_action(
        facilitator, REVISE, value=str(workshop.id), channel_id=driver.channel_id, message_ts=prompts[-1]["ts"]
    )
    driver.settle()
    for step in StepKey:
        if step in REVISION_NOTES:
            driver.reply(driver.step_ts(step), facilitator, REVISION_NOTES[step])
            driver.settle()
        driver.command("next", facilitator)
    review_and_publish(driver, facilitator, None)
    return True


def play_months(driver: SlackDriver, months: int, facilitator: str) -> str:
    """Returns a one-line account of what happened."""
    start = _published(driver).published_at
    answered: dict[str, str] = {}  # reminder message ts → action id
    revised = False
    # 31 days a month: a 90-day review comes due whatever time of day the demo started.
    flows = driver.server.services.flows
    for day in range(1, months * 31 + 1):
        for hour in TICK_HOURS:
            now = (start + timedelta(days=day)).replace(hour=hour, minute=0, second=0, microsecond=0)
            # The worker's own runs (after a button or a command) and new actions' dates live on this clock too.
            flows.clock, flows.today = (lambda at=now: at), (lambda at=now: at.date())
            flows.run_due(now)
        driver.settle()
        _owner_answers(driver, answered)
        if not revised:
            revised = _revise(driver, facilitator, now)
    version = _published(driver).version
    return f"{months} month(s) later: {len(answered)} reminder(s) answered, map at version {version}"
