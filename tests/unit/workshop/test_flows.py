"""The workshop's domain flows through the `Notifier` port, with a recording fake instead of Slack.

The service functions play the facilitator's commands, `record_reply` the team's thread replies, and
`Flows.run_due(now)` the worker's tick at a chosen time, so deadlines pass without waiting. What the tests assert is
what the facilitator and the team would notice: what is posted, when, with which notes, and what the workshop's
state says afterwards. Clustering is the real embedded engine; the Slack rendering of each call is tested elsewhere.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.models import Step, Workshop
from tests.recording_notifier import RecordingNotifier
from workflows.contributions import service as contributions
from workflows.contributions.service import Outcome, Reply
from workflows.jobs import queue as jobs
from workflows.mapping.models import StepKey
from workflows.ports import Notifier
from workflows.themes import editing
from workflows.themes.clustering.base import Note, ThemeDraft
from workflows.workshop import service
from workflows.workshop.engines import EngineChoice
from workflows.workshop.errors import DraftWaiting, WorkshopError
from workflows.workshop.flows import Flows
from workflows.workshop.models import PublishMode

TEAM, CHANNEL = "T0FLOWS", "C0FLOWS"
FACILITATOR, ANA, BEN = "U0FACIL", "U0ANA", "U0BEN"
PEOPLE = {"Ana": ANA, "Ben": BEN}
MONDAY = datetime(2031, 3, 3, 9, tzinfo=UTC)  # the facilitator's time zone is UTC (the fake's answer)

# The team's replies per step: (author, the reply as the bot reads it, Slack's markup already turned into text).
REPLIES: dict[StepKey, list[tuple[str, str]]] = {
    StepKey.objective: [
        (ANA, "[analytics] Trial-to-paid conversion dropped from 18% to 12% this quarter"),
        (BEN, "Understand why new customers stall before sending their first invoice"),
        (ANA, "- Decide what to fix in onboarding first\n- Success: 20% more paid conversions"),
    ],
    StepKey.persona: [
        (ANA, '[interview] Freelance designers with 3-10 clients: "I just want to get paid without chasing"'),
        (BEN, "Goal: look professional to clients"),
    ],
    StepKey.touchpoints: [
        (ANA, "[observation] Finds us through a Google search for invoice templates, feels hopeful"),
        (BEN, "[ticket] Calls support by phone when the payment link fails, frustrated"),
    ],
    StepKey.pain_points: [
        (ANA, "[ticket] The payment link fails on mobile banking apps"),
        (BEN, "[interview] Setting up tax rates is confusing and slow"),
    ],
    StepKey.action_plan: [
        (ANA, "Fix the mobile payment link @Ben in 2 weeks"),
        (BEN, "Simplify tax setup with defaults per country"),
    ],
}
# The objective step's replies as notes: tags read as evidence, a bulleted reply split into one note per line.
OBJECTIVE_NOTES = [
    "Decide what to fix in onboarding first",
    "Success: 20% more paid conversions",
    "Trial-to-paid conversion dropped from 18% to 12% this quarter",
    "Understand why new customers stall before sending their first invoice",
]
_reply_ts = itertools.count(1)


@pytest.fixture
def flows(db: Database, notifier: RecordingNotifier) -> Flows:
    return Flows(db, notifier, today=lambda: MONDAY.date(), clock=lambda: MONDAY)


def start(db: Database, mode: PublishMode = PublishMode.review, channel: str = CHANNEL) -> int:
    with db.session() as session:
        return service.start(session, TEAM, channel, FACILITATOR, "Why do trials stall?", publish_mode=mode).id


def step_ts(notifier: RecordingNotifier, key: StepKey, channel: str = CHANNEL) -> str:
    """The thread to reply in: the ts the step's question was posted with."""
    (posted,) = [p for p in notifier.of("post_step") if p["step"].key == key and p["workshop"].channel_id == channel]
    return posted["ts"]


def say(
    db: Database, notifier: RecordingNotifier, key: StepKey, user: str, text: str, expect: Outcome = Outcome.recorded
) -> None:
    """A reply in the step's thread, as the Slack layer hands it to the domain (`expect`: late, once it closed)."""
    mentions = [(user_id, name) for name, user_id in PEOPLE.items() if f"@{name}" in text]
    reply = Reply(
        team_id=TEAM,
        channel_id=CHANNEL,
        thread_ts=step_ts(notifier, key),
        ts=f"1800000000.{next(_reply_ts):06d}",
        user_id=user,
        text=text,
        mentions=mentions,
    )
    with db.session() as session:
        assert contributions.record_reply(session, reply).outcome == expect


def advance(db: Database, channel: str = CHANNEL) -> None:
    """`/journey next` by the facilitator."""
    with db.session() as session:
        service.advance(session, TEAM, channel, FACILITATOR)


def play(db: Database, flows: Flows, notifier: RecordingNotifier, steps: Sequence[StepKey], now: datetime) -> None:
    """The team replies in each step's thread, the facilitator closes it, the worker runs what is due."""
    for key in steps:
        for user, text in REPLIES[key]:
            say(db, notifier, key, user, text)
        advance(db)
        flows.run_due(now)


def step_row(db: Database, key: StepKey) -> Step:
    with db.session() as session:
        return session.scalars(select(Step).where(Step.key == key.value).order_by(Step.id)).first()


def workshop_row(db: Database, workshop_id: int) -> Workshop:
    with db.session() as session:
        return session.get_one(Workshop, workshop_id)


def theme_texts(posted: dict) -> list[str]:
    return sorted(c.text for theme in posted["themes"] for c in theme.contributions)


def test_the_fake_has_every_method_of_the_notifier_with_the_same_parameters() -> None:
    """A method the Protocol gains must be added to the fake, or these tests would not see the flows call it."""
    declared = [name for name, value in vars(Notifier).items() if inspect.isfunction(value) and name[0] != "_"]
    assert "post_step" in declared and len(declared) >= 20
    for name in declared:
        ours = inspect.signature(getattr(RecordingNotifier, name))  # AttributeError: the fake lacks it
        assert list(ours.parameters) == list(inspect.signature(getattr(Notifier, name)).parameters), name


def test_start_posts_the_kickoff_and_the_objective_question_and_opens_it_with_a_deadline(db, notifier, flows):
    start(db)
    assert notifier.posts() == [], "start only schedules; the worker posts"
    flows.run_due(MONDAY)
    assert notifier.posts() == ["post_kickoff", "post_step"]
    (question,) = notifier.of("post_step")
    assert question["step"].key == StepKey.objective and question["workshop"].objective == "Why do trials stall?"

    with db.session() as session:
        objective = service.status(session, TEAM, CHANNEL).steps[0]
    assert (objective.status, objective.message_ts) == ("open", question["ts"])
    assert objective.deadline == MONDAY + timedelta(days=2), "two working days, in the facilitator's time zone"
    flows.run_due(MONDAY + timedelta(hours=1))
    assert notifier.posts() == ["post_kickoff", "post_step"], "a later tick posts nothing twice"


def test_next_posts_the_steps_themes_with_its_notes_then_the_next_question(db, notifier, flows):
    start(db)
    flows.run_due(MONDAY)
    objective_ts = step_ts(notifier, StepKey.objective)
    play(db, flows, notifier, [StepKey.objective], MONDAY + timedelta(hours=1))

    assert notifier.posts() == ["post_kickoff", "post_step", "post_themes", "prompt_reactions", "post_step"]
    (themes,) = notifier.of("post_themes")
    assert themes["step"].key == StepKey.objective and themes["step_ts"] == objective_ts
    assert theme_texts(themes) == OBJECTIVE_NOTES, "every note in exactly one theme"
    assert themes["engine_note"] is None
    (reactions,) = notifier.of("prompt_reactions")
    assert reactions["message_ts"] == themes["posts"].theme_ts, "reactions go on the themes' own messages"
    assert notifier.of("post_step")[-1]["step"].key == StepKey.persona

    with db.session() as session:
        status = service.status(session, TEAM, CHANNEL)
    assert status.workshop.current_step == StepKey.persona
    assert [(s.status, s.themes > 0, s.engine) for s in status.steps[:2]] == [
        ("closed", True, "embedded"),
        ("open", False, None),
    ]
    assert status.steps[0].contributions == 4 and status.steps[0].contributors == 2

    flows.run_due(MONDAY + timedelta(days=2))  # the objective's own deadline: it closed by hand already
    assert notifier.of("step_closed_at_deadline") == []
    assert [n["step"].key for n in notifier.of("nudge_step")] == [StepKey.persona]


def test_a_step_nudges_the_quiet_ones_a_day_before_its_deadline_then_closes_by_itself(db, notifier, flows):
    notifier.members = [FACILITATOR, ANA, BEN]
    start(db)
    flows.run_due(MONDAY)
    say(db, notifier, StepKey.objective, ANA, "[analytics] Conversion fell to 12%")
    deadline = step_row(db, StepKey.objective).deadline

    flows.run_due(deadline - timedelta(hours=25))
    assert notifier.of("nudge_step") == []
    flows.run_due(deadline - timedelta(hours=24))
    (nudge,) = notifier.of("nudge_step")
    assert (nudge["step"].key, nudge["step_ts"], nudge["deadline"]) == (
        StepKey.objective,
        step_ts(notifier, StepKey.objective),
        deadline,
    )
    assert nudge["waiting_on"] == [FACILITATOR, BEN], "Ana has contributed"
    assert step_row(db, StepKey.objective).status == "open" and notifier.of("post_themes") == []

    flows.run_due(deadline)
    (closed,) = notifier.of("step_closed_at_deadline")
    assert closed["step"].key == StepKey.objective
    (themes,) = notifier.of("post_themes")
    assert theme_texts(themes) == ["Conversion fell to 12%"]
    assert notifier.of("post_step")[-1]["step"].key == StepKey.persona, "the next step opens as after /journey next"
    assert step_row(db, StepKey.objective).status == "closed"
    persona = step_row(db, StepKey.persona)
    assert persona.status == "open" and persona.deadline == deadline + timedelta(days=2)

    flows.run_due(deadline + timedelta(minutes=5))
    assert len(notifier.of("step_closed_at_deadline")) == 1 and len(notifier.of("post_themes")) == 1


def test_the_facilitator_reviews_a_draft_and_publishing_it_posts_the_map_once(db, notifier, flows):
    workshop_id = start(db)
    flows.run_due(MONDAY)
    play(db, flows, notifier, list(StepKey), MONDAY)

    (draft,) = notifier.of("send_draft")
    assert draft["number"] == 1
    assert [title for title, _ in draft["steps"]] == [
        "Objective",
        "Persona",
        "Touchpoints",
        "Pain points",
        "Action plan",
    ]
    assert draft["journey_map"].action_items, "the draft shows the actions the map will have"
    assert notifier.of("publish") == [] and notifier.of("put_canvas") == []
    flows.run_due(MONDAY + timedelta(days=1))
    assert notifier.of("publish") == [], "nothing reaches the channel until the facilitator publishes"
    assert workshop_row(db, workshop_id).status == "open"
    with pytest.raises(DraftWaiting), db.session() as session:
        service.advance(session, TEAM, CHANNEL, FACILITATOR)

    with db.session() as session:
        service.publish_draft(session, TEAM, FACILITATOR, channel_id=CHANNEL)
    flows.run_due(MONDAY + timedelta(days=1, hours=1))
    (published,) = notifier.of("publish")
    journey_map = published["journey_map"]
    assert sorted(c.text for t in journey_map.steps[StepKey.objective] for c in t.contributions) == OBJECTIVE_NOTES
    assert {a.title: a.owner for a in journey_map.action_items}.get("Fix the mobile payment link") == BEN
    (canvas,) = notifier.of("put_canvas")
    assert canvas["canvas_id"] is None, "the first version creates the channel's canvas"
    assert [entry["entry"].action.owner for entry in notifier.of("action_assigned")] == [BEN]
    workshop = workshop_row(db, workshop_id)
    assert (workshop.status, workshop.canvas_id) == ("published", f"F0CANVAS{workshop_id}")
    assert workshop.published_at == MONDAY + timedelta(days=1, hours=1)

    with pytest.raises(WorkshopError), db.session() as session:  # Publish pressed again on the draft
        service.publish_draft(session, TEAM, FACILITATOR, workshop_id=workshop_id)
    flows.run_due(MONDAY + timedelta(days=2))
    assert len(notifier.of("publish")) == 1 and len(notifier.of("put_canvas")) == 1
    assert len(notifier.of("send_draft")) == 1 and notifier.of("canvas_refused") == []


def test_with_publish_auto_the_map_goes_to_the_channel_without_a_draft(db, notifier, flows):
    workshop_id = start(db, PublishMode.auto)
    flows.run_due(MONDAY)
    play(db, flows, notifier, list(StepKey), MONDAY)

    assert notifier.of("send_draft") == []
    (published,) = notifier.of("publish")
    assert published["journey_map"].steps[StepKey.pain_points], "the map carries the steps' themes"
    assert len(notifier.of("put_canvas")) == 1
    assert workshop_row(db, workshop_id).status == "published"
    with db.session() as session:
        assert service.status(session, TEAM, CHANNEL).workshop.status == "published"


def test_a_cancelled_workshop_posts_nothing_more(db, notifier, flows):
    notifier.members = [FACILITATOR, ANA, BEN]
    start(db)
    flows.run_due(MONDAY)
    say(db, notifier, StepKey.objective, ANA, "[analytics] Conversion fell to 12%")
    advance(db)  # its themes are queued, not yet made
    with db.session() as session:
        service.cancel(session, TEAM, CHANNEL, FACILITATOR)
    posted_before = notifier.posts()

    for later in (timedelta(hours=1), timedelta(days=1), timedelta(days=2), timedelta(days=30)):
        flows.run_due(MONDAY + later)
    assert notifier.posts() == posted_before == ["post_kickoff", "post_step"]
    assert step_row(db, StepKey.persona).status == "pending"


def with_llm(db: Database, engine: object) -> EngineChoice:
    """The workshop's engines, `engine` grouping in the LLM's place."""

    class Choice(EngineChoice):
        def cluster_engine(self, workshop: Workshop) -> object:
            return engine

    return Choice(db, None)


class CancellingEngine:
    """The facilitator cancels while the step's notes are being grouped (an LLM call can take many seconds)."""

    name = "llm"

    def __init__(self, db: Database) -> None:
        self.db = db

    def cluster(self, notes: Sequence[Note]) -> list[ThemeDraft]:
        with self.db.session() as session:
            service.cancel(session, TEAM, CHANNEL, FACILITATOR)
        return [ThemeDraft(title="All of it", ids=[note.id for note in notes])]


def test_a_workshop_cancelled_while_its_step_closes_posts_no_themes(db, notifier):
    flows = Flows(db, notifier, engines=with_llm(db, CancellingEngine(db)), today=lambda: MONDAY.date())
    start(db)
    flows.run_due(MONDAY)
    say(db, notifier, StepKey.objective, ANA, "[analytics] Conversion fell to 12%")
    advance(db)
    flows.run_due(MONDAY + timedelta(minutes=1))
    posts = ["post_kickoff", "post_step", "show_progress"]  # "grouping 1 note with the LLM…", then the cancel
    assert notifier.posts() == posts, "no themes, no next question after the cancel"


def test_once_the_map_is_on_its_way_the_workshop_can_no_longer_be_cancelled(db, notifier, flows):
    start(db)
    flows.run_due(MONDAY)
    play(db, flows, notifier, list(StepKey), MONDAY)
    with db.session() as session:
        service.publish_draft(session, TEAM, FACILITATOR, channel_id=CHANNEL)  # queued, not yet run
    with pytest.raises(WorkshopError, match="being published"), db.session() as session:
        service.cancel(session, TEAM, CHANNEL, FACILITATOR)
    flows.run_due(MONDAY + timedelta(minutes=1))
    assert len(notifier.of("publish")) == 1


class EngineDown(Exception):
    reason = "timeout"  # what the LLM engine's own errors carry


class BrokenEngine:
    """A configured engine (the LLM's place) that fails every time."""

    name = "llm:tiny-model"

    def cluster(self, notes: Sequence[Note]) -> list[ThemeDraft]:
        raise EngineDown("no answer in 60 s")


def test_a_failing_engine_falls_back_to_the_embedded_one_and_the_themes_say_so(db, notifier):
    flows = Flows(db, notifier, engines=with_llm(db, BrokenEngine()), today=lambda: MONDAY.date())
    start(db)
    flows.run_due(MONDAY)
    play(db, flows, notifier, [StepKey.objective], MONDAY)

    (progress,) = notifier.of("show_progress")
    assert progress["text"] == f"Grouping {len(OBJECTIVE_NOTES)} notes with the LLM (tiny-model)… step 1 of 5."
    assert notifier.methods().index("show_progress") < notifier.methods().index("post_themes"), "said before the wait"
    (themes,) = notifier.of("post_themes")
    assert themes["engine_note"] == (
        "The llm:tiny-model engine failed (timeout), so the embedded engine made these themes."
    )
    assert theme_texts(themes) == OBJECTIVE_NOTES, "no note lost in the fallback"
    assert notifier.of("post_step")[-1]["step"].key == StepKey.persona, "the workshop goes on"
    assert step_row(db, StepKey.objective).engine == "embedded"


class DealingEngine:
    """An LLM that deals the notes out like cards: each theme gets one note on every subject."""

    name = "llm:tiny-model"

    def cluster(self, notes: Sequence[Note]) -> list[ThemeDraft]:
        return [ThemeDraft(title=f"Group {n}", ids=[note.id for note in notes[n::4]]) for n in range(4)]


def test_llm_themes_no_closer_in_meaning_than_chance_are_kept_and_flagged_for_review(db, notifier):
    flows = Flows(db, notifier, engines=with_llm(db, DealingEngine()), today=lambda: MONDAY.date())
    start(db)
    flows.run_due(MONDAY)
    subjects = [
        ("The refund took three weeks", "Refunds are slow, no date given", "Asked twice for my money back"),
        ("The password reset email never arrives", "Two-factor codes expire too fast", "Locked out after one typo"),
        ("The parcel was left in the rain", "Tracking said delivered, nothing came", "The box arrived crushed"),
    ]
    for notes in zip(*subjects, strict=True):  # people write about each subject in turn
        for text in notes:
            say(db, notifier, StepKey.objective, ANA, text)
    advance(db)
    flows.run_due(MONDAY)

    (themes,) = notifier.of("post_themes")
    assert [t.title for t in themes["themes"]] == [f"Group {n}" for n in range(4)], "the LLM's themes are kept"
    assert "no closer in meaning than a random grouping" in themes["engine_note"]
    assert step_row(db, StepKey.objective).engine == "llm:tiny-model"


class OneThemeEngine:
    """An LLM that puts every note in one theme."""

    name = "llm:tiny-model"

    def cluster(self, notes: Sequence[Note]) -> list[ThemeDraft]:
        return [ThemeDraft(title="Everything", ids=[note.id for note in notes])]


def test_an_llm_theme_whose_notes_name_two_stages_is_split_by_them(db, notifier):
    flows = Flows(db, notifier, engines=with_llm(db, OneThemeEngine()), today=lambda: MONDAY.date())
    start(db)
    flows.run_due(MONDAY)
    play(db, flows, notifier, [StepKey.objective, StepKey.persona], MONDAY)
    notes = ["Awareness: sees an ad on Instagram", "Purchase: the card form rejects Amex", "a friend recommends us"]
    for text in notes:
        say(db, notifier, StepKey.touchpoints, ANA, text)
    advance(db)
    flows.run_due(MONDAY)

    (themes,) = [p for p in notifier.of("post_themes") if p["step"].key == StepKey.touchpoints]
    grouped = sorted(sorted(c.text for c in theme.contributions) for theme in themes["themes"])
    assert grouped == [[notes[0], notes[2]], [notes[1]]], "the note naming none stays with the larger part"
    assert len({theme.title for theme in themes["themes"]}) == 2


def test_a_refused_canvas_is_said_once_per_workspace_and_the_map_is_still_published(db, notifier, flows):
    notifier.canvas_refusal = "canvas_disabled_user_team"
    first = start(db, PublishMode.auto)
    flows.run_due(MONDAY)
    play(db, flows, notifier, list(StepKey), MONDAY)

    (refused,) = notifier.of("canvas_refused")
    assert (refused["workshop"].id, refused["reason"]) == (first, "canvas_disabled_user_team")
    assert len(notifier.of("publish")) == 1
    workshop = workshop_row(db, first)
    assert (workshop.status, workshop.canvas_id) == ("published", None)

    second = start(db, PublishMode.auto, channel="C0OTHER")  # another map in the same workspace
    flows.run_due(MONDAY)
    for _ in StepKey:
        advance(db, "C0OTHER")
        flows.run_due(MONDAY)
    assert [p["workshop"].id for p in notifier.of("put_canvas")] == [first, second]
    assert len(notifier.of("canvas_refused")) == 1, "the workspace was told already"
    assert workshop_row(db, second).status == "published"


def test_a_late_note_about_an_edited_theme_joins_it_when_the_step_is_grouped_again(db, notifier, flows):
    start(db)
    flows.run_due(MONDAY)
    play(db, flows, notifier, [StepKey.objective], MONDAY)
    for user, text in [
        (ANA, "Clients pay their invoices weeks late"),
        (BEN, "Invoices are paid late by most clients"),
        (ANA, "Works alone as a freelance designer"),
        (BEN, "A solo designer with a handful of clients"),
    ]:
        say(db, notifier, StepKey.persona, user, text)
    advance(db)
    flows.run_due(MONDAY + timedelta(minutes=1))
    persona = step_row(db, StepKey.persona)
    with db.session() as session:
        step = session.get_one(Step, persona.id)
        late_payers = next(r for r in step.themes if any("late" in m.contribution.text for m in r.members))
        editing.rename(session, TEAM, step.id, late_payers.id, "Paid late", FACILITATOR)
    say(db, notifier, StepKey.persona, BEN, "Clients keep paying the invoices late", expect=Outcome.late)
    with db.session() as session:
        editing.regroup(session, TEAM, persona.id, None, FACILITATOR)
    with db.session() as session:
        step = session.get_one(Step, persona.id)
        paid_late = next(r for r in step.themes if r.title == "Paid late")
        texts = sorted(m.contribution.text for m in paid_late.members)
    assert texts == [
        "Clients keep paying the invoices late",
        "Clients pay their invoices weeks late",
        "Invoices are paid late by most clients",
    ], "the late note joined the edited theme it is about, which kept its title and its notes"


def test_a_reply_that_only_backs_an_action_makes_no_action_of_its_own(db, notifier, flows):
    start(db, mode=PublishMode.auto)
    flows.run_due(MONDAY)
    play(db, flows, notifier, [key for key in StepKey if key != StepKey.action_plan], MONDAY)
    backing = [(BEN, "+1"), (BEN, "+1 to @Ana's payment link idea"), (BEN, "+1 to @Ana's idea, and add a retry button")]
    for user, text in [*REPLIES[StepKey.action_plan], *backing]:
        say(db, notifier, StepKey.action_plan, user, text)
    advance(db)
    flows.run_due(MONDAY)
    (published,) = notifier.of("publish")
    assert [a.title for a in published["journey_map"].action_items] == [
        "Fix the mobile payment link",
        "Simplify tax setup with defaults per country",
        "Add a retry button",
    ]


def test_next_asked_while_the_steps_question_is_being_posted_closes_it_once_it_opens(db, notifier, flows):
    """The question shows in the channel a moment before the step is recorded open; a facilitator quick to move
    on then must not be told it is closing while it stays open."""
    start(db)
    with db.session() as session:
        _, closing = service.advance(session, TEAM, CHANNEL, FACILITATOR)
    assert closing == service.Closing(StepKey.objective), "the facilitator is told it closes"
    objective = step_row(db, StepKey.objective)
    with pytest.raises(jobs.Postpone):  # the worker reaches the close first: it waits for the question
        flows.close_step({"step_id": objective.id}, MONDAY)
    assert step_row(db, StepKey.objective).status == "pending"

    flows.run_due(MONDAY)
    assert notifier.posts() == ["post_kickoff", "post_step", "post_themes", "prompt_reactions", "post_step"]
    assert notifier.of("post_step")[-1]["step"].key == StepKey.persona
    assert step_row(db, StepKey.objective).status == "closed"
