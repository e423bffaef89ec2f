"""Personal data never reaches the LLM, and comes back in what the bot shows.

Values are public test data: the Visa/Mastercard/Amex test cards, the IBAN registry's examples, the 555-01xx
and Ofcom drama numbers.
"""

from __future__ import annotations

import time

import pytest

from workflows.contributions.privacy import Redactor, contains_personal_data, find_personal_data

SUPPORT_NOTES = [
    "[ticket] Maria (maria.lopez@example.com) was charged twice; she asked us to call her back on "
    "+1 415 555 0134 or her office (415) 555-0134 before 09:00-17:00 PT.",
    "[ticket] Payment failed for card 4111 1111 1111 1111 (Visa), retried 3 times; refund in 3-5 business days.",
    "[ticket] Payout to DE89 3704 0044 0532 0130 00 bounced; the seller wrote from jan.schmidt@example.de, "
    "mobile 0151 23456789, landline +49 30 1234567.",
    "[interview] UK customer gave IBAN GB82 WEST 1234 5698 7654 32, phone 020 7946 0958; prices up +20% since v2.3.1.",
    "[survey] 40 tickets (#4521, #4522) about the $1,200 plan in Q3 2027; follow-up on 2027-01-15 or 15/01/2027.",
]
SECRETS = [
    "maria.lopez@example.com",
    "+1 415 555 0134",
    "(415) 555-0134",
    "4111 1111 1111 1111",
    "DE89 3704 0044 0532 0130 00",
    "jan.schmidt@example.de",
    "0151 23456789",
    "+49 30 1234567",
    "GB82 WEST 1234 5698 7654 32",
    "020 7946 0958",
]


def found(text: str) -> list[tuple[str, str]]:
    return [(text[start:stop], kind) for start, stop, kind in find_personal_data(text)]


# --- Realistic notes ---------------------------------------------------------------------------------------------


def test_workshop_notes_lose_every_secret_and_keep_everything_else() -> None:
    redactor = Redactor()
    redacted = [redactor.redact(note) for note in SUPPORT_NOTES]
    joined = "\n".join(redacted)

    assert not any(secret in joined for secret in SECRETS)
    assert not any(contains_personal_data(note) for note in redacted)
    assert redacted[0] == (
        "[ticket] Maria ([EMAIL_1]) was charged twice; she asked us to call her back on "
        "[PHONE_1] or her office [PHONE_2] before 09:00-17:00 PT."
    )
    assert (
        redacted[1] == "[ticket] Payment failed for card [CARD_1] (Visa), retried 3 times; refund in 3-5 business days."
    )
    assert redacted[4] == SUPPORT_NOTES[4]  # nothing personal, nothing touched
    for kept in ("+20%", "v2.3.1", "#4521", "$1,200", "Q3 2027", "2027-01-15", "15/01/2027", "40 tickets"):
        assert kept in joined


def test_restore_round_trips_the_workshop_notes() -> None:
    redactor = Redactor()
    for note in SUPPORT_NOTES:
        assert redactor.restore(redactor.redact(note)) == note


def test_placeholders_map_to_originals_by_kind() -> None:
    redactor = Redactor()
    for note in SUPPORT_NOTES:
        redactor.redact(note)

    assert dict(redactor.placeholders) == {
        "[EMAIL_1]": "maria.lopez@example.com",
        "[PHONE_1]": "+1 415 555 0134",
        "[PHONE_2]": "(415) 555-0134",
        "[CARD_1]": "4111 1111 1111 1111",
        "[IBAN_1]": "DE89 3704 0044 0532 0130 00",
        "[EMAIL_2]": "jan.schmidt@example.de",
        "[PHONE_3]": "0151 23456789",
        "[PHONE_4]": "+49 30 1234567",
        "[IBAN_2]": "GB82 WEST 1234 5698 7654 32",
        "[PHONE_5]": "020 7946 0958",
    }


# --- What is detected ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("maria.lopez@example.com", "EMAIL"),
        ("ana+billing@mail.example.co.uk", "EMAIL"),
        ("Ana.Perez@Example.COM", "EMAIL"),
        ("josé.núñez@ejemplo.es", "EMAIL"),
        ("+1 415 555 0134", "PHONE"),
        ("+1-415-555-0134", "PHONE"),
        ("+1 (415) 555-0134", "PHONE"),
        ("+14155550134", "PHONE"),
        ("(415) 555-0134", "PHONE"),
        ("415-555-0134", "PHONE"),
        ("415.555.0134", "PHONE"),
        ("1-800-555-0199", "PHONE"),
        ("0151 23456789", "PHONE"),
        ("+49 30 1234567", "PHONE"),
        ("+49 (0)30 1234567", "PHONE"),
        ("+4915123456789", "PHONE"),
        ("0049 30 1234567", "PHONE"),
        ("030/1234567", "PHONE"),
        ("(030) 1234567", "PHONE"),
        ("+44 20 7946 0958", "PHONE"),
        ("020 7946 0958", "PHONE"),
        ("+33 1 23 45 67 89", "PHONE"),
        ("01 23 45 67 89", "PHONE"),
        ("01.23.45.67.89", "PHONE"),
        ("4111 1111 1111 1111", "CARD"),
        ("4111-1111-1111-1111", "CARD"),
        ("4111111111111111", "CARD"),
        ("5555 5555 5555 4444", "CARD"),
        ("3782 822463 10005", "CARD"),
        ("4222222222222", "CARD"),
        ("GB82 WEST 1234 5698 7654 32", "IBAN"),
        ("GB82WEST12345698765432", "IBAN"),
        ("DE89 3704 0044 0532 0130 00", "IBAN"),
        ("DE89370400440532013000", "IBAN"),
        ("de89 3704 0044 0532 0130 00", "IBAN"),
        ("FR14 2004 1010 0505 0001 3M02 606", "IBAN"),
        ("NL91 ABNA 0417 1643 00", "IBAN"),
        ("NO93 8601 1117 947", "IBAN"),
    ],
)
@pytest.mark.parametrize(
    "context",
    ["{}", "Customer wrote: {}.", "({})", '"{}",', "<{}>", "x {}; y", "{}\n", "tel/mail:{}!"],
)
def test_detects_the_value_with_punctuation_around(value: str, kind: str, context: str) -> None:
    assert found(context.format(value)) == [(value, kind)]


@pytest.mark.parametrize(
    "text",
    [
        "Follow up on 2027-01-15.",
        "Due 15/01/2027, or 01/15/2027, or 15.01.2027",
        "Open 09:00-17:00, lunch 12:30 – 13:30",
        "Churn went +20% and NPS -15%",
        "The $1,200 plan, €1.200.000 ARR, 1.200,00 € fee, £49.99/month",
        "See ticket #4521 and #45218812",
        "Order ORD-20270115-0042, order 7781234, build 20270115",
        "Released v2.3.1 (2.3.1) to 10.0.0.1 and 192.168.100.200",
        "40 tickets in 3-5 business days, 1-2 weeks, 24/7",
        "Between 1999 and 2027, 2019 2020 2021",
        "Random 1234 5678 9012 3456 fails Luhn, so does 4111 1111 1111 1112",
        "Order id 1234567890123456 is not a card",
        "Invalid IBAN DE89 3704 0044 0532 0130 01 and GB82 WEST 1234 5698 7654 33",
        "Q3 2027, 99.9% uptime, 2.5 hours, 1,234,567 users, +1 200 000 sign-ups",
        "Slack ts 1712345678.123456, uuid 123e4567-e89b-12d3-a456-426614174000",
        "Call at 9:30 or 10:45 on 01.02.2027 10:30",
        "Ticket 00123456789 and postcode 10115 Berlin",
        "Already redacted: [EMAIL_1], [PHONE_2], @Person_3; tags [ticket] [survey]",
        "Pi is 3.14159265358979 and 12345678901234567890 is too long for a card",
        "Rate it 0 1 2 3 4 5 6 7 8 9 10; release 0.1.2.3.4.5.6.7.8",
    ],
)
def test_leaves_dates_times_prices_ids_and_versions_alone(text: str) -> None:
    assert found(text) == []
    assert Redactor().redact(text) == text


def test_contains_personal_data() -> None:
    assert contains_personal_data("write to maria.lopez@example.com")
    assert contains_personal_data("card 4111111111111111")
    assert not contains_personal_data("40 tickets since 2027-01-15, +20%")
    assert not contains_personal_data("")


# --- Overlaps and odd text ----------------------------------------------------------------------------------------


def test_iban_digits_never_become_a_phone_or_a_card() -> None:
    # "0044 0532 0130 00" alone would read as an international (+44) phone number.
    assert found("IBAN DE89 3704 0044 0532 0130 00, tel +49 30 1234567") == [
        ("DE89 3704 0044 0532 0130 00", "IBAN"),
        ("+49 30 1234567", "PHONE"),
    ]


def test_email_digits_never_become_a_card() -> None:
    assert found("4111111111111111@example.com") == [("4111111111111111@example.com", "EMAIL")]


def test_adjacent_values_are_told_apart() -> None:
    text = "maria.lopez@example.com,+1 415 555 0134;4111 1111 1111 1111/GB82 WEST 1234 5698 7654 32"
    assert [kind for _, kind in found(text)] == ["EMAIL", "PHONE", "CARD", "IBAN"]


def test_a_value_running_into_another_number_is_still_caught() -> None:
    assert found("IBAN PL61 1090 1014 0000 0712 1981 2874 2027") == [("PL61 1090 1014 0000 0712 1981 2874", "IBAN")]
    assert found("card 4111 1111 1111 1111 exp 12/27") == [("4111 1111 1111 1111", "CARD")]


def test_slack_mailto_and_tel_links_are_redacted_on_both_sides() -> None:
    redactor = Redactor()
    text = "<mailto:maria.lopez@example.com|maria.lopez@example.com> <tel:+14155550134|+1 415 555 0134>"

    redacted = redactor.redact(text)

    assert redacted == "<mailto:[EMAIL_1]|[EMAIL_1]> <tel:[PHONE_1]|[PHONE_2]>"
    assert not contains_personal_data(redacted)
    assert redactor.restore(redacted) == text


def test_square_brackets_and_unicode_survive() -> None:
    redactor = Redactor()
    text = "[interview] «José» 🙂 écrit de josé@exemplo.pt, tél.\u00a0+33\u00a01\u00a023\u00a045\u00a067\u00a089 [sic]"

    redacted = redactor.redact(text)

    assert redacted == "[interview] «José» 🙂 écrit de [EMAIL_1], tél.\u00a0[PHONE_1] [sic]"
    assert redactor.restore(redacted) == text


# --- Stability --------------------------------------------------------------------------------------------------


def test_same_value_same_placeholder_across_notes() -> None:
    redactor = Redactor()

    first = redactor.redact("from maria.lopez@example.com and jan.schmidt@example.de, card 4111111111111111")
    second = redactor.redact("again maria.lopez@example.com (4111111111111111), then jan.schmidt@example.de")

    assert first == "from [EMAIL_1] and [EMAIL_2], card [CARD_1]"
    assert second == "again [EMAIL_1] ([CARD_1]), then [EMAIL_2]"


def test_each_spelling_has_its_own_placeholder_so_restore_is_verbatim() -> None:
    redactor = Redactor()
    text = "+1 415 555 0134 / (415) 555-0134 / Maria.Lopez@example.com / maria.lopez@example.com"

    redacted = redactor.redact(text)

    assert redacted == "[PHONE_1] / [PHONE_2] / [EMAIL_1] / [EMAIL_2]"
    assert redactor.restore(redacted) == text


def test_each_redactor_numbers_on_its_own() -> None:
    first, second = Redactor(), Redactor()
    first.redact("a@example.com")

    assert second.redact("b@example.com") == "[EMAIL_1]"
    assert second.restore("[EMAIL_1]") == "b@example.com"


def test_placeholders_is_read_only() -> None:
    redactor = Redactor()
    redactor.redact("maria.lopez@example.com")

    with pytest.raises(TypeError):
        redactor.placeholders["[EMAIL_1]"] = "someone@else.com"  # type: ignore[index]


def test_a_persisted_redactor_carries_on_where_it_stopped() -> None:
    redactor = Redactor()
    redactor.redact("maria.lopez@example.com, +49 30 1234567")
    redactor.pseudonym("U01ANA", "Ana")

    reloaded = Redactor.model_validate_json(redactor.model_dump_json())

    assert reloaded.redact("jan.schmidt@example.de or maria.lopez@example.com") == "[EMAIL_2] or [EMAIL_1]"
    assert reloaded.pseudonym("U02BOB", "Bob") == "@Person_2"
    assert reloaded.pseudonym("U01ANA") == "@Person_1"
    assert reloaded.restore("[PHONE_1] for @Person_1") == "+49 30 1234567 for @Ana"


# --- Restore ------------------------------------------------------------------------------------------------------


def test_restore_leaves_unknown_placeholders_and_plain_brackets() -> None:
    redactor = Redactor()
    redactor.redact("maria.lopez@example.com")

    llm_output = "Theme: billing [EMAIL_1], [EMAIL_9], [IBAN_1], @Person_4, [ticket] [EMAIL_1x]"

    assert redactor.restore(llm_output) == (
        "Theme: billing maria.lopez@example.com, [EMAIL_9], [IBAN_1], @Person_4, [ticket] [EMAIL_1x]"
    )


def test_restore_tolerates_the_case_the_model_chose() -> None:
    redactor = Redactor()
    redactor.redact("maria.lopez@example.com")
    redactor.pseudonym("U01ANA", "Ana")

    assert redactor.restore("[email_1] and person_1") == "maria.lopez@example.com and @Ana"


def test_restore_does_not_reread_restored_values() -> None:
    redactor = Redactor()
    redactor.redact_mentions("@[EMAIL_2]", [("U01", "[EMAIL_2]")])  # a display name that looks like a placeholder
    redactor.redact("maria.lopez@example.com jan.schmidt@example.de")

    assert redactor.restore("@Person_1 [EMAIL_1]") == "@[EMAIL_2] maria.lopez@example.com"


# --- Pseudonyms ---------------------------------------------------------------------------------------------------


def test_mentions_become_stable_pseudonyms_and_come_back() -> None:
    redactor = Redactor()
    mentions = [("U01ANA", "Ana María"), ("U02ANA", "Ana"), ("U03BOB", "bob.smith")]
    text = "@Ana María owns the refund flow, @Ana reviews; @bob.smith: ping @Ana María again. ana@example.com"

    redacted = redactor.redact_mentions(redactor.redact(text), mentions)

    assert redacted == "@Person_1 owns the refund flow, @Person_2 reviews; @Person_3: ping @Person_1 again. [EMAIL_1]"
    assert redactor.restore(redacted) == text
    assert redactor.redact_mentions("@Ana, @Ana María", mentions) == "@Person_2, @Person_1"


def test_mentions_match_whole_labels_only() -> None:
    redactor = Redactor()

    redacted = redactor.redact_mentions("@Anabel and @Ana, not ana@Ana.example", [("U02ANA", "Ana")])

    assert redacted == "@Anabel and @Person_1, not ana@Ana.example"


def test_pseudonym_is_stable_and_learns_its_label() -> None:
    redactor = Redactor()

    assert redactor.pseudonym("U01ANA") == "@Person_1"
    assert redactor.restore("@Person_1") == "@U01ANA"
    assert redactor.pseudonym("U01ANA", "@Ana") == "@Person_1"
    assert redactor.pseudonym("U02BOB", "Bob") == "@Person_2"
    assert redactor.pseudonym("U01ANA", "Ana (renamed)") == "@Person_1"
    assert redactor.restore("@Person_1 thanks @Person_2; Person_2 agrees") == "@Ana thanks @Bob; @Bob agrees"
    assert redactor.people == {"U01ANA": "@Person_1", "U02BOB": "@Person_2"}


def test_mentions_with_redact_in_either_order() -> None:
    mentions = [("U01ANA", "Ana")]
    text = "@Ana: call +49 30 1234567"
    first, second = Redactor(), Redactor()

    assert first.redact(first.redact_mentions(text, mentions)) == "@Person_1: call [PHONE_1]"
    assert second.redact_mentions(second.redact(text), mentions) == "@Person_1: call [PHONE_1]"


# --- Performance ----------------------------------------------------------------------------------------------------

LENGTH = 40_000
ADVERSARIAL = {
    "digits": "1",
    "digit groups": "1 ",
    "dotted digits": "1.",
    "dashed digits": "1-",
    "slashed zeros": "0/",
    "plus signs": "+1 ",
    "brackets": "(1) 1 ",
    "bare brackets": "(1)",
    "letters": "a",
    "dotted letters": "a.",
    "at signs": "a@",
    "domain": "@a.",
    "long local part": "a" * 63 + ".",
    "iban starts": "DE89 ",
    "iban lookalike": "GB82 WEST 1234 5698 7654 3 ",
    "card groups": "4111 ",
    "placeholders": "[EMAIL_1] @Person_1 ",
    "no-break spaces": "0\u00a0",
    "realistic": " ".join(SUPPORT_NOTES) + " ",
}


@pytest.mark.parametrize("unit", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_40k_adversarial_text_is_linear(unit: str) -> None:
    text = (unit * (LENGTH // len(unit) + 1))[:LENGTH]
    redactor = Redactor()

    started = time.perf_counter()
    redacted = redactor.redact(text)
    restored = redactor.restore(redacted)
    elapsed = time.perf_counter() - started

    assert restored == text
    assert elapsed < 2.0  # ~0.2 s at worst here; quadratic scanning would take minutes
