"""Playing a workshop through Slack in tests: the team's replies per step, and helpers to run steps and read the
published map. Shared by the Slack end-to-end test modules."""

from __future__ import annotations

from tests.conftest import ANA, BEN, CHO, FACILITATOR
from workflows.mapping.models import JourneyMap, StepKey

STEP_REPLIES: dict[StepKey, list[tuple[str, str]]] = {
    StepKey.objective: [
        (ANA, "[analytics] Trial-to-paid conversion dropped from 18% to 12% this quarter"),
        (BEN, "Understand why new customers stall before sending their first invoice"),
        (CHO, "- Decide what to fix in onboarding first\n- Success: 20% more paid conversions"),
    ],
    StepKey.persona: [
        (ANA, '[interview] Freelance designers with 3-10 clients: "I just want to get paid without chasing"'),
        (BEN, "[survey] They work alone and hate admin work"),
        (CHO, "Goal: look professional to clients"),
    ],
    StepKey.touchpoints: [
        (ANA, "[observation] Finds us through a Google search for invoice templates, feels hopeful"),
        (BEN, "- Signs up on the website and gets a welcome email\n- Creates a first invoice in the mobile app"),
        (CHO, "[ticket] Calls support by phone when the payment link fails, frustrated"),
    ],
    StepKey.pain_points: [
        (ANA, "[ticket] The payment link fails on mobile banking apps <!channel>"),
        (BEN, "[interview] Setting up tax rates is confusing and slow"),
        (CHO, "[analytics] 40% never finish the invoice editor"),
    ],
    StepKey.action_plan: [
        (ANA, f"Fix the mobile payment link <@{BEN}> by 2027-01-15"),
        (CHO, f"Simplify tax setup with defaults per country <@{CHO}> in 2 weeks"),
        (BEN, "Rewrite the welcome email"),
    ],
}


def posted_messages(slack) -> list[dict]:
    return [call.params for call in slack.standin.calls_to("chat.postMessage")]


def play_steps(slack, steps: list[StepKey], publish: bool = False) -> None:
    """The team replies in each step's thread, then the facilitator closes it; with `publish`, after the action plan
    they publish the draft they were sent."""
    for step in steps:
        thread = slack.step_ts(step)
        for user, text in STEP_REPLIES[step]:
            slack.reply(thread, user, text)
        slack.settle()
        slack.command("next", FACILITATOR)
        if publish and step == StepKey.action_plan:
            answer = slack.command("publish", FACILITATOR).body
            assert "Publishing" in answer, answer


def run_workshop(slack, until: StepKey = StepKey.action_plan, review: bool = False) -> None:
    """Starts the workshop and closes every step up to `until`; after the last one the map is published, at once
    or, with `review`, once the facilitator publishes the draft (`test_theme_review.py` covers the draft itself)."""
    mode = "" if review else " --publish auto"
    response = slack.command(f"start Why do trials stall before the first paid invoice?{mode}", FACILITATOR)
    assert "Starting workshop" in response.body
    play_steps(slack, list(StepKey)[: list(StepKey).index(until) + 1], publish=review)


def published_map(slack) -> JourneyMap:
    files = {f.name: f.content for f in slack.standin.files}
    assert set(files) >= {"journey-map.md", "journey-map.json", "journey-map.png"}
    return JourneyMap.model_validate_json(files["journey-map.json"])
