"""The workshop state machine and contribution recording, on each database."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import event, func, select

from storage.models import ContributionRow, Job, ProcessedEvent, Step
from workflows.contributions import service as recording
from workflows.contributions.service import Outcome, Reply
from workflows.mapping.models import StepKey
from workflows.workshop import service
from workflows.workshop.errors import NotAllowed, NoWorkshop, WorkshopAlreadyOpen

TEAM, CHANNEL, FACILITATOR, OTHER = "T1", "C1", "UFAC", "UOTHER"


def started(db, stages: str | None = None) -> int:
    with db.session() as session:
        return service.start(session, TEAM, CHANNEL, FACILITATOR, "Why do trials not convert?", stages).id


def open_first_step(db, ts: str = "100.000001") -> None:
    with db.session() as session:
        step = session.scalar(select(Step).where(Step.key == "objective"))
        service.mark_step_opened(session, step, ts)


def reply(
    text: str, ts: str = "200.000001", user: str = OTHER, thread_ts: str = "100.000001", edited_ts: str | None = None
) -> Reply:
    return Reply(
        team_id=TEAM, channel_id=CHANNEL, thread_ts=thread_ts, ts=ts, user_id=user, text=text, edited_ts=edited_ts
    )


def contributions(db) -> list[tuple[str, str]]:
    with db.session() as session:
        rows = session.scalars(select(ContributionRow).order_by(ContributionRow.message_ts, ContributionRow.part))
        return [(r.text, r.evidence) for r in rows]


def test_start_creates_five_steps_and_schedules_the_kickoff(db):
    workshop_id = started(db, "b2b")
    with db.session() as session:
        steps = session.scalars(select(Step).where(Step.workshop_id == workshop_id).order_by(Step.position)).all()
        assert [s.key for s in steps] == [k.value for k in StepKey]
        assert all(s.status == "pending" for s in steps)
        assert session.scalar(select(Job.kind)) == "open_step"
        status = service.status(session, TEAM, CHANNEL)
    assert status.workshop.stage_names == ["Purchase", "Adoption", "Retention", "Expansion", "Advocacy"]
    assert status.workshop.facilitator_id == FACILITATOR


def test_one_open_workshop_per_channel(db):
    first = started(db)
    with pytest.raises(WorkshopAlreadyOpen) as refusal, db.session() as session:
        service.start(session, TEAM, CHANNEL, OTHER, "Another one")
    assert f"#{first}" in str(refusal.value)
    with db.session() as session:  # another channel is fine
        service.start(session, TEAM, "C2", OTHER, "Elsewhere")


def test_only_the_facilitator_advances_or_cancels(db):
    started(db)
    open_first_step(db)
    for act in (service.advance, service.cancel):
        with pytest.raises(NotAllowed), db.session() as session:
            act(session, TEAM, CHANNEL, OTHER)
    with db.session() as session:
        _, closing = service.advance(session, TEAM, CHANNEL, FACILITATOR)
    assert closing == service.Closing(StepKey.objective)
    with db.session() as session:  # asked again while the close has not run: nothing to start again
        _, again = service.advance(session, TEAM, CHANNEL, FACILITATOR)
    assert again == service.Closing(StepKey.objective, already=True, restarted=False)


def test_commands_in_a_channel_without_workshop_say_how_to_start(db):
    with pytest.raises(NoWorkshop) as refusal, db.session() as session:
        service.advance(session, TEAM, CHANNEL, FACILITATOR)
    assert "/journey start" in str(refusal.value)


def test_cancel_frees_the_channel(db):
    started(db)
    with db.session() as session:
        service.cancel(session, TEAM, CHANNEL, FACILITATOR)
    started(db)


def test_bullets_tags_edits_and_deletions(db):
    started(db)
    open_first_step(db)
    with db.session() as session:
        result = recording.record_reply(session, reply("[interview] Two things:\n- slow checkout\n- no Apple Pay"))
    assert result.outcome == Outcome.recorded and result.count == 2
    assert contributions(db) == [("slow checkout", "interview"), ("no Apple Pay", "interview")]

    with db.session() as session:  # the author edits the reply down to one line
        recording.record_reply(session, reply("checkout is slow on mobile", edited_ts="250.000001"))
    assert contributions(db) == [("checkout is slow on mobile", "assumption")]

    with db.session() as session:
        recording.remove_reply(session, TEAM, CHANNEL, "100.000001", "200.000001")
    assert contributions(db) == []


# One reply's life as Slack delivers it: posted, edited twice, deleted; (kind, text, edited_ts).
LIFE = [
    ("post", "checkout is slow", None),
    ("edit", "checkout is slow on mobile", "201.000001"),
    ("edit", "checkout times out on mobile Safari", "202.000001"),
    ("delete", "", None),
]


def play(db, events) -> None:
    for n, (kind, text, edited_ts) in enumerate(events):
        with db.session() as session:
            if kind == "delete":
                recording.remove_reply(session, TEAM, CHANNEL, "100.000001", "200.000001", event_id=f"Ev{kind}{n}")
            else:
                recording.record_reply(session, reply(text, edited_ts=edited_ts), event_id=f"Ev{kind}{edited_ts}")


@pytest.mark.parametrize("order", list(itertools.permutations(LIFE)), ids=lambda o: "-".join(e[0][0] for e in o))
def test_a_deleted_reply_stays_deleted_whatever_the_order(db, order):
    started(db)
    open_first_step(db)
    play(db, order)
    assert contributions(db) == []


@pytest.mark.parametrize("order", list(itertools.permutations(LIFE[:3])), ids=lambda o: "-".join(e[0][0] for e in o))
def test_the_newest_edit_wins_whatever_the_order(db, order):
    started(db)
    open_first_step(db)
    play(db, order)
    assert contributions(db) == [("checkout times out on mobile Safari", "assumption")]


def test_a_retried_event_is_stored_once(db):
    started(db)
    open_first_step(db)
    for _ in range(3):
        with db.session() as session:
            recording.record_reply(session, reply("Pricing page confuses people", ts="300.1"), event_id="Ev1")
        with db.session() as session:
            recording.record_reply(session, reply("Pricing page confuses people", ts="300.1"), event_id="Ev1")
    with db.session() as session:
        assert session.scalar(select(func.count(ProcessedEvent.event_id))) == 1
    assert contributions(db) == [("Pricing page confuses people", "assumption")]


def test_replies_elsewhere_and_empty_replies_are_not_contributions(db):
    started(db)
    open_first_step(db)
    with db.session() as session:
        assert recording.record_reply(session, reply("hi", thread_ts="999.9")).outcome == Outcome.not_a_step
        assert recording.record_reply(session, reply("   ")).outcome == Outcome.empty
    assert contributions(db) == []


def test_a_reply_read_while_its_step_is_being_recorded_waits_for_it_and_is_kept(db):
    """The step's ts is stored between the two reads that look for the reply's step (by its thread, then for a step
    opening): the reply is not taken for another thread's, it waits and is recorded when tried again."""
    started(db)
    recorded_between = []

    def record_the_step_after_the_thread_is_looked_up(conn, cursor, statement: str, *args) -> None:
        if not recorded_between and "message_ts" in statement and statement.lstrip().upper().startswith("SELECT"):
            recorded_between.append(statement)
            open_first_step(db)  # another connection: the bot's job recording the step it just posted

    event.listen(db.engine, "after_cursor_execute", record_the_step_after_the_thread_is_looked_up)
    try:
        with db.session() as session:
            outcome = recording.record_reply(session, reply("Checkout is slow on mobile")).outcome
    finally:
        event.remove(db.engine, "after_cursor_execute", record_the_step_after_the_thread_is_looked_up)
    assert recorded_between and outcome == Outcome.step_opening
    with db.session() as session:  # tried again, as the intake does soon after
        assert recording.record_reply(session, reply("Checkout is slow on mobile")).outcome == Outcome.recorded
    assert contributions(db) == [("Checkout is slow on mobile", "assumption")]


def test_unreadable_characters_are_cleaned_and_the_note_is_kept(db):
    started(db)
    open_first_step(db)
    with db.session() as session:
        result = recording.record_reply(session, reply("Refund\x00 form \ud800breaks\r\non \u202eAndroid\u202c"))
    assert result.outcome == Outcome.recorded
    assert contributions(db) == [("Refund form \ufffdbreaks\non Android", "assumption")]


def test_a_long_reply_is_stored_whole(db):
    started(db)
    open_first_step(db)
    text = "word " * 8_000
    with db.session() as session:
        recording.record_reply(session, reply(text))
    assert len(contributions(db)[0][0]) == len(text.strip())


def test_a_reply_after_the_step_closed_is_kept_as_late(db):
    started(db)
    open_first_step(db)
    with db.session() as session:
        service.advance(session, TEAM, CHANNEL, FACILITATOR)
        result = recording.record_reply(session, reply("One more thing: onboarding emails are too long"))
    assert result.outcome == Outcome.late
    assert len(contributions(db)) == 1
