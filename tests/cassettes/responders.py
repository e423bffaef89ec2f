"""What the fake OpenAI server answers for each journeybot task: plausible, task-correct structured answers.

`responder(labels)` reads the task from the request's `response_format` schema name and answers from the
request alone, as a model would: clustering by the known label of each note (ground truth: the fixture's
themes, CLINC150's intents), the synthesis tasks as the embedded engine would do them, serialised in the task's
answer schema. Used to generate the cassettes (`generate.py`) and by the tests that run against the fake server.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import numpy as np

from workflows.actions.parsing import parse_action
from workflows.contributions.privacy import find_personal_data
from workflows.llm.prompts import load_prompt
from workflows.mapping.models import Contribution, Theme, Touchpoint
from workflows.mapping.persona import build_persona
from workflows.mapping.synthesis import link_pain_points, place_touchpoints
from workflows.themes.clustering.embeddings import get_embedder
from workflows.workshop.stages import StageDef, resolve_stage_model

Answer = dict[str, Any]
Responder = Callable[[dict[str, Any]], Answer]

_PLACEHOLDER = re.compile(r"\[(?:EMAIL|PHONE|CARD|IBAN)_\d+\]|@?Person_\d+|@\w+")
_THEME_LINE = re.compile(r"^(?P<id>[tp]\d+): (?P<title>.*) \(\d+ notes?\)$")
_NOTE_LINE = re.compile(r"^  - (?:(?P<id>c\d+): )?(?P<text>.*)$")
_REPAIR_TURN = load_prompt("repair").user.split("{", 1)[0]
_SAME_ACTION = 0.8
_PAIN_LINK = 0.3


def label_key(text: str) -> str:
    """A note's identity with its personal data and mentions left out, so a redacted note finds its label."""
    for start, stop, _kind in sorted(find_personal_data(text), reverse=True):
        text = text[:start] + text[stop:]
    return " ".join(_PLACEHOLDER.sub(" ", text).casefold().split())


def responder(labels: Mapping[str, str]) -> Responder:
    """`labels` maps a note's text to its true theme title (only the clustering tasks need it)."""
    by_key = {label_key(text): label for text, label in labels.items()}
    answers: dict[str, Callable[[str], Answer]] = {
        "ClusterAnswer": lambda request: _cluster(request, by_key),
        "NameGroupsAnswer": lambda request: _name_groups(request, by_key),
        "PersonaAnswer": _persona,
        "TouchpointsAnswer": _touchpoints,
        "PainPointsAnswer": _pain_points,
        "ActionsAnswer": _actions,
        "SummaryAnswer": _summary,
    }

    def respond(body: dict[str, Any]) -> Answer:
        """Answers the task's request; after a repair turn, the same request again (now correctly)."""
        response_format = body.get("response_format")
        if response_format is None:  # a forced call of the function named after the shape
            schema = body["tool_choice"]["function"]["name"]
        elif response_format["type"] == "json_object":  # the shape is named in the system prompt, as a model reads it
            schema = re.search(r"one JSON object \((\w+)\)", body["messages"][0]["content"]).group(1)
        else:
            schema = response_format["json_schema"]["name"]
        request = next(
            message["content"]
            for message in reversed(body["messages"])
            if message["role"] == "user" and not message["content"].startswith(_REPAIR_TURN)
        )
        return answers[schema](request)

    return respond


# clustering


def _cluster(request: str, labels: Mapping[str, str]) -> Answer:
    themes: dict[str, list[str]] = defaultdict(list)
    for note_id, text in re.findall(r"^(n\d+): (.*)$", request, re.MULTILINE):
        themes[labels.get(label_key(text), text[:40])].append(note_id)
    return {"themes": [_theme(title, notes=ids) for title, ids in themes.items()]}


def _name_groups(request: str, labels: Mapping[str, str]) -> Answer:
    """Groups whose samples share a label are merged; a sample whose label differs from its group's is moved."""
    samples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    group = ""
    for line in request.splitlines():
        if match := re.match(r"^(g\d+) \(\d+ notes?\)$", line):
            group = match.group(1)
        elif match := re.match(r"^  (n\d+): (.*)$", line):
            samples[group].append((match.group(1), labels.get(label_key(match.group(2)), match.group(2)[:40])))
    themes: dict[str, Answer] = {}
    for group_id, members in samples.items():
        majority = Counter(label for _, label in members).most_common(1)[0][0]
        themes.setdefault(majority, _theme(majority, groups=[], notes=[]))["groups"].append(group_id)
        for note_id, label in members:
            if label != majority:
                themes.setdefault(label, _theme(label, groups=[], notes=[]))["notes"].append(note_id)
    return {"themes": list(themes.values())}


def _theme(title: str, **members: list[str]) -> Answer:
    return {"title": title[:1].upper() + title[1:], "summary": f"Notes about {title.lower()}.", **members}


# synthesis: what the embedded engine would say, in the answer schema


def _themes(section: str) -> dict[str, Theme]:
    """Themes as the tasks list them: `t1: Title (2 notes)` then `  - [c1: ]text` lines; a note id becomes the
    contribution's user, so a persona quote can name its note."""
    themes: dict[str, Theme] = {}
    current = None
    for line in section.splitlines():
        if match := _THEME_LINE.match(line):
            current = themes[match["id"]] = Theme(id=match["id"], title=match["title"])
        elif (match := _NOTE_LINE.match(line)) and current is not None:
            current.contributions.append(Contribution(user=match["id"] or "", ts="", text=match["text"]))
    return themes


def _section(request: str, heading: str) -> str:
    """The lines after `heading:` up to the next blank line."""
    return request.split(f"{heading}:\n", 1)[1].split("\n\n", 1)[0]


def _stages(request: str) -> list[StageDef]:
    """The listed stages with the examples the embedded engine knows for them (custom ones: just the name)."""
    names = re.findall(r"^- ([^:\n]+)", _section(request, "Stages (use these names exactly)"), re.M)
    return resolve_stage_model(", ".join(names))


def _persona(request: str) -> Answer:
    persona = build_persona(list(_themes(request).values()))
    return {
        "name": persona.name,
        "segment": persona.segment,
        "goals": persona.goals,
        "needs": persona.needs,
        "frustrations": persona.frustrations,
        "quotes": [{"note": quote.user, "text": quote.text} for quote in persona.verbatims],
    }


def _touchpoints(request: str) -> Answer:
    themes = _themes(_section(request, "Touchpoint themes"))
    placed = place_touchpoints(list(themes.values()), _stages(request))
    return {
        "touchpoints": [
            {"theme": tp.theme_id, "stage": stage, "channel": tp.channel, "emotion": tp.emotion or 0.0}
            for stage, tp in placed
        ]
    }


def _pain_points(request: str) -> Answer:
    touchpoints = re.findall(r"^(t\d+): (.*) \[stage: (.*)\]$", _section(request, "Touchpoints"), re.M)
    targets = [Theme(id=tid, title=title) for tid, title, _ in touchpoints]
    placed = [(stage, Touchpoint(theme_id=tid, title=title)) for tid, title, stage in touchpoints]
    stage_of = {tid: stage for tid, _, stage in touchpoints}
    pains = _themes(_section(request, "Pain points"))
    linked = link_pain_points(list(pains.values()), targets, placed, _stages(request))
    answers = []
    for stage, pain in linked:
        theme = pains[pain.theme_id]
        named = next((tid for tid, title, _ in touchpoints if _names_touchpoint(theme, title)), pain.touchpoint)
        answers.append(
            {
                "pain": pain.theme_id,
                "touchpoint": named,
                "stage": stage_of[named] if named else stage,
                "severity": _severity(theme),
            }
        )
    return {"pain_points": answers}


def _names_touchpoint(theme: Theme, title: str) -> bool:
    """A pain point's notes that name the touchpoint ("declined at checkout", "Website checkout")."""
    texts = " ".join(c.text for c in theme.contributions).casefold()
    return any(len(word) > 4 and word in texts for word in title.casefold().split())


def _severity(theme: Theme) -> int:
    texts = " ".join(c.text for c in theme.contributions).casefold()
    if re.search(r"gave up|cancel|left us|never again", texts):
        return 3
    return 2 if len(theme.contributions) > 1 or "[ticket]" in texts else 1


def _actions(request: str) -> Answer:
    """One draft per note as `parse_action` reads it; drafts with the same owner and a near-identical title
    merge; each links to the pain point its title resembles most, if any resembles it enough."""
    today = date.fromisoformat(re.search(r"Today is (\d{4}-\d{2}-\d{2})", request)[1])
    pains = re.findall(r"^(p\d+): (.*)$", _section(request, "Pain points"), re.M)
    notes = re.findall(r"^(a\d+): (.*)$", _section(request, "Action-plan notes"), re.M)
    drafts = [parse_action(text, [(m, m[1:]) for m in re.findall(r"@Person_\d+", text)], today) for _, text in notes]
    vectors = get_embedder().encode([draft.title for draft in drafts] + [title for _, title in pains])
    titles, pain_vectors = vectors[: len(drafts)], vectors[len(drafts) :]
    actions: list[Answer] = []
    first_of: list[int] = []
    for index, ((note_id, _), draft) in enumerate(zip(notes, drafts, strict=True)):
        twin = next(
            (
                position
                for position, first in enumerate(first_of)
                if drafts[first].owner == draft.owner and float(titles[first] @ titles[index]) >= _SAME_ACTION
            ),
            None,
        )
        if twin is not None:
            actions[twin]["notes"].append(note_id)
            continue
        similarity = pain_vectors @ titles[index] if pains else np.zeros(0)
        pain = pains[int(similarity.argmax())][0] if len(similarity) and similarity.max() >= _PAIN_LINK else None
        first_of.append(index)
        actions.append(
            {
                "title": draft.title,
                "owner": draft.owner,
                "due": draft.due.isoformat() if draft.due else None,
                "pain_point": pain,
                "notes": [note_id],
            }
        )
    return {"actions": actions}


def _summary(request: str) -> Answer:
    """Sentences from the outline: the persona, the low point of the emotion curve, the worst pain, the plan."""
    persona = re.search(r"^Persona: (.*)$", request, re.M)
    goal = re.search(r"^  goal: (.*)$", request, re.M)
    stages = [
        (name, float(emotion)) for name, emotion in re.findall(r"^Stage (.*) \(emotion ([-+]\d\.\d)\)$", request, re.M)
    ]
    pains = re.findall(r"^  pain point: (.*) \((\d+) notes?, severity (\d)\)$", request, re.M)
    pains.sort(key=lambda pain: (-int(pain[2]), -int(pain[1])))
    actions = re.findall(r"^Action: (.*) \((owned|no owner), .*\)$", request, re.M)
    who = persona[1].split(" (")[0] if persona else "The customer"
    sentences = [f"{who} wants {goal[1].lower()}." if goal else f"This map follows {who}."]
    if stages:
        low, high = min(stages, key=lambda s: s[1]), max(stages, key=lambda s: s[1])
        sentences.append(f"The journey peaks at {high[0]} and is at its lowest at {low[0]}.")
    if pains:
        sentences.append(f"The most severe pain point is {pains[0][0].lower()}, raised in {pains[0][1]} notes.")
    unowned = sum(owner == "no owner" for _, owner in actions)
    sentences.append(f"The team has planned {len(actions)} actions, {unowned} of them without an owner yet.")
    while len(sentences) < 3:
        sentences.append("The map rests on the team's notes and should be checked with customers.")
    return {
        "sentences": sentences,
        "opportunities": [f"Fix {title.lower()}" for title, _, _ in pains[:3]] or ["Collect evidence from customers"],
    }
