"""Shared by the LLM tests: a small meal-kit workshop (with personal data in it), a database, the LLM config
and pytest-recording's settings. `conftest.py` registers this module as a plugin, so its fixtures are there.

Personal data here is public test data: example.com addresses, the Visa test card, Ofcom's drama numbers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from storage.db import Database
from storage.models import Workshop, Workspace
from tests.cassettes.responders import responder
from tests.fake_openai import FakeOpenAI
from workflows.llm import ActionNote, LLMConfig
from workflows.mapping.models import (
    ActionItem,
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
from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.workshop.stages import PRESETS

__all__ = ["fake_config", "fake_llm", "llm_db", "replay_config", "vcr_config", "workshop_id"]

ANA, BEN, CHO, FAY = "U0ANA0001", "U0BEN0001", "U0CHO0001", "U0FACIL01"
PEOPLE = [(FAY, "Fay"), (ANA, "Ana"), (BEN, "Ben"), (CHO, "Cho")]
STAGES = PRESETS["default"]
TODAY = date(2026, 11, 23)

EMAIL, SECOND_EMAIL, CARD, PHONE = "jane.doe@example.com", "priya.k@example.org", "4111 1111 1111 1111", "020 7946 0958"
SECRETS = [EMAIL, SECOND_EMAIL, CARD, PHONE, "4111111111111111", "02079460958"]

# The touchpoints step of the workshop: notes by the theme a facilitator would give them, one outlier.
BOARD: dict[str, list[str]] = {
    "Verification email never arrives": [
        f"The verification email never arrived, I wrote to support from {EMAIL}",
        "Had to request the confirmation code three times",
        "Sign-up code email went to my spam folder",
    ],
    "Card declined at checkout": [
        f"My card {CARD} was declined at checkout with no reason given",
        "Payment failed twice and I gave up",
        "Checkout error right after entering my card details",
    ],
    "Long wait on the support hotline": [
        f"Waited 40 minutes on the hotline, call me back on {PHONE}",
        "The support phone queue is far too long",
        "Nobody picked up when I called support",
    ],
    "Weekly recipe newsletter": [
        "The weekly recipe newsletter is lovely",
        "I cook from the Sunday newsletter every week",
    ],
    "Boxes arrive damaged": [
        "Box arrived crushed and the eggs were broken",
        "The cold pack leaked all over the doorstep",
    ],
    "Dark mode request": ["Would like a dark mode in the app"],
}
BOARD_LABELS = {text: title for title, texts in BOARD.items() for text in texts}
BOARD_NOTES = [Note(id=str(100 + number), text=text) for number, text in enumerate(BOARD_LABELS)]


def scripted_groups() -> list[ThemeDraft]:
    """A deliberately imperfect pre-grouping of BOARD: the newsletter split in two groups (the LLM should merge
    them) and the dark-mode note inside the delivery group (the LLM should move it out)."""
    ids = {note.text: note.id for note in BOARD_NOTES}
    groups = [[ids[text] for text in texts] for texts in BOARD.values()]
    verification, card, hotline, newsletter, damaged, dark_mode = groups
    return [
        ThemeDraft(title="email code spam", ids=verification),
        ThemeDraft(title="card checkout declined", ids=card),
        ThemeDraft(title="support phone hotline", ids=hotline),
        ThemeDraft(title="newsletter lovely", ids=newsletter[:1]),
        ThemeDraft(title="sunday newsletter", ids=newsletter[1:]),
        ThemeDraft(title="box arrived", ids=damaged + dark_mode),
    ]


class ScriptedPregroup:
    """The embedded engine's stand-in for the pre-grouping tests: always the same groups, so recordings match."""

    name = "scripted"

    def cluster(self, notes: Any) -> list[ThemeDraft]:
        return scripted_groups()


def _theme(step: StepKey, number: int, title: str, notes: list[tuple[str, str, Evidence]]) -> Theme:
    contributions = [
        Contribution(user=user, ts=f"1764000000.{number:03d}{index:03d}", text=text, evidence=evidence)
        for index, (user, text, evidence) in enumerate(notes)
    ]
    return Theme(id=f"{step.value}-{number}", title=title, contributions=contributions)


PERSONA_THEMES = [
    _theme(
        StepKey.persona,
        1,
        "Busy parent on night shifts",
        [
            (ANA, "Meet Priya, a nurse with two kids who works night shifts", Evidence.assumption),
            (BEN, "Segment: working parents", Evidence.assumption),
        ],
    ),
    _theme(
        StepKey.persona,
        2,
        "Wants quick healthy dinners",
        [
            (CHO, '"I want something healthy on the table in 20 minutes"', Evidence.interview),
            (ANA, "She needs recipes that use a single pan", Evidence.assumption),
        ],
    ),
    _theme(
        StepKey.persona,
        3,
        "Hates food waste",
        [(BEN, f'"I hate throwing away half the vegetables" she wrote from {SECOND_EMAIL}', Evidence.survey)],
    ),
]
TOUCHPOINT_THEMES = [
    _theme(
        StepKey.touchpoints,
        1,
        "Instagram ads",
        [
            (ANA, "Saw an ad for the boxes on Instagram", Evidence.assumption),
            (CHO, "The ads look tasty 😍", Evidence.assumption),
        ],
    ),
    _theme(
        StepKey.touchpoints,
        2,
        "Website checkout",
        [
            (BEN, "Checkout asked for my address twice", Evidence.ticket),
            (ANA, f"Card {CARD} declined at checkout", Evidence.ticket),
        ],
    ),
    _theme(
        StepKey.touchpoints,
        3,
        "Weekly delivery",
        [
            (CHO, "Box arrives every Tuesday, on time", Evidence.assumption),
            (BEN, "Driver left the box with a neighbour", Evidence.assumption),
        ],
    ),
    _theme(
        StepKey.touchpoints,
        4,
        "Support hotline",
        [(ANA, f"Called support on {PHONE} and waited 40 minutes", Evidence.ticket)],
    ),
    _theme(
        StepKey.touchpoints,
        5,
        "Referral code",
        [(CHO, "Shared my referral code with friends, got a free box", Evidence.survey)],
    ),
]
PAIN_THEMES = [
    _theme(
        StepKey.pain_points,
        1,
        "Card declined at checkout",
        [
            (BEN, "Card declined twice at checkout, gave up", Evidence.ticket),
            (ANA, "Payment error with no explanation", Evidence.ticket),
        ],
    ),
    _theme(
        StepKey.pain_points,
        2,
        "Long wait on the hotline",
        [(CHO, f"Waited 40 minutes, hotline {PHONE}", Evidence.ticket)],
    ),
    _theme(StepKey.pain_points, 3, "Crushed boxes", [(ANA, "Box arrived crushed, eggs broken", Evidence.interview)]),
]
ACTION_NOTES = [
    ActionNote(id="501", text="@Ana to add a clear decline reason at checkout by Friday", mentions=[(ANA, "Ana")]),
    ActionNote(id="502", text="@Ana: add a clear decline reason at checkout", mentions=[(ANA, "Ana")]),
    ActionNote(
        id="503", text="Call customers back within 2 hours, owner: @Ben, due 2026-12-15", mentions=[(BEN, "Ben")]
    ),
    ActionNote(id="504", text="@Cho to find sturdier boxes with the supplier by end of month", mentions=[(CHO, "Cho")]),
    ActionNote(id="505", text=f"Email {EMAIL} back about her refund", mentions=[]),
]


def journey_map() -> JourneyMap:
    """A published map, for the summary task."""
    touchpoints = {
        "Awareness": [Touchpoint(theme_id="touchpoints-1", title="Instagram ads", channel="social media", emotion=1.5)],
        "Purchase": [Touchpoint(theme_id="touchpoints-2", title="Website checkout", channel="website", emotion=-1.5)],
        "Retention": [
            Touchpoint(theme_id="touchpoints-3", title="Weekly delivery", channel="delivery", emotion=0.5),
            Touchpoint(theme_id="touchpoints-4", title="Support hotline", channel="phone", emotion=-2.0),
        ],
    }
    pains = {
        "Purchase": [
            PainPoint(
                theme_id="pain_points-1",
                title="Card declined at checkout",
                touchpoint="touchpoints-2",
                votes=2,
                severity=3,
            )
        ],
        "Retention": [
            PainPoint(
                theme_id="pain_points-2",
                title="Long wait on the hotline",
                touchpoint="touchpoints-4",
                votes=1,
                severity=2,
            ),
            PainPoint(theme_id="pain_points-3", title="Crushed boxes", touchpoint="touchpoints-3", votes=1, severity=2),
        ],
    }
    stages = [
        Stage(
            name=stage.name,
            touchpoints=touchpoints.get(stage.name, []),
            pain_points=pains.get(stage.name, []),
            emotion=(sum(tp.emotion or 0 for tp in touchpoints[stage.name]) / len(touchpoints[stage.name]))
            if stage.name in touchpoints
            else None,
        )
        for stage in STAGES
    ]
    return JourneyMap(
        workshop_id="1",
        objective="Understand why new customers cancel in their first month",
        stage_model=[stage.name for stage in STAGES],
        persona=Persona(
            name="Priya",
            segment="Working parent, nurse on night shifts",
            goals=["Healthy dinner in 20 minutes"],
            frustrations=["Throwing away vegetables"],
            verbatims=[Verbatim(text="I want something healthy on the table in 20 minutes", user=CHO)],
        ),
        stages=stages,
        steps={step: [] for step in StepKey},
        action_items=[
            ActionItem(
                id="A1",
                title="Add a clear decline reason at checkout",
                owner=ANA,
                due=date(2026, 11, 27),
                pain_point="pain_points-1",
            ),
            ActionItem(id="A2", title=f"Email {EMAIL} back about her refund"),
        ],
        engine="llm:gpt-4o-mini",
        generated_at=datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
    )


@pytest.fixture
def llm_db(db: Database) -> Database:
    """The shared test database: SQLite, and PostgreSQL too when TEST_DATABASE_URL is set."""
    return db


@pytest.fixture
def workshop_id(llm_db: Database) -> int:
    with llm_db.session() as session:
        session.add(Workspace(team_id="T0TEAM001"))
        session.flush()
        workshop = Workshop(
            team_id="T0TEAM001",
            channel_id="C0WORKSHP1",
            facilitator_id=FAY,
            objective="Understand why new customers cancel",
            stage_model=[{"name": stage.name, "description": stage.description} for stage in STAGES],
        )
        session.add(workshop)
        session.flush()
        return workshop.id


@pytest.fixture
def fake_llm() -> Iterator[FakeOpenAI]:
    """The local OpenAI stand-in, answering every task as the cassette generator does."""
    with FakeOpenAI(responder=responder(BOARD_LABELS)) as server:
        yield server


@pytest.fixture
def fake_config(fake_llm: FakeOpenAI) -> LLMConfig:
    return LLMConfig(api_key="sk-test", base_url=fake_llm.base_url, timeout=5, max_retries=2)


@pytest.fixture
def replay_config() -> LLMConfig:
    """Replays need no key; re-recording takes OPENAI_API_KEY (and OPENAI_BASE_URL, which the generator sets to
    the fake server). One retry: a request the cassette lacks then fails fast instead of backing off."""
    return LLMConfig(
        api_key=os.environ.get("OPENAI_API_KEY", "sk-replay-no-key"),
        base_url=os.environ.get("OPENAI_BASE_URL") or None,
        max_retries=1,
    )


_SECRET_RESPONSE_HEADERS = {"openai-organization", "openai-project", "set-cookie"}


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {
        name: value for name, value in response["headers"].items() if name.lower() not in _SECRET_RESPONSE_HEADERS
    }
    return response


# Keys never recorded; a request matches only with the same method, path and body, so a changed prompt fails
# loudly instead of replaying a stale answer. Shared with bench/llm_tokens.py.
VCR_SETTINGS: dict[str, Any] = {
    "filter_headers": ["authorization", "api-key", "x-api-key", "openai-organization", "openai-project", "cookie"],
    "before_record_response": _scrub_response,
    "match_on": ["method", "path", "body"],
    "decode_compressed_response": True,
}


@pytest.fixture
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """`tests/cassettes/<test module>/`, wherever the module sits in the tree."""
    return str(Path(__file__).parent / "cassettes" / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture
def default_cassette_name(request: pytest.FixtureRequest) -> str:
    """One cassette per test, whichever database it runs on: the LLM's answers do not depend on it."""
    return request.node.originalname


@pytest.fixture
def vcr_config(record_mode: str) -> dict[str, Any]:
    """Replay only ("none") unless `--record-mode` says otherwise (`record_mode` is pytest-recording's fixture)."""
    return {**VCR_SETTINGS, "record_mode": record_mode}
