"""A step's contributions become themes: cluster, repair (nothing dropped, nothing doubled), place, store.

Touchpoints and pain points are themes on a journey stage, so after clustering a theme whose notes name two
stages becomes two themes, and a touchpoint that some find delightful and others infuriating becomes two as well:
averaged, they would put a false middle on the emotion curve. Replies with nothing to cluster (emoji, "+1", a
greeting) are kept with the step but never become a theme.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.models import ContributionRow, Step, ThemeMember, ThemeRow
from workflows.actions.parsing import parse_action
from workflows.contributions.text import ts_order
from workflows.mapping.models import Contribution, Evidence, StepKey, Theme
from workflows.mapping.objective import is_data_caveat, note_kinds
from workflows.mapping.persona import naming_notes, persona_facet, persona_kind
from workflows.mapping.synthesis import note_sentiment
from workflows.themes.clustering.base import ClusterEngine, Note, ThemeDraft
from workflows.themes.clustering.cleaning import clean, is_note
from workflows.themes.clustering.embedded import EmbeddedEngine
from workflows.themes.clustering.embeddings import get_embedder
from workflows.themes.clustering.naming import apart_from, name_groups
from workflows.themes.clustering.refine import SAME_SUBJECT
from workflows.themes.clustering.same_theme import Judge, judge_for
from workflows.themes.clustering.titles import note_title
from workflows.themes.endorsements import Said, follow_endorsements, link_endorsements
from workflows.themes.lone_quotes import unnamed_quotes_join
from workflows.themes.repair import repair
from workflows.themes.stage_placement import Placed, named_stage, place_notes, stage_heading
from workflows.themes.subjects import key_phrase_of, opening_label, past_lead_in, subject_of
from workflows.themes.talk import talk_flags
from workflows.workshop.stages import StageDef, stored_stages

# Each action is a thing to do of its own: two share a theme only when they are this alike (mean cosine), the same
# action said twice or two close ones, never bundled to make up a count. On the three labelled workshops' action
# plans (ARI, rail · clinic · SaaS): 0.39 · 0.66 · 1.00, against 0.17 · 0.19 · 0.23 with a count chosen as for the
# other steps; 0.55-0.7 all within 0.13 of it. The demo's truth groups its actions by subject (four about payouts,
# in words too different for a sentence model): 0.00 there, against 0.25.
SAME_ACTION = 0.6
# A note at or beyond this sentiment (-2..+2) is delighted or upset, not neutral.
STRONG_FEELING = 1.0

log = logging.getLogger(__name__)


def notes_of(
    contributions: Sequence[ContributionRow], text_of: Callable[[ContributionRow], str] | None = None
) -> list[Note]:
    """The notes in thread order, each with the reply it is a part of and the note it builds on, if any."""
    ordered = in_thread_order(contributions)
    said = [
        Said(
            Note(
                id=str(c.id),
                text=text_of(c) if text_of else c.text,
                reply=c.message_ts,
                tagged=c.evidence != Evidence.assumption,
            ),
            c.user_id,
            c.text,
            [tuple(m) for m in c.mentions or ()],
        )
        for c in ordered
    ]
    return link_endorsements(said, get_embedder)


def in_thread_order(contributions: Sequence[ContributionRow]) -> list[ContributionRow]:
    """By Slack timestamp and bullet; notes carried from a map's previous version (no timestamp) come first."""
    return sorted(contributions, key=lambda c: (ts_order(c.message_ts), c.part))


@dataclass(frozen=True)
class StepPlan:
    """How a step's clustered themes are shaped: on stages (with the notes already on them, split by feeling or
    not), or as the parts of the objective."""

    stages: Sequence[StageDef] = ()
    placed: Sequence[Placed] = ()
    split_feelings: bool = False
    objective: bool = False  # the objective step: themes are the parts of the objective
    persona: bool = False  # the persona step: the notes about its name are a theme
    actions: bool = False  # the action plan: notes are grouped by what is to be done
    judge: Judge | None = None  # the step's fitted same-theme model: it groups the embedded engine's notes


# The objective step's themes are the parts of the map's objective, named as the card names them; scope and what
# is out of it are one theme, as the team discusses them together.
STAGED = (StepKey.touchpoints, StepKey.pain_points)  # the steps whose notes and themes sit on the map's stages
CAVEATS = "caveats"  # not a part of the card: the warnings about its data, kept together
OBJECTIVE_PARTS = {
    "question": "Why this map",
    "scope": "Scope of the journey",
    "out_of_scope": "Scope of the journey",
    "success_measures": "Success measures",
    "decision": "Decision it informs",
    CAVEATS: "Caveats on the data",
}
# The notes about the persona's name are one theme. The other parts a note speaks to ("Her goal: …", "Expects …")
# are weighed by the step's same-theme judge: made a theme each, as a persona board's columns, they took notes the
# team grouped otherwise ("median age 44 for joiners who pick 'getting back into fitness' as their goal"), and cost
# the labelled workshops' persona ARI 0.59 -> 0.54 on average.
PERSONA_NAME_PART = "Persona name"
NAMING = "name"
PART_TITLES = frozenset({*OBJECTIVE_PARTS.values(), PERSONA_NAME_PART})


def objective_parts(drafts: Sequence[ThemeDraft], notes: Sequence[Note]) -> list[ThemeDraft]:
    """A theme per part of the objective its notes speak to; notes that speak to none keep their clustered
    themes (retitled when the parts took some of their notes)."""
    kinds = note_kinds([note.text for note in notes])
    kinds = [kind or (CAVEATS if is_data_caveat(note.text) else None) for note, kind in zip(notes, kinds, strict=True)]
    return by_parts(
        drafts, notes, {note.id: OBJECTIVE_PARTS.get(kind or "") for note, kind in zip(notes, kinds, strict=True)}
    )


def persona_parts(drafts: Sequence[ThemeDraft], notes: Sequence[Note]) -> list[ThemeDraft]:
    """The notes about the persona's name as a theme, when at least two are; the others keep their clustered
    themes."""
    naming = {note.id: PERSONA_NAME_PART if note.part == NAMING else None for note in notes}
    return by_parts(drafts, notes, naming if sum(map(bool, naming.values())) >= 2 else dict.fromkeys(naming))


def persona_part_of(notes: Sequence[Note]) -> dict[str, str | None]:
    """The part of the persona each note speaks to: "goals", "needs" or "frustrations" by its cue words, its
    "segment" or "context", or NAMING when it is about the persona's name."""
    naming = naming_notes([note.text for note in notes])
    return {
        note.id: NAMING if names else persona_kind(note.text) or persona_facet(note.text)
        for note, names in zip(notes, naming, strict=True)
    }


def by_parts(drafts: Sequence[ThemeDraft], notes: Sequence[Note], part_of: dict[str, str | None]) -> list[ThemeDraft]:
    """A theme per part (titled with it) of the notes that have one; the rest keep their clustered themes,
    retitled when the parts took some of their notes."""
    parts: dict[str, list[str]] = {}
    for note in notes:
        if part_of[note.id]:
            parts.setdefault(part_of[note.id], []).append(note.id)
    rest = [draft.model_copy(update={"ids": [i for i in draft.ids if not part_of[i]]}) for draft in drafts]
    rest = [draft for draft in rest if draft.ids]
    if parts:  # the parts took notes from the clustered themes: their titles may no longer fit
        texts = {note.id: note.text for note in notes}
        titles = name_groups([[texts[i] for i in draft.ids] for draft in rest])
        rest = [draft.model_copy(update={"title": title}) for draft, title in zip(rest, titles, strict=True)]
    return [ThemeDraft(title=title, ids=ids) for title, ids in parts.items()] + rest


def step_plan(step: Step) -> StepPlan | None:
    """The objective step's themes are its parts; touchpoints go on stages and split by feeling; pain points go on
    stages beside the touchpoints they hurt at."""
    stages = stored_stages(step.workshop.stage_model)
    if step.key == StepKey.objective:
        return StepPlan(objective=True)
    if step.key == StepKey.action_plan:
        return StepPlan(actions=True)
    if step.key == StepKey.persona:
        return StepPlan(persona=True, judge=judge_for(StepKey.persona))
    if step.key == StepKey.touchpoints:
        return StepPlan(stages, split_feelings=True, judge=judge_for(StepKey.touchpoints))
    if step.key == StepKey.pain_points:
        touchpoints = next(s for s in step.workshop.steps if s.key == StepKey.touchpoints)
        placed = [Placed(m.contribution.text, t.stage) for t in touchpoints.themes if t.stage for m in t.members]
        return StepPlan(stages, placed, judge=judge_for(StepKey.pain_points))
    return None


def cluster_step(
    engine: ClusterEngine, contributions: Sequence[ContributionRow], plan: StepPlan | None = None
) -> list[ThemeDraft]:
    if plan and plan.actions:  # grouped by what is to be done, not by who does it or when
        return cluster_notes(
            engine, notes_of(contributions, lambda c: action_text(c.text, [tuple(m) for m in c.mentions])), plan
        )
    return cluster_notes(engine, notes_of(contributions), plan)


def action_text(text: str, mentions: Sequence[tuple[str, str]]) -> str:
    """An action-plan note without its owner and due date; the note itself when nothing else is left."""
    return parse_action(text, mentions, date.today()).title if is_note(text) else text


def cluster_notes(engine: ClusterEngine, notes: Sequence[Note], plan: StepPlan | None = None) -> list[ThemeDraft]:
    """Themes of the notes with substance, shaped by the step's plan: every such note in exactly one theme."""
    notes = prepared(notes, plan)
    if not notes:
        return []
    drafts = repair(for_step(engine, plan).cluster(notes), notes)
    if plan and (plan.objective or plan.persona):
        drafts = objective_parts(drafts, notes) if plan.objective else persona_parts(drafts, notes)
        # A note that says which part it is stays in it, whatever it builds on; a note that says none joins the
        # note it builds on, in its part or not.
        parted = {i for draft in drafts if draft.title in PART_TITLES for i in draft.ids}
        notes = [note.model_copy(update={"builds_on": None}) if note.id in parted else note for note in notes]
        return follow_endorsements(drafts, notes, keep_titles=True)
    if plan and plan.stages:
        drafts = on_stages(drafts, notes, plan.stages, plan.split_feelings)
        drafts = unnamed_quotes_join(drafts, notes, get_embedder())
        notes = staying_on_named_stages(notes, plan.stages)
    drafts = follow_endorsements(drafts, notes)
    if plan and plan.stages:  # notes labelled "[Seek support] …" share the stage's name, which names no theme
        drafts = apart_from(drafts, {note.id: note.text for note in notes}, [stage.name for stage in plan.stages])
    return drafts


def staying_on_named_stages(notes: Sequence[Note], stages: Sequence[StageDef]) -> list[Note]:
    """A note that names its stage stays there, whatever note it builds on: "&gt; tours at busy times = noisy⏎this
    hits post-purchase too" is a pain of *Post-purchase*, not of the quoted note's *Consideration*."""
    stage_of = {note.id: note.stage for note in notes}
    kept = []
    for note in notes:
        leaves = note.builds_on and named_stage(note.text, stages) not in (None, stage_of.get(note.builds_on))
        kept.append(note.model_copy(update={"builds_on": None}) if leaves else note)
    return kept


def for_step(engine: ClusterEngine, plan: StepPlan | None) -> ClusterEngine:
    """The embedded engine as the step's plan wants it: actions grouped only when alike; touchpoints and pain points
    compared by what they are about first, not their figures; notes grouped by the step's same-theme judge."""
    if not isinstance(engine, EmbeddedEngine) or plan is None:
        return engine
    engine = engine.only_alike(SAME_ACTION) if plan.actions else engine
    engine = engine.evidence_aside() if plan.stages else engine
    return engine.judged(plan.judge)


def prepared(notes: Sequence[Note], plan: StepPlan | None) -> list[Note]:
    """The notes with substance, with what the step's plan knows of each: on stages, the subject a note opens with
    and the stage it is on; in the persona step, the part of the persona it speaks to and the label it opens with
    ("Context: …"; on stages a label names a touchpoint, and touchpoints named differently were as often one theme
    in the labelled workshops). A reply that is only a stage's name is no note, yet it still tells where the thread
    is when the others are placed."""
    said = [note for note in notes if is_note(note.text)]
    if plan and plan.stages:
        replies = [note.reply or note.id for note in said]
        stages = place_notes([note.text for note in said], plan.stages, get_embedder(), plan.placed, replies)
        return [
            note.model_copy(
                update={
                    "subject": subject_of(note.text, plan.stages),
                    "stage": stage,
                    "key_phrase": key_phrase_of(note.text, plan.stages),
                }
            )
            for note, stage in zip(said, stages, strict=True)
            if stage_heading(note.text, plan.stages) is None
        ]
    if plan and plan.persona:
        parts = persona_part_of(said)
        return [_persona_note(note, parts[note.id]) for note in said]
    return said


def _persona_note(note: Note, part: str | None) -> Note:
    """A persona note as it is grouped and titled: what it says past a list's lead-in ("From the Feb interviews, the
    core profile: 28–40, …" is "28–40, …"; the labelled workshops' persona ARI 0.59 -> 0.61 with judges left out),
    with the part it speaks to, read from all of it."""
    said = past_lead_in(note.text) or note.text
    return note.model_copy(
        update={"text": said, "part": part, "label": opening_label(said, ()), "key_phrase": key_phrase_of(said, ())}
    )


def note_stages(step: Step) -> list[StageDef]:
    """The stages a step's notes go on: the workshop's for touchpoints and pain points, none elsewhere."""
    return stored_stages(step.workshop.stage_model) if step.key in STAGED else []


def substantive(step: Step) -> set[int]:
    """The ids of the step's replies that are notes of it: not emoji, "+1" or a greeting, nor the workshop's own
    talk, nor, where notes go on stages, only a stage's name ("Awareness:", posted before the notes about it)."""
    stages = note_stages(step)
    ruled = [c for c in step.contributions if is_note(c.text) and stage_heading(c.text, stages) is None]
    talk = talk_flags([c.text for c in ruled], StepKey(step.key))
    return {c.id for c, said in zip(ruled, talk, strict=True) if not said}


def on_stages(
    drafts: Sequence[ThemeDraft], notes: Sequence[Note], stages: Sequence[StageDef], split_feelings: bool
) -> list[ThemeDraft]:
    """Each theme on one stage (split where its notes name several), and split by feeling if asked; the parts
    are titled afresh, all together, so titles stay distinct within the step."""
    texts = {note.id: note.text for note in notes}
    by_id = {note.id: note for note in notes}
    parts: list[tuple[ThemeDraft, str | None, list[str]]] = []
    for draft in drafts:
        for stage, members in stage_parts(draft.ids, by_id, stages).items():
            groups = by_feeling(members, texts) if split_feelings else [members]
            parts += [(draft, stage, group) for group in groups]
    if len(parts) == len(drafts):
        return [draft.model_copy(update={"stage": stage}) for draft, stage, _ in parts]
    titles = name_groups([[texts[i] for i in group] for _, _, group in parts])
    return [
        ThemeDraft(title=title, ids=group, stage=stage) for (_, stage, group), title in zip(parts, titles, strict=True)
    ]


def stage_parts(ids: Sequence[str], notes: dict[str, Note], stages: Sequence[StageDef]) -> dict[str | None, list[str]]:
    """A theme's notes by the stage they go on. The stages its notes name decide: a note that names one goes there,
    and one that names none goes with the part on the stage it is placed on, else with the part named most (evidence
    posted under a pain point is about that pain point's stage, whatever its words lean to). A theme whose notes
    name no stage goes on the stage most of them are placed on."""
    named = {i: named_stage(notes[i].text, stages) for i in ids}
    counts = Counter(stage for stage in named.values() if stage)
    if not counts:
        placed = Counter(notes[i].stage for i in ids).most_common(1)
        return {placed[0][0] if placed else None: list(ids)}
    most = counts.most_common(1)[0][0]
    parts: dict[str | None, list[str]] = {}
    for note_id in ids:
        stage = named[note_id] or notes[note_id].stage
        parts.setdefault(stage if stage in counts else most, []).append(note_id)
    return parts


def named_apart(drafts: Sequence[ThemeDraft], notes: Sequence[Note], stages: Sequence[StageDef]) -> list[ThemeDraft]:
    """Another engine's themes (the LLM's) split where their notes name different stages: a part per stage named,
    the notes that name none with the part named most, which keeps the title; the others are titled afresh, apart
    from the step's titles. So every note that names its stage can land there when the map is made."""
    by_id = {note.id: note for note in notes}
    kept, split_off = [], []
    for draft in drafts:
        largest, *others = sorted(stage_parts(draft.ids, by_id, stages).values(), key=len, reverse=True)
        kept.append(draft.model_copy(update={"ids": largest}) if others else draft)
        split_off += others
    titles = name_groups([[by_id[i].text for i in part] for part in split_off], taken=[d.title for d in kept])
    return kept + [ThemeDraft(title=title, ids=part) for title, part in zip(titles, split_off, strict=True)]


def by_feeling(ids: Sequence[str], texts: dict[str, str]) -> list[list[str]]:
    """The delighted and the upset notes apart; neutral notes stay with the larger side."""
    feeling = {i: note_sentiment(texts[i]) or 0.0 for i in ids}
    glad = [i for i in ids if feeling[i] >= STRONG_FEELING]
    upset = [i for i in ids if feeling[i] <= -STRONG_FEELING]
    if not glad or not upset:
        return [list(ids)]
    neutral = [i for i in ids if i not in glad and i not in upset]
    if len(glad) > len(upset):
        glad += neutral
    else:
        upset += neutral
    return [[i for i in ids if i in side] for side in (upset, glad)]


def representative(ids: Sequence[str], texts: dict[str, str]) -> str:
    """The member most similar to the others: the quote that best stands for the theme."""
    if len(ids) <= 2:
        return max(ids, key=lambda i: (len(texts[i]) if len(texts[i]) < 280 else 0, i))
    vectors = get_embedder().encode([texts[i] for i in ids])
    centrality = (vectors @ vectors.T).sum(axis=1)
    return ids[int(np.argmax(centrality))]


def join_kept(
    session: Session, drafts: Sequence[ThemeDraft], kept: Sequence[ThemeRow], texts: dict[str, str]
) -> list[ThemeDraft]:
    """New notes join a theme people edited when they are plainly about the same thing (on average as close as
    two themes the clusterer would merge, and on the same stage); the other drafts are returned as new themes."""
    if not drafts or not kept:
        return list(drafts)
    encode = get_embedder().encode
    kept_sums = [encode([texts[str(m.contribution_id)] for m in row.members]).sum(axis=0) for row in kept]
    rest = []
    for draft in drafts:
        draft_sum = encode([texts[i] for i in draft.ids]).sum(axis=0)
        closeness = [
            float(draft_sum @ kept_sum) / (len(draft.ids) * len(row.members)) if row.stage == draft.stage else -1.0
            for row, kept_sum in zip(kept, kept_sums, strict=True)
        ]
        best = int(np.argmax(closeness))
        if closeness[best] >= SAME_SUBJECT:
            session.add_all(ThemeMember(theme_id=kept[best].id, contribution_id=int(i)) for i in draft.ids)
        else:
            rest.append(draft)
    return rest


def free_notes(step: Step) -> list[ContributionRow]:
    """The step's notes to group: all but those set aside and those in a theme a person edited (it stays)."""
    kept = {m.contribution_id for row in step.themes if row.kept for m in row.members}
    free = [c for c in step.contributions if not c.aside and c.id not in kept]
    talk = talk_flags([c.text for c in free], StepKey(step.key))
    return [c for c, said in zip(free, talk, strict=True) if not said]


def store_themes(session: Session, step: Step, drafts: Sequence[ThemeDraft], engine: str) -> list[int]:
    """Replaces the step's themes, but those a person edited, by `drafts` (made from `free_notes`); returns the
    new themes' ids. Re-running a close after a crash gives the same rows, not more."""
    kept = [row for row in step.themes if row.kept]
    session.execute(delete(ThemeRow).where(ThemeRow.step_id == step.id, ThemeRow.kept.is_(False)))
    texts = {str(c.id): c.text for c in step.contributions}
    drafts = apart_from(join_kept(session, drafts, kept, texts), texts, [row.title for row in kept])
    ordered = sorted(drafts, key=lambda d: (-len(d.ids), d.title))
    stored = []
    for position, draft in enumerate(ordered, start=max((row.position for row in kept), default=-1) + 1):
        theme = ThemeRow(
            step_id=step.id,
            position=position,
            title=draft.title,
            summary=draft.summary,
            stage=draft.stage,
            quote_contribution_id=int(representative(draft.ids, texts)),
            members=[ThemeMember(contribution_id=int(i)) for i in draft.ids],
        )
        session.add(theme)
        stored.append(theme)
    step.engine = engine
    session.flush()
    session.expire(step, ["themes"])
    return [theme.id for theme in stored]


def themes_of(step: Step) -> list[Theme]:
    """The step's themes as map models; contributions not in any theme (late replies) get one each."""
    themed: set[int] = set()
    themes: list[Theme] = []
    for row in step.themes:
        members = sorted(
            (m.contribution for m in row.members),
            key=lambda c: (c.id != row.quote_contribution_id, c.id),
        )
        themed.update(c.id for c in members)
        themes.append(
            Theme(
                id=f"{step.key}-{row.position + 1}",
                title=row.title,
                summary=row.summary,
                stage=row.stage,
                channel=row.channel,
                reviewed=row.kept,
                contributions=[contribution_of(c) for c in members],
            )
        )
    notes = substantive(step)
    late = [c for c in step.contributions if c.id not in themed and c.id in notes and not c.aside]
    themes += [
        Theme(id=f"{step.key}-late-{c.id}", title=note_title(clean(c.text)), contributions=[contribution_of(c)])
        for c in late
    ]
    return themes


def set_aside(step: Step) -> list[Contribution]:
    """The step's replies with nothing to cluster (emoji, "+1", a greeting, a stage's name alone, the workshop's own
    talk), and the notes the facilitator set aside in the review: kept on the map, never a theme."""
    notes = substantive(step)
    return [contribution_of(c) for c in step.contributions if c.aside or c.id not in notes]


def contribution_of(row: ContributionRow) -> Contribution:
    return Contribution(
        user=row.user_id, ts=row.message_ts, text=row.text, evidence=Evidence(row.evidence), quote=row.quote
    )
