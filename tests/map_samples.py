"""Journey maps made to measure for the renderers' tests: any number of stages and items, short or long texts,
user text that tries to ping a channel or inject markup."""

from __future__ import annotations

from datetime import UTC, date, datetime

from workflows.mapping.models import (
    ActionItem,
    ActionStatus,
    Contribution,
    Evidence,
    JourneyMap,
    PainPoint,
    Persona,
    Stage,
    StepKey,
    Theme,
    Touchpoint,
    Verbatim,
)

STAGE_NAMES = ["Discover", "Research", "Sign up", "Onboard", "Use", "Get help", "Renew", "Advocate"]
LONG = (
    "Customers who arrive from the partner marketplace cannot find the pricing page, give up on the comparison "
    "table halfway through and write to support asking whether the annual plan includes the invoicing add-on"
)


def _theme(theme_id: str, title: str, evidence: Evidence, user: str = "U0ANA") -> Theme:
    return Theme(
        id=theme_id,
        title=title,
        contributions=[
            Contribution(user=user, ts="1700000000.000100", text=f"{title}: as a customer said", evidence=evidence)
        ],
    )


def sample_map(stages: int = 5, items: int = 3, long: bool = False) -> JourneyMap:
    """`stages` columns, each with `items` touchpoints, pain points and actions; every third theme rests only on
    assumptions; `long` makes every title a paragraph."""
    names = STAGE_NAMES[:stages]
    steps: dict[StepKey, list[Theme]] = {key: [] for key in StepKey}
    stage_models: list[Stage] = []
    actions: list[ActionItem] = []
    for s, name in enumerate(names):
        touchpoints, pains = [], []
        for i in range(items):
            n = s * items + i
            evidence = Evidence.assumption if n % 3 == 0 else Evidence.interview
            tp_title = f"{LONG} ({name} {i + 1})" if long else f"{name} touchpoint {i + 1}"
            pp_title = f"{LONG} ({name} pain {i + 1})" if long else f"{name} pain <!channel> & co {i + 1}"
            steps[StepKey.touchpoints].append(_theme(f"touchpoints-{n + 1}", tp_title, evidence))
            steps[StepKey.pain_points].append(_theme(f"pain_points-{n + 1}", pp_title, evidence, user="U0BEN"))
            touchpoints.append(
                Touchpoint(
                    theme_id=f"touchpoints-{n + 1}",
                    title=tp_title,
                    channel=["email", "web", "phone"][i % 3],
                    emotion=[1.5, -0.5, -2.0, 0.0, 2.0][n % 5],
                    ratings=n % 4,
                )
            )
            pains.append(
                PainPoint(theme_id=f"pain_points-{n + 1}", title=pp_title, votes=items - i, severity=1 + i % 3)
            )
            actions.append(
                ActionItem(
                    id=f"A{n + 1}",
                    title=f"{LONG} (action {n + 1})" if long else f"Fix {name.lower()} step {i + 1}",
                    owner=["U0ANA", "U0BEN", None][i % 3],
                    due=date(2027, 3, 1 + n % 28) if i % 3 != 2 else None,
                    status=[ActionStatus.open, ActionStatus.in_progress, ActionStatus.done][n % 3],
                    pain_point=f"pain_points-{n + 1}",
                    stage=name,
                )
            )
        emotions = [tp.emotion for tp in touchpoints if tp.emotion is not None]
        stage_models.append(
            Stage(
                name=name,
                touchpoints=touchpoints,
                pain_points=pains,
                emotion=round(sum(emotions) / len(emotions), 2) if emotions else None,
            )
        )
    actions.append(ActionItem(id=f"A{len(actions) + 1}", title="Write the quarterly review", owner="U0ANA"))
    return JourneyMap(
        workshop_id="7",
        version=2,
        objective="Why do freelancers stop after their first invoice? <@U0BEN> knows",
        stage_model=names,
        persona=Persona(
            name="Frida the freelancer",
            segment="Solo designers with 5+ clients",
            goals=["Get paid on time", "Spend less time on admin"],
            frustrations=["Chasing late payments"],
            verbatims=[Verbatim(text="I just want to get paid without chasing")],
        ),
        stages=stage_models,
        steps=steps,
        action_items=actions,
        engine="embedded",
        generated_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
        people={"U0ANA": "Ana Alvarez", "U0BEN": "Ben Okafor"},
    )
