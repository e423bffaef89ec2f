"""Due dates as people write them in an action plan ("by Friday", "end of March", "in 2 weeks", "Q3").

Deterministic given `today`, so a replayed event or a test gets the same date. Conventions, chosen to
be generous to the owner: a bare weekday is the next one after today (never today); "next Friday" is the
Friday of next week (weeks start on Monday), "Thursday week" a week after the next Thursday; "next week", "EOW"
and the like mean the end (Friday) of that week; a month, quarter or year means its last day; a day without a
year is the next such day from today; numeric dates need a year and are read day first (15/01/2027) unless only
month first makes sense (01/15/2027).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConfigDict

from workflows.mapping.lexicon import SHORTHANDS, SINGLE_QUOTED


class DueMatch(BaseModel):
    """A due date and where its phrase ("by Friday") sits in the text, so a caller can cut it out."""

    model_config = ConfigDict(frozen=True)

    due: date
    start: int
    end: int
    text: str


# English names, spelled out: `calendar.month_name` follows the process locale, and notes are read in English.
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {name: number for number, full in enumerate(_MONTH_NAMES, start=1) for name in (full, full[:3])}
_MONTHS["sept"] = 9
_WEEKDAYS = {name: number for number, full in enumerate(_WEEKDAY_NAMES) for name in (full, full[:3])}
_WEEKDAYS |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
}
_FRIDAY = 4
_ORDINALS = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3, "4th": 4, "fourth": 4}


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation that tries longer words first ("september" before "sep")."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_MONTH = rf"(?P<month>{_alternatives(_MONTHS)})\.?"
_WEEKDAY = rf"(?P<weekday>{_alternatives(_WEEKDAYS)})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_LEAD = (
    r"(?P<lead>(?:due\s+(?:by|on|date:?)|due:?|deadline:?|eta:?|no\s+later\s+than|latest\s+by"
    r"|by|before|b4|ahead\s+of|on|until|till|in|during|for|from|starting(?:\s+on)?)\s+)?"
)
_THE = r"(?:the\s+)?"
_OPTIONAL_WEEKDAY = rf"(?:(?:{_alternatives(_WEEKDAYS)})\.?,?\s+)?"
_END_OF_DAY = (  # "by EOD Friday", "by end of play Friday", "first thing Monday": the Friday, the Monday
    r"(?:(?:eod|cob|eop|end\s+of\s+(?:the\s+)?(?:day|play)|close\s+of\s+business|first\s+thing)\s+(?:on\s+)?)?"
)
# "Friday morning", "Friday at 5", "Friday 3pm": the day is the due date, the hour goes with it out of the title
_TIME_OF_DAY = (
    r"(?:,?\s+(?:morning|afternoon|arvo|evening|night|lunchtime|noon|first\s+thing"
    r"|at\s+\d{1,2}(?:[:.]\d{2})?(?:\s*[ap]m)?|\d{1,2}(?:[:.]\d{2})?\s*[ap]m))?"
)


def _next_weekday(today: date, weekday: int) -> date:
    """The first such weekday after today: "by Friday" said on a Friday means next week's."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _monday_of_next_week(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _end_of(unit: str, today: date, offset: int) -> date:
    """The last day of this (offset 0) or the next (offset 1) week, month, quarter or year (w, m, q, y)."""
    if unit in ("w", "week"):
        this_friday = today + timedelta(days=_FRIDAY - today.weekday())
        return this_friday + timedelta(weeks=offset + (today.weekday() > _FRIDAY))
    if unit in ("m", "month"):
        first = today.replace(day=1) + relativedelta(months=offset)
        return first + relativedelta(day=31)
    if unit in ("q", "quarter"):
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) + relativedelta(months=3 * offset)
        return first + relativedelta(months=2, day=31)
    return date(today.year + offset, 12, 31)


def _upcoming(today: date, month: int, day: int, year: str | None) -> date:
    """An explicit year is kept; without one, the next such day from today (today included)."""
    if year:
        return date(int(year), month, day)
    for candidate_year in range(today.year, today.year + 5):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:  # 29 February outside a leap year
            continue
        if candidate >= today:
            return candidate
    raise ValueError(f"no date {day}/{month}")


def _numeric(match: re.Match[str], today: date) -> date:
    first, second, year = int(match["first"]), int(match["second"]), int(match["year"])
    year += 2000 if year < 100 else 0
    day, month = (second, first) if second > 12 >= first else (first, second)
    return date(year, month, day)


def _weekday(match: re.Match[str], today: date) -> date | None:
    weekday = _WEEKDAYS[match["weekday"].lower()]
    relation = (match["relation"] or "").lower()
    if relation == "next":
        return _monday_of_next_week(today) + timedelta(days=weekday)
    if relation == "this":
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    is_full_name = match["weekday"].lower() == _WEEKDAY_NAMES[weekday]
    closing = _CLOSING_DAY.search(match.string[: match.start()]) and not match.string[match.end() :].strip(" .!)")
    if not (is_full_name or relation or match["lead"] or closing):
        return None  # "sat with a customer" is not a due date; "owner me, Thu" is
    if not (relation or match["lead"]) and _DAY_AS_WORD.match(match.string, match.end("weekday")):
        return None  # "open Sunday/Monday", "a second Tuesday story time": which days, not when it is due
    if _SOME_DAYS.match(match.string, match.end("weekday")) and not _DEADLINE.fullmatch(match["lead"] or ""):
        return None  # "on Monday mornings", "a Sunday evening reminder": a time of the week, part of the action
    return _next_weekday(today, weekday)


def _weekday_next_week(match: re.Match[str], today: date) -> date:
    """ "Friday next week", "the Monday after next": that day of next week, of the week after; "Thursday week",
    "Monday week": a week after the next such day (said on a Tuesday, "Monday week" is the Monday after next)."""
    weekday = _WEEKDAYS[match["weekday"].lower()]
    if match.groupdict().get("week"):
        return _next_weekday(today, weekday) + timedelta(weeks=1)
    return _monday_of_next_week(today) + timedelta(days=weekday + 7 * bool(match.groupdict().get("after")))


def _week_of(match: re.Match[str], today: date) -> date | None:
    """The Friday of the week a date starts ("w/c 7 Dec": 11 December)."""
    start = parse_due(f"by {match['rest']}", today)  # "14th" alone is a rank, "by the 14th" a date
    return (
        start.due + timedelta(days=_FRIDAY - start.due.weekday()) if start and start.due.weekday() <= _FRIDAY else None
    )


# What may follow a bare weekday that is a due date ("@Ana Friday", "Friday at 5", "Friday morning"); any other word
# or a slash makes it a word of the action.
_DAY_AS_WORD = re.compile(
    r"\s*/|\s+(?!(?:at|by|eod|cob|noon|morning|afternoon|evening|night|latest|the|next|this|week|\d)\b)[a-z]",
    re.IGNORECASE,
)


# Before a bare abbreviated weekday that closes the text, a clause break ("— @Mei, Mon", "owner me, Thu") or words of
# getting it done or reporting on it: "I'll do it Mon", "will report back Fri", "get back to you Tue".
_CLOSING_DAY = re.compile(
    r"(?:[,;.\-–—]|\b(?:do|done|get\s+to)\s+it|\bdone|\b(?:report|get|come)\s+back(?:\s+to\s+(?:you|us|\w+))?)\s*$",
    re.IGNORECASE,
)
# After a weekday, a time of the week rather than of one day: "Monday mornings", "the Friday night surge".
_SOME_DAYS = re.compile(
    r"\s+(?:morning|afternoon|evening|night|lunchtime)(?:s\b|\s+(?!(?:at|by|latest|eod|cob|please|or|and|\d)\b)[a-z])",
    re.IGNORECASE,
)
# The words that make a phrase a deadline, whatever follows it.
_DEADLINE = re.compile(
    r"(?:due\s+(?:by|on|date:?)|due:?|deadline:?|eta:?|no\s+later\s+than|latest\s+by|by|before|b4|ahead\s+of|until|till)\s+",
    re.IGNORECASE,
)


def _duration(match: re.Match[str], today: date) -> date:
    count_text = " ".join((match["count"] or "1").lower().split())  # "in the next fortnight": one
    count = int(count_text) if count_text.isdigit() else _NUMBER_WORDS[count_text]
    unit = SHORTHANDS.get(match["unit"].lower(), match["unit"].lower()).rstrip("s")
    if unit == "fortnight":
        count, unit = 2 * count, "week"
    if match["business"]:
        return _add_business_days(today, count)
    return today + relativedelta(**{f"{unit}s": count})


def _add_business_days(today: date, count: int) -> date:
    day = today
    while count > 0:
        day += timedelta(days=1)
        count -= day.weekday() < 5
    return day


def _period_end(match: re.Match[str], today: date) -> date:
    which = match.groupdict().get("which") or ""
    return _end_of(match["unit"].lower(), today, offset=int(which.lower() == "next"))


def _end_of_month_name(match: re.Match[str], today: date) -> date:
    """The month's last day; without a year, this year's unless it has passed (February knows leap years)."""
    month = _MONTHS[match["month"].lower()]
    if match["year"]:
        return date(int(match["year"]), month, 1) + relativedelta(day=31)
    this_year = date(today.year, month, 1) + relativedelta(day=31)
    return this_year if this_year >= today else date(today.year + 1, month, 1) + relativedelta(day=31)


# After a quarter, a noun it qualifies ("Q4 churn", "the Q2 pricing review"), not a word that carries on the sentence
# ("trial it over Q3 and watch complaints").
_QUARTER_AS_WORD = re.compile(
    r"\s+(?!(?:and|or|but|so|then|with|to|for|at|by|the|latest|please|pls|too|as|if|once|end|target|deadline|big)\b)[a-z]",
    re.IGNORECASE,
)


def _month_alone(match: re.Match[str], today: date) -> date:
    """ "in January": the month's last day; "before March": the last day of the month before it."""
    end = _end_of_month_name(match, today)
    before = (match.groupdict().get("word") or "").lower() == "before"
    return end.replace(day=1) - timedelta(days=1) if before else end


def _closing_month(match: re.Match[str], today: date) -> date | None:
    """ "… (@Rhian) — Feb": the month's last day; not the end of a range ("the pilot January – March")."""
    if re.search(rf"(?:{_alternatives(_MONTHS)}|\d)\.?\s*[-–—]\s*$", match.string[: match.start()], re.IGNORECASE):
        return None
    return _month_alone(match, today)


def _part_of_year(months: int) -> _Resolver:
    """The resolver of a quarter ("Q3", 3 months) or a half ("H1", 6): its last day; "before Q2", "ahead of Q2": the
    last day of the part before it. "Report on Q4 churn", "the H1 results": which part, not when it is due."""

    def resolve(match: re.Match[str], today: date) -> date | None:
        if (
            not _DEADLINE.fullmatch(match["lead"] or "")
            and not match["year"]
            and _QUARTER_AS_WORD.match(match.string, match.end())
        ):
            return None
        end = date(today.year, months * int(match["number"]), 1) + relativedelta(day=31)
        due = _upcoming(today, end.month, end.day, match["year"])
        if not re.match(r"before|ahead", match["lead"] or "", re.I):
            return due
        earlier = due - relativedelta(months=months, day=31)
        return earlier if earlier >= today else earlier + relativedelta(years=1, day=31)  # "before H2" in December

    return resolve


def _last_day(month: int) -> int:
    """The month's last day in a leap year: 29 February counts."""
    return (date(2000, month, 1) + relativedelta(day=31)).day


def _day_of_month(match: re.Match[str], today: date) -> date | None:
    """ "by the 20th": the next 20th from today (a month without one is skipped); a bare "4th" ("came 4th.") is a
    rank, not a date."""
    if match.group()[0].isdigit():
        return None
    day = int(match["day"])
    for months in range(3):
        month = today + relativedelta(months=months)
        try:
            candidate = date(month.year, month.month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise ValueError(f"no day {day}")


def _week_of_month(match: re.Match[str], today: date) -> date:
    """ "the 3rd week of January" ends on the 21st; "the last week of March" on its last day."""
    month = _MONTHS[match["month"].lower()]
    last = _last_day(month)
    nth = match["nth"].lower()
    day = last if nth == "last" else min(last, 7 * _ORDINALS[nth])
    return _upcoming(today, month, day, match["year"])


def _christmas(match: re.Match[str], today: date) -> date | None:
    """ "before Christmas", "by Xmas": Christmas Eve; "the Christmas campaign" is no date."""
    return _upcoming(today, 12, 24, None) if _DEADLINE.fullmatch(match["lead"] or "") else None


def _relative_day(match: re.Match[str], today: date) -> date:
    return today + timedelta(days=match["word"].lower().startswith(("tom", "tm")))


_Resolver = Callable[[re.Match[str], date], "date | None"]
_COUNT = rf"(?P<count>\d{{1,3}}|{_alternatives(_NUMBER_WORDS)})"
_PERIOD = r"(?P<unit>week|month|quarter|year)"
_DURATION_UNIT = r"(?P<business>business\s+|working\s+)?(?P<unit>days?|weeks?|wks?|fortnights?|months?|mths?|years?)\b"
_DURATION = rf"{_COUNT}\s*{_DURATION_UNIT}"


def _day_month(match: re.Match[str], today: date) -> date:
    return _upcoming(today, _MONTHS[match["month"].lower()], int(match["day"]), match["year"])


def _day_slash_month(match: re.Match[str], today: date) -> date:
    """Day first, as most of the world writes it, unless only the other order makes a date ("1/15")."""
    first, second = int(match["first"]), int(match["second"])
    if (first, second) == (24, 7):  # round the clock, not 24 July
        raise ValueError("24/7")
    day, month = (second, first) if second > 12 >= first else (first, second)
    return _upcoming(today, month, day, None)


def _part_of_month(match: re.Match[str], today: date) -> date:
    """ "early March" is the 10th, "mid-March" the 15th, "late March" its last day: the next such, from today."""
    month = _MONTHS[match["month"].lower()]
    if match["part"].lower() == "late":  # the month's last day, in the year it next comes (28 February in 2027)
        return _end_of_month_name(match, today)
    return _upcoming(today, month, {"early": 10, "mid": 15}[match["part"].lower()], match["year"])


def _iso(match: re.Match[str], today: date) -> date:
    return date(int(match["year"]), int(match["month"]), int(match["day"]))


_RULES: list[tuple[str, _Resolver]] = [
    (rf"{_YEAR}-(?P<month>\d{{1,2}})-{_DAY}", _iso),
    (r"(?<![\d.])(?P<first>\d{1,2})[/.](?P<second>\d{1,2})[/.](?P<year>\d{4}|\d{2})(?![.\d])", _numeric),
    # "due 15/01", "by 3/2": a day and a month without a year, only after a word that says it is a date
    (
        r"(?:due|by|before|until|deadline:?|eta:?|no\s+later\s+than)\s+(?P<first>\d{1,2})/(?P<second>\d{1,2})(?![/.\d])(?!\s+of\b)",
        _day_slash_month,
    ),
    (rf"(?P<part>early|mid|late)[-\s]+{_MONTH}(?:\s+{_YEAR})?", _part_of_month),
    # "w/c 7 Dec", "week commencing the 14th": by the end of that week
    (
        r"(?:w/c|week\s+(?:commencing|beginning))\s+(?P<rest>[^,;.!?)]{1,20}?)(?=\s*(?:[,;.!?)]|$|\s+to\s|\s+[-–—]))",
        _week_of,
    ),
    (rf"{_OPTIONAL_WEEKDAY}{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?", _day_month),
    (rf"{_OPTIONAL_WEEKDAY}{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?", _day_month),
    (rf"{_THE}end\s+(?:of\s+)?{_THE}{_MONTH}(?:\s+{_YEAR})?", _end_of_month_name),  # "end of March", "end Feb"
    # "in January", "by March 2027": a month alone is a date only after one of these words ("the January sale" is not),
    # and not as a range's start ("in July-August")
    (
        rf"(?P<word>in|by|due|during|until|till|before|aim\s+for|aiming\s+for)\s+{_MONTH}(?:\s+{_YEAR})?(?!\s*\d|\s*[-–/]\s*\w)",
        _month_alone,
    ),
    (rf"(?:{_THE}end\s+of\s+{_THE})?q(?P<number>[1-4])(?:\s+{_YEAR})?", _part_of_year(3)),
    (rf"(?:{_THE}end\s+of\s+{_THE})?h(?P<number>[12])(?:\s+{_YEAR})?", _part_of_year(6)),  # "H1": 30 June
    (rf"{_THE}end\s+of\s+(?:the\s+|this\s+|(?P<which>next)\s+)?{_PERIOD}", _period_end),
    (r"eo(?P<unit>[wmqy])", _period_end),
    (
        rf"(?:by|before|until|at)\s+{_THE}(?:this\s+|(?P<which>next)\s+)?{_PERIOD}[-\s]end",
        _period_end,
    ),  # "by month end"
    (rf"(?P<which>this|next)\s+{_PERIOD}", _period_end),
    (rf"{_THE}(?P<nth>{_alternatives(_ORDINALS)}|last)\s+week\s+of\s+{_MONTH}(?:\s+{_YEAR})?", _week_of_month),
    # "Thursday week", "Friday next week", "the Monday after next": that day of the week after this one
    (rf"{_THE}{_WEEKDAY}\s+(?:(?P<week>week)|next\s+week|(?P<after>after\s+next))", _weekday_next_week),
    (rf"not\s+this\s+{_WEEKDAY},?\s+but\s+the\s+one\s+after", _weekday_next_week),  # "Friday week", put another way
    (rf"{_END_OF_DAY}(?:(?P<relation>next|this|coming|this\s+coming)\s+)?{_WEEKDAY}{_TIME_OF_DAY}", _weekday),
    # "by the 20th", "Monday 14th": a day of the month, with its ordinal ending and no noun after ("1st invoice")
    (rf"{_END_OF_DAY}{_OPTIONAL_WEEKDAY}{_THE}(?P<day>\d{{1,2}})(?:st|nd|rd|th)(?=\s*(?:[^\w\s]|$))", _day_of_month),
    # "in 2 weeks' time"; "within 5 working days" closing a clause, not inside the action ("reply within 5 working
    # days to every complaint")
    (rf"(?:in|eta:?|due:?|~|approx\.?|about|around|give\s+me)\s*{_DURATION}(?:['’]s?\s+time)?", _duration),
    (rf"within\s+{_DURATION}(?=\s*(?:[,;.!?)—–-]|$|@|pls\b|please\b))", _duration),
    # "in the next fortnight", "within the next 2 weeks", "over the coming month": that long from today
    (rf"(?:in|within|over)\s+the\s+(?:next|coming)\s+(?:{_COUNT}\s*)?{_DURATION_UNIT}", _duration),
    (rf"{_DURATION}\s+from\s+(?:today|now)", _duration),  # "2 weeks from today"
    (rf"(?<=,\s){_DURATION}(?=[\s.!)]*$)", _duration),  # "owner @Ana, 2 weeks": a bare duration closing the text
    # "…, 20/12", "(@Uma) 10/12": a day and a month closing the text or a clause
    (r"(?<=[,)—–-]\s)(?P<first>\d{1,2})/(?P<second>\d{1,2})(?![/.\d])(?=\s*(?:[,.!)]|$))", _day_slash_month),
    # "— @Gabe, January", "… (@Rhian) — Feb", "no rush, January is fine": a month closing the text after a comma or a
    # dash, or said to do
    (
        rf"(?:(?<=,\s)|(?<=[—–-]\s)){_MONTH}(?:\s+{_YEAR})?"
        r"(?=[\s.!)]*$|\s+(?:is\s+(?:fine|ok(?:ay)?)|works|at\s+the\s+latest|latest)\b)",
        _closing_month,
    ),
    (r"(?:christmas|xmas)", _christmas),
    # "end of day tmrw", "first thing tomorrow", "5pm today", "this arvo" (not "today's")
    (
        rf"{_END_OF_DAY}(?:\d{{1,2}}(?:[:.]\d{{2}})?\s*[ap]m\s+)?(?P<word>tomorrow|tomorow|tommorow|tommorrow|tmrw|tmw|today"
        r"|tonight|this\s+(?:morning|afternoon|arvo|evening)|eod|end\s+of\s+(?:the\s+)?day|end\s+of\s+play"
        rf"|close\s+of\s+business)(?!['’]s\b){_TIME_OF_DAY}",
        _relative_day,
    ),
]
# What before a date makes it part of the action: the start of a range ("every day 10-28 Sept", "any day from the
# 1st to the 28th"), a slash ("Sunday/Monday"), "every" ("every Monday morning").
_IN_THE_ACTION = re.compile(
    r"/\s*$|\b(?:every|each|a|an)\s+$|\bfrom\s+[^,;.!?]{1,30}\s+to\s+(?:the\s+)?$", re.IGNORECASE
)
_PAST = re.compile(r"\b(?:\w+ed|was|were|came|went|left|joined|paid|bought)\s+$", re.IGNORECASE)
# "early next year", "later this month": no date, however near one it sounds
_VAGUE_PERIOD = re.compile(r"\b(?:early|mid|late|later)\s+(?:next|this)\s+(?:year|month|quarter)\b", re.IGNORECASE)
_RANGE_START = re.compile(r"\d\s*[-–—]\s*$")
# Quoted words are the customer's or an example's ("'sent to your GP Tue 4th'"), never the action's due date.
_QUOTED = re.compile(rf"{SINGLE_QUOTED}|\"[^\"\n]*\"|“[^”\n]*”")  # "Patel's" inside
_COMPILED = [(re.compile(rf"(?<!\w){_LEAD}(?:{core})(?!\w)", re.IGNORECASE), resolve) for core, resolve in _RULES]


def parse_due(text: str, today: date) -> DueMatch | None:
    """The due date in the text, or None: the first phrase that says it is a deadline ("by …", "due …") or closes
    the text ("— @Felix, 15 Jan"), else the first date (the longest phrase where two start together). A date that
    ends a range ("every day 10-28 Sept") or follows a slash ("Sunday/Monday") or "every" is part of the action, not
    its deadline; so is one in quotation marks."""
    found: list[DueMatch] = []
    quotes = [m.span() for m in _QUOTED.finditer(text)] + [m.span() for m in _VAGUE_PERIOD.finditer(text)]
    for pattern, resolve in _COMPILED:
        for match in pattern.finditer(text):
            try:
                due = resolve(match, today)
            except ValueError:  # 31 February and other impossible dates
                continue
            before = text[: match.start()]
            in_a_range = match.group()[0].isdigit() and _RANGE_START.search(before)  # "10-28 Sept", not "day 3 — by …"
            past = re.match(r"(?:in|during)\s", match.group(), re.I) and _PAST.search(before)  # "who cancelled in May"
            if due and not in_a_range and not past and not _IN_THE_ACTION.search(before) and not _quoted(match, quotes):
                found.append(DueMatch(due=due, start=match.start(), end=match.end(), text=match.group()))
    # a date in brackets is the action's own ("the extension (the one that runs till 31 Jan) by Friday")
    bracketed = [m.span() for m in re.finditer(r"\([^()]*\)", text)]
    return min(
        found,
        key=lambda m: (
            any(a <= m.start and m.end <= b for a, b in bracketed),
            not _says_deadline(m, text),
            m.start,
            -m.end,
        ),
        default=None,
    )


def _says_deadline(match: DueMatch, text: str) -> bool:
    """ "Report on Q4 churn — @Felix, by the 10th": the phrase with "by", or the one that closes the text, is the
    deadline; a date before it is part of the action."""
    return bool(_DEADLINE.match(match.text)) or not text[match.end :].strip(" .!?)]")


def _quoted(match: re.Match[str], quotes: list[tuple[int, int]]) -> bool:
    return any(start <= match.start() and match.end() <= end for start, end in quotes)
