"""What leaves the process is redacted; what comes back is restored before anyone sees it."""

from __future__ import annotations

from collections.abc import Sequence

from workflows.contributions.privacy import Redactor

Mention = tuple[str, str]  # (Slack user id, the label written after @)


class Shield:
    """One per task call: one Redactor, so a value keeps one placeholder and a person one pseudonym throughout.

    `people` are the workshop's known participants, so an @mention is pseudonymised even where a note does not
    carry its own mention list (theme contributions do not).
    """

    def __init__(self, people: Sequence[Mention] = ()) -> None:
        self._redactor = Redactor()
        self._people = tuple(people)

    def send(self, text: str, mentions: Sequence[Mention] = ()) -> str:
        """The text as the model may see it, on one line: mentions pseudonymised, e-mails, phones, cards, IBANs
        replaced by placeholders."""
        pseudonymised = self._redactor.redact_mentions(text, [*mentions, *self._people])
        return " ".join(self._redactor.redact(pseudonymised).split())

    def restore(self, text: str) -> str:
        return self._redactor.restore(text)

    def restore_optional(self, text: str | None) -> str | None:
        return None if text is None else self.restore(text)

    def user_of(self, pseudonym: str) -> str | None:
        """The Slack user id behind "@Person_2" (or "Person_2"), whatever label their mentions used."""
        wanted = "@" + pseudonym.strip().removeprefix("@").casefold()
        return next((user for user, alias in self._redactor.people.items() if alias.casefold() == wanted), None)
