"""Block Kit builders. Every piece of user text goes through `fit` (escaped, within Slack's limits)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.text import escape, fit, mention
from workflows.contributions.text import shorten
from workflows.mapping.files import EMOTION_WORDS, emotion_label, evidence_mix
from workflows.mapping.models import ActionItem, JourneyMap, StepKey, Theme
from workflows.ports import WorkshopStatus, WorkshopView
from workflows.themes.reactions import EMOTIONS, RATING_PROMPTS
from workflows.workshop.stages import describe_presets
from workflows.workshop.steps import STEPS, StepInfo

Block = dict
MAX_BLOCKS = 50
MAX_MESSAGE_CHARS = 11_000  # Slack answers msg_blocks_too_long at about 12,000 characters of block text
SECTION_LIMIT = 3_000
HEADER_LIMIT = 150
EVIDENCE_TAGS = "`[interview]` `[ticket]` `[survey]` `[analytics]` `[observation]` `[assumption]`"


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": shorten(text, HEADER_LIMIT) or " ", "emoji": True}}


def clip(mrkdwn: str, limit: int = SECTION_LIMIT) -> str:
    """Within Slack's limit, cut between words (never inside a word, an entity or a mention) and marked "…";
    line breaks stay."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    cut = mrkdwn[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return (cut[:space] if space > 0 else cut).rstrip() + "…"


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(mrkdwn) or " "}}


def context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(mrkdwn) or " "}]}


def button(action_id: str, label: str, value: str, style: str | None = None) -> dict:
    """A button element (`style`: "primary" or "danger")."""
    element = {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": label}, "value": value}
    return element | ({"style": style} if style else {})


def actions(elements: list[dict]) -> Block:
    return {"type": "actions", "elements": elements}


def divider() -> Block:
    return {"type": "divider"}


def _block_chars(block: Block) -> int:
    text = block.get("text", {}).get("text", "")
    return len(text) + sum(len(e.get("text", "")) for e in block.get("elements", []))


def chunk_blocks(blocks: Iterable[Block]) -> list[list[Block]]:
    """Splits a long block list into messages that each stay within Slack's block and size limits."""
    chunks: list[list[Block]] = [[]]
    size = 0
    for block in blocks:
        if chunks[-1] and (len(chunks[-1]) >= MAX_BLOCKS or size + _block_chars(block) > MAX_MESSAGE_CHARS):
            chunks.append([])
            size = 0
        chunks[-1].append(block)
        size += _block_chars(block)
    return [c for c in chunks if c]


def _step_number(step: StepInfo) -> int:
    return list(STEPS).index(step.key) + 1


def kickoff(workshop: WorkshopView) -> list[Block]:
    steps = " → ".join(s.title for s in STEPS.values())
    return [
        header(f"Journey mapping workshop #{workshop.id}"),
        section(f"*Objective:* {fit(workshop.objective, 1_500)}\n*Facilitator:* {mention(workshop.facilitator_id)}"),
        section(
            f"We'll map this together, no meeting needed, in five steps: {steps}.\n"
            "Each step is a message in this channel: *reply in its thread*, one idea per line "
            "(a reply with bullet lines counts as several notes). Edit or delete your reply any time."
        ),
        context(
            f"*Stages:* {escape(' → '.join(workshop.stage_names))}\n"
            f"Say where a note comes from by starting it with {EVIDENCE_TAGS}; untagged notes count as assumptions."
        ),
    ]


def step_message(workshop: WorkshopView, step: StepInfo) -> list[Block]:
    hints = "\n".join(f"• {escape(h)}" for h in step.hints)
    return [
        header(f"Step {_step_number(step)} of {len(STEPS)}: {step.title}"),
        section(f"*{escape(step.question)}*\n{hints}"),
        context(f"Reply in this thread. Example: _{escape(step.example)}_"),
    ]


def step_metadata(workshop: WorkshopView, step: StepInfo) -> dict:
    return {
        "event_type": "journeybot_step",
        "event_payload": {"workshop_id": workshop.id, "step": step.key.value},
    }


POST_KEY = "journeybot_key"


def keyed_metadata(metadata: dict | None, key: str) -> dict:
    """A message's metadata with the key journeybot posted it under (see `post_key`)."""
    metadata = metadata or {"event_type": "journeybot_post", "event_payload": {}}
    return {**metadata, "event_payload": {**metadata["event_payload"], POST_KEY: key}}


def post_key(message: dict) -> str | None:
    return ((message.get("metadata") or {}).get("event_payload") or {}).get(POST_KEY)


def theme_metadata(workshop: WorkshopView, step: StepInfo, theme: Theme) -> dict:
    """Like a step's: integrations (and the demo) can tell which theme a message stands for."""
    return {
        "event_type": "journeybot_theme",
        "event_payload": {"workshop_id": workshop.id, "step": step.key.value, "theme": theme.id},
    }


def _quote(text: str, limit: int = 280) -> str:
    return "> " + fit(text, limit).replace("\n", "\n> ")


def theme_block(theme: Theme) -> Block:
    count = len(theme.contributions)
    flag = " · :warning: assumptions only" if theme.assumption_only else ""
    quote = theme.contributions[0].text if theme.contributions else ""
    return section(
        f"*{fit(theme.title, 150)}* · {count} note{'s' * (count != 1)} · {evidence_mix(theme)}{flag}\n{_quote(quote)}"
    )


RATE_HINTS = {
    StepKey.touchpoints: "How does the customer feel at each touchpoint below? React to rate it: "
    + ", ".join(f":{name}: {EMOTION_WORDS[EMOTIONS[name]]}" for name in RATING_PROMPTS)
    + ". Your ratings draw the map's emotion curve.",
    StepKey.pain_points: "Vote with :+1: on the pain points below that hurt most: votes rank them on the map.",
}


def themes_intro(step: StepInfo, themes: list[Theme], engine_note: str | None) -> list[Block]:
    """The head of a step's themes: counts, how to rate or vote on them, and which engine made them."""
    if not themes:
        return [section(f"*{step.title}* closed with no notes.")]
    notes = sum(len(t.contributions) for t in themes)
    blocks = [section(f"*{step.title}: {len(themes)} themes from {notes} notes*")]
    if hint := RATE_HINTS.get(step.key):
        blocks.append(context(hint))
    if engine_note:
        blocks.append(context(f":information_source: {escape(engine_note)}"))
    return blocks


def themes_thread(step: StepInfo, themes: list[Theme], engine_note: str | None) -> list[Block]:
    return themes_intro(step, themes, engine_note) + [theme_block(t) for t in themes]


def step_summary(
    step: StepInfo, themes: list[Theme], next_step: StepInfo | None, edit: dict | None = None
) -> list[Block]:
    """The channel's note that a step closed; `edit`, the button that opens its themes for review."""
    people = len({c.user for t in themes for c in t.contributions})
    notes = sum(len(t.contributions) for t in themes)
    top = ", ".join(f"_{fit(t.title, 80)}_" for t in themes[:3]) or "nothing yet"
    after = f"Next up: *{next_step.title}*." if next_step else "Putting the journey map together…"
    summary = section(
        f":white_check_mark: *{step.title}* closed: {len(themes)} themes from {notes} notes by {people} "
        f"{'person' if people == 1 else 'people'}. Top themes: {top}. {after}"
    )
    if edit is not None and themes:
        summary["accessory"] = edit
    return [summary]


def action_line(action: ActionItem, pain_titles: dict[str, str]) -> str:
    owner = mention(action.owner) if action.owner else "*no owner yet*"
    due = f"due {action.due:%a %d %b %Y}" if action.due else "no due date"
    pain = f" · for _{fit(pain_titles[action.pain_point], 80)}_" if action.pain_point in pain_titles else ""
    return f"`{action.id}` {fit(action.title, 200)} · {owner} · {due} · {action.status.value}{pain}"


def map_summary(journey_map: JourneyMap) -> list[Block]:
    titles = {t.id: t.title for themes in journey_map.steps.values() for t in themes}
    blocks = [
        header(f"Journey map: {journey_map.objective}"),
        context(
            f"Workshop #{journey_map.workshop_id} · version {journey_map.version} · "
            f"stages {escape(' → '.join(journey_map.stage_model))} · themes by the {journey_map.engine} engine"
        ),
    ]
    blocks += _objective_blocks(journey_map)
    if persona := journey_map.persona:
        lines = [
            f"*Persona: {fit(persona.name, 100)}*" + (f" · {fit(persona.segment, 200)}" if persona.segment else "")
        ]
        for label, items in (
            ("Goals", persona.goals),
            ("Needs", persona.needs),
            ("Frustrations", persona.frustrations),
        ):
            if items:
                lines.append(f"*{label}:* " + "; ".join(fit(i, 150) for i in items[:4]))
        lines += [_quote(v.text, 200) for v in persona.verbatims[:2]]
        blocks.append(section("\n".join(lines)))
    blocks.append(divider())
    assumed = {t.id for themes in journey_map.steps.values() for t in themes if t.assumption_only}
    for stage in journey_map.stages:
        lines = [f"*{fit(stage.name, 100)}* · emotion {emotion_label(stage.emotion)}"]
        lines += [
            f"• {fit(tp.title, 120)}"
            + (f" _({escape(tp.channel)})_" if tp.channel else "")
            + _flag(tp.theme_id, assumed)
            for tp in stage.touchpoints[:6]
        ]
        lines += [
            f"• Pain point: {fit(pp.title, 120)} ({pp.votes} vote{'s' * (pp.votes != 1)}"
            + (f", severity {pp.severity}/3" if pp.severity else "")
            + ")"
            + _flag(pp.theme_id, assumed)
            for pp in stage.pain_points[:6]
        ]
        hidden = max(0, len(stage.touchpoints) - 6) + max(0, len(stage.pain_points) - 6)
        if hidden:
            lines.append(f"_…and {hidden} more in the attached map_")
        if len(lines) == 1:
            lines.append("_Nothing mapped here yet._")
        blocks.append(section("\n".join(lines)))
    blocks += [divider(), section(f"*Action plan* ({len(journey_map.action_items)} actions)")]
    blocks += [section(action_line(a, titles)) for a in journey_map.action_items]
    unowned = sum(1 for a in journey_map.action_items if a.owner is None)
    if unowned:
        blocks.append(
            section(
                f"*No owner yet for {unowned} action{'s' * (unowned != 1)}.* "
                "Assign with `/journey assign ID @someone`: the map is not final until each has one."
            )
        )
    blocks.append(
        context(
            "The map as a picture follows; in the thread: a printable page (`journey-map.html`), the actions as a "
            "spreadsheet (`journey-map-actions.csv`), `journey-map.md` to read and `journey-map.json` for tools."
        )
    )
    return blocks


def _flag(theme_id: str, assumed: set[str]) -> str:
    """:warning: means one thing everywhere: the theme rests only on assumptions."""
    return " · :warning: assumptions only" if theme_id in assumed else ""


def _objective_blocks(journey_map: JourneyMap) -> list[Block]:
    """What the map is for: the question, the scope, the success measures with their numbers, the decision."""
    card = journey_map.objective_card
    if card is None:
        return []
    lines = [f"*Why this map:* {fit(card.question, 500)}"]
    if card.scope:
        lines.append("*Scope:* " + "; ".join(fit(item, 200) for item in card.scope[:3]))
    if card.out_of_scope:
        lines.append("*Out of scope:* " + "; ".join(fit(item, 200) for item in card.out_of_scope[:3]))
    if card.success_measures:
        lines += ["*Success measures:*", *(f"• {fit(item, 200)}" for item in card.success_measures[:6])]
    if card.decision:
        lines.append(f"*Decision it informs:* {fit(card.decision, 300)}")
    return [section("\n".join(lines))]


def status_blocks(status: WorkshopStatus) -> list[Block]:
    w = status.workshop
    marks = {
        "pending": ":white_circle:",
        "open": ":large_blue_circle:",
        "closing": ":hourglass:",
        "closed": ":white_check_mark:",
    }
    lines = [
        f"{marks.get(s.status, '')} *{s.title}*: {s.status}, {s.contributions} notes from {s.contributors} people"
        + (f", {s.themes} themes" if s.themes else "")
        + (f", {'deadline' if status.manual_advance else 'closes'} {slack_time(s.deadline)}" if s.deadline else "")
        for s in status.steps
    ]
    actions = f"{status.action_items} actions"
    if status.unowned_action_items:
        actions += f", {status.unowned_action_items} without an owner yet"
    if status.llm_tokens:
        cost = f", about ${status.llm_cost_usd:.4f}" if status.llm_cost_usd is not None else ""
        actions += f" · LLM: {status.llm_tokens:,} tokens{cost}"
    return [
        section(f"*Workshop #{w.id}* ({w.status}): {fit(w.objective, 500)}\nFacilitator: {mention(w.facilitator_id)}"),
        section("\n".join(lines)),
        context(actions),
    ]


HELP = (
    "*journeybot* runs a customer-journey-mapping workshop in this channel, asynchronously.\n"
    "• `/journey start <objective> [--days N] [--manual] [--publish auto] [--stages PRESET | A, B, C]`: start a "
    "workshop; each step closes by itself after N working days (default 2) unless `--manual`; `--publish auto` "
    "skips the draft (no text opens a form)\n"
    "• `/journey next`: close the current step and open the next; after the last step you get the map as a draft\n"
    "• `/journey publish`: publish the reviewed draft to the channel\n"
    "• `/journey status`: where the workshop stands\n"
    "• `/journey map`: post the latest published map again\n"
    "• `/journey actions [mine|all]`: your open actions anywhere, or all of this channel's map\n"
    '• `/journey action add "title" @owner by DATE`: add an action to this channel\'s map (owner, date optional)\n'
    "• `/journey done ID` · `/journey assign ID @user`: update an action, from any channel\n"
    "• `/journey cancel`: stop the workshop\n"
    "• `/journey revise`: run a revision workshop of the channel's map (the next version)\n"
    "• `/journey history`: every version of the channel's map · `/journey cadence 60d`: how often it is reviewed\n"
    "• `/journey settings llm on|off`: let this workspace use the LLM engine, or keep it on the embedded one\n"
    "• `/journey delete [N]`: delete this channel's workshop (or #N) and everything journeybot stores about it "
    "(facilitator or workspace admin; asks first)\n"
    "• `/journey help`: this help\n"
)


def help_blocks(prefix: str | None = None) -> list[Block]:
    blocks = [section(prefix)] if prefix else []
    return blocks + [section(HELP), context(f"*Stage presets:* {escape(describe_presets())}")]


def slack_time(moment: datetime) -> str:
    """A time Slack shows in each reader's own time zone (UTC where it cannot)."""
    fallback = f"{moment:%a %d %b %Y %H:%M} UTC"
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"
