"""The five workshop steps: what the bot asks in each, in order."""

from __future__ import annotations

from pydantic import BaseModel

from workflows.mapping.models import StepKey


class StepInfo(BaseModel):
    key: StepKey
    title: str
    question: str
    hints: list[str]
    example: str


STEPS: dict[StepKey, StepInfo] = {
    StepKey.objective: StepInfo(
        key=StepKey.objective,
        title="Objective",
        question="Why are we mapping this journey, and where does a customer's experience with us begin?",
        hints=[
            "Which experience does this map cover, and where does it start and end?",
            "Which decision will it inform? How will we know it helped (success measures)?",
        ],
        example="[analytics] Trial-to-paid conversion fell from 18% to 12% this year; we need to know why",
    ),
    StepKey.persona: StepInfo(
        key=StepKey.persona,
        title="Persona",
        question="Who is the customer on this journey?",
        hints=[
            "Their goals, context and expectations; what frustrates them.",
            'Real quotes are gold: put them in "double quotes".',
        ],
        example='[interview] Freelancers juggling 5+ clients: "I just want to get paid without chasing"',
    ),
    StepKey.touchpoints: StepInfo(
        key=StepKey.touchpoints,
        title="Touchpoints",
        question="Where does the customer meet us, step by step?",
        hints=[
            "What they do, through which channel (website, app, email, phone, chat…), and how they feel.",
            "Name the stage if you know it.",
        ],
        example="[observation] Consideration: compares our pricing page with competitors', feels unsure",
    ),
    StepKey.pain_points: StepInfo(
        key=StepKey.pain_points,
        title="Pain points",
        question="Where does it hurt?",
        hints=["At which touchpoint, and with what evidence (tickets, interviews, data)?"],
        example="[ticket] 40 tickets last month: the invoice PDF breaks on mobile",
    ),
    StepKey.action_plan: StepInfo(
        key=StepKey.action_plan,
        title="Action plan",
        question="What will we change, who owns it, and by when?",
        hints=['One action per line: what, the owner as an @mention, and a date ("by Friday", "in 2 weeks").'],
        example="Fix the mobile invoice PDF @someone by 2027-01-15",
    ),
}
