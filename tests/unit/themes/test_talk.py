"""The facilitator's prompts and the team's asides that no rule lists stay out of the themes, and only they do.

The replies below come from the four workshops written blind last (ferry, museum, parcel lockers, e-signature),
which the shipped reader was fitted without (`make fit-talk`)."""

from __future__ import annotations

import pytest

from storage.models import ContributionRow, Step
from workflows.mapping.models import StepKey
from workflows.themes.clustering.cleaning import is_note
from workflows.themes.service import free_notes, set_aside
from workflows.themes.talk import is_talk

PROMPTS = [
    ("great start! what about the day itself — getting to Carrick?", StepKey.touchpoints),
    ("brilliant, that's a solid set. on to pains :arrow_down:", StepKey.touchpoints),
    ("nice. now visiting as a member, the Experience bit :point_down:", StepKey.touchpoints),
    ("great stuff so far :clap: anyone on the problem side? full lockers, codes, expiries", StepKey.touchpoints),
    ("thanks all :raised_hands: last big area is renewal + lapsing. what's going wrong there?", StepKey.pain_points),
    ("good, keep going. what about once she's a member and visiting?", StepKey.pain_points),
    (
        "Thanks everyone, super productive week :tada: I'll write up the map and share it Monday. Owners, ping me "
        "if your dates move",
        StepKey.action_plan,
    ),
]
NOTES = [
    ("the holiday cottage owner's welcome email, which usually tells them to book the ferry asap", StepKey.touchpoints),
    ("the status page lags our facebook page by up to 40 mins when a sailing is cancelled", StepKey.pain_points),
    ("what even is 1.67, is that good? the lens options page loses half of them", StepKey.pain_points),
    ("someone should look at a covered dog area on the boats, parking it for the fleet review", StepKey.action_plan),
    # where people write as the reader would mistake for chatter: a name coined, a few words, an action taken on
    ("Mattress Matt :bed: he's the one with the old sofa and no van", StepKey.persona),
    ("hold music :weary:", StepKey.pain_points),
    ("yep mine :+1: designs by 10 Dec", StepKey.action_plan),
    ("&gt; draft copy by end of Nov\nhappy to help test it with the survey panel :raised_hand:", StepKey.action_plan),
]


@pytest.mark.parametrize(("text", "step"), PROMPTS)
def test_a_prompt_no_rule_knows_is_the_workshops_own_talk(text: str, step: StepKey) -> None:
    assert is_note(text)  # the rules alone take it for a note
    assert is_talk(text, step)


@pytest.mark.parametrize(("text", "step"), NOTES)
def test_a_note_is_never_taken_for_talk(text: str, step: StepKey) -> None:
    assert not is_talk(text, step)


def test_talk_is_kept_aside_with_the_step_and_never_grouped() -> None:
    texts = [PROMPTS[-1][0], NOTES[3][0], NOTES[6][0], ":+1:"]
    step = Step(
        key=StepKey.action_plan.value,
        contributions=[
            ContributionRow(
                id=n, text=text, user_id="U1", message_ts=f"1700000000.{n:06d}", evidence="assumption", quote=False
            )
            for n, text in enumerate(texts, start=1)
        ],
    )
    assert [c.text for c in free_notes(step)] == texts[1:]  # the emoji goes when notes are grouped, as it always did
    assert [c.text for c in set_aside(step)] == [texts[0], texts[3]]
