"""Emotion ratings and pain-point votes from reactions on the themes' own messages, over the real Slack protocol."""

from __future__ import annotations

from tests.conftest import ANA, BEN, CHO
from tests.workshop_play import play_steps, published_map, run_workshop
from workflows.mapping.models import JourneyMap, StepKey, Touchpoint
from workflows.themes.reactions import RATING_PROMPTS, ThemeFeedback, rated


def finish(slack) -> JourneyMap:
    play_steps(slack, [StepKey.action_plan])
    return published_map(slack)


def reactions_on(slack, ts: str) -> dict[str, list[str]]:
    message = slack.standin.message(slack.channel_id, ts)
    return {r["name"]: r["users"] for r in message.get("reactions", [])}


def touchpoint(journey_map: JourneyMap, theme_id: str) -> Touchpoint:
    return next(tp for stage in journey_map.stages for tp in stage.touchpoints if tp.theme_id == theme_id)


def test_ratings_draw_the_emotion_curve_and_votes_rank_the_pain_points(slack):
    run_workshop(slack, until=StepKey.pain_points)
    touch = slack.theme_messages(StepKey.touchpoints)
    pains = slack.theme_messages(StepKey.pain_points)
    assert len(touch) >= 2 and len(pains) >= 2, "each touchpoint and pain-point theme has a message of its own"
    bot = slack.standin.bot_user_id
    for ts in touch.values():  # the bot's one-click prompts, which must not count as ratings
        assert {name: users for name, users in reactions_on(slack, ts).items()} == {n: [bot] for n in RATING_PROMPTS}
    for ts in pains.values():
        assert reactions_on(slack, ts) == {"+1": [bot]}

    (t1, t2, t3, *_) = [*touch, None]
    slack.react(touch[t1], ANA, "rage")
    slack.react(touch[t1], BEN, "slightly_frowning_face")
    slack.react(touch[t1], BEN, "+1")  # not an emotion: ignored on a touchpoint
    slack.react(touch[t2], CHO, "grinning")
    slack.react(touch[t2], CHO, "grinning", removed=True)  # taken back
    first_pain, last_pain = list(pains)[0], list(pains)[-1]
    slack.react(pains[last_pain], ANA, "+1")
    slack.react(pains[last_pain], BEN, "+1::skin-tone-3")
    slack.react(pains[last_pain], CHO, "rage")  # not a vote
    slack.react(pains[first_pain], CHO, "+1")
    slack.react(pains[first_pain], CHO, "+1", removed=True)
    slack.react(slack.step_ts(StepKey.touchpoints), ANA, "grinning")  # the step message itself: not a theme
    slack.settle()

    journey_map = finish(slack)
    rated_tp = touchpoint(journey_map, t1)
    assert (rated_tp.emotion, rated_tp.ratings) == (-1.5, 2), "two people: angry and frustrated"
    assert touchpoint(journey_map, t2).ratings == 0, "a removed rating leaves the engine's estimate"
    if t3:
        assert touchpoint(journey_map, t3).ratings == 0, "the bot's own prompts are not ratings"
    stage = next(s for s in journey_map.stages if any(tp.theme_id == t1 for tp in s.touchpoints))
    others = [tp.emotion for tp in stage.touchpoints if tp.emotion is not None]
    assert stage.emotion == round(sum(others) / len(others), 2), "the curve goes through the rated emotion"

    votes = {p.theme_id: p.votes for s in journey_map.stages for p in s.pain_points}
    assert votes[last_pain] == 2 and votes[first_pain] == 0
    voted_stage = next(s for s in journey_map.stages if any(p.theme_id == last_pain for p in s.pain_points))
    assert voted_stage.pain_points[0].theme_id == last_pain, "the most-voted pain point leads its stage"
    markdown = next(f.content for f in slack.standin.files if f.name == "journey-map.md").decode()
    assert "rated by 2" in markdown and "(2 votes, severity" in markdown


def _vote_event(slack, ts: str, user: str, added: bool, event_ts: str) -> dict:
    item = {"type": "message", "channel": slack.channel_id, "ts": ts}
    kind = "reaction_added" if added else "reaction_removed"
    return {"type": kind, "user": user, "item": item, "reaction": "+1", "event_ts": event_ts}


def test_retries_and_out_of_order_deliveries_leave_each_vote_as_the_person_left_it(slack):
    run_workshop(slack, until=StepKey.pain_points)
    pains = slack.theme_messages(StepKey.pain_points)
    target = list(pains)[0]
    ts = pains[target]
    vote = _vote_event(slack, ts, ANA, True, "1800000000.000100")
    slack.sender.event(vote, event_id="EvVOTE1")
    slack.sender.event(vote, event_id="EvVOTE1", retry_num=1)  # Slack's retry of the same delivery
    # Ben voted and took it back, but Slack delivered the removal first; Cho did the same, in order.
    slack.sender.event(_vote_event(slack, ts, BEN, False, "1800000000.000300"))
    slack.sender.event(_vote_event(slack, ts, BEN, True, "1800000000.000200"))
    slack.sender.event(_vote_event(slack, ts, CHO, True, "1800000000.000400"))
    slack.sender.event(_vote_event(slack, ts, CHO, False, "1800000000.000500"))
    slack.deliveries += 5
    slack.settle()
    journey_map = finish(slack)
    assert {p.theme_id: p.votes for s in journey_map.stages for p in s.pain_points}[target] == 1


def test_people_s_ratings_replace_the_estimate_only_where_someone_rated():
    estimate = Touchpoint(theme_id="touchpoints-1", title="Checkout", emotion=1.2)  # the LLM's or lexicon's guess
    assert rated(estimate, {}) == estimate
    assert rated(estimate, {"touchpoints-1": ThemeFeedback(ratings=[], votes=3)}).emotion == 1.2
    people = rated(estimate, {"touchpoints-1": ThemeFeedback(ratings=[-2, -1.5, 0], votes=0)})
    assert (people.emotion, people.ratings) == (-1.2, 3)
