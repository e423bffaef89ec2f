"""Slack text in and out, and messages that stay within Slack's limits however big the map gets."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from slack_sdk.models.blocks import Block

from bot import blocks, reminder_blocks
from bot.canvas import canvas_title
from bot.text import decode, escape, fit
from tests.map_samples import sample_map
from workflows.mapping.models import (
    ActionItem,
    Contribution,
    Evidence,
    JourneyMap,
    ObjectiveCard,
    PainPoint,
    Persona,
    Stage,
    StepKey,
    Theme,
    Touchpoint,
)
from workflows.ports import WeeklyDigest, WorkshopView
from workflows.workshop.steps import STEPS

NAMES = {"U1": "Dana Lee", "U2": "Sam"}


def test_decode_turns_slack_markup_into_plain_text_and_collects_mentions():
    raw = "Ask <@U1> &amp; <@U2|sam> about <!channel> <!here> <#C9|support> <https://x.example|the doc> &lt;b&gt;"
    text, mentions = decode(raw, NAMES.__getitem__)
    assert text == "Ask @Dana Lee & @sam about @channel @here #support the doc <b>"
    assert mentions == [("U1", "Dana Lee"), ("U2", "sam")]


def test_escape_neutralises_every_control_character():
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_fit_shortens_without_breaking_an_entity():
    for limit in range(5, 40):
        shown = fit("a & b < c > d " * 10, limit)
        assert len(shown) <= limit
        assert "<" not in shown and ">" not in shown
        assert shown.count("&") == shown.count("&amp;") + shown.count("&lt;") + shown.count("&gt;")


def test_fit_cuts_between_words_and_says_so():
    shown = fit("Payout verification takes five days and nobody says why", 30)
    assert shown == "Payout verification takes…"


def note(i: int, text: str = "") -> Contribution:
    return Contribution(user="U1", ts=f"{i}.0", text=text or f"note {i}", evidence=Evidence.ticket)


def huge_map() -> JourneyMap:
    long = "x" * 5_000
    themes = [Theme(id=f"pain_points-{i}", title=f"Pain {i} {long}", contributions=[note(i, long)]) for i in range(120)]
    stages = [
        Stage(
            name=f"Stage {s} {long}",
            touchpoints=[Touchpoint(theme_id=f"t{i}", title=long, channel="email") for i in range(12)],
            pain_points=[PainPoint(theme_id=f"pain_points-{i}", title=long, votes=i) for i in range(12)],
            emotion=-1.2,
        )
        for s in range(8)
    ]
    actions = [
        ActionItem(id=f"A{i}", title=long, owner=None if i % 3 else "U1", due=date(2027, 1, 1)) for i in range(90)
    ]
    return JourneyMap(
        workshop_id="1",
        objective=long,
        stage_model=[s.name for s in stages],
        persona=Persona(name=long, segment=long, goals=[long] * 9),
        stages=stages,
        steps={key: themes for key in StepKey},
        action_items=actions,
        engine="embedded",
        generated_at=datetime.now(UTC),
    )


def assert_within_limits(block_list: list[dict]) -> None:
    chunks = blocks.chunk_blocks(block_list)
    assert sum(len(c) for c in chunks) == len(block_list), "splitting lost blocks"
    for chunk in chunks:
        assert len(chunk) <= 50
        assert sum(blocks._block_chars(b) for b in chunk) <= 12_000
        for block in Block.parse_all(chunk):
            block.validate_json()


def test_a_huge_map_summary_is_split_into_valid_messages():
    summary = blocks.map_summary(huge_map())
    assert len(blocks.chunk_blocks(summary)) > 1
    assert_within_limits(summary)


def test_a_step_with_hundreds_of_themes_is_split_into_valid_messages():
    themes = huge_map().steps[StepKey.pain_points]
    thread = blocks.themes_thread(STEPS[StepKey.pain_points], themes, engine_note="fell back")
    assert len(blocks.chunk_blocks(thread)) > 2
    assert_within_limits(thread)


def test_kickoff_and_step_messages_are_valid():
    from workflows.ports import WorkshopView

    view = WorkshopView(
        id=3,
        team_id="T1",
        channel_id="C1",
        facilitator_id="U1",
        objective="<!channel> " + "y" * 40_000,
        stage_names=["A", "B"],
        status="open",
    )
    assert_within_limits(blocks.kickoff(view))
    assert "<!channel>" not in str(blocks.kickoff(view))
    for step in STEPS.values():
        assert_within_limits(blocks.step_message(view, step))


def test_status_shows_llm_tokens_and_estimated_cost():
    from workflows.ports import StepStatus, WorkshopStatus, WorkshopView

    view = WorkshopView(
        id=1, team_id="T", channel_id="C", facilitator_id="U1", objective="o", stage_names=["A"], status="open"
    )
    step = StepStatus(
        key=StepKey.objective,
        title="Objective",
        status="open",
        message_ts="1.0",
        contributions=3,
        contributors=2,
        themes=0,
    )
    used = WorkshopStatus(
        workshop=view, steps=[step], action_items=2, unowned_action_items=1, llm_tokens=12_345, llm_cost_usd=0.0042
    )
    shown = str(blocks.status_blocks(used))
    assert "LLM: 12,345 tokens, about $0.0042" in shown and "1 without an owner" in shown
    unused = used.model_copy(update={"llm_tokens": 0, "llm_cost_usd": None})
    assert "LLM" not in str(blocks.status_blocks(unused))


LONG_OBJECTIVES = [
    "Find out why commuters on the northern line stop renewing their season tickets after the timetable change "
    "and decide which three fixes the customer board funds",
    "Understand why outpatients miss their follow-up appointments at the eye clinic, from the referral letter to "
    "the second visit, and which reminder channel to fund next year",
    "Learn where new workspace admins get stuck between signing up for the analytics tool and inviting their "
    "first teammate, so onboarding can be rebuilt for the Q3 release",
]


def assert_cut_at_a_word(shown: str, full: str, limit: int) -> None:
    assert len(shown) <= limit and shown.endswith("…")
    kept = shown[:-1]
    assert full.startswith(kept) and full[len(kept)] == " ", f"cut mid-word: {shown!r}"


@pytest.mark.parametrize("objective", LONG_OBJECTIVES)
def test_long_titles_are_cut_between_words_with_an_ellipsis(objective: str) -> None:
    journey_map = sample_map(3, 1).model_copy(update={"objective": objective})
    title = blocks.map_summary(journey_map)[0]["text"]["text"]
    assert_cut_at_a_word(title, f"Journey map: {objective}", 150)
    assert_cut_at_a_word(canvas_title(journey_map), f"Journey map: {objective}", 120)
    view = WorkshopView(
        id=1, team_id="T", channel_id="C", facilitator_id="U1", objective=objective, stage_names=["A"], status="done"
    )
    digest = reminder_blocks.digest(
        WeeklyDigest(workshop=view, week_of=date(2027, 3, 1), done_this_week=[], overdue=[], progress=[])
    )
    assert_cut_at_a_word(digest[0]["text"]["text"], f"Weekly digest: {objective}", 150)


def test_a_long_section_is_cut_between_words():
    text = "word " * 1_000
    shown = blocks.section(text)["text"]["text"]
    assert len(shown) <= blocks.SECTION_LIMIT and shown.endswith("word…")


def test_the_summary_says_what_the_map_is_for_and_marks_only_assumptions_with_a_warning():
    card = ObjectiveCard(
        question="Why do patients miss follow-up appointments?",
        scope=["From the referral letter to the second visit"],
        success_measures=["Missed follow-ups down from 14% to 8% within two quarters"],
        decision="Which reminder channel the clinic funds next year",
    )
    journey_map = sample_map(3, 3).model_copy(update={"objective_card": card})
    shown = str(blocks.map_summary(journey_map))
    assert "Why do patients miss follow-up appointments?" in shown
    assert "From the referral letter to the second visit" in shown
    assert "Missed follow-ups down from 14% to 8% within two quarters" in shown
    assert "Which reminder channel the clinic funds next year" in shown
    assumed = sum(t.assumption_only for step in journey_map.steps.values() for t in step)
    placed = {tp.theme_id for s in journey_map.stages for tp in s.touchpoints}
    placed |= {p.theme_id for s in journey_map.stages for p in s.pain_points}
    flagged = sum(t.assumption_only and t.id in placed for step in journey_map.steps.values() for t in step)
    assert assumed and shown.count(":warning:") == flagged  # one per assumption-only theme, nothing else
    assert "no owner yet" in shown.casefold()
    assert "<!channel>" not in shown  # user text stays escaped


def test_severity_is_shown_only_where_it_is_set():
    journey_map = sample_map(3, 2)
    journey_map.stages[0].pain_points[0].severity = None
    lines = [b["text"]["text"] for b in blocks.map_summary(journey_map) if b.get("type") == "section"]
    first = next(line for line in lines if line.startswith("*Discover*"))
    pains = [line for line in first.splitlines() if line.startswith("• Pain point")]
    assert "severity" not in pains[0] and "severity" in pains[1]
