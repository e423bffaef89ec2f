"""Stage models: the presets docs/architecture.md lists, and custom stage names a facilitator types."""

from __future__ import annotations

import pytest

from workflows.workshop.stages import PRESETS, StageDef, describe_presets, resolve_stage_model


def names(stages: list[StageDef]) -> list[str]:
    return [stage.name for stage in stages]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("default", ["Awareness", "Consideration", "Purchase", "Retention", "Advocacy"]),
        ("aipel", ["Awareness", "Interest", "Purchase", "Experience", "Loyalty"]),
        ("decision", ["Awareness", "Consideration", "Decision", "Post-purchase"]),
        ("research", ["Discovery", "Research", "Use", "Problem-solving", "Retention", "Advocacy"]),
        ("b2b", ["Purchase", "Adoption", "Retention", "Expansion", "Advocacy"]),
        ("ecommerce", ["Discover", "Try", "Buy", "Use", "Seek support"]),
    ],
)
def test_the_presets_from_the_design(key: str, expected: list[str]) -> None:
    assert names(resolve_stage_model(key)) == expected


@pytest.mark.parametrize("text", [None, "", "   ", "Default", "DEFAULT "])
def test_no_choice_means_the_default_model(text: str | None) -> None:
    assert names(resolve_stage_model(text)) == names(PRESETS["default"])


@pytest.mark.parametrize(("text", "key"), [("B2B", "b2b"), ("e-commerce", "ecommerce"), ("ECommerce", "ecommerce")])
def test_preset_keys_are_forgiving(text: str, key: str) -> None:
    assert resolve_stage_model(text) == PRESETS[key]


def test_every_preset_stage_says_what_the_customer_wants_there() -> None:
    for stages in PRESETS.values():
        for stage in stages:
            assert stage.description.startswith(("the customer", "the shopper", "after buying", "something"))
            assert len(stage.examples) >= 4


@pytest.mark.parametrize(
    "text",
    [
        "Notice, Sign up, Onboard, Invoice, Get paid",
        "Notice -> Sign up -> Onboard -> Invoice -> Get paid",
        "Notice → Sign up → Onboard → Invoice → Get paid",
        "Notice | Sign up | Onboard | Invoice | Get paid",
        "Notice > Sign up > Onboard > Invoice > Get paid",
        "1. Notice\n2. Sign up\n3. Onboard\n4. Invoice\n5. Get paid",
        "'Notice', 'Sign up',  'Onboard', , 'Invoice', 'Get paid',",
    ],
)
def test_custom_stage_names_in_any_common_list_form(text: str) -> None:
    assert names(resolve_stage_model(text)) == ["Notice", "Sign up", "Onboard", "Invoice", "Get paid"]


def test_a_custom_stage_is_described_by_its_name_and_a_known_one_keeps_its_description() -> None:
    onboard, retention = resolve_stage_model("Onboard, retention")
    assert onboard == StageDef(name="Onboard", description="Onboard")
    assert retention.name == "retention"
    assert retention.description == PRESETS["default"][3].description
    assert retention.examples


def test_hyphenated_names_are_not_split() -> None:
    assert names(resolve_stage_model("Pre-sales, Post-purchase")) == ["Pre-sales", "Post-purchase"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("onboarding", "not a preset"),
        ("Sign up, , ", "not a preset"),
        (", ".join(f"Stage {n}" for n in range(11)), "2 to 10 stages"),
        ("Try, Buy, try", "appears twice"),
        ("Try, " + "x" * 41, "at most 40 characters"),
    ],
)
def test_unusable_stage_models_are_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_stage_model(text)


def test_a_stage_model_survives_storage_as_json() -> None:
    stages = resolve_stage_model("b2b")
    assert [StageDef(**stage.model_dump()) for stage in stages] == stages
    assert [StageDef.model_validate_json(stage.model_dump_json()) for stage in stages] == stages


def test_help_text_lists_every_preset_with_its_stages() -> None:
    text = describe_presets()
    assert len(text.splitlines()) == len(PRESETS)
    assert "`ecommerce`: Discover → Try → Buy → Use → Seek support" in text
    assert all(f"`{key}`" in text for key in PRESETS)
