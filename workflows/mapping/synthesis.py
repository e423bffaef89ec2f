"""Map parts from a workshop's themes without an LLM: touchpoints on stages, pain points, action items.

Parabol-style: build the signals (cue words, embeddings), compute the nearest stage or theme, repair (every
theme is placed somewhere, duplicate actions merged, nothing dropped). Functions are pure; the embedder is a
parameter, so a test or another engine can pass its own.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from workflows.actions.parsing import ActionDraft
from workflows.mapping.lexicon import CHANNELS, EMOJI_SENTIMENT, NEGATION, SENTIMENT, words_pattern
from workflows.mapping.models import ActionItem, Evidence, PainPoint, Theme, Touchpoint
from workflows.themes.clustering.cleaning import clean, content_words
from workflows.themes.clustering.embeddings import get_embedder
from workflows.themes.stage_placement import TextEmbedder, named_stage
from workflows.workshop.stages import StageDef

# A pain point is "at" the touchpoint it fits best: in meaning, in the rarer words one of the touchpoint's notes says
# (weighed by how few of the step's notes say them) and in its title's words. "First bill is ~1.6x the monthly price
# …" is at the *Monthly bill*, not the *Price rise letter* it reads closer to. Weighed on the 67 labelled workshops and
# the demo, each pain point given by hand the touchpoint it hurts at or none (bench/data/pain_touchpoints.yaml): of
# the notes shown at a touchpoint, 1,080 of 1,865 were at theirs by meaning alone over 0.3, 1,063 of 1,511 now.
TOUCHPOINT_WORDS_WEIGHT = 2.0
TOUCHPOINT_TITLE_WEIGHT = 0.2
# Below this, a pain point is at no touchpoint (it stays on its stage): a wrong "at" misleads more than none.
MIN_TOUCHPOINT_FIT = 0.6
# How much a touchpoint's stage fitting the pain point counts when choosing among similar touchpoints.
STAGE_FIT_WEIGHT = 0.5
# Below this similarity an action addresses no pain point: unlinked is honest, a wrong link is misleading.
MIN_ACTION_SIMILARITY = 0.2
# An action that shares no word with a pain point's notes addresses it only when their meanings are this close:
# "Re-validate this map with 5 interviews" resembles a pain point heard in interviews, and addresses none.
SURE_ACTION_SIMILARITY = 0.45
# Among the pain points an action resembles, how much the share of its rarer words one of their notes says counts:
# "Tell people what is missing the moment a document is rejected" is about "… never says what's missing: a blurry
# ID photo gets rejected", not the closest meaning ("trials never send a first invoice").
ACTION_WORDS_WEIGHT = 0.3
DUPLICATE_ACTION_SIMILARITY = 0.9
# Severity: a pain raised or voted for by half the team (with evidence) is severe, by a quarter notable.
SEVERE_SHARE = 0.5
NOTABLE_SHARE = 0.25


# stages and touchpoints

_CHANNEL_PATTERNS = {label: words_pattern(pattern) for label, pattern in CHANNELS.items()}
_SENTIMENT_PATTERNS = [(words_pattern(pattern), weight) for pattern, weight in SENTIMENT.items()] + [
    (re.compile("|".join(map(re.escape, tokens.split()))), weight) for tokens, weight in EMOJI_SENTIMENT.items()
]


def place_touchpoints(
    themes: Sequence[Theme], stages: Sequence[StageDef], embedder: TextEmbedder | None = None
) -> list[tuple[str, Touchpoint]]:
    """Every touchpoint theme on a stage: where it was placed when its step closed, else the stage its notes name
    most, else the most similar stage."""
    similarity = _affinity([_texts(theme) for theme in themes], _stage_texts(stages), embedder)
    return [
        (_known_stage(theme, stages) or stages[_pick_stage(theme, stages, row)].name, touchpoint_of(theme))
        for theme, row in zip(themes, similarity, strict=True)
    ]


def _known_stage(theme: Theme, stages: Sequence[StageDef]) -> str | None:
    return theme.stage if theme.stage in {stage.name for stage in stages} else None


def touchpoint_of(theme: Theme) -> Touchpoint:
    texts = _texts(theme)
    return Touchpoint(theme_id=theme.id, title=theme.title, channel=channel_of(texts), emotion=emotion_of(texts))


def channel_of(texts: Sequence[str]) -> str | None:
    """The channel most notes mention; on a tie, the one mentioned first."""
    joined = "\n".join(texts)
    mentions = {
        label: (sum(bool(pattern.search(text)) for text in texts), -match.start())
        for label, pattern in _CHANNEL_PATTERNS.items()
        if (match := pattern.search(joined))
    }
    return max(mentions, key=lambda label: mentions[label], default=None)


def emotion_of(texts: Sequence[str]) -> float | None:
    """Mean sentiment of the notes that carry any (-2..+2, one decimal); None when no note does."""
    scores = [score for score in map(note_sentiment, texts) if score is not None]
    return round(float(np.mean(scores)), 1) if scores else None


def stage_emotion(touchpoints: Iterable[Touchpoint]) -> float | None:
    """A stage's point on the emotion curve: the mean of its touchpoints' emotions."""
    emotions = [touchpoint.emotion for touchpoint in touchpoints if touchpoint.emotion is not None]
    return round(float(np.mean(emotions)), 2) if emotions else None


def note_sentiment(text: str) -> float | None:
    """Sum of the lexicon weights, capped to the scale; a negated positive ("not easy") counts as negative."""
    weights = [
        -abs(weight) if weight > 0 and _negated(text, match.start()) else weight
        for pattern, weight in _SENTIMENT_PATTERNS
        for match in pattern.finditer(text)
    ]
    return float(np.clip(sum(weights), -2, 2)) if weights else None


def _negated(text: str, start: int) -> bool:
    return bool(NEGATION.search(" ".join(text[:start].split()[-2:])))


def _pick_stage(theme: Theme, stages: Sequence[StageDef], similarity: np.ndarray) -> int:
    candidates = named_stages(theme, stages) or range(len(stages))
    return max(candidates, key=lambda index: similarity[index])


def named_stages(theme: Theme, stages: Sequence[StageDef]) -> list[int]:
    """The stages (indices) the theme's notes name most often (several on a tie); [] when none is named."""
    known = _known_stage(theme, stages)
    named = [named_stage(text, stages) for text in _texts(theme)]
    counts = [stage.name == known if known else named.count(stage.name) for stage in stages]
    top = max(counts, default=0)
    return [index for index, count in enumerate(counts) if count == top] if top else []


# pain points and actions


def link_pain_points(
    pain_themes: Sequence[Theme],
    touchpoint_themes: Sequence[Theme],
    placed: Sequence[tuple[str, Touchpoint]],
    stages: Sequence[StageDef],
    embedder: TextEmbedder | None = None,
) -> list[tuple[str, PainPoint]]:
    """Each pain point at the touchpoint it resembles (and so on that stage), else on its nearest stage.

    Among similar touchpoints, one on a stage that also fits the pain point wins ("card payment fails" is at
    checkout, not at a support chat about failed payouts). A stage named in the notes wins, as for
    touchpoints. `placed` is `place_touchpoints`' result for `touchpoint_themes`.
    """
    stage_of = {touchpoint.theme_id: stage for stage, touchpoint in placed}
    targets = [theme for theme in touchpoint_themes if theme.id in stage_of]
    pain_texts = [_texts(theme) for theme in pain_themes]
    to_touchpoints = _touchpoint_fit(pain_texts, targets, embedder)
    to_stages = _affinity(pain_texts, _stage_texts(stages), embedder)
    stage_index = {stage.name: index for index, stage in enumerate(stages)}
    target_stage = [stage_index[stage_of[target.id]] for target in targets]
    linked = []
    for theme, touchpoint_row, stage_row in zip(pain_themes, to_touchpoints, to_stages, strict=True):
        fit = touchpoint_row + STAGE_FIT_WEIGHT * stage_row[target_stage]
        named = {stages[index].name for index in named_stages(theme, stages)}
        allowed = [index for index, target in enumerate(targets) if not named or stage_of[target.id] in named]
        best = max(allowed, key=lambda index: fit[index], default=None)
        if best is not None and touchpoint_row[best] >= MIN_TOUCHPOINT_FIT:
            stage, touchpoint = stage_of[targets[best].id], targets[best].id
        else:
            stage, touchpoint = stages[_pick_stage(theme, stages, stage_row)].name, None
        pain = PainPoint(theme_id=theme.id, title=theme.title, touchpoint=touchpoint)
        linked.append((stage, pain))
    return linked


def _touchpoint_fit(
    pain_texts: Sequence[Sequence[str]], touchpoints: Sequence[Theme], embedder: TextEmbedder | None
) -> np.ndarray:
    """How well each pain point (its notes) fits each touchpoint theme: meaning, the share of the pain point's rarer
    words one of the touchpoint's notes says, and the share of the title's rarer words one of its notes says."""
    touchpoint_texts = [_texts(theme) for theme in touchpoints]
    meaning = _affinity(pain_texts, touchpoint_texts, embedder)
    words = _words_said([" ".join(texts) for texts in pain_texts], touchpoint_texts)
    title = _words_said([theme.title for theme in touchpoints], pain_texts).T
    return meaning + TOUCHPOINT_WORDS_WEIGHT * words + TOUCHPOINT_TITLE_WEIGHT * title


def severity_of(theme: Theme, votes: int, team_size: int) -> int:
    """1 (minor) to 3 (severe): the share of the team that raised it or voted for it, and whether evidence other
    than assumptions backs it (a pain nobody measured is not called severe, however popular)."""
    reach = len({c.user for c in theme.contributions}) + votes
    share = reach / max(team_size, 1)
    evidenced = any(c.evidence != Evidence.assumption for c in theme.contributions)
    if share >= SEVERE_SHARE and evidenced:
        return 3
    return 2 if share >= NOTABLE_SHARE or (evidenced and reach > 1) else 1


def link_actions(
    drafts: Sequence[ActionDraft],
    pain_themes: Sequence[Theme],
    pain_stage: Mapping[str, str],
    embedder: TextEmbedder | None = None,
) -> list[ActionItem]:
    """Action items A1, A2, … in order: duplicates merged, each linked to the pain point it most resembles
    (None when it resembles none: no pain points, or nothing close).

    `pain_stage` maps a pain-point theme id to its stage name (from `link_pain_points`).
    """
    titles = [[draft.title] for draft in drafts]
    merged = _merge_duplicates(drafts, _affinity(titles, titles, embedder))
    pain_texts = [_texts(theme) for theme in pain_themes]
    to_pains = _affinity([[draft.title] for draft in merged], pain_texts, embedder)
    shared = _words_said([draft.title for draft in merged], pain_texts)
    items = []
    for number, (draft, meaning, words) in enumerate(zip(merged, to_pains, shared, strict=True), start=1):
        addressed = _addressed(meaning, words)
        pain = pain_themes[addressed].id if addressed is not None else None
        items.append(
            ActionItem(
                id=f"A{number}",
                title=draft.title,
                owner=draft.owner,
                due=draft.due,
                pain_point=pain,
                stage=pain_stage.get(pain) if pain else None,
            )
        )
    return items


def _addressed(meaning: np.ndarray, words: np.ndarray) -> int | None:
    """The pain point (index) an action addresses, from how close it is to each in meaning and in words."""
    if not len(meaning):
        return None
    best = int(np.argmax(meaning + ACTION_WORDS_WEIGHT * words))
    sure = words[best] > 0 or meaning[best] >= SURE_ACTION_SIMILARITY
    return best if sure and meaning[best] >= MIN_ACTION_SIMILARITY else None


def _words_said(texts: Sequence[str], groups: Sequence[Sequence[str]]) -> np.ndarray:
    """For each text and group, the largest share of the text's words (weighted by how rare they are among all
    these texts) that one text of the group says."""
    left = [content_words(clean(text)) for text in texts]
    right = [[content_words(clean(text)) for text in group] for group in groups]
    documents = [*left, *(words for group in right for words in group)]
    said = Counter(word for words in documents for word in words)
    rarity = {word: math.log(len(documents) / count) for word, count in said.items()}
    result = np.zeros((len(left), len(right)))
    for i, words in enumerate(left):
        total = sum(rarity[word] for word in words)
        for j, group in enumerate(right):
            result[i, j] = max((sum(rarity[word] for word in words & other) for other in group), default=0.0)
            result[i, j] /= max(total, 1e-9)
    return result


def _merge_duplicates(drafts: Sequence[ActionDraft], similarity: np.ndarray) -> list[ActionDraft]:
    """The first of each group of near-identical actions, with the group's owner and earliest date."""
    kept: list[tuple[ActionDraft, int]] = []
    for index, draft in enumerate(drafts):
        twin = next(
            (
                position
                for position, (other, other_index) in enumerate(kept)
                if _same_action(draft, other, float(similarity[index, other_index]))
            ),
            None,
        )
        if twin is None:
            kept.append((draft, index))
        else:
            kept[twin] = (_merged(kept[twin][0], draft), kept[twin][1])
    return [draft for draft, _ in kept]


def _same_action(draft: ActionDraft, other: ActionDraft, similarity: float) -> bool:
    owners_agree = draft.owner == other.owner or None in (draft.owner, other.owner)
    same_words = _plain(draft.title) == _plain(other.title)
    return owners_agree and (same_words or similarity >= DUPLICATE_ACTION_SIMILARITY)


def _merged(first: ActionDraft, second: ActionDraft) -> ActionDraft:
    dues = [due for due in (first.due, second.due) if due]
    return first.model_copy(update={"owner": first.owner or second.owner, "due": min(dues, default=None)})


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


# embeddings


def _texts(theme: Theme) -> list[str]:
    return [contribution.text for contribution in theme.contributions] or [theme.title]


def _stage_texts(stages: Sequence[StageDef]) -> list[list[str]]:
    """A stage's name and description, then its example notes; a custom stage is just its name."""
    return [
        [
            stage.name if stage.description == stage.name else f"{stage.name}: {stage.description}",
            *stage.examples,
        ]
        for stage in stages
    ]


def _affinity(
    left: Sequence[Sequence[str]], right: Sequence[Sequence[str]], embedder: TextEmbedder | None
) -> np.ndarray:
    """How close each left group of texts is to each right group: each left text's best match on the right,
    averaged over the left group. A nearest-example vote, so one odd note cannot drag a theme away."""
    result = np.zeros((len(left), len(right)))
    if not left or not right:
        return result
    flat_left = [text for group in left for text in group]
    flat_right = [text for group in right for text in group]
    vectors = (embedder or get_embedder()).encode([*flat_left, *flat_right])
    vectors = np.asarray(vectors).reshape(len(flat_left) + len(flat_right), -1)
    similarity = vectors[: len(flat_left)] @ vectors[len(flat_left) :].T
    left_bounds, right_bounds = _bounds(left), _bounds(right)
    for i, (top, bottom) in enumerate(left_bounds):
        for j, (first, last) in enumerate(right_bounds):
            result[i, j] = similarity[top:bottom, first:last].max(axis=1).mean()
    return result


def _bounds(groups: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    ends = np.cumsum([len(group) for group in groups]).tolist()
    return list(zip([0, *ends[:-1]], ends, strict=True))
