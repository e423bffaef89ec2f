"""People rate touchpoints and vote on pain points with reactions on each theme's own message.

The ratings draw the map's emotion curve and the votes rank its pain points; where nobody rated a touchpoint, the
engine's estimate from the notes stays. Only people count: the bot's own one-click prompts are not theirs.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import mean

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.db import insert_new
from storage.models import Step, ThemeReaction, ThemeRow, Workshop
from workflows.actions.service import theme_key
from workflows.contributions.service import first_delivery
from workflows.mapping.models import PainPoint, StepKey, Touchpoint

# Faces from delighted to angry, -2..+2 as the map's emotion scale; the first five are the bot's prompts.
EMOTIONS: dict[str, int] = {
    "grinning": 2,
    "slightly_smiling_face": 1,
    "neutral_face": 0,
    "slightly_frowning_face": -1,
    "rage": -2,
    "smiley": 2,
    "smile": 2,
    "heart_eyes": 2,
    "star-struck": 2,
    "blush": 1,
    "relaxed": 1,
    "expressionless": 0,
    "confused": -1,
    "worried": -1,
    "disappointed": -1,
    "angry": -2,
    "sob": -2,
    "scream": -2,
}
RATING_PROMPTS = ("grinning", "slightly_smiling_face", "neutral_face", "slightly_frowning_face", "rage")
VOTES = {"+1", "thumbsup"}  # Slack sends "+1" for 👍; "thumbsup" is its alias
# Which reactions count on which step's themes, and which the bot adds to each theme's message as a prompt.
COUNTED: dict[StepKey, set[str]] = {StepKey.touchpoints: set(EMOTIONS), StepKey.pain_points: VOTES}
PROMPTS: dict[StepKey, tuple[str, ...]] = {StepKey.touchpoints: RATING_PROMPTS, StepKey.pain_points: ("+1",)}
# Prompts cost one Web API call each (reactions.add allows about 50 a minute): past this many themes, people
# still rate and vote by adding the reaction themselves.
MAX_PROMPTED_THEMES = 12


class ReactionChange(BaseModel):
    """A reaction_added or reaction_removed event, as the domain sees it."""

    team_id: str  # the workspace the event came from: a theme message is looked up in it only
    channel_id: str
    ts: str
    user_id: str
    reaction: str
    added: bool
    event_ts: str  # when Slack saw it: the later of an add and a removal wins, whichever arrives first


class ThemeFeedback(BaseModel):
    ratings: list[float]  # one per person: the mean of their faces on the theme
    votes: int  # people who gave it a :+1:

    @property
    def emotion(self) -> float | None:
        return round(mean(self.ratings), 1) if self.ratings else None


def base_name(reaction: str) -> str:
    """ "+1::skin-tone-3" counts as "+1"."""
    return reaction.split("::", 1)[0]


def record_reaction(session: Session, change: ReactionChange, event_id: str | None = None) -> bool:
    """Stores or takes back a rating or vote; False when the reaction is not one (another message or emoji, a
    retried event). Adding twice or removing what is not there changes nothing; an event older than the one
    already stored (Slack delivers out of order) changes nothing either."""
    if not first_delivery(session, event_id):
        return False
    theme = session.scalar(
        select(ThemeRow)
        .join(Step)
        .join(Workshop)
        .where(
            Workshop.team_id == change.team_id, Step.channel_id == change.channel_id, ThemeRow.message_ts == change.ts
        )
    )
    name = base_name(change.reaction)
    if theme is None or name not in COUNTED.get(StepKey(theme.step.key), set()):
        return False
    key = {"theme_id": theme.id, "user_id": change.user_id, "reaction": name}
    state = {"active": change.added, "event_ts": change.event_ts}
    if not insert_new(session, ThemeReaction, **key, **state):
        session.execute(
            update(ThemeReaction)
            .where(*(getattr(ThemeReaction, column) == value for column, value in key.items()))
            .where(ThemeReaction.event_ts < change.event_ts)
            .values(**state)
        )
    return True


def store_theme_messages(session: Session, step: Step, message_ts: list[str | None]) -> None:
    """Remembers each theme's message (in the order the themes were posted) so reactions find their theme."""
    for row, ts in zip(step.themes, message_ts, strict=False):
        row.message_ts = ts


def feedback(session: Session, workshop: Workshop) -> dict[str, ThemeFeedback]:
    """Each rated or voted theme's feedback, keyed by its id in the map file (`touchpoints-3`)."""
    rows = session.execute(
        select(ThemeRow, ThemeReaction)
        .join(ThemeReaction, ThemeReaction.theme_id == ThemeRow.id)
        .join(Step, Step.id == ThemeRow.step_id)
        .where(Step.workshop_id == workshop.id, ThemeReaction.active)
    ).all()
    faces: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    voters: dict[str, set[str]] = defaultdict(set)
    for theme, reaction in rows:
        key = theme_key(theme)
        if reaction.reaction in EMOTIONS:
            faces[key][reaction.user_id].append(EMOTIONS[reaction.reaction])
        elif reaction.reaction in VOTES:
            voters[key].add(reaction.user_id)
    return {
        key: ThemeFeedback(
            ratings=[mean(scores) for scores in faces.get(key, {}).values()], votes=len(voters.get(key, ()))
        )
        for key in set(faces) | set(voters)
    }


def rated(touchpoint: Touchpoint, found: dict[str, ThemeFeedback]) -> Touchpoint:
    """People's ratings replace the engine's estimate; with none, the estimate stays."""
    theme = found.get(touchpoint.theme_id)
    if theme is None or theme.emotion is None:
        return touchpoint.model_copy(update={"ratings": 0})
    return touchpoint.model_copy(update={"emotion": theme.emotion, "ratings": len(theme.ratings)})


def voted(pain: PainPoint, found: dict[str, ThemeFeedback]) -> PainPoint:
    theme = found.get(pain.theme_id)
    return pain.model_copy(update={"votes": theme.votes if theme else 0})
