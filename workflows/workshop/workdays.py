"""Working days (Monday to Friday) and working hours in a person's own time zone.

Deadlines and reminders are promises made to people, so they count the days people work and speak at the hours
they are at their desk. Public holidays are not known to the bot and count as working days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from workflows.workshop.errors import WorkshopError

WORK_STARTS, WORK_ENDS = time(9, 0), time(17, 0)
DEFAULT_STEP_DAYS, MAX_STEP_DAYS = 2, 20


class InvalidStepDays(WorkshopError):
    def __init__(self) -> None:
        super().__init__(f"Working days per step must be a whole number from 1 to {MAX_STEP_DAYS}.")


def check_step_days(days: int) -> int:
    if not 1 <= days <= MAX_STEP_DAYS:
        raise InvalidStepDays()
    return days


def zone(name: str | None) -> ZoneInfo:
    """The named time zone; UTC for a missing or unknown name, so a bad profile never stops a reminder."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def add_working_days(start: datetime, days: int) -> datetime:
    """The same time of day `days` working days later; a weekend start counts from the following Monday."""
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if is_working_day(moment.date()):
            days -= 1
    return moment


def step_deadline(opened: datetime, days: int, tz: ZoneInfo) -> datetime:
    """`days` working days after the step opened, counted where the facilitator lives; whole seconds, in UTC."""
    return add_working_days(opened.astimezone(tz), days).astimezone(UTC).replace(microsecond=0)


def previous_working_day(day: date) -> date:
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_hours(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """When `day`'s working hours start and end in the time zone."""
    return datetime.combine(day, WORK_STARTS, tz), datetime.combine(day, WORK_ENDS, tz)


def within_working_hours(now: datetime, day: date, tz: ZoneInfo) -> bool:
    """Whether `now` falls in `day`'s working hours there (and `day` is a working day)."""
    start, end = working_hours(day, tz)
    return is_working_day(day) and start <= now < end
