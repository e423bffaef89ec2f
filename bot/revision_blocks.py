"""Block Kit for revisions: the review prompt, a revision step's previous themes (changed in the theme editor),
and what changed."""

from __future__ import annotations

from bot.blocks import Block, action_line, actions, button, context, header, section
from bot.text import fit, mention
from bot.theme_editor_blocks import EDIT_THEMES
from workflows.mapping.files import emotion_label
from workflows.revisions.service import MapChanges, PreviousTheme, ReviewPrompt, VersionInfo
from workflows.workshop.steps import StepInfo

VALIDATE, REVISE = "revision_validate", "revision_start"
LISTED = 5  # actions listed by name in a prompt; the rest are counted
LINES = 15  # theme changes listed per step: within a section's 3,000 characters


def _action_list(title: str, actions: list) -> str:
    lines = [f"*{title}: {len(actions)}*", *(action_line(a, {}) for a in actions[:LISTED])]
    if len(actions) > LISTED:
        lines.append(f"…and {len(actions) - LISTED} more (`/journey actions all`)")
    return "\n".join(lines)


def review_prompt(prompt: ReviewPrompt) -> list[Block]:
    owner = mention(prompt.map_owner_id) if prompt.map_owner_id else "nobody"
    stages = [
        f"• *{fit(s.name, 80)}*: {emotion_label(s.emotion)}"
        + (f" · pain: {', '.join(fit(p, 80) for p in s.pain_points)}" if s.pain_points else "")
        for s in prompt.stages
    ]
    return [
        header("Time to review this journey map"),
        context(
            f"*{fit(prompt.workshop.objective, 200)}* · version {prompt.version} · published "
            f"{prompt.published_at:%d %b %Y} · map owner {owner}"
        ),
        section("*What the map says today*\n" + ("\n".join(stages) or "No stages with touchpoints yet.")),
        section(_action_list("Done since then", prompt.done)),
        section(_action_list("Overdue", prompt.overdue)),
        section(_action_list("Still open", prompt.still_open)),
        {
            "type": "actions",
            "block_id": f"review:{prompt.workshop.id}",
            "elements": [
                button(VALIDATE, "Still accurate", str(prompt.workshop.id), "primary"),
                button(REVISE, "Revise", str(prompt.workshop.id)),
            ],
        },
    ]


def review_outcome(prompt_blocks: list[Block], outcome: str) -> list[Block]:
    """The prompt as it was, its buttons replaced by what was decided (so nobody clicks twice)."""
    return [b for b in prompt_blocks if b.get("type") != "actions"] + [context(outcome)]


def _theme_line(theme: PreviousTheme) -> str:
    quote = f"\n> _{fit(theme.quote, 200)}_" if theme.quote else ""
    return f"*{fit(theme.title, 150)}* · {theme.notes} notes{quote}"


def previous_themes(step: StepInfo, themes: list[PreviousTheme]) -> list[Block]:
    version = themes[0].version if themes else "?"
    intro = section(
        f"*Last time ({fit(step.title, 80)}, version {version})*: these themes and their notes are carried into "
        "this version. Reply in this thread to add or change something. *Review themes* renames, merges, splits or "
        "retires them, as after any step: what you change stays as you leave it when the step closes."
    )
    rows = [section(_theme_line(t)) for t in themes]
    review = [actions([button(EDIT_THEMES, "Review themes", str(themes[0].step_id))])] if themes else []
    return [intro, *rows, *review]


def _pairs(pairs: list[tuple[str, str]]) -> list[str]:
    return [f"_{fit(old, 100)}_ → *{fit(new, 100)}*" for old, new in pairs]


def map_changes(changes: MapChanges, step_titles: dict[str, str]) -> list[Block]:
    blocks = [
        header(f"What changed since version {changes.previous_version}"),
        context(f"*{fit(changes.workshop.objective, 200)}* · now version {changes.version}"),
    ]
    for step in changes.steps:
        lines = [f"➕ {fit(t, 150)}" for t in step.added]
        lines += [f"➖ ~{fit(t, 150)}~" for t in step.removed]
        lines += [f"✏️ renamed {p}" for p in _pairs(step.renamed)]
        lines += [
            f"🔀 merged {', '.join(f'_{fit(o, 80)}_' for o in old)} → *{fit(new, 100)}*" for old, new in step.merged
        ]
        lines += [f"✂️ split _{fit(old, 80)}_ → {', '.join(f'*{fit(n, 80)}*' for n in new)}" for old, new in step.split]
        more = [f"…and {len(lines) - LINES} more"] if len(lines) > LINES else []
        blocks.append(section(f"*{step_titles[step.step.value]}*\n" + "\n".join(lines[:LINES] + more)))
    if not changes.steps:
        blocks.append(section("No theme was added, removed, merged or renamed."))
    if changes.emotions:
        moves = [
            f"• *{fit(m.stage, 80)}*: {emotion_label(m.before)} → {emotion_label(m.after)}" for m in changes.emotions
        ]
        blocks.append(section("*Stages whose emotion moved*\n" + "\n".join(moves)))
    blocks.append(section(_action_list("Actions done since last time", changes.done)))
    blocks.append(section(_action_list("Actions still open", changes.still_open)))
    return blocks


def history(versions: list[VersionInfo]) -> list[Block]:
    rows = []
    for v in versions[-45:]:
        published = f"{v.published_at:%d %b %Y}" if v.published_at else "not published"
        confirmed = [f"confirmed by {mention(user)} on {at:%d %b %Y}" for user, at in v.validations[-3:]]
        rows.append(
            section(
                f"*Version {v.version}* · workshop #{v.workshop_id} · published {published} · {v.themes} themes · "
                f"{v.actions_done} of {v.actions_total} actions done" + "".join(f" · {c}" for c in confirmed)
            )
        )
    return [
        header("Versions of this channel's journey map"),
        *rows,
        context("`journeybot export WORKSHOP_ID --version N` exports any version."),
    ]
