"""Personal data out of what we send to an LLM, and back into what the bot shows.

Contributions quote customers: support tickets carry e-mail addresses and phone numbers, a payment-failure
ticket a card number, a payout issue an IBAN; action plans mention colleagues. None of that is needed to
cluster notes or name themes, so before a request leaves the process every such value becomes a placeholder
(`[EMAIL_1]`, `[PHONE_1]`, `[CARD_1]`, `[IBAN_1]`, `@Person_1`) and the LLM's answer is restored before Slack
sees it. A `Redactor` keeps the mapping; it is a pydantic model so a caller can persist it with the workshop and
keep placeholders stable across tasks and restarts. Its state holds the very values it hides: store it like
the contributions themselves, never log it.

Detection leans towards precision on the numbers that crowd workshop notes (dates, times, prices,
percentages, ticket and order numbers, versions): cards must pass Luhn, IBANs mod-97 and their country's
length, phones one of a few shapes. Every pattern is bounded or anchored so that a 40,000-character reply
is scanned in linear time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

EMAIL = "EMAIL"
PHONE = "PHONE"
CARD = "CARD"
IBAN = "IBAN"
PERSON = "Person"

# Separators people put inside numbers: spaces (incl. no-break and thin ones), hyphens and dashes.
_SPACES = " \u00a0\u2007\u2009\u202f"
_DASHES = "\\-\u2010\u2011\u2013"
_NUMBER_SEPARATORS = f"[{_SPACES}{_DASHES}]"
_PHONE_SEPARATORS = f"[{_SPACES}{_DASHES}./]"
# Longest slice of a digit run worth reading: the longest phone or card with its separators fits easily.
_RUN_WINDOW = 64

# Total IBAN length per country: the SWIFT IBAN registry, then the countries that use IBANs outside it.
_IBAN_LENGTHS = {
    **dict.fromkeys(["NO"], 15),
    **dict.fromkeys(["BE"], 16),
    **dict.fromkeys(["DK", "FI", "FK", "FO", "GL", "NL", "SD"], 18),
    **dict.fromkeys(["MK", "SI"], 19),
    **dict.fromkeys(["AT", "BA", "EE", "KZ", "LT", "LU", "MN", "XK"], 20),
    **dict.fromkeys(["CH", "HR", "LI", "LV"], 21),
    **dict.fromkeys(["BG", "BH", "CR", "DE", "GB", "GE", "IE", "ME", "RS", "VA"], 22),
    **dict.fromkeys(["AE", "GI", "IL", "IQ", "OM", "SO", "TL"], 23),
    **dict.fromkeys(["AD", "CZ", "ES", "MD", "PK", "RO", "SA", "SE", "SK", "TN", "VG"], 24),
    **dict.fromkeys(["LY", "PT", "ST"], 25),
    **dict.fromkeys(["IS", "TR"], 26),
    **dict.fromkeys(["BI", "DJ", "FR", "GR", "IT", "MC", "MR", "SM"], 27),
    **dict.fromkeys(["AL", "AZ", "BY", "CY", "DO", "GT", "HN", "HU", "LB", "NI", "PL", "SV"], 28),
    **dict.fromkeys(["BR", "EG", "PS", "QA", "UA"], 29),
    **dict.fromkeys(["JO", "KW", "MU", "YE"], 30),
    **dict.fromkeys(["MT", "SC"], 31),
    **dict.fromkeys(["LC"], 32),
    **dict.fromkeys(["RU"], 33),
    # Outside the registry, same scheme (mod-97): mostly the West and Central African monetary unions.
    **dict.fromkeys(["AO", "CV", "GW", "MZ"], 25),
    **dict.fromkeys(["DZ", "GN", "IR"], 26),
    **dict.fromkeys(["CF", "CG", "CM", "GA", "GQ", "KM", "MG", "TD"], 27),
    **dict.fromkeys(["BF", "BJ", "CI", "MA", "ML", "NE", "SN", "TG"], 28),
}

# Local part and labels are bounded (RFC 5321 limits) so a long run without "@" costs linear time.
_EMAIL_RE = re.compile(r"(?<![\w%+-])[\w%+-][\w.%+-]{0,63}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[^\W\d_]{2,24}")
# An IBAN candidate: country, check digits, then up to 30 characters, optionally grouped. Validation picks the
# prefix that has the country's length, so words that follow ("... 0130 00 for the refund") do not matter.
_IBAN_RE = re.compile(rf"(?<![A-Za-z0-9])[A-Za-z]{{2}}[0-9]{{2}}(?:{_NUMBER_SEPARATORS}?[A-Za-z0-9]){{11,30}}")
# A card candidate: up to 19 digits in groups. Never after "+", a currency sign, inside a decimal number or
# in the middle of a longer run of groups (the account part of a mistyped IBAN, "DE89 3704 ...").
_CARD_RE = re.compile(
    rf"(?<![\w+#$€£¥/\\-])(?<![0-9][.,])(?<![0-9]{_NUMBER_SEPARATORS})"
    rf"[1-9][0-9]{{0,18}}(?:{_NUMBER_SEPARATORS}[0-9]{{1,18}}){{0,18}}"
)
# A phone candidate: an optional "+", digit groups with single separators, an optional "(0)" or "(415)". A
# candidate starts only where no number precedes it, so a run of digits is scanned once, not once per group.
_PHONE_PAREN = r"\([0-9]{1,5}\)"
_PHONE_RE = re.compile(
    rf"(?:(?<![\w+])\+|(?<![\w+#$€£¥%&/\\@{_DASHES}]))"
    rf"(?<![0-9)]{_PHONE_SEPARATORS})(?<![0-9],)"
    rf"(?:{_PHONE_PAREN}[{_SPACES}]?)?[0-9]+"
    rf"(?:(?:{_PHONE_SEPARATORS}|[{_SPACES}]?{_PHONE_PAREN}[{_SPACES}{_DASHES}]?)[0-9]+)*"
)
_PHONE_PART_RE = re.compile(r"\+|\([0-9]+\)|[0-9]+|.", re.DOTALL)
_DIGIT_GROUP_END_RE = re.compile(r"[0-9](?![0-9])")
_NON_DIGIT_RE = re.compile(r"[^0-9]")
_NON_ALNUM_RE = re.compile(r"[^A-Za-z0-9]")
# What the model may echo back: our placeholders, bracketed or "@Person_N" (the "@" is sometimes dropped).
_RESTORE_RE = re.compile(
    rf"\[(?:{EMAIL}|{PHONE}|{CARD}|{IBAN})_[0-9]+\]|(?<![\w@])@?{PERSON}_[0-9]+(?!\w)", re.IGNORECASE
)

Span = tuple[int, int, str]
"""(start, end, kind) of a value in a text."""


def _luhn_ok(digits: str) -> bool:
    """The card check digit, which a random long number (order id, timestamp) fails nine times in ten."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _iban_ok(compact: str) -> bool:
    """ISO 13616 mod-97: the check digits make the rearranged number leave remainder 1."""
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _ends_cleanly(text: str, end: int) -> bool:
    """A value glued to a letter, "%" or "@" is part of something else ("0151 23456789x", "+20%")."""
    return end >= len(text) or not (text[end].isalnum() or text[end] in "%@_")


def _candidate_ends(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[int]:
    """Where a value may end inside a candidate, longest first: it may run into an unrelated number or word."""
    window_end = min(end, start + _RUN_WINDOW)
    ends = [match.end() for match in pattern.finditer(text, start, window_end)]
    if window_end < end and ends and ends[-1] == window_end and text[window_end].isalnum():
        ends.pop()  # cut off by the window, not a real end
    return ends[::-1]


def _iban_end(text: str, start: int, end: int) -> int | None:
    """The end of a valid IBAN starting at `start`: the country's length, mod-97, at a word boundary."""
    length = _IBAN_LENGTHS.get(text[start : start + 2].upper())
    characters = [index for index in range(start, end) if text[index].isalnum()]
    if length is None or len(characters) < length:
        return None
    stop = characters[length - 1] + 1
    compact = "".join(text[index] for index in characters[:length]).upper()
    return stop if _ends_cleanly(text, stop) and _iban_ok(compact) else None


def _card_end(text: str, start: int, end: int) -> int | None:
    """The end of a card number: 13-19 digits, one kind of separator, Luhn-valid, not a decimal number."""
    for stop in _candidate_ends(text, start, end, _DIGIT_GROUP_END_RE):
        value = text[start:stop]
        digits = _NON_DIGIT_RE.sub("", value)
        separators = set(_NON_DIGIT_RE.findall(value))
        decimal = text[stop : stop + 1] in {".", ","} and text[stop + 1 : stop + 2].isdigit()
        shaped = 13 <= len(digits) <= 19 and len(separators) <= 1 and not decimal
        if shaped and _ends_cleanly(text, stop) and _luhn_ok(digits):
            return stop
    return None


def _international_phone(digits: str) -> bool:
    """+CC and the national number: E.164 allows 15 digits; +1 (North America) is always 10 more."""
    if not digits or digits[0] == "0":
        return False
    if digits[0] == "1":
        return len(digits) == 11 and digits[1] in "23456789"
    return 8 <= len(digits) <= 15


def _national_phone(groups: list[str], separators: list[str]) -> bool:
    """A trunk-prefixed number: "0151 23456789", "(030) 1234567", "030/1234567", "01 23 45 67 89"."""
    digits = "".join(group.strip("()") for group in groups)
    if not (9 <= len(digits) <= 12 and digits[0] == "0" and digits[1] != "0"):
        return False
    if any(len(group.strip("()")) < 2 for group in groups):
        return False  # "0 1 2 3 4 5 6 7 8 9 10" is a scale, not a number
    # Only the area code may be bracketed or followed by a slash.
    return not any(group.startswith("(") for group in groups[1:]) and "/" not in separators[1:]


def _nanp_phone(groups: list[str], separators: list[str]) -> bool:
    """North American NPA-NXX-XXXX, maybe after a "1": "(415) 555-0134", "415.555.0134", "1-800-555-0199"."""
    if groups[:1] == ["1"] and len(groups) == 4:
        groups = groups[1:]
    if len(groups) != 3 or "/" in separators or any(group.startswith("(") for group in groups[1:]):
        return False
    area, exchange, line = (group.strip("()") for group in groups)
    shaped = (len(area), len(exchange), len(line)) == (3, 3, 4)
    return shaped and area[0] in "23456789" and exchange[0] in "23456789"


def _is_phone(value: str) -> bool:
    """Whether a candidate (digit groups and separators) has the shape of a phone number."""
    parts = _PHONE_PART_RE.findall(value)
    groups = [part for part in parts if part[-1].isdigit() or part[-1] == ")"]
    separators = [" " if part.isspace() else part for part in parts if part not in groups and part != "+"]
    if "." in separators and len(set(separators)) > 1:
        return False  # dots do not mix: "01.02.2027 10" is a date and an hour
    if separators.count("/") > 1:
        return False  # "01/02/2027"
    digits = "".join(group.strip("()") for group in groups)
    if value.startswith("+"):
        return _international_phone(digits)
    if digits.startswith("00") and separators:
        return _international_phone(digits[2:])
    if digits.startswith("0"):
        return _national_phone(groups, separators)
    return _nanp_phone(groups, separators)


def _phone_end(text: str, start: int, end: int) -> int | None:
    """The longest phone-shaped prefix of a candidate, so "call 030 1234567 2 times" still loses its number."""
    for stop in _candidate_ends(text, start, end, _DIGIT_GROUP_END_RE):
        if _is_phone(text[start:stop]) and _ends_cleanly(text, stop):
            return stop
    return None


def _scan(
    pattern: re.Pattern[str], validate: Callable[[str, int, int], int | None], text: str
) -> Iterator[tuple[int, int]]:
    """Candidates left to right; a rejected one is retried one character further, an accepted one skipped."""
    position = 0
    while match := pattern.search(text, position):
        stop = validate(text, match.start(), match.end())
        if stop is None:
            position = match.start() + 1
        else:
            yield match.start(), stop
            position = stop


def _whole_match(text: str, start: int, end: int) -> int | None:
    """E-mails need no second look: the pattern is strict enough."""
    return end


# Priority order: a value found earlier masks its characters for the later detectors, so an IBAN's digits
# never become a phone and an e-mail's digits never a card.
_DETECTORS: tuple[tuple[str, re.Pattern[str], Callable[[str, int, int], int | None]], ...] = (
    (EMAIL, _EMAIL_RE, _whole_match),
    (IBAN, _IBAN_RE, _iban_end),
    (CARD, _CARD_RE, _card_end),
    (PHONE, _PHONE_RE, _phone_end),
)


def find_personal_data(text: str) -> list[Span]:
    """Every e-mail, IBAN, card and phone number in `text`, as non-overlapping spans in text order."""
    spans: list[Span] = []
    masked = text
    for kind, pattern, validate in _DETECTORS:
        found = list(_scan(pattern, validate, masked))
        spans += [(start, stop, kind) for start, stop in found]
        masked = _mask(masked, found)
    return sorted(spans)


def _mask(text: str, spans: Sequence[tuple[int, int]], fill: Callable[[int], str] = lambda size: "\x00" * size) -> str:
    """Found values blanked out (same length, so offsets hold) for the detectors that come after; or replaced by
    what `fill` makes of their length."""
    pieces: list[str] = []
    last = 0
    for start, stop in spans:
        pieces += [text[last:start], fill(stop - start)]
        last = stop
    pieces.append(text[last:])
    return "".join(pieces)


def without_personal_data(text: str) -> str:
    """The text with every e-mail, IBAN, card and phone number left out: what a title or a comparison of notes
    reads ("my client jess.moreno@example.com" must not make a theme "Client jess")."""
    return _mask(text, [(start, stop) for start, stop, _ in find_personal_data(text)], lambda _: " ")


def contains_personal_data(text: str) -> bool:
    """Whether `text` still holds an e-mail, phone, card or IBAN: for tests and for guarding logs."""
    return bool(find_personal_data(text))


def _kind_of(placeholder: str) -> str:
    """`[EMAIL_3]` -> `EMAIL`, `@Person_2` -> `Person`."""
    return placeholder.strip("[]@").rsplit("_", 1)[0]


class Redactor(BaseModel):
    """Placeholders for one LLM request batch (or one workshop, if kept): the same value, the same placeholder.

    "The same" means the same text: "(415) 555-0134" and "+1 415 555 0134" get two placeholders, so that
    `restore` always gives back exactly what was written. `originals` maps each placeholder or pseudonym to
    what it hides, `people` each Slack user id to its pseudonym; both are plain dicts so the model serialises.
    Not thread-safe: one per batch.
    """

    model_config = ConfigDict(extra="forbid")

    originals: dict[str, str] = Field(default_factory=dict)
    people: dict[str, str] = Field(default_factory=dict)

    _keys: dict[tuple[str, str], str] = PrivateAttr(default_factory=dict)
    _counts: dict[str, int] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        """Rebuild the lookups from `originals`, so a persisted Redactor carries on numbering where it stopped."""
        for placeholder, original in self.originals.items():
            kind = _kind_of(placeholder)
            number = int(placeholder.strip("[]").rsplit("_", 1)[1])
            self._counts[kind] = max(self._counts.get(kind, 0), number)
            if kind != PERSON:
                self._keys[(kind, original)] = placeholder

    @property
    def placeholders(self) -> Mapping[str, str]:
        """Placeholder or pseudonym -> the original text it stands for (read-only)."""
        return MappingProxyType(self.originals)

    def redact(self, text: str) -> str:
        """`text` with every e-mail, phone, card and IBAN replaced by its placeholder."""
        pieces: list[str] = []
        last = 0
        for start, stop, kind in find_personal_data(text):
            pieces += [text[last:start], self._placeholder(kind, text[start:stop])]
            last = stop
        pieces.append(text[last:])
        return "".join(pieces)

    def pseudonym(self, user_id: str, label: str | None = None) -> str:
        """The stable `@Person_N` of a Slack user; `label` (display name) is what `restore` gives back."""
        pseudonym = self.people.get(user_id)
        if pseudonym is None:
            pseudonym = f"@{PERSON}_{self._next_number(PERSON)}"
            self.people[user_id] = pseudonym
        label = (label or "").removeprefix("@")
        fallback = f"@{user_id}"
        if label and self.originals.get(pseudonym, fallback) == fallback:
            self.originals[pseudonym] = f"@{label}"  # the first name we learn sticks, so restores agree
        else:
            self.originals.setdefault(pseudonym, fallback)
        return pseudonym

    def redact_mentions(self, text: str, mentions: Sequence[tuple[str, str]]) -> str:
        """`text` with each `@label` of `mentions` ((user_id, label) pairs) replaced by the user's pseudonym."""
        by_label: dict[str, str] = {}
        for user_id, label in mentions:
            label = label.removeprefix("@")
            if label:
                by_label.setdefault(label, self.pseudonym(user_id, label))
        if not by_label:
            return text
        pattern = _mention_pattern(by_label)
        return pattern.sub(lambda match: by_label[match.group(1)], text)

    def restore(self, text: str) -> str:
        """Placeholders and pseudonyms in `text` (an LLM's answer) back to the originals; unknown ones stay."""

        def original(match: re.Match[str]) -> str:
            token = match.group()
            key = token.upper() if token.startswith("[") else f"@{PERSON}_{token.rsplit('_', 1)[1]}"
            return self.originals.get(key, token)

        return _RESTORE_RE.sub(original, text)

    def _placeholder(self, kind: str, value: str) -> str:
        """The placeholder already given to this exact text (so `restore` gives it back verbatim), or a new one."""
        key = (kind, value)
        placeholder = self._keys.get(key)
        if placeholder is None:
            placeholder = f"[{kind}_{self._next_number(kind)}]"
            self._keys[key] = placeholder
            self.originals[placeholder] = value
        return placeholder

    def _next_number(self, kind: str) -> int:
        self._counts[kind] = self._counts.get(kind, 0) + 1
        return self._counts[kind]


def _mention_pattern(labels: Mapping[str, str]) -> re.Pattern[str]:
    """`@label` for any of `labels`, longest first ("@Ana María" before "@Ana"), never inside an e-mail."""
    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?<![\w@])@({alternatives})(?![\w])")
